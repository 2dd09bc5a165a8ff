/*
 * Raw system calls.  sys_NAME(...) makes system call NAME and returns the
 * kernel's answer unchanged: a result, or -errno.  The stubs are generated
 * from include/uapi/syscalls.def; every argument is passed as a long.  Tests
 * use them to see the exact error; programs use the libc wrappers in
 * <unistd.h>, which set errno and return -1.
 */
#ifndef USER_SYS_SYSCALL_H
#define USER_SYS_SYSCALL_H

#include <uapi/syscall.h>
#include <uapi/errno.h>

/* Traps into the kernel with system call nr and five argument registers. */
long syscall5(long nr, long a, long b, long c, long d, long e);

/* Is raw result r an error?  (sbrk's addresses look negative as ints.) */
#define SYS_IS_ERR(r) ((unsigned long)(r) >= (unsigned long)-MAX_ERRNO)

#define SYS_PARAMS_0 void
#define SYS_PARAMS_1 long a
#define SYS_PARAMS_2 long a, long b
#define SYS_PARAMS_3 long a, long b, long c
#define SYS_PARAMS_4 long a, long b, long c, long d
#define SYS_PARAMS_5 long a, long b, long c, long d, long e

#define SYSCALL(nr, name, nargs) long sys_##name(SYS_PARAMS_##nargs);
#include <uapi/syscalls.def>
#undef SYSCALL

#endif
