/*
 * The initrd (kernel/fs/initrd.c): a cpio "newc" archive (as made by
 * `cpio -o -H newc`) unpacked into ramfs at boot.
 */
#ifndef KERN_INITRD_H
#define KERN_INITRD_H

#include <kern/compiler.h>

/* One archive member, as cpio_next decodes it. */
struct cpio_entry {
	const char *ce_name; /* NUL-terminated, inside the archive */
	uint32_t ce_mode;    /* st_mode bits */
	const void *ce_data; /* file data, inside the archive */
	uint32_t ce_size;    /* bytes of data */
};

/*
 * Decodes the member at *pos of the archive data[0..len), checking every
 * field and bound, and advances *pos past it.  1 for a member, 0 for the
 * "TRAILER!!!" entry, -EINVAL for a malformed header (with *why set to a
 * short description).
 */
int cpio_next(const void *data, size_t len, size_t *pos, struct cpio_entry *e,
	      const char **why) __must_check;

/*
 * Unpacks the archive into the root directory: directories and regular
 * files (other member types are skipped with a message).  The whole archive
 * is checked before anything is created.  0, or -EINVAL (with a message
 * saying what was wrong), or -ENOMEM.
 */
int initrd_unpack(const void *data, size_t len) __must_check;

#endif
