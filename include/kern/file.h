/*
 * Open files (kernel/fs/file.c) and descriptor tables.
 *
 * A struct file is one open: a kind, flags, an offset and whatever the kind
 * needs.  Descriptors (current->tk_files[fd]) point to files; dup, dup2 and
 * fork share a file (f_refs counts the descriptors and other holders), so
 * shared descriptors share one offset, as in Unix.
 *
 * For checkpoint/restore every file can be read out and rebuilt:
 *
 *   FILE_CONSOLE, FILE_TTYS1, FILE_ETH0: nothing to save; rebuild with
 *       file_open_path("/dev/console", "/dev/ttyS1" or "/dev/eth0",
 *       f_flags).
 *   FILE_RAMFS (file or directory): save vfs_path_of(f_inode), f_off and
 *       f_flags; rebuild with file_open_path(path, f_flags without
 *       O_CREAT, O_TRUNC and O_EXCL), then set f_off.
 *   FILE_PROC: save f_path, f_off and f_flags; rebuild the same way.
 *   FILE_PIPE_READ, FILE_PIPE_WRITE: save the struct pipe once (both ends
 *       share it; pipe_peek() gives its bytes without consuming them);
 *       rebuild it with pipe_new_with_data(), then pipe_file_new() for
 *       each end.
 *
 * file_open_path opens the path directly (it must be absolute); restoring
 * f_flags lets O_APPEND and the access mode carry over.  FD_CLOEXEC is not
 * in the file but in the descriptor table (task->tk_cloexec); checkpoint
 * saves it per descriptor.  Every constructor returns a file with
 * f_refs == 1; install it with fd_install or drop it with file_put.
 */
#ifndef KERN_FILE_H
#define KERN_FILE_H

#include <kern/compiler.h>
#include <uapi/cellblock.h>

struct task;
struct inode;
struct pipe;
struct file;

enum file_kind {
	FILE_CONSOLE, /* /dev/console: COM1 (and VGA), cooked */
	FILE_TTYS1,   /* /dev/ttyS1: COM2, raw bytes */
	FILE_PIPE_READ,
	FILE_PIPE_WRITE,
	FILE_RAMFS, /* regular file or directory in ramfs */
	FILE_PROC,  /* procfs file or directory */
	FILE_ETH0,  /* /dev/eth0: raw Ethernet frames (kern/eth.h) */
};

/* What a kind of file does.  buf is kernel memory (sys_file.c copies to and
 * from user space through a bounce buffer, at most FILE_CHUNK bytes a call).
 * may_block is false for the second and later chunks of one system call:
 * an operation that would block then returns 0 instead. */
struct file_ops {
	int32_t (*read)(struct file *f, void *buf, size_t n, bool may_block);
	int32_t (*write)(struct file *f, const void *buf, size_t n,
			 bool may_block);
	/* Fills at most max records from directory position f_off. */
	int32_t (*getdents)(struct file *f, struct cb_dirent *de, size_t max);
	/* Size for lseek(SEEK_END) and fstat. */
	uint32_t (*size)(struct file *f);
	/* Drops kind-specific state when the last reference goes. */
	void (*release)(struct file *f);
	/* Reads return what one chunk gives (pipes, ttys); no seeking. */
	bool stream;
	/* A write must arrive in one piece (e.g. /proc/container). */
	bool whole_writes;
	/* Honours O_NONBLOCK: a read with nothing there is -EAGAIN.  Open and
	 * F_SETFL refuse O_NONBLOCK (-EINVAL) on every other kind. */
	bool nonblock;
};

#define FILE_CHUNK 4096u

struct file {
	int f_refs;
	enum file_kind f_kind; /* [I] */
	int f_flags;	       /* [I] O_* given to open */
	uint32_t f_off;	       /* position (files) or entry index (dirs) */
	const struct file_ops *f_ops; /* [I] */
	struct inode *f_inode;	      /* [I] counted; NULL for pipes */
	struct pipe *f_pipe;	      /* [I] pipes */
	char *f_path;		      /* [I] FILE_PROC: absolute path opened */
	char *f_data;	 /* FILE_PROC: content snapshot (kmalloc) */
	uint32_t f_dlen; /* FILE_PROC: its length in bytes */
};

/* The O_* bits a file keeps in f_flags; open refuses any other bit but
 * O_CLOEXEC, which belongs to the descriptor (fd_set_cloexec).  O_NONBLOCK
 * is kept only by files whose operations honour it (file_ops.nonblock). */
#define FILE_OPEN_FLAGS (O_KEPT_FLAGS | O_NONBLOCK)
/* The f_flags bits fcntl(F_SETFL) may change (O_NONBLOCK as above). */
#define FILE_SETFL_FLAGS (O_APPEND | O_NONBLOCK)

/* Makes a file with one reference, or NULL. */
struct file *file_alloc(enum file_kind kind, int flags,
			const struct file_ops *ops) __must_check;
struct file *file_get(struct file *f);
void file_put(struct file *f);

/* Opens path relative to cwd with O_* flags: the file, or NULL with *err. */
struct file *file_open_at(struct inode *cwd, const char *path, int flags,
			  int *err) __must_check;
/* Same, for an absolute path, opened as task viewer sees the tree (NULL:
 * the running task; restore passes the task it builds, so /proc/N names
 * what that task sees). */
struct file *file_open_path(const struct task *viewer, const char *abspath,
			    int flags, int *err) __must_check;
/* Can f be read / written under its access mode? */
bool file_readable(const struct file *f);
bool file_writable(const struct file *f);

/* Descriptor table of the current task. */
/* The file behind fd, or NULL when fd is not open. */
struct file *fd_get(int fd);
/* Lowest free descriptor >= 0, or -EMFILE. */
int fd_alloc(const struct task *t);
/* The n lowest free descriptors of t into fds[0..n), ascending: 0, or
 * -EMFILE (fds then undefined). */
int fd_alloc_n(const struct task *t, int *fds, int n) __must_check;
/* Puts f (taking over its reference) at free descriptor fd of t, without
 * FD_CLOEXEC. */
void fd_install(struct task *t, int fd, struct file *f);
/* Closes fd of t (and clears its FD_CLOEXEC): 0 or -EBADF. */
int fd_close(struct task *t, int fd);
/* Sets or clears FD_CLOEXEC on open descriptor fd of t. */
void fd_set_cloexec(struct task *t, int fd, bool on);
/* Is fd an open descriptor of t marked FD_CLOEXEC? */
bool fd_cloexec(const struct task *t, int fd);

/* Task hooks: the file side of task creation, fork and exit. */
/* Opens /dev/console as fds 0, 1 and 2 of the first task; cwd is /. */
int fs_task_init_console(struct task *t) __must_check;
/* The child shares every open file and the cwd.  0 or -ENOMEM with nothing
 * changed. */
int fs_task_fork(struct task *child, const struct task *parent) __must_check;
/* Closes every descriptor and drops the cwd. */
void fs_task_exit(struct task *t);
/* Closes t's FD_CLOEXEC descriptors; exec calls it once it cannot fail. */
void fs_task_exec(struct task *t);

#endif
