/*
 * File system calls.  Each handler decodes its registers, checks every
 * argument, then does the work through file.c, vfs.c and the file kinds'
 * operations.  User memory is touched only through copyin/copyout/
 * copyinstr: data moves through a kernel bounce buffer, at most FILE_CHUNK
 * bytes at a time.
 *
 * Conventions beyond Linux's:
 *   - a long read or write gives the CPU away between chunks when another
 *     task is due (sched_cond_resched), so two tasks' large transfers on
 *     one shared file may interleave at chunk boundaries; a task killed
 *     meanwhile stops at the next chunk;
 *   - read on a pipe or terminal returns what one chunk gives (<= 4096);
 *     write on a pipe may be short (see kern/pipe.h): callers loop.
 *   - getdents fills struct cb_dirent records, "." and ".." not included;
 *     it returns the bytes filled, 0 at the end.
 *   - getcwd returns the length of the path including its NUL, as Linux's
 *     system call does; -ERANGE when buf is too small.
 *   - open refuses unknown flags with -EINVAL, and O_NONBLOCK on every file
 *     but those that honour it (/dev/eth0); fcntl(F_SETFL) changes O_APPEND
 *     and, on those files, O_NONBLOCK, refuses O_NONBLOCK elsewhere and
 *     ignores every other bit.
 */
#include <kern/syscall.h>
#include <kern/file.h>
#include <kern/vfs.h>
#include <kern/pipe.h>
#include <kern/tty.h>
#include <kern/task.h>
#include <kern/pid.h>
#include <kern/pmm.h>
#include <kern/sched.h>
#include <kern/usercopy.h>
#include <kern/string.h>
#include <uapi/errno.h>

#define SMALL_BOUNCE 256u

/* Is [u, u+n) inside user space?  A cheap early check so a bad buffer is
 * refused before a pipe or terminal gives up its bytes. */
static bool user_range_ok(uptr_t u, size_t n)
{
	return u.addr >= USER_BASE && u.addr <= USER_TOP &&
	       n <= USER_TOP - u.addr;
}

/* A bounce buffer for n bytes: small on the stack, else one page. */
static char *bounce_get(size_t n, char *small)
{
	return n <= SMALL_BOUNCE ? small : page_alloc();
}

static void bounce_put(char *buf, char *small)
{
	if (buf != small)
		page_free(buf);
}

/* Reads one chunk of f into kbuf and copies it out to user u; a chunk that
 * cannot be delivered is given back (f_off rewound unless a stream). */
static int32_t read_chunk(struct file *f, char *kbuf, uptr_t u, size_t chunk,
			  bool may_block)
{
	int32_t r = f->f_ops->read(f, kbuf, chunk, may_block);

	if (r <= 0)
		return r;
	if (copyout(u, kbuf, (size_t)r)) {
		if (!f->f_ops->stream)
			f->f_off -= (uint32_t)r; /* not delivered */
		return -EFAULT;
	}
	return r;
}

/* Copies one chunk in from user u to kbuf and writes it to f. */
static int32_t write_chunk(struct file *f, char *kbuf, uptr_t u, size_t chunk,
			   bool may_block)
{
	if (copyin(kbuf, u, chunk))
		return -EFAULT;
	return f->f_ops->write(f, kbuf, chunk, may_block);
}

/* Moves up to n bytes between f and user buf (write: to f), chunk by
 * chunk; stops at the first short chunk, and a read from a stream file
 * after one chunk.  Only the first chunk may block. */
static int32_t do_xfer(struct file *f, uptr_t ubuf, size_t n, bool write)
{
	char small[SMALL_BOUNCE], *kbuf = bounce_get(n, small);
	size_t done = 0, chunk;
	int32_t r = 0;

	if (!kbuf)
		return -ENOMEM;
	while (done < n) {
		chunk = MIN(n - done, FILE_CHUNK);
		r = write ? write_chunk(f, kbuf, UPTR_ADD(ubuf, done), chunk,
					done == 0)
			  : read_chunk(f, kbuf, UPTR_ADD(ubuf, done), chunk,
				       done == 0);
		if (r <= 0)
			break;
		done += (size_t)r;
		if ((size_t)r < chunk || (!write && f->f_ops->stream))
			break;
		sched_cond_resched(); /* f is held; the next chunk re-reads */
		if (current->tk_killed)
			break; /* it dies on its way out: stop here */
	}
	bounce_put(kbuf, small);
	return done ? (int32_t)done : r;
}

/* read and write share their checks: a descriptor open the right way, a
 * file that can do it, a count that fits, a buffer in user space. */
