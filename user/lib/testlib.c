/*
 * The test runner behind <testlib.h>: forks each test, waits for it with a
 * watchdog, and prints PASS, FAIL and the summary line.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

unsigned t_timeout_ms = 30000;

/* A test child that printed its own FAIL lines exits with this status, so
 * any other non-zero status (say, a wrong exec that succeeded) is noticed. */
#define FAILED_STATUS  99
#define SKIPPED_STATUS 98

static const char *current; /* name of the test running in this child */
static int failures;	    /* checks failed so far in this child */

const char *t_errstr(long r)
{
	static char buf[4][24];
	static int next;
	char *b = buf[next++ % 4];
	const char *name = SYS_IS_ERR(r) ? strerrorname((int)-r) : NULL;

	if (name)
		snprintf(b, sizeof(buf[0]), "-%s", name);
	else
		snprintf(b, sizeof(buf[0]), "%ld", r);
	return b;
}

int t_fail(const char *fmt, ...)
{
	va_list ap;

	printf("FAIL %s: ", current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	failures++;
	return 0;
}

void t_skip(const char *why)
{
	printf("SKIP %s: %s\n", current, why);
	exit(failures ? FAILED_STATUS : SKIPPED_STATUS);
}

int t_check_err(const char *what, long got, int err)
{
	if (got == -err)
		return 1;
	return t_fail("%s: expected %s got %s", what, t_errstr(-err),
		      t_errstr(got));
}

int t_check_ok(const char *what, long got)
{
	if (!SYS_IS_ERR(got))
		return 1;
	return t_fail("%s: expected success got %s", what, t_errstr(got));
}

int t_check_eq(const char *what, long got, long want)
{
	if (got == want)
		return 1;
	return t_fail("%s: expected %ld got %s", what, want, t_errstr(got));
}

int t_check_str(const char *what, const char *got, const char *want)
{
	if (got && strcmp(got, want) == 0)
		return 1;
	return t_fail("%s: expected \"%s\" got \"%s\"", what, want,
		      got ? got : "(null)");
}

/* Waits for the test child, killing it after t_timeout_ms; returns the
 * wait status, or -1 on a timeout. */
static int wait_watchdog(pid_t pid)
{
	uint32_t start = uptime();
	int st;

	for (;;) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0)
			return 0x7f00; /* lost it: report as exit 127 */
		if (uptime() - start > t_timeout_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		msleep(10);
	}
}

/* Runs one test in a child; prints its verdict; returns 1 if it passed,
 * 0 if it failed, -1 if it was skipped. */
static int run_one(const struct t_case *t)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", t->name, strerror(errno));
		return 0;
	}
	if (pid == 0) {
		current = t->name;
		t->fn();
		exit(failures ? FAILED_STATUS : 0);
	}
	st = wait_watchdog(pid);
	if (st == -1)
		printf("FAIL %s: timed out after %u ms\n", t->name,
		       t_timeout_ms);
	else if (WIFSIGNALED(st))
		printf("FAIL %s: killed by signal %d\n", t->name, WTERMSIG(st));
	else if (WEXITSTATUS(st) == 0)
		printf("PASS %s\n", t->name);
	else if (WEXITSTATUS(st) == SKIPPED_STATUS)
		return -1;
	else if (WEXITSTATUS(st) != FAILED_STATUS)
		printf("FAIL %s: exited with status %d\n", t->name,
		       WEXITSTATUS(st));
	fflush(stdout);
	return st == 0;
}

