/*
 * System call dispatch (kernel/proc/syscall.c).  Every handler has the same
 * shape: it gets the raw argument registers and returns a result >= 0 or
 * -Exxx.  Handlers are thin: they decode and check arguments, then call a
 * do_* worker that changes state.  A handler that takes a user pointer wraps
 * it with UPTR() and touches it only with copyin/copyout (kern/usercopy.h).
 */
#ifndef KERN_SYSCALL_H
#define KERN_SYSCALL_H

#include <kern/compiler.h>
#include <uapi/syscall.h>
#include <uapi/errno.h>

struct sysargs {
	uint32_t a[5]; /* in order, as arch_syscall_args reads them */
};

#define SYSCALL(nr, name, nargs) int32_t sys_##name(const struct sysargs *args);
#include <uapi/syscalls.def>
#undef SYSCALL

struct trapframe;
/* Entry from the system call trap (the arch trap dispatcher). */
void syscall_dispatch(struct trapframe *tf);

#endif
