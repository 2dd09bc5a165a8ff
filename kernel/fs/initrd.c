/*
 * Unpacks the initrd, a cpio "newc" archive, into ramfs.
 *
 * Each member is a 110-byte ASCII header ("070701" and thirteen 8-digit hex
 * fields), the NUL-terminated name padded to a multiple of 4 bytes, then the
 * data padded likewise; the member named "TRAILER!!!" ends the archive.
 * The archive comes from outside the kernel, so every field and every length
 * is checked, and the whole archive is checked before anything is created:
 * a corrupt one gives a message and -EINVAL, never a crash or half a tree.
 */
#include <kern/initrd.h>
#include <kern/vfs.h>
#include <kern/ramfs.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>

#define CPIO_HDR_LEN 110
#define CPIO_TRAILER "TRAILER!!!"

/* Header fields, in order, after the 6-byte magic. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT
};

#define S_IFMT_	 0170000u
#define S_IFDIR_ 0040000u
#define S_IFREG_ 0100000u

/* Parses 8 hex digits: 0, or -1 on a character that is not one. */
static int hex8(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int i, d;

	for (i = 0; i < 8; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = (v << 4) | (uint32_t)d;
	}
	*out = v;
	return 0;
}

/* Offset rounded up to 4; every caller has off <= len <= SIZE_MAX - 3. */
static size_t pad4(size_t off)
{
	return (off + 3) & ~(size_t)3;
}

int cpio_next(const void *data, size_t len, size_t *pos, struct cpio_entry *e,
	      const char **why)
{
	const char *base = data, *h, *name;
	uint32_t f[F_COUNT];
	size_t p = *pos, name_off, data_off;
	int i;

	if (len > SIZE_MAX - 4 || p > len || len - p < CPIO_HDR_LEN) {
		*why = "truncated header (no TRAILER!!! entry?)";
		return -EINVAL;
	}
	h = base + p;
	if (memcmp(h, "070701", 6) && memcmp(h, "070702", 6)) {
		*why = "bad magic (not a cpio newc archive)";
		return -EINVAL;
	}
	for (i = 0; i < F_COUNT; i++) {
		if (hex8(h + 6 + 8 * i, &f[i])) {
			*why = "bad hex digit in header";
			return -EINVAL;
		}
	}
	if (f[F_NAMESIZE] < 2 || f[F_NAMESIZE] > PATH_MAX) {
		*why = "bad name size";
		return -EINVAL;
	}
	name_off = p + CPIO_HDR_LEN;
	if (len - name_off < f[F_NAMESIZE]) {
		*why = "truncated name";
		return -EINVAL;
	}
	name = base + name_off;
	if (strnlen(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1) {
		*why = "name not NUL-terminated at its size";
		return -EINVAL;
	}
	data_off = pad4(name_off + f[F_NAMESIZE]);
	if (!strcmp(name, CPIO_TRAILER)) {
		*pos = MIN(data_off, len);
		return 0;
	}
	if (data_off > len || len - data_off < f[F_FILESIZE]) {
		*why = "truncated data";
		return -EINVAL;
	}
	e->ce_name = name;
	e->ce_mode = f[F_MODE];
	e->ce_data = base + data_off;
	e->ce_size = f[F_FILESIZE];
	*pos = MIN(pad4(data_off + f[F_FILESIZE]), len);
	return 1;
}

/* Skips "./" and "/" prefixes: the name relative to the root. */
static const char *member_path(const char *name)
{
	for (;;) {
		if (name[0] == '/')
			name++;
		else if (name[0] == '.' && name[1] == '/')
			name += 2;
		else
			return name;
	}
}

/* Checks what the header parser cannot: the type, the size, and that each
 * path component is a plain name.  NULL when fine, else the reason. */
static const char *member_check(const struct cpio_entry *e)
{
	const char *p = member_path(e->ce_name);
	uint32_t type = e->ce_mode & S_IFMT_;
	size_t n;

	if (type == S_IFDIR_ && e->ce_size != 0)
		return "directory with data";
	if (type == S_IFREG_ && e->ce_size > RAMFS_MAX_FILE)
		return "file too large";
	while (*p) {
		n = 0;
		while (p[n] && p[n] != '/')
			n++;
		if (n > NAME_MAX)
			return "name component too long";
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "\"..\" in a name";
		p += n;
		while (*p == '/')
			p++;
	}
	return NULL;
}

/* Makes every directory above path (like mkdir -p on its dirname). */
static int make_parents(const char *path)
{
	char buf[PATH_MAX];
	size_t i;
	int r;

	strlcpy(buf, path, sizeof(buf));
	for (i = 1; buf[i]; i++) {
		if (buf[i] != '/')
			continue;
		buf[i] = '\0';
		r = vfs_mkdir(vfs_root, buf);
		buf[i] = '/';
		if (r < 0 && r != -EEXIST)
			return r;
	}
	return 0;
}

/* Creates regular file path holding e's data. */
static int create_file(const char *path, const struct cpio_entry *e)
{
	struct inode *ino;
	int r;

	r = vfs_create(vfs_root, path, false, &ino);
	if (r < 0)
		return r;
	if (ino->i_type != INODE_REG || ino->i_fs != FS_RAMFS) {
		r = -EEXIST;
	} else {
		ramfs_truncate(ino);
		if (ramfs_write(ino, 0, e->ce_data, e->ce_size) !=
		    (int32_t)e->ce_size)
			r = -ENOMEM;
	}
	inode_put(ino);
	return r;
}

/* Creates one member.  An existing directory is fine; a member that cannot
 * go where it is (over a device, into /proc) is skipped with a message.
 * 0, or -ENOMEM. */
static int member_create(const struct cpio_entry *e)
{
	const char *path = member_path(e->ce_name);
	uint32_t type = e->ce_mode & S_IFMT_;
	int r;

	if (!*path || !strcmp(path, "."))
		return 0;
	if (type != S_IFDIR_ && type != S_IFREG_) {
		printk("initrd: %s: not a file or directory, skipped\n", path);
		return 0;
	}
	r = make_parents(path);
	if (r == 0 && type == S_IFDIR_) {
		r = vfs_mkdir(vfs_root, path);
		if (r == -EEXIST)
			r = 0;
	} else if (r == 0) {
		r = create_file(path, e);
	}
	if (r == -ENOMEM)
		return r;
	if (r < 0)
		printk("initrd: %s: cannot create (error %d), skipped\n", path,
		       r);
	return 0;
}

int initrd_unpack(const void *data, size_t len)
{
	struct cpio_entry e;
	const char *why = NULL;
	size_t pos = 0, at;
	int r, n = 0;

	/* Pass 1: check everything. */
	for (;;) {
		at = pos;
		r = cpio_next(data, len, &pos, &e, &why);
		if (r == 0)
			break;
		if (r > 0 && (why = member_check(&e)) != NULL)
			r = -EINVAL;
		if (r < 0) {
			printk("initrd: corrupt archive: %s (member at offset "
			       "%zu)\n",
			       why, at);
			return -EINVAL;
		}
		n++;
	}
	/* Pass 2: build the tree. */
	pos = 0;
	while (cpio_next(data, len, &pos, &e, &why) > 0) {
		r = member_create(&e);
		if (r < 0) {
			printk("initrd: out of memory at %s\n", e.ce_name);
			return r;
		}
	}
	printk("initrd: %d entries unpacked\n", n);
	return 0;
}
