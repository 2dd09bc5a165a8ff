/*
 * sysfuzz [SECONDS [WORKERS [SEED]]]: random system calls with hostile
 * arguments, inside a container, then a leak check.
 *
 * A child founds container "fuzz" and starts WORKERS tasks that each make
 * system calls with a random number (including unknown ones) and random
 * arguments drawn from values that probe edges: 0, -1, huge lengths,
 * kernel and unmapped addresses, buffers straddling the end of user space,
 * and some valid pointers and paths.  After SECONDS the founder exits, so
 * the kernel kills everything inside.  The parent then removes the files
 * the workers may have made and checks that PagesFree and HeapUsed in
 * /proc/meminfo are back where they started.  The kernel must neither
 * panic nor leak; prints "sysfuzz: PASS" or "sysfuzz: FAIL ...".
 */
#include <procfs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/syscall.h>

long syscall5(long nr, long a, long b, long c, long d, long e);

static uint32_t rng;
static char buf[8192];
/* Paths the workers may use: their own files in /tmp (the first three,
 * removed afterwards), /proc, and a few that must fail.  Nothing else:
 * there are no permissions, so a worker could unlink /bin/sh. */
static const char *const paths[] = {
	"/tmp/fz", "/tmp/fzd", "/tmp/fzd/x", "/proc/container", "/proc/self/status",
	"/proc/meminfo", "/proc/1", "/proc", "/", "/nonexistent/x", "",
};

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* One argument: mostly edge values, sometimes pure noise. */
static long arg(void)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 4096, 0xffffffffu, 0x7fffffffu, 0x80000000u,
		0x40000000u, 0xbffffff0u, 0xc0000000u, 0x00100000u, 0x70000000u,
		0xfffff000u, 9, 15, 32, 1000,
	};
	switch (next() % 6) {
	case 0:
		return (long)next();
	case 1:
		return (long)(buf + next() % sizeof(buf));
	case 2:
		return (long)paths[next() % (sizeof(paths) / sizeof(paths[0]))];
	case 3:
		return (long)(next() % 64);
	default:
		return (long)edges[next() % (sizeof(edges) / sizeof(edges[0]))];
	}
}

/* Makes CALLS random system calls, then exits (unless one kills it). */
#define CALLS 5000
static void worker(uint32_t seed)
{
	rng = seed ? seed : 1;
	memset(buf, 'x', sizeof(buf));
	/* No console: a read would block until the end of the round, and a
	 * write of random memory would print program text (with words a
	 * test harness watches for) on it. */
	close(0);
	close(1);
	close(2);
	for (int i = 0; i < CALLS; i++) {
		long nr = next() % 8 ? (long)(next() % (SYS_MAX_PLUS_ONE + 2)) : arg();
		if (nr == SYS_exit || nr == SYS_execve)
			continue; /* keep fuzzing rather than ending or becoming true */
		long a0 = arg();
		long a1 = arg(), a2 = arg();
		if (nr == SYS_sleep)
			a0 &= 15; /* a long sleep only wastes the time budget */
		if (nr == SYS_sbrk && a0 > (1L << 20) && a0 < 0x7fff0000L)
			a0 &= (1L << 20) - 1; /* a heap of hundreds of MiB makes
						 each fork copy it for seconds
						 (systest covers ENOMEM) */
		if (nr == SYS_waitpid && (a2 & ~1L) == 0)
			a2 = 1; /* WNOHANG: bad options stay bad */
		syscall5(nr, a0, a1, a2, arg(), arg());
	}
	_exit(0);
}

/* Names in dir, NUL-separated, into out (for comparing before/after). */
static void list_dir(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct cb_dirent *e;
	size_t len = 0;

	out[0] = 0;
	while (d && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name) + 1;
		if (len + n + 1 < size) {
			memcpy(out + len, e->d_name, n);
			len += n;
		}
	}
	out[len] = 0;
	if (d)
		closedir(d);
}

static bool listed(const char *names, const char *name)
{
	for (; *names; names += strlen(names) + 1)
		if (strcmp(names, name) == 0)
			return true;
	return false;
}

/* Removes path and, if it is a directory, everything below it. */
static void remove_tree(const char *path, int depth)
{
	char names[2048], sub[600];

	if (depth < 8) {
		list_dir(path, names, sizeof(names));
		for (const char *m = names; *m; m += strlen(m) + 1) {
			snprintf(sub, sizeof(sub), "%s/%s", path, m);
			remove_tree(sub, depth + 1);
		}
	}
	unlink(path);
}

/* Removes what the workers made in dir: every entry not in before.
 * Workers may pass any string as a path, including one from program text,
 * so names are not known in advance. */
static void remove_new(const char *dir, const char *before)
{
	static char now[4096];
	char path[300];

	list_dir(dir, now, sizeof(now));
	for (const char *n = now; *n; n += strlen(n) + 1) {
		if (listed(before, n))
			continue;
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", n);
		remove_tree(path, 0);
	}
}

/* Maps the stack the cleanup's recursion will use, so that the process's
 * own stack growth is not counted as a leak. */
static void grow_stack(void)
{
	volatile char pad[24 * 1024];

	pad[0] = pad[sizeof(pad) - 1] = 0;
}

static void founder(unsigned seconds, int workers, uint32_t seed)
{
	int fd = open("/proc/container", O_WRONLY);
	if (fd < 0 || write(fd, "fuzz", 4) != 4)
		_exit(3);
	close(fd);
	/* Rounds: start `workers` workers, let them (and whatever they fork)
	 * run for 200 ms, then kill everything in the container but the
	 * founder and reap it.  Workers block now and then (say, reading a
	 * pipe whose write end they hold); rounds keep fresh ones coming. */
	uint32_t end = uptime() + seconds * 1000, spawned = 0;
	while (uptime() < end) {
		for (int i = 0; i < workers; i++) {
			pid_t p = fork();
			if (p == 0)
				worker(seed * 7919u + spawned);
			spawned += p > 0;
		}
		msleep(200);
		kill(-1, SIGKILL);
		while (waitpid(-1, NULL, 0) > 0)
			;
	}
	printf("sysfuzz: %u workers ran\n", (unsigned)spawned);
	_exit(0); /* the kernel ends everything inside */
}

int main(int argc, char **argv)
{
	unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
	int workers = argc > 2 ? atoi(argv[2]) : 4;
	uint32_t seed = argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : uptime();
	static char root_before[4096], tmp_before[4096];
	grow_stack();
	list_dir("/", root_before, sizeof(root_before));
	list_dir("/tmp", tmp_before, sizeof(tmp_before));
	long pages = meminfo("PagesFree"), heap = meminfo("HeapUsed");
	int st;

	printf("sysfuzz: %u s, %d workers, seed %u\n", seconds, workers, (unsigned)seed);
	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		founder(seconds, workers, seed);
	waitpid(p, &st, 0);
	msleep(500); /* let the kernel finish off the members */
	remove_new("/tmp", tmp_before);
	remove_new("/", root_before);
	long pages2 = meminfo("PagesFree"), heap2 = meminfo("HeapUsed");
	printf("sysfuzz: PagesFree %ld -> %ld, HeapUsed %ld -> %ld\n", pages,
	       pages2, heap, heap2);
	char list[1024];
	if (read_file("/proc/containers", list, sizeof(list)) > 0)
		printf("sysfuzz: containers left:\n%s", list);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || pages != pages2 || heap != heap2) {
		printf("sysfuzz: FAIL (founder status 0x%x)\n", st);
		return 1;
	}
	printf("sysfuzz: PASS\n");
	return 0;
}
