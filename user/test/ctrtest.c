/*
 * ctrtest: checks containers and PID virtualisation from user space (spec
 * section 4): entering and naming containers and their errors, PIDs inside
 * and outside, what can be seen and killed from where, orphans, nesting
 * depth and the task cap.  Same shape as systest (testlib):
 *
 *   ctrtest [NAME...|list]   last line "ctrtest: N passed, M failed"
 */
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

/* Writes text to /proc/container: creates and enters a container.
 * Returns the raw result: bytes written, or -errno. */
static long enter(const char *text)
{
	long fd = sys_open(P("/proc/container"), O_WRONLY), r;

	if (SYS_IS_ERR(fd))
		return fd;
	r = sys_write(fd, P(text), strlen(text));
	sys_close(fd);
	return r;
}

static char tag[24]; /* this run: our PID and the time, set by main */

/* A container name no other run or call will use.  Children inherit the
 * counter, but each process makes at most one name per value. */
static const char *uname(const char *base)
{
	static char buf[4][32];
	static int calls;
	char *b = buf[calls % 4];

	snprintf(b, sizeof(buf[0]), "%s%d-%s", base, calls++, tag);
	return b;
}

/* Our own container's name, "" if unreadable. */
static const char *here(void)
{
	static char name[CTR_NAME_MAX + 2];

	if (container_name(name, sizeof(name)) < 0)
		name[0] = 0;
	return name;
}

/* Depth of our container below the system container, from its line
 * "name parent depth tasks ..." in /proc/containers; 0 if not found. */
static int my_depth(void)
{
	char text[4096], *line, *next;
	const char *me = here();
	size_t n = strlen(me);

	if (read_file("/proc/containers", text, sizeof(text)) < 0)
		return 0;
	for (line = text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = 0;
		if (strncmp(line, me, n) != 0 ||
		    (line[n] != ' ' && line[n] != '\t'))
			continue;
		line += n + strspn(line + n, " \t"); /* the parent's name */
		line += strcspn(line, " \t");
		return atoi(line + strspn(line, " \t"));
	}
	return 0;
}

/* Counts the tasks in /proc whose Container is name. */
static int count_in(const char *name)
{
	char path[64], text[1024], ctr[40];
	struct cb_dirent *e;
	DIR *d = opendir("/proc");
	int n = 0;

	while (d && (e = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if (isdigit(e->d_name[0]) &&
		    read_file(path, text, sizeof(text)) >= 0 &&
		    status_field(text, "Container", ctr, sizeof(ctr)) == 0 &&
		    strcmp(ctr, name) == 0)
			n++;
	}
	if (d)
		closedir(d);
	return n;
}

/* ---- entering ------------------------------------------------------- */

static void test_enter(void)
{
	const char *name = uname("ct");
	pid_t pid;
	int st;

	T_EQ(enter(name), strlen(name));
	T_STREQ(here(), name);
	T_EQ(getpid(), 1);
	T_EQ(getppid(), 0); /* the parent is outside: not visible */
	pid = fork();
	if (pid == 0)
		_exit(getpid() == 2 && getppid() == 1 ? 0 : 1);
	T_EQ(pid, 2);
	T_EQ(sys_waitpid(pid, P(&st), 0), 2);
	T_EQ(st, 0);
}

static void test_names(void)
{
	char longname[40], name[40];

	memset(longname, 'a', 32);
	longname[32] = 0;
	T_ERR(enter("\n"), EINVAL);
	T_ERR(enter("bad/name"), EINVAL);
	T_ERR(enter("a b"), EINVAL);
	T_ERR(enter("tab\tname"), EINVAL);
	T_ERR(enter(longname), EINVAL); /* 32 characters */
	T_ERR(enter("two\n\n"), EINVAL);
	snprintf(name, sizeof(name), "%s\n", uname("nl.x_"));
	T_EQ(enter(name), strlen(name)); /* one trailing newline is fine */
	name[strlen(name) - 1] = 0;
	T_STREQ(here(), name);
}

static void test_busy(void)
{
	pid_t pid = t_sleeper();
	int st;

	T_ERR(enter(uname("busy")), EBUSY);
	kill(pid, SIGKILL);
	msleep(50); /* now a zombie: still a child */
	T_ERR(enter(uname("busy")), EBUSY);
	waitpid(pid, &st, 0);
	T_OK(enter(uname("busy")));
}

/* Inside a container, a member that is not init tries to kill init: 1 when
 * both signals were refused with EPERM. */
static char member_kills_init(void)
{
	return sys_kill(1, SIGKILL) == -EPERM && sys_kill(1, SIGTERM) == -EPERM;
}

/*
 * Forks a child that founds container name and then sleeps until killed;
 * returns its PID once it is inside.  With member, the new init first forks
 * a sleeping member that runs member() and reports its byte, which goes to
 * *said (else the byte is 'x', from init).
 */
static pid_t resident_with(const char *name, char (*member)(void), char *said)
{
	int fds[2];
	pid_t pid;
	char c = 'x';

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		enter(name);
		if (!member || fork() == 0) {
			c = member ? member() : c;
			write(fds[1], &c, 1);
		}
		for (;;)
			msleep(1000);
	}
	*said = read(fds[0], &c, 1) == 1 ? c : 0;
	return pid;
}

static pid_t resident(const char *name)
{
	char c;

	return resident_with(name, NULL, &c);
}

static void test_exists(void)
{
	const char *name = uname("dup");
	pid_t pid = resident(name);
	int st;

	T_ERR(enter(name), EEXIST);
	T_ERR(enter("system"), EEXIST);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	msleep(20);
	T_OK(enter(name)); /* freed with its last task */
}

/* ---- nesting -------------------------------------------------------- */

