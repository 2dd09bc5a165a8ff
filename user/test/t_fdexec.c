/*
 * t_fdexec: tests for close-on-exec (O_CLOEXEC, pipe2, fcntl), open's flag
 * checks and execve's argument limits, in the testlib style of systest:
 * each test runs in a forked child; the last line is
 * "fdexec: N passed, M failed".  Raw sys_* stubs show the exact -errno.
 *
 *   t_fdexec                 run every test (as init: powers off with it)
 *   t_fdexec NAME...         run only these
 *   t_fdexec probe FD...     exit status: bit i set when the i-th FD is open
 *   t_fdexec argsum N SUM ARG...
 *                            exit 0 when there are N ARGs whose checksum
 *                            (see argsum()) is SUM, else 1
 *   t_fdexec nest N          write the scripts /tmp/d1../tmp/dN: /tmp/dK
 *                            says "level K" and runs ctr dK+1 sh /tmp/dK+1
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

#define SELF "/test/t_fdexec"

/* The descriptor flags of fd, or -errno. */
static long getfd(int fd)
{
	return sys_fcntl(fd, F_GETFD, 0);
}

/* Checksum of argument strings: order and every byte count. */
static unsigned long argsum(char **v, int n)
{
	unsigned long h = 5381;

	for (int i = 0; i < n; i++) {
		for (const char *p = v[i]; *p; p++)
			h = h * 33 + (unsigned char)*p;
		h = h * 33 + 0xff; /* the word boundary */
	}
	return h;
}

/* ---- open flags ----------------------------------------------------- */

static void test_open_flags(void)
{
	static const int bad[] = {O_NONBLOCK, 0x800 | O_RDWR,
				  0x4,	      0x8,
				  0x100,      0x1000,
				  0x100000,   0x40000000,
				  O_ACCMODE,  O_ACCMODE | O_CLOEXEC};
	const char *path = t_tmpname("fx_open");
	struct cb_stat st;
	long fd;

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (!T_ERR(sys_open(P(path), bad[i] | O_CREAT), EINVAL))
			printf("  flags 0x%x\n", bad[i] | O_CREAT);
		T_ERR(sys_open(P("/bin/sh"), bad[i]), EINVAL);
	}
	T_ERR(sys_stat(P(path), P(&st)), ENOENT); /* nothing was created */
	fd = sys_open(P(path), O_CREAT | O_RDWR | O_CLOEXEC);
	T_OK(fd);
	T_EQ(sys_fcntl(fd, F_GETFL, 0), O_RDWR); /* O_CLOEXEC is not there */
	unlink(path);
}

static void test_getfd_setfd(void)
{
	long a = sys_open(P("/bin/sh"), O_RDONLY);
	long b = sys_open(P("/bin/sh"), O_RDONLY | O_CLOEXEC);

	T_EQ(getfd(a), 0);
	T_EQ(getfd(b), FD_CLOEXEC);
	T_EQ(getfd(0), 0);
	T_EQ(sys_fcntl(a, F_SETFD, FD_CLOEXEC), 0);
	T_EQ(getfd(a), FD_CLOEXEC);
	T_EQ(sys_fcntl(b, F_SETFD, 0), 0);
	T_EQ(getfd(b), 0);
	T_EQ(sys_fcntl(b, F_SETFD, 0xfe), 0); /* unknown bits: ignored */
	T_EQ(getfd(b), 0);
	T_EQ(sys_close(a), 0); /* closing forgets the flag */
	T_EQ(sys_open(P("/bin/sh"), O_RDONLY), a);
	T_EQ(getfd(a), 0);
}

