/*
 * systest: checks every system call's success and error paths (spec
 * section 3).  A table of small tests, each run in a forked child by
 * testlib; they call the raw sys_* stubs so they see the exact -errno.
 *
 *   systest            run them all; last line "systest: N passed, M failed"
 *   systest NAME...    run only these
 *   systest list       list the names
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

/* Pointers no system call may use: NULL, kernel, kernel, kernel, unmapped. */
static const long bad_ptrs[] = { 0, 0x00100000, 0xC0000000, 0xFFFFF000, 0x70000000 };
#define NBAD ((int)(sizeof(bad_ptrs) / sizeof(bad_ptrs[0])))
#define STRADDLE ((long)0xBFFFFFF0u) /* with 64 bytes, crosses USER_TOP */

/* Checks that got is -EFAULT for call given pointer p. */
static void efault(const char *call, long p, long got)
{
	char what[64];

	snprintf(what, sizeof(what), "%s(0x%lx)", call, p);
	t_check_err(what, got, EFAULT);
}

/* Forks a child that exits with code at once; returns its PID. */
static pid_t exiter(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

/* ---- the system call table ------------------------------------------ */

static void test_nosys(void)
{
	T_ERR(syscall5(999, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(0, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(SYS_MAX_PLUS_ONE, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(-1, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(0x80000000L, 0, 0, 0, 0, 0), ENOSYS);
}

/* ---- bad pointers ---------------------------------------------------- */

static void test_efault_write(void)
{
	int fds[2], i;

	T_OK(sys_pipe(P(fds)));
	for (i = 0; i < NBAD; i++)
		efault("write", bad_ptrs[i], sys_write(fds[1], bad_ptrs[i], 16));
	efault("write", STRADDLE, sys_write(fds[1], STRADDLE, 64));
	T_EQ(sys_write(fds[1], P("ok"), 2), 2);
}

static void test_efault_read(void)
{
	int fds[2], i, fd = open("/bin/sh", O_RDONLY);

	T_OK(fd);
	T_OK(sys_pipe(P(fds)));
	for (i = 0; i < NBAD; i++) {
		write_all(fds[1], "0123456789abcdef", 16);
		efault("read pipe", bad_ptrs[i], sys_read(fds[0], bad_ptrs[i], 16));
		efault("read file", bad_ptrs[i], sys_read(fd, bad_ptrs[i], 16));
	}
	efault("read pipe", STRADDLE, sys_read(fds[0], STRADDLE, 64));
	efault("read file", STRADDLE, sys_read(fd, STRADDLE, 64));
}

/* Path-taking calls, given each bad pointer. */
static void test_efault_paths(void)
{
	struct cb_stat st;
	char *argv[] = { "false", NULL };
	int i;
	long p;

	for (i = 0; i < NBAD; i++) {
		p = bad_ptrs[i];
		efault("open", p, sys_open(p, O_RDONLY));
		efault("open O_CREAT", p, sys_open(p, O_CREAT | O_WRONLY));
		efault("stat", p, sys_stat(p, P(&st)));
		efault("mkdir", p, sys_mkdir(p));
		efault("unlink", p, sys_unlink(p));
		efault("chdir", p, sys_chdir(p));
		efault("execve", p, sys_execve(p, P(argv), 0));
	}
}

/* A path that runs off the end of the heap into unmapped memory. */
static void test_efault_string_end(void)
{
	char *brk = sbrk(0), *end, *s;
	long pad = (4096 - ((long)brk & 4095)) & 4095;

	sbrk(pad + 4096); /* the break is now page-aligned: end is unmapped */
	end = brk + pad + 4096;
	s = end - 8;
	memset(s, 'a', 8); /* no NUL before the unmapped page */
	efault("open", P(s), sys_open(P(s), O_RDONLY));
	efault("stat", P(s), sys_stat(P(s), P(end - 64)));
	efault("mkdir", P(s), sys_mkdir(P(s)));
	efault("chdir", P(s), sys_chdir(P(s)));
}

static void test_efault_pipe(void)
{
	int i, before = dup(0), after;

	close(before);
	for (i = 0; i < NBAD; i++)
		efault("pipe", bad_ptrs[i], sys_pipe(bad_ptrs[i]));
	efault("pipe", (long)0xBFFFFFFCu, sys_pipe((long)0xBFFFFFFCu));
	after = dup(0);
	T_EQ(after, before); /* no descriptor leaked */
}

static void test_efault_waitpid(void)
{
	int i;
	pid_t pid;

	for (i = 1; i <= NBAD; i++) { /* NULL (i = 0) is allowed: skip it */
		long p = i < NBAD ? bad_ptrs[i] : (long)0xBFFFFFFEu;
		pid = exiter(0);
		efault("waitpid", p, sys_waitpid(pid, p, 0));
		waitpid(pid, NULL, 0); /* reaped now, or already */
	}
}

static void test_efault_stat(void)
{
	int i, fd = open("/bin/sh", O_RDONLY);

	for (i = 0; i < NBAD; i++) {
		efault("stat buf", bad_ptrs[i], sys_stat(P("/bin/sh"), bad_ptrs[i]));
		efault("fstat buf", bad_ptrs[i], sys_fstat(fd, bad_ptrs[i]));
	}
	efault("stat buf", (long)0xBFFFFFF8u, sys_stat(P("/bin/sh"), (long)0xBFFFFFF8u));
	efault("fstat buf", (long)0xBFFFFFF8u, sys_fstat(fd, (long)0xBFFFFFF8u));
}

static void test_efault_getcwd(void)
{
	int i;

	for (i = 0; i < NBAD; i++)
		efault("getcwd", bad_ptrs[i], sys_getcwd(bad_ptrs[i], 64));
	efault("getcwd", STRADDLE, sys_getcwd(STRADDLE, 64));
}

static void test_efault_execve(void)
{
	char *badarg[] = { "false", (char *)0x70000000, NULL };
	char *kernarg[] = { "false", (char *)0xC0000000, NULL };
	char *argv[] = { "false", NULL };

	efault("execve argv", 0x70000000L, sys_execve(P("/bin/false"), 0x70000000L, 0));
	efault("execve argv", (long)0xC0000000u, sys_execve(P("/bin/false"), (long)0xC0000000u, 0));
	efault("execve argv[1]", 0x70000000L, sys_execve(P("/bin/false"), P(badarg), 0));
	efault("execve argv[1]", (long)0xC0000000u, sys_execve(P("/bin/false"), P(kernarg), 0));
	efault("execve envp", 0x70000000L, sys_execve(P("/bin/false"), P(argv), 0x70000000L));
	efault("execve envp[0]", 0x70000000L, sys_execve(P("/bin/false"), P(argv), P(badarg + 1)));
}

static void test_efault_misc(void)
{
	int i, fd = open("/bin", O_RDONLY);

	T_OK(fd);
	for (i = 0; i < NBAD; i++)
		efault("getdents", bad_ptrs[i], sys_getdents(fd, bad_ptrs[i], 4096));
	efault("getdents", STRADDLE, sys_getdents(fd, STRADDLE, 4096));
}

/* ---- descriptors and files ------------------------------------------ */

static void test_ebadf(void)
{
	static const int fds[] = { -1, 32, 1000 };
	struct cb_stat st;
	struct cb_dirent de;
	char buf[8];
	int i, fd;

	for (i = 0; i < 3; i++) {
		fd = fds[i];
		T_ERR(sys_read(fd, P(buf), 8), EBADF);
		T_ERR(sys_write(fd, P("x"), 1), EBADF);
		T_ERR(sys_close(fd), EBADF);
		T_ERR(sys_lseek(fd, 0, SEEK_SET), EBADF);
		T_ERR(sys_dup(fd), EBADF);
		T_ERR(sys_dup2(fd, 5), EBADF);
		T_ERR(sys_dup2(0, fd), EBADF);
		T_ERR(sys_fstat(fd, P(&st)), EBADF);
		T_ERR(sys_getdents(fd, P(&de), sizeof(de)), EBADF);
	}
	fd = open("/bin/sh", O_RDONLY);
	close(fd);
	T_ERR(sys_read(fd, P(buf), 8), EBADF); /* closed */
	T_ERR(sys_close(fd), EBADF);
}

static void test_enoent(void)
{
	struct cb_stat st;

	T_ERR(sys_open(P("/no/such/file"), O_RDONLY), ENOENT);
	T_ERR(sys_open(P("/tmp/nosuchdir/x"), O_CREAT | O_WRONLY), ENOENT);
	T_ERR(sys_open(P(""), O_RDONLY), ENOENT);
	T_ERR(sys_stat(P("/nonexistent"), P(&st)), ENOENT);
	T_ERR(sys_unlink(P("/tmp/nonexistent")), ENOENT);
	T_ERR(sys_chdir(P("/nonexistent")), ENOENT);
}

static void test_mkdir(void)
{
	const char *dir = t_tmpname("st_dir");
	char file[64];
	struct cb_stat st;

	snprintf(file, sizeof(file), "%s/f", dir);
	T_OK(sys_mkdir(P(dir)));
	T_ERR(sys_mkdir(P(dir)), EEXIST);
	T_ERR(sys_mkdir(P("/bin")), EEXIST);
	T_ERR(sys_mkdir(P("/tmp/nosuchdir/sub")), ENOENT);
	T_OK(sys_stat(P(dir), P(&st)));
	T_EQ(st.st_type, S_IFDIR);
	T_OK(sys_open(P(file), O_CREAT | O_WRONLY));
	T_OK(sys_stat(P(file), P(&st)));
	T_EQ(st.st_type, S_IFREG);
	T_OK(sys_unlink(P(file)));
	T_ERR(sys_unlink(P(file)), ENOENT);
}

static void test_file_rw(void)
{
	static char buf[20000], back[20000];
	const char *path = t_tmpname("st_file");
	struct cb_stat st;
	int i, fd;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 31 + 7);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC);
	T_OK(fd);
	for (i = 0; i < (int)sizeof(buf); i += 3000)
		T_EQ(write_all(fd, buf + i, sizeof(buf) - i < 3000 ? sizeof(buf) - i : 3000) > 0, 1);
	T_OK(sys_fstat(fd, P(&st)));
	T_EQ(st.st_size, sizeof(buf));
	close(fd);
	fd = open(path, O_RDONLY);
	T_EQ(read(fd, back, sizeof(back)) > 0, 1);
	T_EQ(memcmp(buf, back, sizeof(buf)), 0);
	T_EQ(read(fd, back, 1), 0); /* end of file */
	close(fd);
	fd = open(path, O_WRONLY | O_APPEND);
	T_EQ(write(fd, "tail", 4), 4);
	close(fd);
	T_OK(sys_stat(P(path), P(&st)));
	T_EQ(st.st_size, sizeof(buf) + 4);
	fd = open(path, O_WRONLY | O_TRUNC);
	T_OK(sys_fstat(fd, P(&st)));
	T_EQ(st.st_size, 0);
	close(fd);
	T_OK(sys_unlink(P(path)));
	T_ERR(sys_open(P(path), O_RDONLY), ENOENT);
}

static void test_lseek(void)
{
	const char *path = t_tmpname("st_seek");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC), fds[2];
	char buf[4] = { 0 };

	T_OK(fd);
	T_EQ(write(fd, "0123456789", 10), 10);
	T_EQ(sys_lseek(fd, 3, SEEK_SET), 3);
	T_EQ(read(fd, buf, 2), 2);
	T_EQ(memcmp(buf, "34", 2), 0);
	T_EQ(sys_lseek(fd, 0, SEEK_CUR), 5);
	T_EQ(sys_lseek(fd, -1, SEEK_END), 9);
	T_EQ(read(fd, buf, 4), 1);
	T_EQ(buf[0], '9');
	T_ERR(sys_lseek(fd, -100, SEEK_SET), EINVAL);
	T_ERR(sys_lseek(fd, 0, 99), EINVAL);
	T_OK(pipe(fds));
	T_ERR(sys_lseek(fds[0], 0, SEEK_SET), ESPIPE);
	unlink(path);
}

static void test_dup(void)
{
	const char *path = t_tmpname("st_dup");
	int fd = open(path, O_CREAT | O_RDWR | O_TRUNC), d;
	char buf[8] = { 0 };

	T_OK(fd);
	d = dup(fd);
	T_EQ(d, fd + 1); /* the lowest free descriptor */
	T_EQ(sys_dup2(fd, 10), 10);
	T_EQ(sys_dup2(fd, fd), fd);
	T_EQ(write(10, "abc", 3), 3);
	T_EQ(sys_lseek(fd, 0, SEEK_CUR), 3); /* the offset is shared */
	T_EQ(write(d, "de", 2), 2);
	T_EQ(sys_lseek(fd, 0, SEEK_SET), 0);
	T_EQ(read(fd, buf, 8), 5);
	T_EQ(memcmp(buf, "abcde", 5), 0);
	T_OK(sys_close(10));
	T_ERR(sys_close(10), EBADF);
	unlink(path);
}

static void test_emfile(void)
{
	int n = 0, fd;

	while ((fd = open("/bin/sh", O_RDONLY)) >= 0)
		n++;
	T_EQ(errno, EMFILE);
	T_EQ(n + 3, CB_NOFILE); /* three were already open */
}

static void test_getdents(void)
{
	struct cb_dirent de[4];
	int fd = open("/bin", O_RDONLY), n, i, have_sh = 0, have_self = 0;

	T_OK(fd);
	while ((n = sys_getdents(fd, P(de), sizeof(de))) > 0) {
		T_EQ(n % sizeof(struct cb_dirent), 0);
		for (i = 0; i < n / (int)sizeof(struct cb_dirent); i++) {
			if (strcmp(de[i].d_name, "sh") == 0)
				have_sh = de[i].d_type == DT_FILE;
			have_self |= strcmp(de[i].d_name, "systest") == 0;
		}
	}
	T_EQ(n, 0);
	T_EQ(have_sh, 1);
	T_EQ(have_self, 1);
	close(fd);
	fd = open("/bin/sh", O_RDONLY);
	T_ERR(sys_getdents(fd, P(de), sizeof(de)), ENOTDIR);
	fd = open("/bin", O_RDONLY);
	T_ERR(sys_getdents(fd, P(de), sizeof(de[0]) - 1), EINVAL);
}

static void test_cwd(void)
{
	char buf[PATH_MAX];
	struct cb_stat st;

	T_OK(sys_chdir(P("/tmp")));
	T_OK(sys_getcwd(P(buf), sizeof(buf)));
	T_STREQ(buf, "/tmp");
	T_OK(sys_open(P("st_rel"), O_CREAT | O_WRONLY));
	T_OK(sys_stat(P("/tmp/st_rel"), P(&st)));
	unlink("/tmp/st_rel");
	T_OK(sys_chdir(P("..")));
	T_OK(sys_getcwd(P(buf), sizeof(buf)));
	T_STREQ(buf, "/");
	T_OK(sys_chdir(P("/tmp")));
	T_ERR(sys_getcwd(P(buf), 2), ERANGE);
	T_ERR(sys_chdir(P("/bin/sh")), ENOTDIR);
}

/* ---- processes ------------------------------------------------------ */

/* Each child forks a grandchild, waits for it and passes its code on. */
static void test_fork_tree(void)
{
	pid_t pids[5];
	int i, st;

	for (i = 0; i < 5; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			pid_t g = exiter(i + 1);
			if (g < 0 || waitpid(g, &st, 0) != g)
				_exit(100);
			_exit(10 + WEXITSTATUS(st));
		}
		T_OK(pids[i]);
	}
	for (i = 4; i >= 0; i--) { /* reap in reverse order of birth */
		T_EQ(sys_waitpid(pids[i], P(&st), 0), pids[i]);
		T_EQ(WIFEXITED(st), 1);
		T_EQ(WEXITSTATUS(st), 10 + i + 1);
	}
	T_ERR(sys_waitpid(-1, P(&st), 0), ECHILD);
}

static void test_wait_any(void)
{
	pid_t pids[4], got;
	int i, k, st, seen = 0;

	for (i = 0; i < 4; i++)
		pids[i] = exiter(20 + i);
	for (i = 0; i < 4; i++) {
		got = waitpid(-1, &st, 0);
		for (k = 0; k < 4; k++)
			if (got == pids[k] && WEXITSTATUS(st) == 20 + k)
				seen |= 1 << k;
	}
	T_EQ(seen, 0xf);
	T_ERR(sys_waitpid(-1, P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(-1, P(&st), WNOHANG), ECHILD);
}

static void test_wait_nohang(void)
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		msleep(300);
		_exit(3);
	}
	T_EQ(sys_waitpid(pid, P(&st), WNOHANG), 0);
	T_EQ(sys_waitpid(-1, P(&st), WNOHANG), 0);
	T_EQ(sys_waitpid(pid, P(&st), 0), pid);
	T_EQ(WEXITSTATUS(st), 3);
}

