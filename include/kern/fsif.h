/*
 * What the process and boot code need from the file system layer (kernel/
 * vfs.c and friends implement these).
 */
#ifndef KERN_FSIF_H
#define KERN_FSIF_H

#include <kern/task.h>

void vfs_init(void);
/* Unpacks a cpio newc archive into the root file system: 0 or -EINVAL. */
int initrd_unpack(const void *data, size_t len) __must_check;
/* Opens /dev/console as fds 0, 1, 2 of the first task; cwd = "/". */
int fs_task_init_console(struct task *t) __must_check;
/* Child shares every open file and the cwd of parent: 0 or -ENOMEM. */
int fs_task_fork(struct task *child, const struct task *parent) __must_check;
/* Closes every descriptor and drops the cwd. */
void fs_task_exit(struct task *t);
/* Reads a whole regular file (relative to t's cwd) into kmalloc'd memory. */
int vfs_read_file(struct task *t, const char *path, void **data, size_t *len)
	__must_check;

#endif
