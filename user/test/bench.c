/*
 * bench: micro-benchmarks run inside the guest by `make bench`.  Each line
 * is "bench NAME: N ops in T ms" so the host can compute per-op costs and
 * compare runs.  Timing uses uptime() (10 ms resolution), so each loop runs
 * long enough for that not to matter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static void report(const char *name, unsigned n, uint32_t t0)
{
	printf("bench %s: %u ops in %u ms\n", name, n,
	       (unsigned)(uptime() - t0));
}

static void bench_getpid(unsigned n)
{
	uint32_t t0 = uptime();
	for (unsigned i = 0; i < n; i++)
		getpid();
	report("getpid", n, t0);
}

static void bench_fork(unsigned n)
{
	uint32_t t0 = uptime();
	for (unsigned i = 0; i < n; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		waitpid(p, NULL, 0);
	}
	report("fork+exit+wait", n, t0);
}

/* Moves n 4 KiB blocks through a pipe to a child. */
static void bench_pipe(unsigned n)
{
	static char buf[4096];
	int fds[2];
	if (pipe(fds) < 0)
		return;
	uint32_t t0 = uptime();
	pid_t p = fork();
	if (p == 0) {
		close(fds[1]);
		while (read(fds[0], buf, sizeof(buf)) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	for (unsigned i = 0; i < n; i++)
		write_all(fds[1], buf, sizeof(buf));
	close(fds[1]);
	waitpid(p, NULL, 0);
	report("pipe-4KiB", n, t0);
}

int main(int argc, char **argv)
{
	unsigned scale = argc > 1 ? (unsigned)atoi(argv[1]) : 1;
	bench_getpid(200000 * scale);
	bench_fork(200 * scale);
	bench_pipe(2000 * scale);
	printf("bench done\n");
	return 0;
}
