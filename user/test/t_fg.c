/*
 * t_fg: the console foreground (setfg, ^C) with tasks that end and tasks in
 * containers.  tests/cases/console.py drives it and types ^C when it prints
 * "t_fg: ^C now".  Lines are "t_fg: PASS what" or "t_fg: FAIL what"; the
 * exit status counts failures.
 *
 *   t_fg zombie   (as init=) setfg on a child that has exited is refused;
 *                 after the child is reaped, ^C reaches no task (a new
 *                 child, which may reuse the freed task, survives).
 *   t_fg steal    (as a foreground job of the system shell) a task in a
 *                 container sets its container's foreground; ^C still goes
 *                 to this job, and the task in the container lives on.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void check(int ok, const char *what)
{
	printf("t_fg: %s %s\n", ok ? "PASS" : "FAIL", what);
	if (!ok)
		failures++;
}

/* Tells the test to type ^C, then waits for the line it types after. */
static void await_ctrl_c(void)
{
	char line[64];

	printf("t_fg: ^C now\n");
	if (read(0, line, sizeof(line)) <= 0)
		check(0, "read the line after ^C");
}

/* Has the task pid (a child) exited, i.e. is it a zombie? */
static int is_zombie(pid_t pid)
{
	char path[32], buf[512];
	int fd, n;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	return strstr(buf, "State:\tZ") != NULL;
}

static int zombie(void)
{
	pid_t a, b;
	int st = 0, i;

	a = fork();
	if (a == 0)
		_exit(0);
	for (i = 0; i < 200 && !is_zombie(a); i++)
		msleep(10);
	check(is_zombie(a), "child is a zombie");
	check(sys_setfg(a) == -ESRCH, "setfg on a zombie is ESRCH");
	check(waitpid(a, &st, 0) == a, "zombie reaped");
	b = fork();
	if (b == 0) {
		msleep(2000);
		_exit(7);
	}
	await_ctrl_c();
	check(waitpid(b, &st, 0) == b && WIFEXITED(st) && WEXITSTATUS(st) == 7,
	      "^C after the reap reached no task");
	check(sys_setfg(b) == -ESRCH, "setfg on a reaped PID is ESRCH");
	return failures;
}

/* In a new container: sets its foreground to a child, then reports
 * whether ^C reached that child.  outside is a PID it must not see. */
static void container_side(int ready, pid_t outside)
{
	pid_t k;
	int fd, st = 0;

	fd = open("/proc/container", O_WRONLY);
	if (fd < 0 || write(fd, "fgsteal", 7) != 7)
		check(0, "create container fgsteal");
	close(fd);
	k = fork();
	if (k == 0) {
		msleep(3000);
		_exit(0);
	}
	check(sys_setfg(outside) == -ESRCH, "setfg on an outside PID is ESRCH");
	check(sys_setfg(k) == 0, "setfg inside a container");
	write(ready, "r", 1);
	close(ready);
	waitpid(k, &st, 0);
	check(!WIFSIGNALED(st), "container task not interrupted by ^C");
	_exit(failures);
}

static int steal(void)
{
	pid_t me = getpid(), c;
	int p[2];
	char r;

	if (pipe(p) < 0)
		return 1;
	c = fork();
	if (c == 0) {
		close(p[0]);
		container_side(p[1], me);
	}
	close(p[1]);
	check(read(p[0], &r, 1) == 1, "container side ready");
	printf("t_fg: ^C now\n");
	msleep(10000);
	check(0, "^C reached this job (the shell's foreground)");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "zombie") == 0)
		return zombie();
	if (argc == 2 && strcmp(argv[1], "steal") == 0)
		return steal();
	fprintf(stderr, "usage: t_fg zombie|steal\n");
	return 2;
}
