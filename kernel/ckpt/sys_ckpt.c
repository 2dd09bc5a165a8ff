/*
 * checkpoint and restore system calls: decode the registers, copy the
 * names in, hand over to do_checkpoint (ckpt_save.c) and do_restore
 * (ckpt_restore.c).  See kern/ckpt.h and docs/checkpoint.md.
 */
#include <kern/syscall.h>
#include <kern/ckpt.h>
#include <kern/usercopy.h>
#include <uapi/cellblock.h>

/* Copies a container name argument: 0, -EFAULT, or -EINVAL (too long). */
static int copy_name(char *dst, uptr_t src)
{
	int n = copyinstr(dst, src, CTR_NAME_MAX + 1);

	if (n == -ENAMETOOLONG)
		return -EINVAL;
	return n < 0 ? n : 0;
}

/* checkpoint(name, buf, len, flags): the image size, or -errno. */
int32_t sys_checkpoint(const struct sysargs *args)
{
	char name[CTR_NAME_MAX + 1];
	int err = copy_name(name, UPTR(args->a[0]));

	if (err)
		return err;
	return do_checkpoint(name, UPTR(args->a[1]), args->a[2], args->a[3]);
}

/* restore(buf, len, newname or NULL, flags): the restored init's PID. */
int32_t sys_restore(const struct sysargs *args)
{
	char name[CTR_NAME_MAX + 1];
	uptr_t uname = UPTR(args->a[2]);

	if (!UPTR_IS_NULL(uname)) {
		int err = copy_name(name, uname);
		if (err)
			return err;
	}
	return do_restore(UPTR(args->a[0]), args->a[1],
			  UPTR_IS_NULL(uname) ? NULL : name, args->a[3]);
}
