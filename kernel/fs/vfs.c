/*
 * The virtual file system: inode references, path walking, and the
 * name-space operations (create, mkdir, unlink, chdir) that system calls and
 * execve use.  Each directory's file system answers lookups through i_ops;
 * this file knows only "." and "..".  See kern/vfs.h for the whole picture.
 */
#include <kern/vfs.h>
#include <kern/task.h>
#include <kern/kheap.h>
#include <kern/string.h>
#include <kern/panic.h>
#include <uapi/errno.h>

struct inode *vfs_root;
static uint32_t vfs_next_ino = 1;

struct inode *inode_alloc(enum inode_fs fs, enum inode_type type,
			  const struct inode_ops *ops, struct inode *parent,
			  const char *name)
{
	struct inode *ino = kzalloc(sizeof(*ino));

	if (!ino)
		return NULL;
	ino->i_ino = vfs_next_ino++;
	ino->i_type = type;
	ino->i_fs = fs;
	ino->i_ops = ops;
	ino->i_refs = 1;
	ino->i_parent = parent ? inode_get(parent) : NULL;
	strlcpy(ino->i_name, name, sizeof(ino->i_name));
	return ino;
}

struct inode *inode_get(struct inode *ino)
{
	KASSERT(ino->i_refs > 0);
	ino->i_refs++;
	return ino;
}

/* Drops a reference; the last one frees the inode and drops its parent's
 * (a loop, not recursion, so deep trees cannot overflow the stack). */
void inode_put(struct inode *ino)
{
	while (ino) {
		struct inode *parent = ino->i_parent;

		KASSERT(ino->i_refs > 0);
		if (--ino->i_refs > 0)
			return;
		KASSERT(!ino->i_linked);
		if (ino->i_ops && ino->i_ops->release)
			ino->i_ops->release(ino);
		kfree(ino);
		ino = parent;
	}
}

/* Copies the component at *pp into name and advances *pp past it:
 * its length, or -ENAMETOOLONG. */
static int path_component(const char **pp, char *name)
{
	const char *p = *pp;
	size_t n = 0;

	while (p[n] && p[n] != '/')
		n++;
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, p, n);
	name[n] = '\0';
	*pp = p + n;
	return (int)n;
}

/* One step of a walk: the child name of directory dir as viewer sees it,
 * with a reference. */
static int walk_step(struct inode *dir, const char *name,
		     const struct task *viewer, struct inode **out)
{
	if (dir->i_type != INODE_DIR)
		return -ENOTDIR;
	if (!strcmp(name, ".")) {
		*out = inode_get(dir);
		return 0;
	}
	if (!strcmp(name, "..")) {
		*out = inode_get(dir->i_parent ? dir->i_parent : dir);
		return 0;
	}
	return dir->i_ops->lookup(dir, name, viewer, out);
}

/*
 * Walks path from cwd (or the root) as viewer sees the tree.  With last !=
 * NULL it stops before the final component, copies it to last and returns
 * its directory; otherwise it returns the node the whole path names.
 */
static int walk(const struct task *viewer, struct inode *cwd, const char *path,
		struct inode **out, char *last)
{
	char name[NAME_MAX + 1];
	struct inode *cur, *next;
	int r;

	if (!path[0])
		return -ENOENT;
	cur = inode_get(path[0] == '/' || !cwd ? vfs_root : cwd);
	if (last)
		last[0] = '\0';
	for (;;) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		r = path_component(&path, name);
		if (r < 0)
			goto out_put;
		if (last) {
			const char *rest = path;

			while (*rest == '/')
				rest++;
			if (!*rest) {
				strlcpy(last, name, NAME_MAX + 1);
				break;
			}
		}
		r = walk_step(cur, name, viewer, &next);
		if (r < 0)
			goto out_put;
		inode_put(cur);
		cur = next;
	}
	/* "file/" names a directory that is not there. */
	if (path[-1] == '/' && !last && cur->i_type != INODE_DIR) {
		r = -ENOTDIR;
		goto out_put;
	}
	if (last && cur->i_type != INODE_DIR) {
		r = -ENOTDIR;
		goto out_put;
	}
	*out = cur;
	return 0;
out_put:
	inode_put(cur);
	return r;
}

int vfs_lookup(struct inode *cwd, const char *path, struct inode **out)
{
	return walk(NULL, cwd, path, out, NULL);
}

int vfs_lookup_as(const struct task *viewer, struct inode *cwd,
		  const char *path, struct inode **out)
{
	return walk(viewer, cwd, path, out, NULL);
}

int vfs_lookup_parent(struct inode *cwd, const char *path, struct inode **dir,
		      char *name)
{
	return walk(NULL, cwd, path, dir, name);
}

