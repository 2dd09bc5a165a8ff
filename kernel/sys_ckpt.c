/* checkpoint and restore system calls (see docs/checkpoint.md). */
#include <kern/syscall.h>

int32_t sys_checkpoint(const struct sysargs *args)
{
	return -ENOSYS;
}

int32_t sys_restore(const struct sysargs *args)
{
	return -ENOSYS;
}
