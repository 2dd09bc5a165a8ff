/*
 * The virtual file system (kernel/fs/vfs.c): inodes, path walking and the
 * name-space operations every file system shares.
 *
 * Cellblock has one tree.  Its root and almost everything in it is ramfs
 * (kernel/fs/ramfs.c): directories with named children and regular files held
 * in pages.  Two kinds of node are special:
 *   - /dev/console and /dev/ttyS1 are ramfs device nodes (INODE_DEV) that
 *     kernel/fs/devfs.c turns into tty files when opened;
 *   - /proc is the root of procfs (kernel/fs/procfs.c), whose nodes are made on
 *     demand for each lookup and freed when the last reference goes.
 * The walker does not care which file system a directory belongs to: it asks
 * the directory's i_ops->lookup for each name, and opening a node asks its
 * i_ops->open for the file (kernel/fs/file.c), so neither this layer nor
 * file.c names a file system.
 *
 * The viewer: procfs answers differently for each task (which PIDs it can
 * see, what "self" is), so lookups and opens carry the task they are done
 * for.  NULL means the running task; restore passes the task it builds.
 *
 * References: inode_get/inode_put.  An inode lives while anything refers to
 * it: its parent directory's entry (ramfs), an open file, a task's cwd, or a
 * child (every inode holds a reference on its i_parent, so ".." and
 * vfs_path_of work even inside a removed directory).
 */
#ifndef KERN_VFS_H
#define KERN_VFS_H

#include <kern/compiler.h>
#include <uapi/cellblock.h>

struct task;
struct inode;
struct file;

enum inode_type {
	INODE_DIR,
	INODE_REG,
	INODE_DEV, /* character device; i_dev says which */
};

enum inode_fs {
	FS_RAMFS,
	FS_PROCFS,
};

/* What a file system does for its nodes. */
struct inode_ops {
	/* Finds name (a single component, not "." or "..") in dir as viewer
	 * sees it (NULL: the running task): 0 with a new reference in *out,
	 * or -ENOENT. */
	int (*lookup)(struct inode *dir, const char *name,
		      const struct task *viewer, struct inode **out);
	/* Makes the file for an open of node ino by viewer (the generic
	 * checks are done): the file, with or without f_inode set, or NULL
	 * with *err.  NULL operation: the node cannot be opened (-ENXIO). */
	struct file *(*open)(struct inode *ino, int flags,
			     const struct task *viewer, int *err);
	/* Makes a new child: 0 with a reference in *out, -EEXIST, -ENOMEM.
	 * NULL: the file system is read-only (-EPERM). */
	int (*create)(struct inode *dir, const char *name, enum inode_type type,
		      struct inode **out);
	/* Removes child name (an empty directory or anything else). */
	int (*unlink)(struct inode *dir, const char *name);
	/* Frees fs-private state when the last reference goes. */
	void (*release)(struct inode *ino);
	/* Size in bytes of regular file ino for stat.  NULL: 0. */
	uint32_t (*size)(struct inode *ino);
};

/* Private part of a ramfs inode. */
struct ramfs_node {
	struct inode *r_children; /* directory: entries sorted by name */
	uint32_t r_size;	  /* regular file: bytes */
	void **r_pages;		  /* regular file: page pointers, NULL = hole */
	uint32_t r_npages;	  /* length of r_pages */
};

/* Private part of a procfs inode. */
struct procfs_node {
	int p_kind;	/* PROC_* (kernel/fs/procfs.c) */
	uint32_t p_pid; /* task's real PID: names the task without pinning it */
};

struct inode {
	uint32_t i_ino;		       /* [I] unique number */
	enum inode_type i_type;	       /* [I] */
	enum inode_fs i_fs;	       /* [I] */
	const struct inode_ops *i_ops; /* [I] */
	int i_refs;		       /* references; freed at 0 */
	struct inode *i_parent;	       /* [I] counted; NULL only for the root */
	char i_name[NAME_MAX + 1];     /* [I] name in i_parent */
	struct inode *i_next;	       /* next entry in a ramfs parent's list */
	bool i_linked;		       /* is an entry of a ramfs directory */
	int i_dev;		       /* [I] INODE_DEV: DEV_* (kern/devfs.h) */
	union {
		struct ramfs_node i_ramfs;
		struct procfs_node i_proc;
	};
};

/* The root directory. */
extern struct inode *vfs_root;

/* Builds the root ramfs with /bin /tmp /dev /proc /etc and the devices
 * (kernel/fs/fsroot.c). */
void vfs_init(void);

/* Makes a zeroed inode with one reference, a new number, and a counted
 * reference on parent.  NULL when out of memory. */
struct inode *inode_alloc(enum inode_fs fs, enum inode_type type,
			  const struct inode_ops *ops, struct inode *parent,
			  const char *name) __must_check;
struct inode *inode_get(struct inode *ino);
void inode_put(struct inode *ino);

/*
 * Path walking.  Relative paths start at cwd (an absolute path ignores it).
 * "." and ".." are handled here, ".." of the root is the root, repeated and
 * trailing slashes are allowed (a trailing slash needs a directory).
 * Errors: -ENOENT, -ENOTDIR, -ENAMETOOLONG (a component over NAME_MAX).
 */
int vfs_lookup(struct inode *cwd, const char *path,
	       struct inode **out) __must_check;
/* vfs_lookup as task viewer sees the tree (NULL: the running task). */
int vfs_lookup_as(const struct task *viewer, struct inode *cwd,
		  const char *path, struct inode **out) __must_check;
/* Finds the directory holding the last component of path, and copies that
 * component to name (NAME_MAX + 1 bytes).  The last component may be "",
 * "." or ".." (path "/", "a/.", ...); callers refuse those. */
int vfs_lookup_parent(struct inode *cwd, const char *path, struct inode **dir,
		      char *name) __must_check;

/* Opens-or-creates the regular file at path.  excl: -EEXIST if it exists. */
int vfs_create(struct inode *cwd, const char *path, bool excl,
	       struct inode **out) __must_check;
int vfs_mkdir(struct inode *cwd, const char *path) __must_check;
/* Removes a file, device or empty directory (-ENOTEMPTY otherwise). */
int vfs_unlink(struct inode *cwd, const char *path) __must_check;
/* Absolute path of ino into buf: its length, or -ERANGE if it does not fit.
 * A removed ramfs inode has no path: -ENOENT. */
int vfs_path_of(struct inode *ino, char *buf, size_t size) __must_check;
/* Fills st for ino. */
void vfs_stat(struct inode *ino, struct cb_stat *st);

/* The regular ramfs file at path (relative to t's cwd, as t sees it) for
 * execve, with a
 * reference the caller drops (inode_put).  -ENOENT, -EISDIR, -EACCES (not a
 * regular ramfs file). */
int vfs_open_exec(struct task *t, const char *path,
		  struct inode **out) __must_check;

/* Changes t's working directory to path, looked up as t sees it (so
 * restore can set a task's /proc/N directory before the task runs):
 * -ENOENT, -ENOTDIR. */
int vfs_chdir(struct task *t, const char *path) __must_check;

#endif
