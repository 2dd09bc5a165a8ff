/*
 * Open files and descriptor tables.  A struct file is shared by every
 * descriptor that dup, dup2 or fork made from the same open, and freed with
 * its last reference.  Opening a path asks the node's file system for the
 * file (i_ops->open); each kind's operations live with it (ramfs.c, pipe.c,
 * tty.c, procfs.c, ...).  This file also holds the task hooks fork, exec and
 * exit call.
 *
 * Close-on-exec belongs to the descriptor, not to the open file: it is one
 * bit per descriptor in tk_cloexec.  Installing a file on a descriptor
 * clears the bit (so dup and dup2 give a descriptor without it), fork copies
 * the mask, and exec closes the marked descriptors once it has committed.
 */
#include <kern/file.h>
#include <kern/vfs.h>
#include <kern/tty.h>
#include <kern/task.h>
#include <kern/kheap.h>
#include <kern/string.h>
#include <kern/panic.h>
#include <uapi/errno.h>

struct file *file_alloc(enum file_kind kind, int flags,
			const struct file_ops *ops)
{
	struct file *f = kzalloc(sizeof(*f));

	if (!f)
		return NULL;
	f->f_refs = 1;
	f->f_kind = kind;
	f->f_flags = flags;
	f->f_ops = ops;
	return f;
}

struct file *file_get(struct file *f)
{
	KASSERT(f->f_refs > 0);
	f->f_refs++;
	return f;
}

void file_put(struct file *f)
{
	KASSERT(f->f_refs > 0);
	if (--f->f_refs > 0)
		return;
	if (f->f_ops->release)
		f->f_ops->release(f);
	if (f->f_inode)
		inode_put(f->f_inode);
	kfree(f->f_path);
	kfree(f->f_data);
	kfree(f);
}

bool file_readable(const struct file *f)
{
	int acc = f->f_flags & O_ACCMODE;

	return acc == O_RDONLY || acc == O_RDWR;
}

bool file_writable(const struct file *f)
{
	int acc = f->f_flags & O_ACCMODE;

	return acc == O_WRONLY || acc == O_RDWR;
}

/* ---- opening ----------------------------------------------------------- */

/* Makes the file for an opened node ino as viewer (the access checks are
 * done): its file system's open operation decides what the file is. */
static struct file *file_for_inode(struct inode *ino, int flags,
				   const struct task *viewer, int *err)
{
	if (!ino->i_ops->open) {
		*err = -ENXIO;
		return NULL;
	}
	return ino->i_ops->open(ino, flags, viewer, err);
}

/* file_open_at as viewer sees the tree (NULL: the running task). */
static struct file *open_as(const struct task *viewer, struct inode *cwd,
			    const char *path, int flags, int *err)
{
	struct inode *ino;
	struct file *f = NULL;
	int r;

	/* Only devices honour O_NONBLOCK, and O_CREAT and O_TRUNC act on
	 * files only: refuse the mix before anything is created or cut. */
	if ((flags & ~FILE_OPEN_FLAGS) || (flags & O_ACCMODE) == O_ACCMODE ||
	    ((flags & O_NONBLOCK) && (flags & (O_CREAT | O_TRUNC)))) {
		*err = -EINVAL;
		return NULL;
	}
	if (flags & O_CREAT)
		r = vfs_create(cwd, path, flags & O_EXCL, &ino);
	else
		r = vfs_lookup_as(viewer, cwd, path, &ino);
	if (r < 0) {
		*err = r;
		return NULL;
	}
	if (ino->i_type == INODE_DIR &&
	    ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT))) {
		*err = -EISDIR;
		goto out_put;
	}
	f = file_for_inode(ino, flags, viewer, err);
	if (f && (flags & O_NONBLOCK) && !f->f_ops->nonblock) {
		file_put(f);
		f = NULL;
		*err = -EINVAL;
	}
	if (f && !f->f_inode)
		f->f_inode = inode_get(ino);
out_put:
	inode_put(ino);
	return f;
}

struct file *file_open_at(struct inode *cwd, const char *path, int flags,
			  int *err)
{
	return open_as(NULL, cwd, path, flags, err);
}

struct file *file_open_path(const struct task *viewer, const char *abspath,
			    int flags, int *err)
{
	if (abspath[0] != '/') {
		*err = -EINVAL;
		return NULL;
	}
	return open_as(viewer, vfs_root, abspath, flags, err);
}

/* ---- descriptor tables ------------------------------------------------- */

struct file *fd_get(int fd)
{
	if (fd < 0 || fd >= NOFILE)
		return NULL;
	return current->tk_files[fd];
}

int fd_alloc(const struct task *t)
{
	int fd;
	int r = fd_alloc_n(t, &fd, 1);

	return r < 0 ? r : fd;
}

int fd_alloc_n(const struct task *t, int *fds, int n)
{
	int got = 0;

	for (int fd = 0; fd < NOFILE && got < n; fd++)
		if (!t->tk_files[fd])
			fds[got++] = fd;
	return got == n ? 0 : -EMFILE;
}

void fd_install(struct task *t, int fd, struct file *f)
{
	KASSERT(fd >= 0 && fd < NOFILE && !t->tk_files[fd]);
	t->tk_files[fd] = f;
	t->tk_cloexec &= ~(1u << fd);
}

void fd_set_cloexec(struct task *t, int fd, bool on)
{
	KASSERT(fd >= 0 && fd < NOFILE && t->tk_files[fd]);
	if (on)
		t->tk_cloexec |= 1u << fd;
	else
		t->tk_cloexec &= ~(1u << fd);
}

bool fd_cloexec(const struct task *t, int fd)
{
	return fd >= 0 && fd < NOFILE && (t->tk_cloexec & (1u << fd));
}

int fd_close(struct task *t, int fd)
{
	struct file *f;

	if (fd < 0 || fd >= NOFILE || !t->tk_files[fd])
		return -EBADF;
	f = t->tk_files[fd];
	t->tk_files[fd] = NULL;
	t->tk_cloexec &= ~(1u << fd);
	file_put(f);
	return 0;
}

/* ---- task hooks --------------------------------------------------------- */

int fs_task_init_console(struct task *t)
{
	struct file *f;
	int err = 0, fd;

	f = file_open_path(t, "/dev/console", O_RDWR, &err);
	if (!f)
		return err;
	for (fd = 0; fd < 3; fd++) {
		if (t->tk_files[fd])
			fd_close(t, fd);
		fd_install(t, fd, fd == 0 ? f : file_get(f));
	}
	if (t->tk_cwd)
		inode_put(t->tk_cwd);
	t->tk_cwd = inode_get(vfs_root);
	return 0;
}

int fs_task_fork(struct task *child, const struct task *parent)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		child->tk_files[fd] = parent->tk_files[fd]
					  ? file_get(parent->tk_files[fd])
					  : NULL;
	child->tk_cloexec = parent->tk_cloexec;
	child->tk_cwd = parent->tk_cwd ? inode_get(parent->tk_cwd) : NULL;
	return 0;
}

void fs_task_exec(struct task *t)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (fd_cloexec(t, fd))
			fd_close(t, fd);
}

void fs_task_exit(struct task *t)
{
	int fd;

	for (fd = 0; fd < NOFILE; fd++)
		if (t->tk_files[fd])
			fd_close(t, fd);
	if (t->tk_cwd) {
		inode_put(t->tk_cwd);
		t->tk_cwd = NULL;
	}
	tty_forget_task(t);
}