static int32_t sys_rw(const struct sysargs *args, bool write)
{
	struct file *f = fd_get((int)args->a[0]);
	uptr_t ubuf = UPTR(args->a[1]);
	size_t n = MIN(args->a[2], 0x7fffffffu);
	int32_t r;

	if (!f || !(write ? file_writable(f) : file_readable(f)))
		return -EBADF;
	if (!(write ? f->f_ops->write != NULL : f->f_ops->read != NULL))
		return f->f_ops->getdents ? -EISDIR : -EINVAL;
	if (n == 0)
		return 0;
	if (write && f->f_ops->whole_writes && n > FILE_CHUNK)
		return -EINVAL;
	if (!user_range_ok(ubuf, n))
		return -EFAULT;
	file_get(f); /* the descriptor may be closed while we sleep */
	r = do_xfer(f, ubuf, n, write);
	file_put(f);
	return r;
}

int32_t sys_read(const struct sysargs *args)
{
	return sys_rw(args, false);
}

int32_t sys_write(const struct sysargs *args)
{
	return sys_rw(args, true);
}

/* Copies a user path into buf (PATH_MAX bytes): 0 or -errno. */
static int path_in(char *buf, uint32_t uaddr)
{
	int r = copyinstr(buf, UPTR(uaddr), PATH_MAX);

	return r < 0 ? r : 0;
}

int32_t sys_open(const struct sysargs *args)
{
	char path[PATH_MAX];
	struct file *f;
	int fd, err = 0;

	err = path_in(path, args->a[0]);
	if (err)
		return err;
	fd = fd_alloc(current);
	if (fd < 0)
		return fd;
	f = file_open_at(current->tk_cwd, path, (int)args->a[1] & ~O_CLOEXEC,
			 &err);
	if (!f)
		return err;
	fd_install(current, fd, f);
	fd_set_cloexec(current, fd, args->a[1] & O_CLOEXEC);
	return fd;
}

int32_t sys_close(const struct sysargs *args)
{
	return fd_close(current, (int)args->a[0]);
}

int32_t sys_lseek(const struct sysargs *args)
{
	struct file *f = fd_get((int)args->a[0]);
	int64_t off = (int32_t)args->a[1], base;

	if (!f)
		return -EBADF;
	if (f->f_ops->stream)
		return -ESPIPE;
	switch (args->a[2]) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->f_off;
		break;
	case SEEK_END:
		base = f->f_ops->size ? f->f_ops->size(f) : 0;
		break;
	default:
		return -EINVAL;
	}
	if (base + off < 0 || base + off > 0x7fffffff)
		return -EINVAL;
	f->f_off = (uint32_t)(base + off);
	return (int32_t)f->f_off;
}

int32_t sys_dup(const struct sysargs *args)
{
	struct file *f = fd_get((int)args->a[0]);
	int fd;

	if (!f)
		return -EBADF;
	fd = fd_alloc(current);
	if (fd < 0)
		return fd;
	fd_install(current, fd, file_get(f));
	return fd;
}

int32_t sys_dup2(const struct sysargs *args)
{
	struct file *f = fd_get((int)args->a[0]);
	int nfd = (int)args->a[1];

	if (!f || nfd < 0 || nfd >= NOFILE)
		return -EBADF;
	if (nfd == (int)args->a[0])
		return nfd;
	file_get(f);
	if (current->tk_files[nfd])
		fd_close(current, nfd);
	fd_install(current, nfd, f);
	return nfd;
}

/* pipe2(fds, flags): a pipe on the two lowest free descriptors; O_CLOEXEC
 * marks both, any other flag is -EINVAL. */
int32_t sys_pipe2(const struct sysargs *args)
{
	uptr_t ufds = UPTR(args->a[0]);
	uint32_t flags = args->a[1];
	struct file *rd, *wr;
	int fds[2];
	int r;

	if (flags & ~(uint32_t)O_CLOEXEC)
		return -EINVAL;
	r = fd_alloc_n(current, fds, 2);
	if (r < 0)
		return r;
	r = pipe_create(&rd, &wr);
	if (r < 0)
		return r;
	if (copyout(ufds, fds, sizeof(fds))) {
		r = -EFAULT;
		goto put_ends;
	}
	fd_install(current, fds[0], rd);
	fd_install(current, fds[1], wr);
	fd_set_cloexec(current, fds[0], flags & O_CLOEXEC);
	fd_set_cloexec(current, fds[1], flags & O_CLOEXEC);
	return 0;

put_ends:
	file_put(rd);
	file_put(wr);
	return r;
}

int32_t sys_pipe(const struct sysargs *args)
{
	struct sysargs a2 = {.a = {args->a[0], 0}};

	return sys_pipe2(&a2);
}

/* F_SETFL: O_APPEND changes, and O_NONBLOCK where the file honours it (else
 * -EINVAL); the rest (access mode, creation flags) is ignored as on Linux.
 * Pipe ends have no offset and keep no O_APPEND (nor does their checkpoint
 * record). */