static void test_fcntl_errors(void)
{
	static const long cmds[] = {F_GETFD, F_SETFD, F_GETFL, F_SETFL};
	static const long fds[] = {-1, 31, 32, 1000, 0x7fffffff};
	long fd = sys_open(P("/bin/sh"), O_RDONLY);

	for (int c = 0; c < 4; c++)
		for (int i = 0; i < 5; i++)
			T_ERR(sys_fcntl(fds[i], cmds[c], 0), EBADF);
	T_ERR(sys_fcntl(fd, 0, 0), EINVAL);
	T_ERR(sys_fcntl(fd, 5, 0), EINVAL);
	T_ERR(sys_fcntl(fd, 1030, 0), EINVAL); /* F_DUPFD_CLOEXEC: not here */
	T_ERR(sys_fcntl(fd, -1, 0), EINVAL);
	T_ERR(sys_fcntl(fd, F_SETFL, O_NONBLOCK), EINVAL);
	T_EQ(sys_fcntl(fd, F_GETFL, 0), O_RDONLY);
	sys_close(fd);
	T_ERR(sys_fcntl(fd, F_GETFD, 0), EBADF);
}

static void test_getfl_setfl(void)
{
	const char *path = t_tmpname("fx_fl");
	long fd = sys_open(P(path), O_CREAT | O_TRUNC | O_WRONLY), d;
	char buf[8] = {0};

	T_EQ(sys_fcntl(fd, F_GETFL, 0), O_WRONLY);
	T_EQ(write(fd, "ab", 2), 2);
	T_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	T_EQ(sys_fcntl(fd, F_SETFL, O_APPEND), 0);
	T_EQ(sys_fcntl(fd, F_GETFL, 0), O_WRONLY | O_APPEND);
	d = sys_dup(fd); /* the flag belongs to the open file: shared */
	T_EQ(sys_fcntl(d, F_GETFL, 0), O_WRONLY | O_APPEND);
	T_EQ(write(fd, "c", 1), 1); /* appended, not at offset 0 */
	/* access mode and creation flags are ignored; O_APPEND goes */
	T_EQ(sys_fcntl(fd, F_SETFL, O_RDWR | O_CREAT | O_TRUNC), 0);
	T_EQ(sys_fcntl(d, F_GETFL, 0), O_WRONLY);
	T_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	T_EQ(write(fd, "X", 1), 1); /* at offset 0 again */
	sys_close(fd);
	sys_close(d);
	fd = sys_open(P(path), O_RDONLY | O_APPEND);
	T_EQ(sys_fcntl(fd, F_GETFL, 0), O_RDONLY | O_APPEND);
	T_EQ(read(fd, buf, sizeof(buf)), 3);
	T_STREQ(buf, "Xbc");
	unlink(path);
}

/* ---- pipe2 ---------------------------------------------------------- */

static void test_pipe2(void)
{
	int fds[2];

	T_EQ(sys_pipe2(P(fds), 0), 0);
	T_EQ(getfd(fds[0]), 0);
	T_EQ(getfd(fds[1]), 0);
	T_EQ(sys_fcntl(fds[0], F_GETFL, 0), O_RDONLY);
	T_EQ(sys_fcntl(fds[1], F_GETFL, 0), O_WRONLY);
	T_EQ(sys_pipe2(P(fds), O_CLOEXEC), 0);
	T_EQ(getfd(fds[0]), FD_CLOEXEC);
	T_EQ(getfd(fds[1]), FD_CLOEXEC);
	T_EQ(write(fds[1], "hi", 2), 2);
	T_EQ(sys_pipe(P(fds)), 0); /* plain pipe: no flag */
	T_EQ(getfd(fds[0]) | getfd(fds[1]), 0);
	fds[0] = fds[1] = -7;
	T_ERR(sys_pipe2(P(fds), O_NONBLOCK), EINVAL);
	T_ERR(sys_pipe2(P(fds), O_CLOEXEC | 1), EINVAL);
	T_ERR(sys_pipe2(P(fds), O_APPEND), EINVAL);
	T_ERR(sys_pipe2(P(fds), -1), EINVAL);
	T_EQ(fds[0], -7); /* untouched */
	T_ERR(sys_pipe2(0, O_CLOEXEC), EFAULT);
	T_ERR(sys_pipe2(0xC0000000L, 0), EFAULT);
}