static void test_echild(void)
{
	int st;

	T_ERR(sys_waitpid(-1, P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(getpid(), P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(getppid(), P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(0x7ffff0, P(&st), 0), ECHILD);
	T_EQ(sys_waitpid(exiter(0), 0, 0) > 0, 1); /* NULL status is fine */
}

static void test_exit_codes(void)
{
	static const int codes[] = { 0, 1, 42, 127, 255, 256 };
	int i, st;
	pid_t pid;

	for (i = 0; i < 6; i++) {
		pid = exiter(codes[i]);
		T_EQ(sys_waitpid(pid, P(&st), 0), pid);
		T_EQ(WIFEXITED(st), 1);
		T_EQ(WEXITSTATUS(st), codes[i] & 0xff);
	}
}

static void test_kill_signals(void)
{
	static const int sigs[] = { SIGKILL, SIGTERM, SIGINT };
	int i, st;
	pid_t pid;

	for (i = 0; i < 3; i++) {
		pid = t_sleeper();
		msleep(20);
		T_OK(sys_kill(pid, sigs[i]));
		T_EQ(sys_waitpid(pid, P(&st), 0), pid);
		T_EQ(WIFSIGNALED(st), 1);
		T_EQ(WTERMSIG(st), sigs[i]);
	}
	pid = fork(); /* a task that never sleeps dies too */
	if (pid == 0)
		for (;;)
			;
	T_OK(sys_kill(pid, SIGKILL));
	T_EQ(sys_waitpid(pid, P(&st), 0), pid);
	T_EQ(WTERMSIG(st), SIGKILL);
}

static void test_kill_errors(void)
{
	pid_t pid = t_sleeper();
	int st;

	T_EQ(sys_kill(pid, 0), 0);
	T_ERR(sys_kill(pid, 99), EINVAL);
	T_ERR(sys_kill(pid, -1), EINVAL);
	T_EQ(sys_kill(pid, 0), 0); /* still alive */
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	T_ERR(sys_kill(pid, 0), ESRCH); /* reaped: gone */
	T_ERR(sys_kill(pid, SIGKILL), ESRCH);
	T_ERR(sys_kill(0x7ffff0, 0), ESRCH);
}

static void test_getppid(void)
{
	pid_t me = getpid(), pid;
	int st;

	T_EQ(getpid() > 0, 1);
	pid = fork();
	if (pid == 0)
		_exit(getppid() == me ? 0 : 1);
	T_EQ(sys_waitpid(pid, P(&st), 0), pid);
	T_EQ(WEXITSTATUS(st), 0);
}

/* An orphan is adopted by init: its getppid changes from its parent's. */
static void test_orphan(void)
{
	int fds[2], st;
	pid_t pid, old = 0, now = 0;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		if (fork() == 0) {
			old = getppid();
			while (getppid() == old)
				msleep(10);
			now = getppid();
			write_all(fds[1], &old, sizeof(old));
			write_all(fds[1], &now, sizeof(now));
			_exit(0);
		}
		msleep(50);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	T_EQ(read(fds[0], &old, sizeof(old)), sizeof(old));
	T_EQ(read(fds[0], &now, sizeof(now)), sizeof(now));
	T_EQ(old, pid);
	T_EQ(now != pid, 1);
}

static void test_yield_sleep(void)
{
	uint32_t t0 = uptime(), t1;

	T_EQ(sys_yield(), 0);
	T_EQ(sys_sleep(0), 0);
	T_EQ(sys_sleep(100), 0);
	t1 = uptime();
	T_EQ(t1 - t0 >= 100, 1);
	T_EQ(t1 - t0 < 5000, 1);
	T_EQ(uptime() >= t1, 1);
}

/* ---- memory --------------------------------------------------------- */

static void test_sbrk(void)
{
	long old = sys_sbrk(0), p;
	char *mem;
	int i;

	T_OK(old);
	T_EQ(old >= (long)USER_BASE, 1);
	T_EQ(sys_sbrk(8192), old);
	T_EQ(sys_sbrk(0), old + 8192);
	mem = (char *)old;
	for (i = 0; i < 8192; i++)
		mem[i] = (char)i;
	for (i = 0; i < 8192; i++)
		if (mem[i] != (char)i)
			break;
	T_EQ(i, 8192);
	T_ERR(sys_sbrk(0x7fffffff), ENOMEM);
	T_EQ(sys_sbrk(0), old + 8192); /* unchanged by the failure */
	p = sys_sbrk(16 << 20);        /* 16 MiB, touched page by page */
	T_OK(p);
	for (i = 0; i < (16 << 20); i += 4096)
		((char *)p)[i] = 1;
}

static void test_malloc(void)
{
	char *blocks[64];
	int i, j, ok = 1;

	for (i = 0; i < 64; i++) {
		blocks[i] = malloc(i * 100 + 1);
		memset(blocks[i], i, i * 100 + 1);
	}
	for (i = 0; i < 64; i += 2)
		free(blocks[i]);
	for (i = 1; i < 64; i += 2)
		for (j = 0; j < i * 100 + 1; j++)
			ok &= blocks[i][j] == (char)i;
	T_EQ(ok, 1);
	blocks[1] = realloc(blocks[1], 100000);
	T_EQ(blocks[1][100], 1);
	T_EQ(malloc(0x7fffffff) == NULL, 1);
}

/* A child writing to the stack far below what is mapped grows the stack. */
static void test_stack_growth(void)
{
	volatile char big[1 << 20]; /* 1 MiB on the stack */
	int i;

	for (i = 0; i < (int)sizeof(big); i += 4096)
		big[i] = (char)i;
	T_EQ(big[4096 * 5], (char)(4096 * 5));
}

/* ---- pipes ---------------------------------------------------------- */

static void test_pipe_eof(void)
{
	int fds[2];
	char buf[16];

	T_OK(sys_pipe(P(fds)));
	T_EQ(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	T_EQ(read(fds[0], buf, sizeof(buf)), 5);
	T_EQ(memcmp(buf, "hello", 5), 0);
	T_EQ(read(fds[0], buf, sizeof(buf)), 0);
	T_EQ(read(fds[0], buf, sizeof(buf)), 0);
}

static void test_pipe_noreader(void)
{
	int fds[2];

	T_OK(sys_pipe(P(fds)));
	close(fds[0]);
	T_ERR(sys_write(fds[1], P("x"), 1), EPIPE);
}

/* Byte i of the test stream. */
static char pattern(unsigned i)
{
	return (char)(i * 7 + (i >> 10));
}

/* 1 MiB from a child to its parent, in uneven pieces, every byte checked. */
static void test_pipe_1mib(void)
{
	static char buf[5000];
	const unsigned total = 1 << 20;
	unsigned got = 0, i, bad = total, k;
	int fds[2], n, st;
	pid_t pid;

	T_OK(sys_pipe(P(fds)));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (i = 0, k = 1; i < total; i += n, k = k * 7 % 4999) {
			n = (int)(total - i < k ? total - i : k);
			for (int j = 0; j < n; j++)
				buf[j] = pattern(i + j);
			if (write_all(fds[1], buf, n) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	for (k = 3; (n = read(fds[0], buf, k)) > 0; k = k * 5 % 4999 + 1) {
		for (i = 0; i < (unsigned)n && bad == total; i++)
			if (buf[i] != pattern(got + i))
				bad = got + i;
		got += n;
	}
	T_EQ(got, total);
	T_EQ(bad, total); /* the offset of the first wrong byte */
	T_EQ(sys_waitpid(pid, P(&st), 0), pid);
	T_EQ(st, 0);
}

/* A descriptor survives fork: the child writes into the parent's pipe. */
static void test_pipe_fork(void)
{
	int fds[2], st;
	char buf[8];
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		write_all(fds[1], "child", 5);
		_exit(0);
	}
	close(fds[1]);
	T_EQ(read(fds[0], buf, 8), 5);
	T_EQ(read(fds[0], buf, 8), 0);
	waitpid(pid, &st, 0);
}

/* ---- exec ----------------------------------------------------------- */

static void test_exec_errors(void)
{
	const char *path = t_tmpname("notelf");
	char *argv[] = { "notelf", NULL };
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC);

	write_all(fd, "this is not an ELF file, just some junk text\n", 45);
	close(fd);
	T_ERR(sys_execve(P(path), P(argv), 0), ENOEXEC);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC); /* empty */
	close(fd);
	T_ERR(sys_execve(P(path), P(argv), 0), ENOEXEC);
	T_ERR(sys_execve(P("/bin/nonexistent"), P(argv), 0), ENOENT);
	unlink(path);
}

static void test_exec_args(void)
{
	char *exit7[] = { "/bin/sh", "-c", "exit 7", NULL };
	char *count[] = { "/bin/sh", "-c", "exit $#", "zero", "a", "b", "c", NULL };
	char *args[] = { "/bin/sh", "-c", "exit $2$1", "x", "1", "2", NULL };
	char *truth[] = { "/bin/true", NULL };
	char *lie[] = { "/bin/false", NULL };

	T_EQ(WEXITSTATUS(t_run(exit7, NULL)), 7);
	T_EQ(WEXITSTATUS(t_run(count, NULL)), 3);
	/* $1 and $2 in their places */
	T_EQ(WEXITSTATUS(t_run(args, NULL)), 21);
	T_EQ(t_run(truth, NULL), 0);
	T_EQ(WEXITSTATUS(t_run(lie, NULL)), 1);
}

/* ---- checkpoint/restore argument checks ------------------------------ */

/* Skips the test while the kernel has no checkpoint/restore. */
static void need_ckpt(void)
{
	if (sys_restore(P("x"), 1, 0, 0) == -ENOSYS)
		t_skip("checkpoint/restore not in this kernel (ENOSYS)");
}

static void test_efault_ckpt(void)
{
	int i;

	need_ckpt();
	for (i = 0; i < NBAD; i++) {
		efault("checkpoint name", bad_ptrs[i], sys_checkpoint(bad_ptrs[i], 0, 0, 0));
		efault("restore", bad_ptrs[i], sys_restore(bad_ptrs[i], 64, 0, 0));
	}
	efault("restore", STRADDLE, sys_restore(STRADDLE, 64, 0, 0));
}

static void test_ckpt_errors(void)
{
	static char zeros[4096];

	need_ckpt();
	T_EQ(SYS_IS_ERR(sys_checkpoint(P("st_no_such_ctr"), 0, 0, 0)), 1);
	T_EQ(SYS_IS_ERR(sys_checkpoint(P("system"), 0, 0, 0)), 1); /* not nested in ours */
	T_ERR(sys_restore(P(zeros), sizeof(zeros), 0, 0), ENOEXEC);
	T_ERR(sys_restore(P(zeros), 4, 0, 0), ENOEXEC);
}

/* setfg(0) hands ^C to nobody. */
static void test_setfg(void)
{
	T_EQ(sys_setfg(0), 0);
}

static const struct t_case tests[] = {
	{ "nosys", test_nosys },
	{ "efault_write", test_efault_write },
	{ "efault_read", test_efault_read },
	{ "efault_paths", test_efault_paths },
	{ "efault_string_end", test_efault_string_end },
	{ "efault_pipe", test_efault_pipe },
	{ "efault_waitpid", test_efault_waitpid },
	{ "efault_stat", test_efault_stat },
	{ "efault_getcwd", test_efault_getcwd },
	{ "efault_execve", test_efault_execve },
	{ "efault_misc", test_efault_misc },
	{ "ebadf", test_ebadf },
	{ "enoent", test_enoent },
	{ "mkdir", test_mkdir },
	{ "file_rw", test_file_rw },
	{ "lseek", test_lseek },
	{ "dup", test_dup },
	{ "emfile", test_emfile },
	{ "getdents", test_getdents },
	{ "cwd", test_cwd },
	{ "fork_tree", test_fork_tree },
	{ "wait_any", test_wait_any },
	{ "wait_nohang", test_wait_nohang },
	{ "echild", test_echild },
	{ "exit_codes", test_exit_codes },
	{ "kill_signals", test_kill_signals },
	{ "kill_errors", test_kill_errors },
	{ "getppid", test_getppid },
	{ "orphan", test_orphan },
	{ "yield_sleep", test_yield_sleep },
	{ "sbrk", test_sbrk },
	{ "malloc", test_malloc },
	{ "stack_growth", test_stack_growth },
	{ "pipe_eof", test_pipe_eof },
	{ "pipe_noreader", test_pipe_noreader },
	{ "pipe_1mib", test_pipe_1mib },
	{ "pipe_fork", test_pipe_fork },
	{ "exec_errors", test_exec_errors },
	{ "exec_args", test_exec_args },
	{ "efault_ckpt", test_efault_ckpt },
	{ "ckpt_errors", test_ckpt_errors },
	{ "setfg", test_setfg },
};

int main(int argc, char **argv)
{
	return t_main("systest", tests, sizeof(tests) / sizeof(tests[0]), argc, argv);
}
