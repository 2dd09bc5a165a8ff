/*
 * Stand-ins for procfs and devfs so vfs_init can run on the host: /proc is
 * an empty read-only directory, /dev gets its two nodes.  Include after
 * fs_stubs.h, in tests that link kernel/vfs.c and kernel/ramfs.c.
 */
#ifndef TEST_FS_FAKES_H
#define TEST_FS_FAKES_H

#include <kern/vfs.h>
#include <kern/ramfs.h>
#include <kern/devfs.h>
#include <kern/procfs.h>
#include <uapi/errno.h>

static int fake_proc_lookup(struct inode *dir, const char *name,
			    struct inode **out)
{
	return -ENOENT;
}

static const struct inode_ops fake_proc_ops = {.lookup = fake_proc_lookup};

struct inode *procfs_init(struct inode *parent)
{
	return inode_alloc(FS_PROCFS, INODE_DIR, &fake_proc_ops, parent,
			   "proc");
}

int devfs_init(struct inode *dev)
{
	int r = ramfs_mknod(dev, "console", DEV_CONSOLE);

	return r ? r : ramfs_mknod(dev, "ttyS1", DEV_TTYS1);
}

#endif
