/*
 * Result checks for sysfuzz (user/test/sysfuzz.c): after and during
 * fuzzing, the PIDs a task sees must still follow section 4 of the spec.
 *
 *   - getpid() and getppid() match Pid and PPid in /proc/self/status;
 *   - every PID listed in /proc has a status file whose Pid is that PID,
 *     and kill(pid, 0) agrees that it exists (a task may end between the
 *     listing and the look, so a PID that has vanished by then is fine);
 *   - inside a container, no PID is a real PID (>= 2^23), no status file
 *     shows RealPid or Pidspace, and the PIDs of tasks outside (the
 *     caller's own outside PIDs, learnt before it founded the container)
 *     are neither in /proc nor known to kill, unless the same number is
 *     in use inside.
 * Each failure prints one "sysfuzz: FAIL check ..." line; the functions
 * return how many failed.
 */
#ifndef FUZZCHECK_H
#define FUZZCHECK_H

#include <dirent.h>
#include <errno.h>
#include <procfs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define FZ_REAL_MIN (1u << 23) /* the smallest real PID outside pidspace 0 */
#define FZ_MAXSEEN  512

/* What a checker knows of the world outside its container. */
struct fz_view {
	bool in_ctr; /* in a container (not the system one) */
	int nout;    /* PIDs of tasks outside, as seen from outside */
	pid_t out[4];
	const char *who; /* for messages */
};

static int fz_fail(const struct fz_view *v, const char *what, unsigned long a,
		   long b)
{
	printf("sysfuzz: FAIL check %s: %s (%lu, %ld)\n", v->who, what, a, b);
	return 1;
}

/* Has the task with this PID gone (no status file, kill says ESRCH)? */
static bool fz_gone(pid_t pid)
{
	char path[32], text[8];

	snprintf(path, sizeof(path), "/proc/%u/status", (unsigned)pid);
	return sys_kill(pid, 0) == -ESRCH && read_file(path, text, 8) < 0;
}

/* A PID field of a status file (PIDs are unsigned: real PIDs of
 * pidspaces 256 and up do not fit in an int); 0xffffffff if missing. */
static uint32_t fz_field(const char *text, const char *key)
{
	char val[32];

	return status_field(text, key, val, sizeof(val)) < 0
		   ? 0xffffffffu
		   : (uint32_t)strtoul(val, NULL, 10);
}

/* Checks the status file of one listed PID. */
static int fz_check_one(const struct fz_view *v, pid_t pid)
{
	char path[32], text[512];
	int bad = 0;

	if (v->in_ctr && (uint32_t)pid >= FZ_REAL_MIN)
		bad += fz_fail(v, "real PID listed in /proc", pid, 0);
	snprintf(path, sizeof(path), "/proc/%u/status", (unsigned)pid);
	if (read_file(path, text, sizeof(text)) < 0)
		return bad + (fz_gone(pid) ? 0
					   : fz_fail(v, "listed, no status",
						     pid, errno));
	if (fz_field(text, "Pid") != (uint32_t)pid)
		bad +=
		    fz_fail(v, "Pid field differs", pid, fz_field(text, "Pid"));
	uint32_t ppid = fz_field(text, "PPid");
	if (v->in_ctr && (ppid >= FZ_REAL_MIN || strstr(text, "RealPid") ||
			  strstr(text, "Pidspace")))
		bad += fz_fail(v, "real PID shown inside", pid, ppid);
	long r = sys_kill(pid, 0);
	if (r != 0 && !(r == -ESRCH && fz_gone(pid)))
		bad += fz_fail(v, "kill(pid, 0) disagrees with /proc", pid, r);
	return bad;
}

/* Lists the numeric entries of /proc into seen; returns how many. */
static int fz_list_proc(pid_t *seen, int max)
{
	DIR *d = opendir("/proc");
	struct cb_dirent *e;
	int n = 0;

	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] >= '1' && e->d_name[0] <= '9' && n < max)
			seen[n++] = (pid_t)strtoul(e->d_name, NULL, 10);
	if (d)
		closedir(d);
	return n;
}

static bool fz_listed(const pid_t *seen, int n, pid_t pid)
{
	for (int i = 0; i < n; i++)
		if (seen[i] == pid)
			return true;
	return false;
}

/* Runs every check once from the caller's point of view. */
static int fz_check_pids(const struct fz_view *v)
{
	static pid_t seen[FZ_MAXSEEN];
	char text[512];
	int bad = 0, n = fz_list_proc(seen, FZ_MAXSEEN);

	if (read_file("/proc/self/status", text, sizeof(text)) < 0)
		return fz_fail(v, "no /proc/self/status", errno, 0);
	if (fz_field(text, "Pid") != (uint32_t)getpid())
		bad += fz_fail(v, "getpid differs from /proc/self", getpid(),
			       fz_field(text, "Pid"));
	if (fz_field(text, "PPid") != (uint32_t)getppid())
		bad += fz_fail(v, "getppid differs from /proc/self", getppid(),
			       fz_field(text, "PPid"));
	for (int i = 0; i < n; i++)
		bad += fz_check_one(v, seen[i]);
	for (int k = 0; k < v->nout; k++)
		if (!fz_listed(seen, n, v->out[k]) && !fz_gone(v->out[k])) {
			/* Maybe a task inside has just got that number. */
			n = fz_list_proc(seen, FZ_MAXSEEN);
			if (!fz_listed(seen, n, v->out[k]))
				bad +=
				    fz_fail(v, "outside task reachable",
					    v->out[k], sys_kill(v->out[k], 0));
		}
	return bad;
}

#endif
