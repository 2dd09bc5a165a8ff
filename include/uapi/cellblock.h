/*
 * Types, flags and records that cross the user/kernel boundary, other than
 * syscall numbers (syscall.h), errno values (errno.h) and the checkpoint
 * image format (ckpt_image.h).  Fixed-width fields only.
 */
#ifndef UAPI_CELLBLOCK_H
#define UAPI_CELLBLOCK_H

#include <stdint.h>

/* Address-space layout of every user process. */
#define USER_BASE      0x40000000u /* lowest user address; programs load here */
#define USER_TOP       0xC0000000u /* one past the highest user address */
#define USER_STACK_MAX (8u << 20)  /* the stack grows down from USER_TOP */
/* Highest address the heap (brk) may reach: 1 MiB below the stack area. */
#define USER_HEAP_LIMIT (USER_TOP - USER_STACK_MAX - 0x100000u)

/* open() flags (Linux values). */
#define O_RDONLY   0x0000
#define O_WRONLY   0x0001
#define O_RDWR	   0x0002
#define O_ACCMODE  0x0003
#define O_CREAT	   0x0040
#define O_EXCL	   0x0080
#define O_TRUNC	   0x0200
#define O_APPEND   0x0400
#define O_NONBLOCK 0x0800  /* /dev/eth0 only (EINVAL elsewhere): EAGAIN */
#define O_CLOEXEC  0x80000 /* the new descriptor closes on a successful exec */
/* The flags an open file keeps (f_flags, and a checkpoint image's file
 * records); O_NONBLOCK besides, on the files that honour it. */
#define O_KEPT_FLAGS (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND)

/* pipe2() takes O_CLOEXEC only.  fcntl() commands and descriptor flags. */
#define F_GETFD	   1 /* the descriptor's flags (FD_CLOEXEC) */
#define F_SETFD	   2 /* sets them: arg is FD_CLOEXEC or 0 */
#define F_GETFL	   3 /* the open file's O_* flags (access mode, O_APPEND...) */
#define F_SETFL	   4 /* changes O_APPEND; other bits are ignored */
#define FD_CLOEXEC 1

/* lseek() whence. */
#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* waitpid() options and status word (Linux layout). */
#ifndef WNOHANG /* a host libc may define these already, identically */
#define WNOHANG	       1
#define WIFEXITED(s)   (((s)&0x7f) == 0)
#define WEXITSTATUS(s) (((s) >> 8) & 0xff)
#define WIFSIGNALED(s) (((s)&0x7f) != 0)
#define WTERMSIG(s)    ((s)&0x7f)
#endif

/* Signals.  There are no handlers: every signal but 0 ends the target. */
#define SIGINT	2
#define SIGILL	4
#define SIGFPE	8
#define SIGKILL 9
#define SIGSEGV 11
#define SIGTERM 15

/* checkpoint() flags. */
#define CKPT_KEEP 0x1 /* leave the container running after the checkpoint */
/* Incremental rounds (version 2 images, docs/checkpoint.md): the tree is
 * frozen only while the round is copied, then keeps running. */
#define CKPT_INCR_FIRST 0x2 /* every page; starts a migration */
#define CKPT_INCR_NEXT	0x4 /* pages written or mapped since the last round */
#define CKPT_INCR_FINAL                                                        \
	0x8 /* frozen: the last pages and the rest of the state;               \
	       ends the tree unless CKPT_KEEP */

/* restore() flags: staged restore of incremental rounds (docs/checkpoint.md).
 */
#define RESTORE_STAGE  0x1 /* buf is a first or next round: validate, keep */
#define RESTORE_COMMIT 0x2 /* buf is the final round and state: build */

/* Status a container's init shows its parent when checkpoint (without
 * CKPT_KEEP) migrates the container away: it ends as if by SIGKILL. */
#define CKPT_MIGRATED_SIG SIGKILL

/* Limits. */
#define CB_NAME_MAX 59	  /* longest file name component */
#define CB_PATH_MAX 256	  /* longest path, with its NUL */
#define CB_ARG_MAX  65536 /* execve: bytes of argv + envp strings */
#define CB_ARGV_MAX 4096  /* execve: argv (and envp) entries */
#ifndef NAME_MAX
#define NAME_MAX CB_NAME_MAX
#define PATH_MAX CB_PATH_MAX
#endif
#define CTR_NAME_MAX	      31 /* longest container name */
#define CTR_DEPTH_MAX	      32 /* deepest nesting below the system container */
#define CB_NOFILE	      32  /* descriptors per task: 0 to CB_NOFILE-1 */
#define CTR_MAX_TASKS_DEFAULT 256 /* ctr_max_tasks= when not given */
#define CTR_MAX_CTRS_DEFAULT  64  /* ctr_max_ctrs= when not given */
#define PIDSPACE_BITS	      9
#define PIDNR_BITS	      23

/* getdents() fills the buffer with these fixed-size records. */
#define DT_FILE 1
#define DT_DIR	2
#define DT_DEV	3
struct cb_dirent {
	uint32_t d_ino;
	uint32_t d_type;
	char d_name[CB_NAME_MAX + 1];
};

/* stat()/fstat() record. */
#define S_IFREG 1
#define S_IFDIR 2
#define S_IFCHR 3
#define S_IFIFO 4
struct cb_stat {
	uint32_t st_ino;
	uint32_t st_type; /* S_IF* */
	uint32_t st_size;
	uint32_t st_nlink;
};

#endif
