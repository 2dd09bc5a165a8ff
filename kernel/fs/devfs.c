/*
 * Device nodes.  /dev is an ordinary ramfs directory; its nodes carry a
 * device number and devfs's operations, and opening one (i_ops->open) asks the
 * tty layer (or, for eth0, the network card, whose node exists only when a card
 * was found) for a file.
 */
#include <kern/devfs.h>
#include <kern/ramfs.h>
#include <kern/file.h>
#include <kern/tty.h>
#include <kern/eth.h>
#include <uapi/errno.h>

static struct file *devfs_open(struct inode *ino, int flags,
			       const struct task *viewer, int *err);

/* A device node's operations: it can only be opened. */
static const struct inode_ops devfs_ops = {
    .open = devfs_open,
};

int devfs_init(struct inode *dev)
{
	int r;

	r = ramfs_mknod(dev, "console", DEV_CONSOLE, &devfs_ops);
	if (r == 0)
		r = ramfs_mknod(dev, "ttyS1", DEV_TTYS1, &devfs_ops);
	if (r == 0 && eth_present())
		r = ramfs_mknod(dev, "eth0", DEV_ETH0, &devfs_ops);
	return r;
}

/* i_ops->open: the device's file, or NULL with *err (-ENXIO, -ENOMEM). */
static struct file *devfs_open(struct inode *ino, int flags,
			       const struct task *viewer, int *err)
{
	struct file *f;

	switch (ino->i_dev) {
	case DEV_CONSOLE:
		f = tty_open_console(flags);
		break;
	case DEV_TTYS1:
		f = tty_open_serial1(flags);
		break;
	case DEV_ETH0:
		return eth_open(flags, err);
	default:
		*err = -ENXIO;
		return NULL;
	}
	if (!f)
		*err = -ENOMEM;
	return f;
}
