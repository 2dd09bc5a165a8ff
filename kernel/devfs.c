/*
 * Device nodes.  /dev is an ordinary ramfs directory; its two nodes carry a
 * device number, and opening one asks the tty layer for a file.
 */
#include <kern/devfs.h>
#include <kern/ramfs.h>
#include <kern/file.h>
#include <kern/tty.h>
#include <uapi/errno.h>

int devfs_init(struct inode *dev)
{
	int r;

	r = ramfs_mknod(dev, "console", DEV_CONSOLE);
	if (r == 0)
		r = ramfs_mknod(dev, "ttyS1", DEV_TTYS1);
	return r;
}

struct file *devfs_open(struct inode *ino, int flags, int *err)
{
	struct file *f;

	switch (ino->i_dev) {
	case DEV_CONSOLE:
		f = tty_open_console(flags);
		break;
	case DEV_TTYS1:
		f = tty_open_serial1(flags);
		break;
	default:
		*err = -ENXIO;
		return NULL;
	}
	if (!f)
		*err = -ENOMEM;
	return f;
}
