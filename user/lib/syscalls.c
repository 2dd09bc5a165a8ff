/*
 * The raw system call stubs, one per line of include/uapi/syscalls.def, all
 * funnelled through syscall5.  Each returns the kernel's result or -errno.
 */
#include <sys/syscall.h>

long syscall5(long nr, long a, long b, long c, long d, long e)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
			 : "memory", "cc");
	return ret;
}

/* The arguments each stub passes on; unused registers get 0. */
#define SYS_ARGS_0 0, 0, 0, 0, 0
#define SYS_ARGS_1 a, 0, 0, 0, 0
#define SYS_ARGS_2 a, b, 0, 0, 0
#define SYS_ARGS_3 a, b, c, 0, 0
#define SYS_ARGS_4 a, b, c, d, 0
#define SYS_ARGS_5 a, b, c, d, e

#define SYSCALL(nr, name, nargs)                                               \
	long sys_##name(SYS_PARAMS_##nargs)                                    \
	{                                                                      \
		return syscall5(nr, SYS_ARGS_##nargs);                         \
	}
#include <uapi/syscalls.def>
#undef SYSCALL
