/*
 * t_fdckpt: descriptor flags across checkpoint/restore.  A task in
 * container "fxc" holds descriptors opened with every open flag Cellblock
 * keeps (access modes, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC, and
 * F_SETFD/F_SETFL changes) on every kind of file; the container is
 * migrated (checkpoint, then restore as "fxc2") and the task checks that
 * each descriptor came back with its FD_CLOEXEC and F_GETFL.  The same
 * image with the close-on-exec bits cleared -- what a kernel from before
 * the bit existed wrote -- restores as "fxc3" with no descriptor flagged;
 * with an undefined bit set it is refused with EINVAL.  The task's own
 * /proc/self/status descriptor and its working directory /proc/self come
 * back naming the restored task (restore resolves them as that task).
 *
 * Output: "t_fdckpt: NAME: PASS" or "t_fdckpt: NAME: FAIL why" per check,
 * then "t_fdckpt: N failed"; the exit status is N.
 */
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <uapi/ckpt_image.h>
#include <unistd.h>
#include <xfer.h>

static int failures;

/* One check's line; why NULL: PASS. */
static void verdict(const char *name, const char *why)
{
	failures += why ? t_verdict("t_fdckpt", name, "%s", why)
			: t_verdict("t_fdckpt", name, NULL);
}

/* One descriptor the container task holds. */
struct fdspec {
	const char *path; /* NULL: a pipe end (pipe_r/pipe_w below) */
	int flags;	  /* for open */
	int setfd;	  /* fcntl F_SETFD afterwards, or -1 */
	int setfl;	  /* fcntl F_SETFL afterwards, or -1 */
	int cloexec;	  /* FD_CLOEXEC expected */
	int getfl;	  /* F_GETFL expected */
};

static const struct fdspec specs[] = {
    {"/tmp/fx.a", O_CREAT | O_TRUNC | O_WRONLY, -1, -1, 0, O_WRONLY},
    {"/tmp/fx.b", O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, -1, -1, 1, O_RDWR},
    {"/tmp/fx.a", O_WRONLY | O_APPEND | O_CLOEXEC, -1, -1, 1,
     O_WRONLY | O_APPEND},
    {"/tmp/fx.a", O_RDONLY, FD_CLOEXEC, O_APPEND, 1, O_RDONLY | O_APPEND},
    {"/tmp/fx.b", O_RDWR | O_APPEND, -1, 0, 0, O_RDWR},
    {"/tmp", O_RDONLY | O_CLOEXEC, -1, -1, 1, O_RDONLY},
    {"/proc/meminfo", O_RDONLY | O_CLOEXEC, -1, -1, 1, O_RDONLY},
    {"/proc/self/status", O_RDONLY, -1, -1, 0, O_RDONLY},
    {"/dev/console", O_RDWR | O_APPEND | O_CLOEXEC, -1, -1, 1,
     O_RDWR | O_APPEND},
    {"/dev/ttyS1", O_WRONLY, FD_CLOEXEC, -1, 1, O_WRONLY},
    {NULL, O_CLOEXEC, -1, -1, 1, O_RDONLY},	  /* pipe2 read end */
    {NULL, O_CLOEXEC, -1, -1, 1, O_WRONLY},	  /* pipe2 write end */
    {NULL, 0, -1, -1, 0, O_RDONLY},		  /* pipe read end */
    {NULL, 0, FD_CLOEXEC, O_APPEND, 1, O_WRONLY}, /* O_APPEND: not on pipes */
};
#define NSPECS ((int)(sizeof(specs) / sizeof(specs[0])))

static int fds[NSPECS];

/* Opens every spec (pipes in pairs); 0 or the failing index + 1. */
static int open_all(void)
{
	int p[2];

	for (int i = 0; i < NSPECS; i++) {
		const struct fdspec *s = &specs[i];
		if (!s->path) {
			if (pipe2(p, s->flags) < 0)
				return i + 1;
			fds[i] = p[0];
			fds[++i] = p[1];
		} else if ((fds[i] = open(s->path, s->flags)) < 0) {
			return i + 1;
		}
	}
	for (int i = 0; i < NSPECS; i++) {
		if (specs[i].setfd >= 0 &&
		    fcntl(fds[i], F_SETFD, specs[i].setfd) < 0)
			return i + 1;
		if (specs[i].setfl >= 0 &&
		    fcntl(fds[i], F_SETFL, specs[i].setfl) < 0)
			return i + 1;
	}
	return 0;
}

/* Does fd, read from the start, show the status of PID 1 (the caller,
 * its container's init)? */
static int own_status(int fd)
{
	char buf[256];
	long n;

	if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	return strstr(buf, "\nPid:\t1\n") != NULL;
}

/* 0 when every descriptor has the flags expected (and a /proc/self file
 * still shows the caller), else index + 1; NSPECS + 1 when the working
 * directory /proc/self no longer holds the caller's status. */