/* Is name one that cannot be created or removed ("", ".", "..")? */
static bool name_is_special(const char *name)
{
	return !name[0] || !strcmp(name, ".") || !strcmp(name, "..");
}

/* Finds path's parent directory (a reference in *dir) and last name; a
 * special name gives root_err for the root ("") or special_err (".",
 * "..") and no reference. */
static int parent_and_name(struct inode *cwd, const char *path,
			   struct inode **dir, char *name, int root_err,
			   int special_err)
{
	int r = vfs_lookup_parent(cwd, path, dir, name);

	if (r < 0)
		return r;
	if (name_is_special(name)) {
		inode_put(*dir);
		return name[0] ? special_err : root_err;
	}
	return 0;
}

/* Creates path's last name, an inode of type, in its parent directory; a
 * name that is there already is handed back through out (0), or -EEXIST
 * if excl; a special name ("", ".", "..") gives special_err. */
static int create_at(struct inode *cwd, const char *path, enum inode_type type,
		     bool excl, int special_err, struct inode **out)
{
	char name[NAME_MAX + 1];
	struct inode *dir;
	int r;

	r = parent_and_name(cwd, path, &dir, name, special_err, special_err);
	if (r < 0)
		return r;
	r = dir->i_ops->lookup(dir, name, NULL, out);
	if (r == 0) {
		if (excl) {
			inode_put(*out);
			r = -EEXIST;
		}
		goto out_put;
	}
	if (r != -ENOENT)
		goto out_put;
	r = dir->i_ops->create ? dir->i_ops->create(dir, name, type, out)
			       : -EPERM;
out_put:
	inode_put(dir);
	return r;
}

int vfs_create(struct inode *cwd, const char *path, bool excl,
	       struct inode **out)
{
	return create_at(cwd, path, INODE_REG, excl, -EISDIR, out);
}

int vfs_mkdir(struct inode *cwd, const char *path)
{
	struct inode *ino;
	int r = create_at(cwd, path, INODE_DIR, true, -EEXIST, &ino);

	if (r == 0)
		inode_put(ino);
	return r;
}

int vfs_unlink(struct inode *cwd, const char *path)
{
	char name[NAME_MAX + 1];
	struct inode *dir;
	int r;

	r = parent_and_name(cwd, path, &dir, name, -EBUSY, -EINVAL);
	if (r < 0)
		return r;
	r = dir->i_ops->unlink ? dir->i_ops->unlink(dir, name) : -EPERM;
	inode_put(dir);
	return r;
}

int vfs_path_of(struct inode *ino, char *buf, size_t size)
{
	struct inode *n;
	size_t len = 0, pos, l;

	for (n = ino; n->i_parent; n = n->i_parent) {
		if (n->i_fs == FS_RAMFS && !n->i_linked)
			return -ENOENT;
		len += 1 + strlen(n->i_name);
	}
	if ((len ? len : 1) + 1 > size)
		return -ERANGE;
	if (len == 0) {
		strlcpy(buf, "/", size);
		return 1;
	}
	buf[len] = '\0';
	pos = len;
	for (n = ino; n->i_parent; n = n->i_parent) {
		l = strlen(n->i_name);
		pos -= l;
		memcpy(buf + pos, n->i_name, l);
		buf[--pos] = '/';
	}
	return (int)len;
}

void vfs_stat(struct inode *ino, struct cb_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino->i_ino;
	st->st_nlink = 1;
	switch (ino->i_type) {
	case INODE_DIR:
		st->st_type = S_IFDIR;
		break;
	case INODE_REG:
		st->st_type = S_IFREG;
		if (ino->i_ops->size)
			st->st_size = ino->i_ops->size(ino);
		break;
	case INODE_DEV:
		st->st_type = S_IFCHR;
		break;
	}
}

int vfs_open_exec(struct task *t, const char *path, struct inode **out)
{
	struct inode *ino;
	int r;

	r = vfs_lookup_as(t, t ? t->tk_cwd : NULL, path, &ino);
	if (r < 0)
		return r;
	if (ino->i_type == INODE_DIR) {
		r = -EISDIR;
		goto out_put;
	}
	if (ino->i_type != INODE_REG || ino->i_fs != FS_RAMFS) {
		r = -EACCES;
		goto out_put;
	}
	*out = ino;
	return 0;
out_put:
	inode_put(ino);
	return r;
}

int vfs_chdir(struct task *t, const char *path)
{
	struct inode *ino;
	int r;

	r = vfs_lookup_as(t, t->tk_cwd, path, &ino);
	if (r < 0)
		return r;
	if (ino->i_type != INODE_DIR) {
		inode_put(ino);
		return -ENOTDIR;
	}
	if (t->tk_cwd)
		inode_put(t->tk_cwd);
	t->tk_cwd = ino;
	return 0;
}