/* Goes one container deeper per level, each in a new child; at the
 * bottom, tries once more.  Returns the raw result of that last try. */
static long dive(int levels)
{
	pid_t pid;
	int st;

	if (levels == 0)
		return enter(uname("deep"));
	if (SYS_IS_ERR(enter(uname("d"))))
		_exit(200);
	pid = fork();
	if (pid == 0) {
		long r = dive(levels - 1);
		_exit(r == -EAGAIN ? 0 : SYS_IS_ERR(r) ? 100 + (int)-r : 99);
	}
	waitpid(pid, &st, 0);
	_exit(WEXITSTATUS(st));
}

static void test_depth(void)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) /* down to depth 32, then one more must fail */
		dive(CTR_DEPTH_MAX - my_depth());
	waitpid(pid, &st, 0);
	if (WEXITSTATUS(st) != 0)
		t_fail(
		    "33rd level: expected -EAGAIN got exit %d (99: it worked, "
		    "100+E: errno E, 200: a level before failed)",
		    WEXITSTATUS(st));
}

/* ---- what can be seen from where --------------------------------------- */

static void test_inside_view(void)
{
	char text[1024], val[64];
	pid_t outer = getpid();
	struct cb_stat st;
	char path[32];

	T_OK(enter(uname("view")));
	T_ERR(sys_kill(outer, 0), ESRCH); /* the task that made us */
	snprintf(path, sizeof(path), "/proc/%d/status", outer);
	T_ERR(sys_stat(P(path), P(&st)), ENOENT);
	T_ERR(sys_kill(-1, SIGTERM), ESRCH); /* nobody but us and init */
	T_EQ(read_file("/proc/self/status", text, sizeof(text)) > 0, 1);
	T_EQ(status_field(text, "Pid", val, sizeof(val)), 0);
	T_STREQ(val, "1");
	T_EQ(status_field(text, "PPid", val, sizeof(val)), 0);
	T_STREQ(val, "0");
	T_EQ(status_field(text, "NSpid", val, sizeof(val)), 0);
	T_STREQ(val, "1");
	T_EQ(status_field(text, "RealPid", val, sizeof(val)), -1);
	T_EQ(status_field(text, "Pidspace", val, sizeof(val)), -1);
	T_EQ(count_in(here()), 1);
}

static void test_outside_view(void)
{
	const char *name = uname("out");
	char text[1024], val[64], want[64], path[64];
	pid_t pid = resident(name);
	int st;

	T_EQ(sys_kill(pid, 0), 0);
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	T_EQ(read_file(path, text, sizeof(text)) > 0, 1);
	T_EQ(status_field(text, "Container", val, sizeof(val)), 0);
	T_STREQ(val, name);
	T_EQ(status_field(text, "NSpid", val, sizeof(val)), 0);
	snprintf(want, sizeof(want), "%d\t1", pid);
	T_STREQ(val, want);
	kill(pid, SIGKILL);
	T_EQ(sys_waitpid(pid, P(&st), 0), pid);
	T_EQ(WTERMSIG(st), SIGKILL);
}

/* Inside, init cannot be killed; from outside, killing it ends all. */
static void test_init_kill(void)
{
	const char *name = uname("ik");
	int st, n;
	char r;
	pid_t pid = resident_with(name, member_kills_init, &r);

	T_EQ(r, 1); /* kill(1) from inside was EPERM */
	T_EQ(count_in(name), 2);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	for (n = 0; n < 100 && count_in(name) > 0; n++)
		msleep(10);
	T_EQ(count_in(name), 0);
}

/* An orphan inside is adopted by the container's init. */
static void test_orphan(void)
{
	int fds[2];
	pid_t ppid = 0;

	T_OK(enter(uname("orph")));
	pipe(fds);
	if (fork() == 0) {
		if (fork() == 0) {
			while (getppid() != 1)
				msleep(10);
			ppid = getppid();
			write(fds[1], &ppid, sizeof(ppid));
			_exit(0);
		}
		msleep(50);
		_exit(0);
	}
	T_EQ(read(fds[0], &ppid, sizeof(ppid)), sizeof(ppid));
	T_EQ(ppid, 1);
}

/* fork beyond ctr_max_tasks (default 256, init included) is EAGAIN.  The
 * cap of every enclosing container counts our tasks too, so the exact
 * number is only known when we start from the system container. */
static void test_task_cap(void)
{
	int n = 0, st, from_system = strcmp(here(), "system") == 0;
	long r;

	T_OK(enter(uname("cap")));
	for (;;) {
		r = sys_fork();
		if (r == 0)
			for (;;)
				msleep(1000);
		if (SYS_IS_ERR(r))
			break;
		n++;
	}
	T_ERR(r, EAGAIN);
	if (from_system)
		T_EQ(n, 255);
	else if (n < 200 || n > 255)
		t_fail("forks before EAGAIN: expected 200..255 got %d", n);
	T_OK(sys_kill(-1, SIGKILL)); /* everyone but us */
	while (wait(&st) > 0)
		;
	r = sys_fork(); /* there is room again */
	if (r == 0)
		_exit(0);
	T_OK(r);
}

static const struct t_case tests[] = {
    {"enter", test_enter},
    {"names", test_names},
    {"busy", test_busy},
    {"exists", test_exists},
    {"depth", test_depth},
    {"inside_view", test_inside_view},
    {"outside_view", test_outside_view},
    {"init_kill", test_init_kill},
    {"orphan", test_orphan},
    {"task_cap", test_task_cap},
};

int main(int argc, char **argv)
{
	snprintf(tag, sizeof(tag), "%d-%u", getpid(), uptime() % 100000);
	return t_main("ctrtest", tests, sizeof(tests) / sizeof(tests[0]), argc,
		      argv);
}