static int check_all(int old_image)
{
	int fd, ok;

	for (int i = 0; i < NSPECS; i++) {
		int cloexec = old_image ? 0 : specs[i].cloexec;
		if (fcntl(fds[i], F_GETFD, 0) != cloexec ||
		    fcntl(fds[i], F_GETFL, 0) != specs[i].getfl)
			return i + 1;
		if (specs[i].path &&
		    !strncmp(specs[i].path, "/proc/self/", 11) &&
		    !own_status(fds[i]))
			return i + 1;
	}
	fd = open("status", O_RDONLY);
	ok = own_status(fd);
	if (fd >= 0)
		close(fd);
	return ok ? 0 : NSPECS + 1;
}

/* The container task: set up, check once, wait for the restore, check
 * again (exit status: 0, or 100 + the bad descriptor's index). */
static void holder(void)
{
	char name[CTR_NAME_MAX + 2];
	int fd = open("/proc/container", O_WRONLY), r;

	if (fd < 0 || write_all(fd, "fxc", 3) < 0)
		_exit(99);
	close(fd);
	r = open_all();
	if (!r && chdir("/proc/self") < 0)
		r = NSPECS + 1;
	if (!r)
		r = check_all(0);
	if (r)
		_exit(100 + r);
	close(open("/tmp/fx.ready", O_CREAT | O_WRONLY));
	t_wait_file("/tmp/fx.go", 20000);
	container_name(name, sizeof(name));
	r = check_all(strcmp(name, "fxc3") == 0);
	_exit(r ? 100 + r : 0);
}

/* A copy of the image whose descriptor entries are changed: the
 * close-on-exec bit cleared, and extra ORed into each. */
static char *patched(const char *img, uint32_t n, uint32_t extra)
{
	char *out = malloc(n);
	const struct ckpt_section *sec;
	struct ckpt_task *t;
	uint32_t zero = 0, c;

	memcpy(out, img, n);
	sec = (const struct ckpt_section *)(out + sizeof(struct ckpt_header));
	while (sec->s_type != CKPT_SEC_TASKS)
		sec++;
	for (uint32_t i = 0; i < sec->s_count; i++) {
		t = (struct ckpt_task *)(out + sec->s_offset +
					 i * CKPT_TASK_SIZE);
		for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++)
			if (t->t_fds[fd] != CKPT_NONE)
				t->t_fds[fd] =
				    CKPT_FD_FILE(t->t_fds[fd]) | extra;
	}
	memcpy(out + CKPT_CRC_OFFSET, &zero, 4);
	c = xfer_crc32(out, n);
	memcpy(out + CKPT_CRC_OFFSET, &c, 4);
	return out;
}

/* The wait status of pid, as a message (NULL when it exited 0). */
static const char *status_of(long pid)
{
	static char why[64];
	int st = -1;

	if (pid <= 0) {
		snprintf(why, sizeof(why), "restore: %s", strerror((int)-pid));
		return why;
	}
	waitpid((int)pid, &st, 0);
	if (st == 0)
		return NULL;
	snprintf(why, sizeof(why), "status 0x%x (100 + bad descriptor)", st);
	return why;
}

int main(void)
{
	long n, r2, r3, rbad;
	char *img;
	int c, st = -1;

	unlink("/tmp/fx.a"), unlink("/tmp/fx.b"), unlink("/tmp/fx.ready");
	unlink("/tmp/fx.go");
	c = fork();
	if (c == 0)
		holder();
	if (t_wait_file("/tmp/fx.ready", 20000) < 0) {
		waitpid(c, &st, 0);
		verdict("setup", "the task did not get ready");
		printf("t_fdckpt: task status 0x%x\n", st);
		printf("t_fdckpt: %d failed\n", failures);
		return failures;
	}
	verdict("setup", NULL);
	n = sys_checkpoint(P("fxc"), 0, 0, 0);
	img = n > 0 ? malloc((size_t)n) : NULL;
	n = img ? sys_checkpoint(P("fxc"), P(img), n, 0) : n;
	verdict("checkpoint", n > 0 ? NULL : strerror((int)-n));
	waitpid(c, &st, 0); /* migrated away: ends as if killed */
	if (n <= 0)
		return printf("t_fdckpt: %d failed\n", failures), failures;
	rbad = sys_restore(P(patched(img, (uint32_t)n, 0x40000000u)), n,
			   P("fxc4"), 0);
	verdict("undefined-bit-refused", rbad == -EINVAL ? NULL : "not EINVAL");
	r2 = sys_restore(P(img), n, P("fxc2"), 0);
	r3 = sys_restore(P(patched(img, (uint32_t)n, 0)), n, P("fxc3"), 0);
	close(open("/tmp/fx.go", O_CREAT | O_WRONLY));
	verdict("flags-restored", status_of(r2));
	verdict("old-image-restores", status_of(r3));
	printf("t_fdckpt: %d failed\n", failures);
	return failures;
}
