/*
 * Compiler helpers used across the kernel, and the kernel's calling
 * conventions for errors:
 *
 *  - A function that can fail returns int: 0 (or a count) on success,
 *    -Exxx on failure, and is marked __must_check.
 *  - A function that makes an object or fails ("object or error") returns
 *    that int too and hands the object back through its last parameter, an
 *    out-pointer written only on success:
 *        int ctr_new(struct container *parent, const char *name,
 *                    struct container **out) __must_check;
 *    (ctr_new, pipe_create, vfs_lookup, vfs_create.)  A function whose only
 *    failure is "no memory" or "not found" may return the object or NULL.
 *  - Error paths unwind through goto labels named after what they undo
 *    (out_mm: frees the mm), in reverse order of doing (kernel/proc/fork.c).
 */
#ifndef KERN_COMPILER_H
#define KERN_COMPILER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define __must_check   __attribute__((warn_unused_result))
#define __noreturn     __attribute__((noreturn))
#define __packed       __attribute__((packed))
#define __aligned(n)   __attribute__((aligned(n)))
#define __unused       __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define ROUNDUP(x, a)	(((x) + (a)-1) & ~((a)-1))
#define ROUNDDOWN(x, a) ((x) & ~((a)-1))
#define container_of(p, type, member)                                          \
	((type *)((char *)(p)-offsetof(type, member)))

#endif
