/*
 * nestdemo: builds three nested containers, nd1 > nd2 > nd3, and shows the
 * PID of every task in them as seen from every level (spec section 4.2).
 *
 * The first task forks a child that enters nd1 and becomes its init; that
 * one forks a child that enters nd2, and so on; the init of nd3 also forks
 * a worker.  Each task writes "container getpid getppid" into a report
 * pipe, then blocks reading a hold pipe.  Once all four have reported, the
 * first task reads NSpid for each of them from /proc (its PIDs from the
 * outer level down to its own), prints the table and closes the hold pipe,
 * so they all exit.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LEVELS 3
#define TASKS (LEVELS + 1) /* an init per container, and a worker in nd3 */

static int report[2], hold[2];
static const char *names[LEVELS] = { "nd1", "nd2", "nd3" };

/* In a child: reports itself, then waits for the hold pipe to close. */
static void report_and_hold(const char *ctr)
{
	char line[64], c;
	int n = snprintf(line, sizeof(line), "%s %d %d\n", ctr, getpid(), getppid());

	write_all(report[1], line, (size_t)n);
	while (read(hold[0], &c, 1) > 0)
		;
}

/* Enters container names[level]; exits on failure. */
static void enter(int level)
{
	int fd = open("/proc/container", O_WRONLY);

	if (fd < 0 || write_all(fd, names[level], strlen(names[level])) < 0) {
		dprintf(2, "nestdemo: enter %s: %s\n", names[level], strerror(errno));
		write_all(report[1], "error\n", 6);
		_exit(1);
	}
	close(fd);
}

/* Runs in the first child.  At each level the task enters the next
 * container and forks; the parent stays as that container's init, the
 * child goes one level deeper.  In the last container the child is the
 * worker.  Never returns. */
static void nest(void)
{
	int level;
	pid_t pid = 0;

	close(hold[1]);
	close(report[0]);
	for (level = 0; level < LEVELS; level++) {
		enter(level);
		pid = fork();
		if (pid != 0 || level == LEVELS - 1)
			break;
	}
	if (pid < 0)
		dprintf(2, "nestdemo: fork in %s: %s\n", names[level], strerror(errno));
	report_and_hold(names[level]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	_exit(0);
}

/* Reads lines from the report pipe until n have come; -1 if a task
 * reported an error or the pipe closed early. */
static int collect(char *buf, int size, int n)
{
	int len = 0, got = 0, r, i;

	while (got < n && len < size - 1) {
		r = read(report[0], buf + len, size - 1 - len);
		if (r <= 0)
			break;
		for (i = len; i < len + r; i++)
			got += buf[i] == '\n';
		len += r;
		buf[len] = 0;
		if (strstr(buf, "error"))
			return -1;
	}
	buf[len] = 0;
	return got;
}

/* Prints one row for the task at /proc/<pid>: NSpid from this level down. */
static void print_row(const char *pid, const char *reports, int sys)
{
	char text[1024], path[64], ctr[40], nspid[128], real[16], want[64];
	char *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (read_file(path, text, sizeof(text)) < 0 ||
	    status_field(text, "Container", ctr, sizeof(ctr)) < 0)
		return;
	for (i = 0; i < LEVELS && strcmp(ctr, names[i]) != 0; i++)
		;
	if (i == LEVELS)
		return;
	if (status_field(text, "NSpid", nspid, sizeof(nspid)) < 0)
		strcpy(nspid, "?");
	for (p = nspid; *p; p++)
		if (*p == '\t')
			*p = ' ';
	/* the PID the task itself saw is the last NSpid entry */
	p = strrchr(nspid, ' ');
	snprintf(want, sizeof(want), "%s %s ", ctr, p ? p + 1 : nspid);
	printf("%-5s %-22s %-8s", ctr, nspid, strstr(reports, want) ? "yes" : "NO");
	if (sys && status_field(text, "RealPid", real, sizeof(real)) == 0)
		printf(" %10s = %u:%u", real, REALPID_SPACE(strtoul(real, NULL, 10)),
		       REALPID_NR(strtoul(real, NULL, 10)));
	printf("\n");
}

/* Prints the table from /proc, then the reports as the tasks saw them. */
static void print_table(const char *reports)
{
	char here[CTR_NAME_MAX + 2];
	struct cb_dirent *e;
	DIR *d;
	int sys;

	if (container_name(here, sizeof(here)) < 0)
		strcpy(here, "?");
	sys = strcmp(here, "system") == 0;
	printf("PIDs of each task, from %s (this level) down to its own container:\n",
	       here);
	printf("%-5s %-22s %-8s%s\n", "CTR", "NSPID (outer..own)", "getpid?",
	       sys ? "       REAL = SPACE:NR" : "");
	d = opendir("/proc");
	while (d && (e = readdir(d)))
		if (isdigit(e->d_name[0]))
			print_row(e->d_name, reports, sys);
	if (d)
		closedir(d);
	printf("as each task saw itself (container getpid getppid):\n%s", reports);
}

int main(void)
{
	char reports[512];
	pid_t pid;
	int st;

	if (pipe(report) < 0 || pipe(hold) < 0) {
		perror("nestdemo: pipe");
		return 1;
	}
	pid = fork();
	if (pid < 0) {
		perror("nestdemo: fork");
		return 1;
	}
	if (pid == 0)
		nest();
	close(report[1]);
	close(hold[0]);
	if (collect(reports, sizeof(reports), TASKS) == TASKS)
		print_table(reports);
	else
		fprintf(stderr, "nestdemo: the containers did not all start\n");
	close(hold[1]);
	waitpid(pid, &st, 0);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