/* ---- inheritance ---------------------------------------------------- */

static void test_dup_clears(void)
{
	long fd = sys_open(P("/bin/sh"), O_RDONLY | O_CLOEXEC), d;

	d = sys_dup(fd);
	T_OK(d);
	T_EQ(getfd(d), 0);
	T_EQ(getfd(fd), FD_CLOEXEC);
	T_EQ(sys_dup2(fd, 20), 20);
	T_EQ(getfd(20), 0);
	T_EQ(sys_fcntl(20, F_SETFD, FD_CLOEXEC), 0);
	T_EQ(sys_dup2(d, 20), 20); /* replaces a flagged descriptor */
	T_EQ(getfd(20), 0);
	T_EQ(sys_dup2(fd, fd), fd); /* same descriptor: unchanged */
	T_EQ(getfd(fd), FD_CLOEXEC);
}

static void test_fork_keeps(void)
{
	long a = sys_open(P("/bin/sh"), O_RDONLY | O_CLOEXEC);
	long b = sys_open(P("/bin/sh"), O_RDONLY);
	int st = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(getfd(a) == FD_CLOEXEC && getfd(b) == 0 ? 0 : 1);
	waitpid(pid, &st, 0);
	T_EQ(st, 0);
	T_EQ(getfd(a), FD_CLOEXEC); /* the parent's are unchanged */
}

