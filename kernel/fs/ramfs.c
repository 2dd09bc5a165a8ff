/*
 * ramfs: the in-memory file system.  A directory is a list of child inodes
 * sorted by name (each child's i_next); the list holds one reference on each
 * child.  A regular file is an array of page pointers grown on demand: data
 * never needs one large contiguous allocation, and a NULL slot is a hole
 * that reads as zeros.
 */
#include <kern/ramfs.h>
#include <kern/file.h>
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <uapi/errno.h>

static int ramfs_lookup(struct inode *dir, const char *name,
			const struct task *viewer, struct inode **out);
static struct file *ramfs_open(struct inode *ino, int flags,
			       const struct task *viewer, int *err);
static int ramfs_create(struct inode *dir, const char *name,
			enum inode_type type, struct inode **out);
static int ramfs_unlink(struct inode *dir, const char *name);
static void ramfs_release(struct inode *ino);
static uint32_t ramfs_size(struct inode *ino);

const struct inode_ops ramfs_dir_ops = {
    .lookup = ramfs_lookup,
    .open = ramfs_open,
    .create = ramfs_create,
    .unlink = ramfs_unlink,
    .release = ramfs_release,
    .size = ramfs_size,
};

struct inode *ramfs_new_root(void)
{
	struct inode *root;

	root = inode_alloc(FS_RAMFS, INODE_DIR, &ramfs_dir_ops, NULL, "");
	if (root)
		root->i_linked = true; /* the root can always hold entries */
	return root;
}

static int ramfs_lookup(struct inode *dir, const char *name,
			const struct task *viewer, struct inode **out)
{
	struct inode *c;
	int cmp;

	for (c = dir->i_ramfs.r_children; c; c = c->i_next) {
		cmp = strcmp(c->i_name, name);
		if (cmp == 0) {
			*out = inode_get(c);
			return 0;
		}
		if (cmp > 0)
			break;
	}
	return -ENOENT;
}

/* Inserts ino into dir's sorted list (taking over one reference). */
int ramfs_link(struct inode *dir, struct inode *ino)
{
	struct inode **pp = &dir->i_ramfs.r_children;
	int cmp;

	for (; *pp; pp = &(*pp)->i_next) {
		cmp = strcmp((*pp)->i_name, ino->i_name);
		if (cmp == 0)
			return -EEXIST;
		if (cmp > 0)
			break;
	}
	ino->i_next = *pp;
	*pp = ino;
	ino->i_linked = true;
	return 0;
}

/* Makes child name of dir with operations ops: 0 with a reference in *out,
 * -ENOENT (dir was removed), -EEXIST, -ENOMEM. */
static int ramfs_make(struct inode *dir, const char *name, enum inode_type type,
		      const struct inode_ops *ops, struct inode **out)
{
	struct inode *ino;
	int r;

	/* A removed directory (someone's cwd) takes no new entries. */
	if (!dir->i_linked)
		return -ENOENT;
	ino = inode_alloc(FS_RAMFS, type, ops, dir, name);
	if (!ino)
		return -ENOMEM;
	r = ramfs_link(dir, ino);
	if (r < 0) {
		inode_put(ino);
		return r;
	}
	*out = inode_get(ino);
	return 0;
}

static int ramfs_create(struct inode *dir, const char *name,
			enum inode_type type, struct inode **out)
{
	return ramfs_make(dir, name, type, &ramfs_dir_ops, out);
}

int ramfs_mknod(struct inode *dir, const char *name, int dev,
		const struct inode_ops *ops)
{
	struct inode *ino;
	int r;

	r = ramfs_make(dir, name, INODE_DEV, ops, &ino);
	if (r < 0)
		return r;
	ino->i_dev = dev;
	inode_put(ino);
	return 0;
}

static int ramfs_unlink(struct inode *dir, const char *name)
{
	struct inode **pp, *c;

	for (pp = &dir->i_ramfs.r_children; (c = *pp) != NULL; pp = &c->i_next)
		if (!strcmp(c->i_name, name))
			break;
	if (!c)
		return -ENOENT;
	if (c->i_fs != FS_RAMFS)
		return -EBUSY; /* a mount point such as /proc */
	if (c->i_type == INODE_DIR && c->i_ramfs.r_children)
		return -ENOTEMPTY;
	*pp = c->i_next;
	c->i_next = NULL;
	c->i_linked = false;
	inode_put(c);
	return 0;
}

void ramfs_truncate(struct inode *ino)
{
	struct ramfs_node *r = &ino->i_ramfs;
	uint32_t i;

	for (i = 0; i < r->r_npages; i++)
		if (r->r_pages[i])
			page_free(r->r_pages[i]);
	kfree(r->r_pages);
	r->r_pages = NULL;
	r->r_npages = 0;
	r->r_size = 0;
}

static void ramfs_release(struct inode *ino)
{
	if (ino->i_type == INODE_REG)
		ramfs_truncate(ino);
}

/* i_ops->size: the file's length. */
static uint32_t ramfs_size(struct inode *ino)
{
	return ino->i_ramfs.r_size;
}