static int32_t setfl(struct file *f, uint32_t arg)
{
	if ((arg & O_NONBLOCK) && !f->f_ops->nonblock)
		return -EINVAL;
	if (f->f_kind == FILE_PIPE_READ || f->f_kind == FILE_PIPE_WRITE)
		return 0;
	f->f_flags =
	    (f->f_flags & ~FILE_SETFL_FLAGS) | (int)(arg & FILE_SETFL_FLAGS);
	return 0;
}

/* fcntl(fd, cmd, arg): F_GETFD/F_SETFD for the descriptor's FD_CLOEXEC,
 * F_GETFL/F_SETFL for the open file's flags.  Unknown cmd: -EINVAL. */
int32_t sys_fcntl(const struct sysargs *args)
{
	int fd = (int)args->a[0];
	struct file *f = fd_get(fd);

	if (!f)
		return -EBADF;
	switch (args->a[1]) {
	case F_GETFD:
		return fd_cloexec(current, fd) ? FD_CLOEXEC : 0;
	case F_SETFD:
		fd_set_cloexec(current, fd, args->a[2] & FD_CLOEXEC);
		return 0;
	case F_GETFL: /* as Linux: not the one-time O_CREAT O_EXCL O_TRUNC */
		return f->f_flags & (O_ACCMODE | FILE_SETFL_FLAGS);
	case F_SETFL:
		return setfl(f, args->a[2]);
	default:
		return -EINVAL;
	}
}

int32_t sys_getdents(const struct sysargs *args)
{
	struct file *f = fd_get((int)args->a[0]);
	uptr_t ubuf = UPTR(args->a[1]);
	size_t nbytes = args->a[2], max;
	struct cb_dirent *de;
	int32_t n;

	if (!f)
		return -EBADF;
	if (!f->f_ops->getdents)
		return -ENOTDIR;
	if (nbytes < sizeof(*de))
		return -EINVAL;
	max = MIN(nbytes, PAGE_SIZE) / sizeof(*de);
	if (!user_range_ok(ubuf, max * sizeof(*de)))
		return -EFAULT;
	de = page_alloc();
	if (!de)
		return -ENOMEM;
	n = f->f_ops->getdents(f, de, max);
	if (n > 0 && copyout(ubuf, de, (size_t)n * sizeof(*de))) {
		f->f_off -= (uint32_t)n;
		n = -EFAULT;
	}
	page_free(de);
	return n < 0 ? n : n * (int32_t)sizeof(*de);
}

int32_t sys_chdir(const struct sysargs *args)
{
	char path[PATH_MAX];
	int r = path_in(path, args->a[0]);

	return r ? r : vfs_chdir(current, path);
}

int32_t sys_getcwd(const struct sysargs *args)
{
	char path[PATH_MAX];
	uptr_t ubuf = UPTR(args->a[0]);
	size_t size = args->a[1];
	int len;

	if (uaccess_check(ubuf, size, true))
		return -EFAULT; /* the whole buffer must be valid */
	len = vfs_path_of(current->tk_cwd, path, sizeof(path));
	if (len < 0)
		return len;
	if ((size_t)len + 1 > size)
		return -ERANGE;
	if (copyout(ubuf, path, (size_t)len + 1))
		return -EFAULT;
	return len + 1;
}

int32_t sys_mkdir(const struct sysargs *args)
{
	char path[PATH_MAX];
	int r = path_in(path, args->a[0]);

	return r ? r : vfs_mkdir(current->tk_cwd, path);
}

int32_t sys_unlink(const struct sysargs *args)
{
	char path[PATH_MAX];
	int r = path_in(path, args->a[0]);

	return r ? r : vfs_unlink(current->tk_cwd, path);
}

int32_t sys_stat(const struct sysargs *args)
{
	char path[PATH_MAX];
	struct cb_stat st;
	struct inode *ino;
	int r;

	r = path_in(path, args->a[0]);
	if (r)
		return r;
	r = vfs_lookup(current->tk_cwd, path, &ino);
	if (r < 0)
		return r;
	vfs_stat(ino, &st);
	inode_put(ino);
	return copyout(UPTR(args->a[1]), &st, sizeof(st)) ? -EFAULT : 0;
}

int32_t sys_fstat(const struct sysargs *args)
{
	struct file *f = fd_get((int)args->a[0]);
	struct cb_stat st;

	if (!f)
		return -EBADF;
	memset(&st, 0, sizeof(st));
	if (f->f_inode) {
		vfs_stat(f->f_inode, &st);
	} else {
		st.st_type = S_IFIFO;
		st.st_nlink = 1;
		st.st_size = f->f_ops->size ? f->f_ops->size(f) : 0;
	}
	return copyout(UPTR(args->a[1]), &st, sizeof(st)) ? -EFAULT : 0;
}

/* setfg(pid): the caller's container hands its ^C to that task (PID as
 * the caller sees it; -1: nobody; 0: empty); kern/tty.h has the rules. */
int32_t sys_setfg(const struct sysargs *args)
{
	return tty_set_foreground(current->tk_ctr, args->a[0]);
}