/* In a child: exec SELF probe fds...; returns the probe's exit status. */
static int probe(int n, const int *fds)
{
	char num[8][12], *argv[12] = {SELF, "probe"};
	int st;

	for (int i = 0; i < n; i++) {
		snprintf(num[i], sizeof(num[i]), "%d", fds[i]);
		argv[2 + i] = num[i];
	}
	argv[2 + n] = NULL;
	st = t_run(argv, NULL);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_exec_closes(void)
{
	int p[2], fds[6];

	fds[0] = (int)sys_open(P("/bin/sh"), O_RDONLY | O_CLOEXEC);
	fds[1] = (int)sys_open(P("/bin/sh"), O_RDONLY);
	fds[2] = (int)sys_open(P("/bin/sh"), O_RDONLY);
	sys_fcntl(fds[2], F_SETFD, FD_CLOEXEC);
	T_EQ(sys_pipe2(P(p), O_CLOEXEC), 0);
	fds[3] = p[0];
	fds[4] = p[1];
	fds[5] = (int)sys_dup(fds[0]); /* a copy without the flag stays */
	T_EQ(probe(6, fds), 0x22);
	T_EQ(probe(3, (int[]){0, 1, 2}), 7);
}

/* Execs that fail at each stage; the flagged descriptor stays open. */
static void test_failed_exec_keeps(void)
{
	const char *junk = t_tmpname("fx_junk");
	char *argv[] = {"x", NULL}, *big[] = {SELF, NULL, NULL};
	long fd = sys_open(P(junk), O_CREAT | O_RDWR | O_CLOEXEC);
	char c = 0;

	T_EQ(write(fd, "not an ELF file", 15), 15);
	T_ERR(sys_execve(P("/bin/no_such_program"), P(argv), 0), ENOENT);
	T_ERR(sys_execve(P(junk), P(argv), 0), ENOEXEC);
	big[1] = malloc(CB_ARG_MAX + 1);
	memset(big[1], 'a', CB_ARG_MAX);
	big[1][CB_ARG_MAX] = 0;
	T_ERR(sys_execve(P(SELF), P(big), 0), E2BIG);
	T_ERR(sys_execve(P(SELF), 0x70000000L, 0), EFAULT);
	T_EQ(getfd(fd), FD_CLOEXEC);
	T_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	T_EQ(read(fd, &c, 1), 1); /* still open, still usable */
	T_EQ(c, 'n');
	T_EQ(probe(1, (int[]){(int)fd}), 0); /* a real exec closes it */
	unlink(junk);
}

/* ---- execve limits -------------------------------------------------- */

/* A vector of n words "w<i>" padded with '.' to len bytes each (>= 8). */
static char **words(int n, int len, int first)
{
	char **v = malloc(sizeof(char *) * (size_t)(n + first + 1));

	for (int i = 0; i < n; i++) {
		char *w = malloc((size_t)len + 1);
		int k = snprintf(w, 12, "w%d", i);
		memset(w + k, '.', (size_t)(len - k));
		w[len] = 0;
		v[first + i] = w;
	}
	v[first + n] = NULL;
	return v;
}

/* exec SELF argsum N SUM words...: did they arrive intact? */
static int argsum_run(int n, int len, char **envp)
{
	char **v = words(n, len, 4), cnt[12], sum[24];

	snprintf(cnt, sizeof(cnt), "%d", n);
	snprintf(sum, sizeof(sum), "%lu", argsum(v + 4, n));
	v[0] = SELF;
	v[1] = "argsum";
	v[2] = cnt;
	v[3] = sum;
	return t_run(v, envp);
}

static void test_exec_limits(void)
{
	char **env;

	/* 1024 words in 60 KiB: close to the byte limit */
	T_EQ(argsum_run(1024, 59, NULL), 0);
	/* 4000 short words: close to the count limit */
	T_EQ(argsum_run(4000, 8, NULL), 0);
	/* arguments plus environment share the 64 KiB */
	env = words(100, 299, 0);
	T_EQ(argsum_run(100, 299, env), 0);
	T_ERR(sys_execve(P(SELF), P(words(CB_ARGV_MAX + 1, 8, 0)), 0), E2BIG);
	T_ERR(sys_execve(P(SELF), P(words(2, 33000, 0)), 0), E2BIG);
	T_ERR(sys_execve(P(SELF), P(words(1, 8, 0)), P(words(3, 22000, 0))),
	      E2BIG);
	T_ERR(sys_execve(P(SELF), P(words(1, 8, 0)),
			 P(words(CB_ARGV_MAX + 1, 8, 0))),
	      E2BIG);
}

static const struct t_case tests[] = {
    {"open_flags", test_open_flags},
    {"getfd_setfd", test_getfd_setfd},
    {"fcntl_errors", test_fcntl_errors},
    {"getfl_setfl", test_getfl_setfl},
    {"pipe2", test_pipe2},
    {"dup_clears", test_dup_clears},
    {"fork_keeps", test_fork_keeps},
    {"exec_closes", test_exec_closes},
    {"failed_exec_keeps", test_failed_exec_keeps},
    {"exec_limits", test_exec_limits},
};

/* Writes the nested scripts for the container-depth test. */
static int nest(int n)
{
	char path[32], text[96];

	for (int k = 1; k <= n; k++) {
		snprintf(path, sizeof(path), "/tmp/d%d", k);
		snprintf(text, sizeof(text),
			 "echo level %d\nctr d%d sh /tmp/d%d\nexit $?\n", k,
			 k + 1, k + 1);
		int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY);
		if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
			return 1;
		close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int r = 0;

	if (argc >= 2 && strcmp(argv[1], "probe") == 0) {
		struct cb_stat st; /* fstat: works without fcntl too */
		for (int i = 2; i < argc && i < 10; i++)
			if (sys_fstat(atoi(argv[i]), P(&st)) >= 0)
				r |= 1 << (i - 2);
		return r;
	}
	if (argc >= 4 && strcmp(argv[1], "argsum") == 0)
		return atoi(argv[2]) == argc - 4 &&
			       strtoul(argv[3], NULL, 10) ==
				   argsum(argv + 4, argc - 4)
			   ? 0
			   : 1;
	if (argc == 3 && strcmp(argv[1], "nest") == 0)
		return nest(atoi(argv[2]));
	return t_main("fdexec", tests, sizeof(tests) / sizeof(tests[0]), argc,
		      argv);
}
