/*
 * Stand-ins for procfs and devfs so vfs_init can run on the host: /proc is
 * an empty read-only directory that remembers the viewer of its last
 * lookup, /dev gets its two nodes, which open as FILE_CONSOLE or
 * FILE_TTYS1 files with no operations and count their opens, and the tty
 * layer has nothing to forget.  Include
 * after fs_stubs.h, in tests that link kernel/fs/vfs.c, kernel/fs/ramfs.c,
 * kernel/fs/fsroot.c and kernel/fs/file.c.
 */
#ifndef TEST_FS_FAKES_H
#define TEST_FS_FAKES_H

#include <kern/vfs.h>
#include <kern/ramfs.h>
#include <kern/devfs.h>
#include <kern/procfs.h>
#include <kern/file.h>
#include <uapi/errno.h>

static const struct task *fake_proc_viewer; /* of the last lookup */
static int fake_dev_opens;

static int fake_proc_lookup(struct inode *dir, const char *name,
			    const struct task *viewer, struct inode **out)
{
	fake_proc_viewer = viewer;
	return -ENOENT;
}

static const struct inode_ops fake_proc_ops = {.lookup = fake_proc_lookup};

struct inode *procfs_init(struct inode *parent)
{
	return inode_alloc(FS_PROCFS, INODE_DIR, &fake_proc_ops, parent,
			   "proc");
}

static const struct file_ops fake_dev_file_ops;

static struct file *fake_dev_open(struct inode *ino, int flags,
				  const struct task *viewer, int *err)
{
	struct file *f =
	    file_alloc(ino->i_dev == DEV_CONSOLE ? FILE_CONSOLE : FILE_TTYS1,
		       flags, &fake_dev_file_ops);

	fake_dev_opens++;
	if (!f)
		*err = -ENOMEM;
	return f;
}

static const struct inode_ops fake_dev_ops = {.open = fake_dev_open};

/* file.c's exit hook tells the tty layer; there is none here. */
void tty_forget_task(struct task *t)
{
}

int devfs_init(struct inode *dev)
{
	int r = ramfs_mknod(dev, "console", DEV_CONSOLE, &fake_dev_ops);

	return r ? r : ramfs_mknod(dev, "ttyS1", DEV_TTYS1, &fake_dev_ops);
}

#endif
