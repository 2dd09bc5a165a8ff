/*
 * Device nodes (kernel/fs/devfs.c): /dev/console, /dev/ttyS1 and (with a
 * network card) /dev/eth0 are ramfs nodes of type INODE_DEV; opening one
 * asks the device for a file.
 */
#ifndef KERN_DEVFS_H
#define KERN_DEVFS_H

#include <kern/compiler.h>

struct inode;

#define DEV_CONSOLE 1
#define DEV_TTYS1   2
#define DEV_ETH0    3

/* Makes the device nodes in directory dev; opening one (i_ops->open) asks
 * the device for a file. */
int devfs_init(struct inode *dev) __must_check;

#endif
