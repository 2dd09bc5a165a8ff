/*
 * pipebig [KIB]: sends KIB kibibytes (default 1024, so 1 MiB) from a child
 * to its parent through a pipe, in uneven pieces, and checks a checksum of
 * the stream on both sides.  Prints the rate too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

/* FNV-1a over the stream, updated piece by piece. */
static uint32_t fnv(uint32_t h, const unsigned char *p, int n)
{
	while (n-- > 0)
		h = (h ^ *p++) * 16777619u;
	return h;
}

/* The child: writes total bytes of a pattern; the checksum goes last. */
static void writer(int fd, unsigned total)
{
	static unsigned char buf[4096];
	uint32_t h = 2166136261u;
	unsigned i = 0, k = 1;
	int n, j;

	while (i < total) {
		n = (int)(total - i < k ? total - i : k);
		for (j = 0; j < n; j++)
			buf[j] =
			    (unsigned char)((i + j) * 13 + ((i + j) >> 12));
		h = fnv(h, buf, n);
		if (write_all(fd, buf, n) < 0)
			_exit(1);
		i += n;
		k = k * 3 % 4093 + 1;
	}
	if (write_all(fd, &h, sizeof(h)) < 0)
		_exit(1);
	_exit(0);
}

int main(int argc, char **argv)
{
	static unsigned char buf[8192];
	unsigned total = (argc > 1 ? (unsigned)atoi(argv[1]) : 1024) * 1024;
	unsigned got = 0, t0 = uptime(), ms;
	uint32_t h = 2166136261u, theirs = 0;
	int fds[2], n, st = -1;
	pid_t pid;

	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		perror("pipebig");
		return 1;
	}
	if (pid == 0) {
		close(fds[0]);
		writer(fds[1], total);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf))) > 0) {
		unsigned data = got >= total
				    ? 0
				    : (total - got < (unsigned)n ? total - got
								 : (unsigned)n);
		h = fnv(h, buf, (int)data);
		for (unsigned i = data; i < (unsigned)n;
		     i++) /* checksum bytes */
			((unsigned char *)&theirs)[got + i - total] = buf[i];
		got += n;
	}
	waitpid(pid, &st, 0);
	ms = uptime() - t0;
	printf("pipebig: %u bytes in %u ms (%u KiB/s)\n", got - 4, ms,
	       ms ? (got / 1024) * 1000 / ms : 0);
	if (got != total + 4 || h != theirs || st != 0) {
		printf("FAIL pipebig: expected %u bytes checksum %08x got %u "
		       "bytes checksum %08x\n",
		       total, theirs, got - 4, h);
		return 1;
	}
	printf("PASS pipebig\n");
	return 0;
}
