/* systest: processes: fork, wait, exit, kill, orphans; exec. */
#include "systest.h"

/* ---- processes ------------------------------------------------------ */

/* Each child forks a grandchild, waits for it and passes its code on. */
void test_fork_tree(void)
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

void test_wait_any(void)
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

void test_wait_nohang(void)
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

void test_echild(void)
{
	int st;

	T_ERR(sys_waitpid(-1, P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(getpid(), P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(getppid(), P(&st), 0), ECHILD);
	T_ERR(sys_waitpid(0x7ffff0, P(&st), 0), ECHILD);
	T_EQ(sys_waitpid(exiter(0), 0, 0) > 0, 1); /* NULL status is fine */
}

void test_exit_codes(void)
{
	static const int codes[] = {0, 1, 42, 127, 255, 256};
	int i, st;
	pid_t pid;

	for (i = 0; i < 6; i++) {
		pid = exiter(codes[i]);
		T_EQ(sys_waitpid(pid, P(&st), 0), pid);
		T_EQ(WIFEXITED(st), 1);
		T_EQ(WEXITSTATUS(st), codes[i] & 0xff);
	}
}

void test_kill_signals(void)
{
	static const int sigs[] = {SIGKILL, SIGTERM, SIGINT};
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

void test_kill_errors(void)
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

void test_getppid(void)
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
void test_orphan(void)
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

void test_yield_sleep(void)
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

/* ---- exec ----------------------------------------------------------- */

void test_exec_errors(void)
{
	const char *path = t_tmpname("notelf");
	char *argv[] = {"notelf", NULL};
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

void test_exec_args(void)
{
	char *exit7[] = {"/bin/sh", "-c", "exit 7", NULL};
	char *count[] = {"/bin/sh", "-c", "exit $#", "zero",
			 "a",	    "b",  "c",	     NULL};
	char *args[] = {"/bin/sh", "-c", "exit $2$1", "x", "1", "2", NULL};
	char *truth[] = {"/bin/true", NULL};
	char *lie[] = {"/bin/false", NULL};

	T_EQ(WEXITSTATUS(t_run(exit7, NULL)), 7);
	T_EQ(WEXITSTATUS(t_run(count, NULL)), 3);
	T_EQ(WEXITSTATUS(t_run(args, NULL)),
	     21); /* $1 and $2 in their places */
	T_EQ(t_run(truth, NULL), 0);
	T_EQ(WEXITSTATUS(t_run(lie, NULL)), 1);
}