int t_main(const char *suite, const struct t_case *tests, int n, int argc,
	   char **argv)
{
	int i, a, passed = 0, failed = 0, skipped = 0, found, r;

	if (argc == 2 && strcmp(argv[1], "list") == 0) {
		for (i = 0; i < n; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	for (a = 1; a < argc; a++) {
		for (i = 0, found = 0; i < n; i++)
			found |= strcmp(tests[i].name, argv[a]) == 0;
		if (!found) {
			printf("%s: no test named %s (try: %s list)\n", suite,
			       argv[a], suite);
			return 2;
		}
	}
	for (i = 0; i < n; i++) {
		for (a = 1, found = argc == 1; a < argc; a++)
			found |= strcmp(tests[i].name, argv[a]) == 0;
		if (!found)
			continue;
		r = run_one(&tests[i]);
		passed += r == 1;
		failed += r == 0;
		skipped += r < 0;
	}
	if (skipped)
		printf("%s: %d skipped\n", suite, skipped);
	printf("%s: %d passed, %d failed\n", suite, passed, failed);
	return failed ? 1 : 0;
}

int t_verdict(const char *prog, const char *name, const char *fmt, ...)
{
	char why[200] = "";
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(why, sizeof(why), fmt, ap);
		va_end(ap);
	}
	printf("%s: %s: %s%s\n", prog, name, fmt ? "FAIL " : "PASS", why);
	fflush(stdout);
	return fmt != NULL;
}

int t_run(char **argv, char **envp)
{
	pid_t pid = fork();
	int st = -1;

	if (pid == 0) {
		execve(argv[0], argv, envp);
		_exit(126);
	}
	waitpid(pid, &st, 0);
	return st;
}

void t_put(const char *path, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int fd, n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd >= 0) {
		write_all(fd, buf, (size_t)n);
		close(fd);
	}
}

int t_exists(const char *path)
{
	struct cb_stat st;

	return stat(path, &st) == 0;
}

int t_wait_file(const char *path, unsigned timeout_ms)
{
	uint32_t end = uptime() + timeout_ms;

	while (!t_exists(path)) {
		if (uptime() > end)
			return -1;
		msleep(20);
	}
	return 0;
}

void t_enter(const char *name)
{
	int fd = open("/proc/container", O_WRONLY);

	if (fd < 0 || write_all(fd, name, strlen(name)) < 0) {
		printf("cannot enter %s: %s\n", name, strerror(errno));
		_exit(99);
	}
	close(fd);
}

int t_reap_all(void)
{
	int st, bad = 0;

	while (wait(&st) > 0)
		bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return bad;
}

pid_t t_sleeper(void)
{
	pid_t pid = fork();

	if (pid == 0)
		for (;;)
			msleep(1000);
	return pid;
}

const char *t_tmpname(const char *base)
{
	static char buf[4][48];
	static int next;
	char *b = buf[next++ % 4];

	snprintf(b, sizeof(buf[0]), "/tmp/%s.%d", base, getpid());
	return b;
}

/* The container's init for t_ckpt_family: builds what it holds, then sleeps
 * until killed; _exit(1) when any of it fails. */
static void ckpt_family_init(const char *ctr, const char *held, const char *dir,
			     const char *ready)
{
	int p[2], fd;

	t_enter(ctr);
	fd = open(held, O_RDWR | O_CREAT);
	if (fd < 0 || pipe(p) < 0 || write(p[1], "xyz", 3) != 3 ||
	    write(fd, "hello", 5) != 5 || mkdir(dir) < 0)
		_exit(1);
	if (fork() == 0) {
		if (chdir(dir) < 0)
			_exit(1);
		for (;;)
			msleep(1000);
	}
	if (fork() == 0)
		_exit(3);
	t_put(ready, "");
	for (;;)
		msleep(1000);
}

pid_t t_ckpt_family(const char *ctr, const char *prefix)
{
	char held[48], dir[48], ready[48];
	pid_t pid;

	snprintf(held, sizeof(held), "%sheld", prefix);
	snprintf(dir, sizeof(dir), "%sd", prefix);
	snprintf(ready, sizeof(ready), "%sready", prefix);
	pid = fork();
	if (pid == 0)
		ckpt_family_init(ctr, held, dir, ready);
	if (pid < 0 || t_wait_file(ready, 10000) < 0)
		return -1;
	msleep(100); /* let the zombie die */
	return pid;
}
