/*
 * The user/kernel boundary for memory.  A user pointer is a uptr_t, not a C
 * pointer, so the kernel cannot dereference one by accident: only these
 * functions touch user memory, and each checks that every byte lies in user
 * space [USER_BASE, USER_TOP) and is mapped (writable for copyout) in the
 * current address space.  A bad pointer is -EFAULT, never a crash.
 */
#ifndef KERN_USERCOPY_H
#define KERN_USERCOPY_H

#include <kern/compiler.h>

typedef struct {
	uintptr_t addr;
} uptr_t;

#define UPTR(x)		((uptr_t){(uintptr_t)(x)})
#define UPTR_ADD(u, n)	((uptr_t){(u).addr + (n)})
#define UPTR_IS_NULL(u) ((u).addr == 0)

/* Copies n bytes from user src to kernel dst: 0 or -EFAULT. */
int copyin(void *dst, uptr_t src, size_t n) __must_check;
/* Copies n bytes from kernel src to user dst: 0 or -EFAULT. */
int copyout(uptr_t dst, const void *src, size_t n) __must_check;
/* Checks that all n bytes at u are mapped user memory (writable if write)
 * without copying: for calls that must reject a bad buffer even when they
 * would only fill part of it.  0 or -EFAULT. */
int uaccess_check(uptr_t u, size_t n, bool write) __must_check;
/* Copies a NUL-terminated string of at most max bytes (NUL included):
 * its length, or -EFAULT, or -ENAMETOOLONG when no NUL comes within max. */
int copyinstr(char *dst, uptr_t src, size_t max) __must_check;

#endif
