/*
 * ramfs (kernel/fs/ramfs.c): the in-memory file system that holds the unpacked
 * initrd and everything programs create.  Directories keep their entries in
 * a list sorted by name; a regular file's data is an array of page pointers
 * (pages from page_alloc, a NULL pointer is a hole that reads as zeros), so a
 * 16 MiB file needs 4096 scattered pages, not one huge allocation.  Its
 * open files (read, write, getdents) are made here too (i_ops->open).
 */
#ifndef KERN_RAMFS_H
#define KERN_RAMFS_H

#include <kern/vfs.h>

/* Largest regular file (bytes). */
#define RAMFS_MAX_FILE (256u << 20)

extern const struct inode_ops ramfs_dir_ops;

/* Makes an empty ramfs directory to serve as the root. */
struct inode *ramfs_new_root(void) __must_check;
/* Makes a device node name in ramfs directory dir whose other operations
 * (open) are ops (devfs's). */
int ramfs_mknod(struct inode *dir, const char *name, int dev,
		const struct inode_ops *ops) __must_check;
/* Links an existing inode (made by another file system with i_parent ==
 * dir) under its i_name in ramfs directory dir; takes over one reference. */
int ramfs_link(struct inode *dir, struct inode *ino) __must_check;

/* Copies up to n bytes at off into buf: bytes copied, 0 at end of file. */
int32_t ramfs_read(struct inode *ino, uint32_t off, void *buf, size_t n);
/* Writes n bytes at off, growing the file: bytes written (short only when
 * memory runs out), -ENOSPC when nothing could be written, -EFBIG past
 * RAMFS_MAX_FILE. */
int32_t ramfs_write(struct inode *ino, uint32_t off, const void *buf, size_t n);
/* Cuts the file to size 0 and frees its pages. */
void ramfs_truncate(struct inode *ino);
/* Fills de with entry number idx of directory dir: 1, or 0 past the end. */
int ramfs_readdir(struct inode *dir, uint32_t idx, struct cb_dirent *de);

#endif
