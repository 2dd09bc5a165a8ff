/*
 * Helpers shared by the container test programs (ctrviews.c, ctrlimits.c).
 *
 * The tests build small trees of processes in containers.  Processes meet
 * through pipes: a child writes one byte to "ready" when it is in place,
 * and blocks reading "hold" until the test closes it.  Checks use testlib
 * (one FAIL line each); CK() also counts them in `bad`, so a helper process
 * can end with status 1 and its parent notices.
 */
#ifndef CTRLIB_H
#define CTRLIB_H

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

static int bad; /* checks failed in this process */
#define CK(x)                                                                  \
	do {                                                                   \
		if (!(x))                                                      \
			bad++;                                                 \
	} while (0)
#define EQ(a, b)     CK(T_EQ(a, b))
#define ERR(call, e) CK(T_ERR(call, e))
#define OK(call)     CK(T_OK(call))
#define STREQ(a, b)  CK(T_STREQ(a, b))

/* A real PID from a pidspace and a number (spec section 4.2). */
#define RP(ps, nr) (((unsigned long)(ps) << 23) | (unsigned long)(nr))

/* Ends a helper process: status 1 if any of its checks failed. */
static inline __attribute__((noreturn)) void done(void)
{
	exit(bad ? 1 : 0);
}

/* Exit code from a wait status; -1 if the process was killed. */
static inline int exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Writes name (len bytes) to /proc/container: the raw result. */
static inline long enter_raw(const char *name, size_t len)
{
	long fd = sys_open(P("/proc/container"), O_WRONLY);
	long r;

	if (fd < 0)
		return fd;
	r = sys_write(fd, P(name), (long)len);
	sys_close(fd);
	return r;
}

/* Enters container name: 0, or -errno. */
static inline long enter(const char *name)
{
	long r = enter_raw(name, strlen(name));

	return r < 0 ? r : 0;
}

/* The caller's container name (without newline) in a static buffer. */
static inline const char *here(void)
{
	static char name[CTR_NAME_MAX + 2];

	if (container_name(name, sizeof(name)) < 0)
		strcpy(name, "?");
	return name;
}

static inline void put_byte(int fd, char c)
{
	write(fd, &c, 1);
}

/* Reads one byte (0 at end of file). */
static inline char get_byte(int fd)
{
	char c = 0;

	return read(fd, &c, 1) == 1 ? c : 0;
}

/* Reads exactly n bytes; 0 on success. */
static inline int read_full(int fd, void *buf, int n)
{
	int got = 0, r;

	while (got < n && (r = read(fd, (char *)buf + got, n - got)) > 0)
		got += r;
	return got == n ? 0 : -1;
}

/* Blocks until every writer of fd is gone. */
static inline void hold_on(int fd)
{
	char c;

	while (read(fd, &c, 1) > 0)
		;
}

/* Opens the pipe p (usually "ready") and the hold pipe, and forks: the
 * child (0 returned) has hold's write end closed, so its hold_on(hold[0])
 * ends when the test closes hold[1]. */
static inline pid_t fork_held(int p[2], int hold[2])
{
	pid_t c;

	pipe(p);
	pipe(hold);
	c = fork();
	if (c == 0)
		close(hold[1]);
	return c;
}

/* Waits for child pid; counts a failure unless it exited with 0. */
static inline void reap_ok(pid_t pid, const char *who)
{
	int st = -1;
	pid_t r = waitpid(pid, &st, 0);

	if (r != pid || st != 0) {
		t_fail(
		    "%s: waitpid(%d) = %d, status 0x%x (expected a clean exit)",
		    who, pid, r, st);
		bad++;
	}
}

/* Text of /proc/<pid>/<file> into buf; -1 if it cannot be read. */
static inline int proc_read(unsigned long pid, const char *file, char *buf,
			    int size)
{
	char path[48];

	snprintf(path, sizeof(path), "/proc/%lu/%s", pid, file);
	return read_file(path, buf, size);
}

/* Field key of /proc/<pid>/status into out; -1 if absent. */
static inline int status_of(unsigned long pid, const char *key, char *out,
			    int size)
{
	char text[1024];

	if (proc_read(pid, "status", text, sizeof(text)) < 0)
		return -1;
	return status_field(text, key, out, size);
}

/* Checks that field key of /proc/<pid>/status is want. */
static inline void check_field(unsigned long pid, const char *key,
			       const char *want)
{
	char got[160];

	if (status_of(pid, key, got, sizeof(got)) < 0)
		strcpy(got, "(missing)");
	if (strcmp(got, want) != 0) {
		t_fail("/proc/%lu/status %s: expected \"%s\" got \"%s\"", pid,
		       key, want, got);
		bad++;
	}
}

static inline void check_field_num(unsigned long pid, const char *key,
				   unsigned long want)
{
	char s[16];

	snprintf(s, sizeof(s), "%lu", want);
	check_field(pid, key, s);
}

/* Is there a "key:" line in /proc/<pid>/status? */
static inline int has_field(unsigned long pid, const char *key)
{
	char v[64];

	return status_of(pid, key, v, sizeof(v)) == 0;
}

/* Field col (0 = name) of container name's line in /proc/containers, as a
 * number; -1 if there is no such line or field. */
static inline long ctr_col(const char *name, int col)
{
	static char text[65536];
	char *line = text, *p;
	size_t len = strlen(name);
	int i;

	if (read_file("/proc/containers", text, sizeof(text)) < 0)
		return -1;
	for (; line && *line; line = (p = strchr(line, '\n')) ? p + 1 : NULL) {
		if (strncmp(line, name, len) != 0 || line[len] != ' ')
			continue;
		for (p = line, i = 0; i < col; i++) {
			p += strcspn(p, " \n");
			if (*p != ' ')
				return -1;
			p++;
		}
		return isdigit(*p) ? (long)strtoul(p, NULL, 10) : -1;
	}
	return -1;
}

/* Lines in /proc/containers (containers the caller can see). */
static inline int ctr_count(void)
{
	static char text[65536];
	int n = 0;
	char *p;

	if (read_file("/proc/containers", text, sizeof(text)) < 0)
		return -1;
	for (p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* The PIDs listed in /proc (numeric names), at most max; returns count. */
static inline int proc_pids(unsigned long *out, int max)
{
	DIR *d = opendir("/proc");
	struct cb_dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (isdigit(e->d_name[0]) && n < max)
			out[n++] = strtoul(e->d_name, NULL, 10);
	if (d)
		closedir(d);
	return n;
}

#endif
