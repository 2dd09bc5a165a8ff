/*
 * nestdemo: builds three nested containers, nd1 > nd2 > nd3, and shows the
 * PID of every task in them as seen from every level (spec section 4.2).
 *
 * The first task forks a child that enters nd1 and becomes its init; that
 * one forks a child that enters nd2, and so on; the init of nd3 also forks
 * a worker.  Each task writes "container getpid getppid" into a report
 * pipe.  Once all four have reported, the first task lets them go on: each
 * writes what /proc shows from its own level (every task's container and
 * NSpid) into a file in /tmp and reports again.  The first task then reads
 * NSpid for each of them from /proc at its own level, prints the table,
 * checks it against the view from every level below ("agrees"), and closes
 * the hold pipe, so they all exit.
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
#define TASKS  (LEVELS + 1) /* an init per container, and a worker in nd3 */

static int report[2], go[2], hold[2];
static pid_t demo_id; /* the first task's PID: tags the /tmp files */
static const char *names[LEVELS] = {"nd1", "nd2", "nd3"};

/* Writes "container NSpid" for every task /proc shows here into fd. */
static void write_view(int fd)
{
	char path[64], text[1024], ctr[40], nspid[128];
	struct cb_dirent *e;
	DIR *d = opendir("/proc");

	while (d && (e = readdir(d))) {
		if (!isdigit(e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if (read_file(path, text, sizeof(text)) >= 0 &&
		    status_field(text, "Container", ctr, sizeof(ctr)) == 0 &&
		    status_field(text, "NSpid", nspid, sizeof(nspid)) == 0)
			dprintf(fd, "%s %s\n", ctr, nspid);
	}
	if (d)
		closedir(d);
}

/* In a child: reports itself; when told, writes its view of /proc to
 * /tmp/nestdemo.ID.CONTAINER.PID and reports again; then waits for the
 * hold pipe to close. */
static void report_and_hold(const char *ctr)
{
	char line[64], path[64], c;
	int n = snprintf(line, sizeof(line), "%s %d %d\n", ctr, getpid(),
			 getppid());
	int fd;

	write_all(report[1], line, (size_t)n);
	if (read(go[0], &c, 1) == 1) {
		snprintf(path, sizeof(path), "/tmp/nestdemo.%d.%s.%d", demo_id,
			 ctr, getpid());
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
		if (fd >= 0) {
			write_view(fd);
			close(fd);
		}
		write_all(report[1], "viewed\n", 7);
	}
	while (read(hold[0], &c, 1) > 0)
		;
}

/* Enters container names[level]; exits on failure. */
static void enter(int level)
{
	int fd = open("/proc/container", O_WRONLY);

	if (fd < 0 || write_all(fd, names[level], strlen(names[level])) < 0) {
		dprintf(2, "nestdemo: enter %s: %s\n", names[level],
			strerror(errno));
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
	close(go[1]);
	close(report[0]);
	for (level = 0; level < LEVELS; level++) {
		enter(level);
		pid = fork();
		if (pid != 0 || level == LEVELS - 1)
			break;
	}
	if (pid < 0)
		dprintf(2, "nestdemo: fork in %s: %s\n", names[level],
			strerror(errno));
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

/* One task of the demo, as /proc shows it from here. */
struct row {
	int level;		  /* 1 = nd1 ... */
	int n;			  /* PIDs known: one per level, here first */
	char pid[LEVELS + 1][12]; /* NSpid: its PID at each level */
	char real[16];		  /* RealPid, for a system-container reader */
};

/* Fills r from /proc/<pid>/status; 0 if the task is one of ours. */
static int read_row(const char *pid, struct row *r)
{
	char text[1024], path[64], ctr[40], nspid[128], *p, *tok;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if (read_file(path, text, sizeof(text)) < 0 ||
	    status_field(text, "Container", ctr, sizeof(ctr)) < 0)
		return -1;
	for (r->level = 0; r->level < LEVELS && strcmp(ctr, names[r->level]);
	     r->level++)
		;
	if (r->level++ == LEVELS ||
	    status_field(text, "NSpid", nspid, sizeof(nspid)) < 0)
		return -1;
	for (r->n = 0, p = nspid; r->n <= LEVELS && *p; r->n++) {
		tok = p;
		p += strcspn(p, "\t ");
		if (*p)
			*p++ = 0;
		strlcpy(r->pid[r->n], tok, sizeof(r->pid[0]));
	}
	if (status_field(text, "RealPid", r->real, sizeof(r->real)) < 0)
		r->real[0] = 0;
	return 0;
}

/* Prints a row: the PID at each level ("-" where it cannot be seen), a
 * check that the innermost one is what the task's own getpid said, and
 * the real PID decoded. */
static void print_row(const struct row *r, const char *reports)
{
	char want[64];
	const char *own = r->n ? r->pid[r->n - 1] : "?";
	unsigned long real = strtoul(r->real, NULL, 10);
	int i;

	snprintf(want, sizeof(want), "%s %s ", names[r->level - 1], own);
	printf("%-3s %-6s", names[r->level - 1],
	       strcmp(own, "1") ? "worker" : "init");
	for (i = 0; i <= LEVELS; i++)
		printf(" %9s", i < r->n ? r->pid[i] : "-");
	printf("  %-4s", strstr(reports, want) ? "yes" : "NO");
	if (r->real[0])
		printf(" %9s = %u:%u", r->real, REALPID_SPACE(real),
		       REALPID_NR(real));
	printf("\n");
}

/* Prints the table from /proc, innermost containers last, then the
 * reports as the tasks saw themselves. */
static struct row rows[TASKS + 4];
static int nrows;

static void print_table(const char *reports)
{
	char here[CTR_NAME_MAX + 2];
	struct row t;
	struct cb_dirent *e;
	DIR *d = opendir("/proc");
	int n = 0, i, j;

	while (d && n < TASKS + 4 && (e = readdir(d)))
		if (isdigit(e->d_name[0]) && read_row(e->d_name, &rows[n]) == 0)
			n++;
	if (d)
		closedir(d);
	for (i = 1; i < n; i++) /* by level, then by PID at the last level */
		for (j = i;
		     j > 0 && (rows[j - 1].level > rows[j].level ||
			       (rows[j - 1].level == rows[j].level &&
				atoi(rows[j - 1].pid[rows[j - 1].n - 1]) >
				    atoi(rows[j].pid[rows[j].n - 1])));
		     j--) {
			t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	if (container_name(here, sizeof(here)) < 0)
		strcpy(here, "?");
	printf("nestdemo: each task's PID as seen from every level\n");
	printf("%-10s %9s %9s %9s %9s  %-4s%s\n", "TASK", here, names[0],
	       names[1], names[2], "OWN",
	       n && rows[0].real[0] ? "      REAL = SPACE:NR" : "");
	for (i = 0; i < n; i++)
		print_row(&rows[i], reports);
	printf("as each task saw itself (container getpid getppid):\n%s",
	       reports);
	nrows = n;
}

/* Does the view in text (lines "container NSpid") of a reader at level lv
 * (1 = nd1) show exactly the rows at that level and below, with their
 * PIDs from that level down?  Prints the verdict; 0 if it agrees. */
static int check_view(const char *who, int lv, const char *text)
{
	char want[160];
	int i, k, lines = 0, seen = 0;
	const char *p;

	for (p = text; *p; p++)
		lines += *p == '\n';
	for (i = 0; i < nrows; i++) {
		if (rows[i].level < lv)
			continue;
		snprintf(want, sizeof(want), "%s ", names[rows[i].level - 1]);
		for (k = lv; k < rows[i].n; k++)
			snprintf(want + strlen(want),
				 sizeof(want) - strlen(want), "%s%s",
				 rows[i].pid[k],
				 k + 1 < rows[i].n ? "\t" : "\n");
		p = strstr(text, want);
		if (!p || (p != text && p[-1] != '\n')) {
			printf("/proc in %s: DISAGREES: no line \"%.*s\"\n",
			       who, (int)strcspn(want, "\n"), want);
			return 1;
		}
		seen++;
	}
	if (seen != lines) {
		printf("/proc in %s: DISAGREES: %d tasks, expected %d\n", who,
		       lines, seen);
		return 1;
	}
	printf("/proc in %s: %d tasks, agrees\n", who, seen);
	return 0;
}

/* Reads every view file the tasks wrote, checks it, removes it. */
static int check_views(void)
{
	char prefix[32], path[96], text[1024], who[64], *ctr, *pid;
	struct cb_dirent *e;
	DIR *d = opendir("/tmp");
	int lv, bad = 0;

	snprintf(prefix, sizeof(prefix), "nestdemo.%d.", demo_id);
	while (d && (e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "/tmp/%s", e->d_name);
		ctr = e->d_name + strlen(prefix);
		pid = strchr(ctr, '.');
		if (!pid || read_file(path, text, sizeof(text)) < 0)
			continue;
		*pid++ = 0;
		for (lv = 1; lv <= LEVELS && strcmp(ctr, names[lv - 1]); lv++)
			;
		snprintf(who, sizeof(who), "%s (as PID %s there)", ctr, pid);
		bad |= lv > LEVELS || check_view(who, lv, text);
		unlink(path);
	}
	if (d)
		closedir(d);
	return bad;
}

int main(void)
{
	char reports[512], viewed[64];
	pid_t pid;
	int st, bad = 1;

	demo_id = getpid();
	if (pipe(report) < 0 || pipe(go) < 0 || pipe(hold) < 0) {
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
	close(go[0]);
	close(hold[0]);
	if (collect(reports, sizeof(reports), TASKS) == TASKS) {
		write_all(go[1], "gggg", TASKS);
		if (collect(viewed, sizeof(viewed), TASKS) == TASKS) {
			print_table(reports);
			bad = check_views();
		}
	} else {
		fprintf(stderr, "nestdemo: the containers did not all start\n");
	}
	close(go[1]);
	close(hold[1]);
	waitpid(pid, &st, 0);
	return !bad && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1;
}