int32_t ramfs_read(struct inode *ino, uint32_t off, void *buf, size_t n)
{
	struct ramfs_node *r = &ino->i_ramfs;
	char *dst = buf;
	size_t done = 0, in, k;
	char *pg;

	if (off >= r->r_size)
		return 0;
	n = MIN(n, (size_t)(r->r_size - off));
	while (done < n) {
		in = (off + done) % PAGE_SIZE;
		k = MIN(n - done, PAGE_SIZE - in);
		pg = r->r_pages[(off + done) / PAGE_SIZE];
		if (pg)
			memcpy(dst + done, pg + in, k);
		else
			memset(dst + done, 0, k);
		done += k;
	}
	return (int32_t)done;
}

/* Makes room in the page array for npages pages: 0 or -ENOSPC. */
static int ramfs_grow(struct ramfs_node *r, uint32_t npages)
{
	uint32_t cap;
	void **a;

	if (npages <= r->r_npages)
		return 0;
	cap = MAX(npages, MAX(r->r_npages * 2, 16u));
	cap = MIN(cap, RAMFS_MAX_FILE / PAGE_SIZE);
	a = kzalloc(cap * sizeof(*a));
	if (!a)
		return -ENOSPC;
	if (r->r_pages)
		memcpy(a, r->r_pages, r->r_npages * sizeof(*a));
	kfree(r->r_pages);
	r->r_pages = a;
	r->r_npages = cap;
	return 0;
}

int32_t ramfs_write(struct inode *ino, uint32_t off, const void *buf, size_t n)
{
	struct ramfs_node *r = &ino->i_ramfs;
	const char *src = buf;
	size_t done = 0, in, k;
	void **slot;

	if (n == 0)
		return 0;
	if (off >= RAMFS_MAX_FILE)
		return -EFBIG;
	n = MIN(n, (size_t)(RAMFS_MAX_FILE - off));
	if (ramfs_grow(r, (uint32_t)((off + n + PAGE_SIZE - 1) / PAGE_SIZE)))
		return -ENOSPC;
	while (done < n) {
		slot = &r->r_pages[(off + done) / PAGE_SIZE];
		if (!*slot && !(*slot = page_alloc()))
			break;
		in = (off + done) % PAGE_SIZE;
		k = MIN(n - done, PAGE_SIZE - in);
		memcpy((char *)*slot + in, src + done, k);
		done += k;
	}
	if (done == 0)
		return -ENOSPC;
	if (off + done > r->r_size)
		r->r_size = (uint32_t)(off + done);
	return (int32_t)done;
}

int ramfs_readdir(struct inode *dir, uint32_t idx, struct cb_dirent *de)
{
	struct inode *c = dir->i_ramfs.r_children;

	while (c && idx--)
		c = c->i_next;
	if (!c)
		return 0;
	memset(de, 0, sizeof(*de));
	de->d_ino = c->i_ino;
	de->d_type = c->i_type == INODE_DIR   ? DT_DIR
		     : c->i_type == INODE_DEV ? DT_DEV
					      : DT_FILE;
	strlcpy(de->d_name, c->i_name, sizeof(de->d_name));
	return 1;
}

/* ---- open files -------------------------------------------------------- */

static int32_t ramfs_file_read(struct file *f, void *buf, size_t n,
			       bool may_block)
{
	int32_t r = ramfs_read(f->f_inode, f->f_off, buf, n);

	if (r > 0)
		f->f_off += (uint32_t)r;
	return r;
}

static int32_t ramfs_file_write(struct file *f, const void *buf, size_t n,
				bool may_block)
{
	int32_t r;

	if (f->f_flags & O_APPEND)
		f->f_off = f->f_inode->i_ramfs.r_size;
	r = ramfs_write(f->f_inode, f->f_off, buf, n);
	if (r > 0)
		f->f_off += (uint32_t)r;
	return r;
}

static uint32_t ramfs_file_size(struct file *f)
{
	return ramfs_size(f->f_inode);
}

/* Directory entries from index f_off; "." and ".." are not listed. */
static int32_t ramfs_dir_getdents(struct file *f, struct cb_dirent *de,
				  size_t max)
{
	size_t n = 0;

	while (n < max && ramfs_readdir(f->f_inode, f->f_off, &de[n])) {
		f->f_off++;
		n++;
	}
	return (int32_t)n;
}

static const struct file_ops ramfs_file_ops = {
    .read = ramfs_file_read,
    .write = ramfs_file_write,
    .size = ramfs_file_size,
};

static const struct file_ops ramfs_dirfile_ops = {
    .getdents = ramfs_dir_getdents,
};

/* i_ops->open: a ramfs file or directory; O_TRUNC (with write access) cuts
 * a regular file to size 0. */
static struct file *ramfs_open(struct inode *ino, int flags,
			       const struct task *viewer, int *err)
{
	struct file *f;

	f = file_alloc(FILE_RAMFS, flags,
		       ino->i_type == INODE_DIR ? &ramfs_dirfile_ops
						: &ramfs_file_ops);
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	if ((flags & O_TRUNC) && ino->i_type == INODE_REG && file_writable(f))
		ramfs_truncate(ino);
	return f;
}
