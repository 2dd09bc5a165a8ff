/* cat [FILE...]: copies each file (or stdin, also for "-") to stdout. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Copies fd to stdout; returns 0, or -1 after printing an error. */
static int copy(int fd, const char *name)
{
	static char buf[4096];
	int n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write_all(1, buf, (size_t)n) < 0) {
			fprintf(stderr, "cat: write error: %s\n",
				strerror(errno));
			return -1;
		}
	}
	if (n < 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, fd, status = 0;

	if (argc < 2)
		return copy(0, "stdin") < 0;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0) {
			status |= copy(0, "stdin") < 0;
			continue;
		}
		fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			fprintf(stderr, "cat: %s: %s\n", argv[i],
				strerror(errno));
			status = 1;
			continue;
		}
		status |= copy(fd, argv[i]) < 0;
		close(fd);
	}
	return status;
}
