/* ctr NAME [CMD [ARG...]]: creates container NAME nested in the current
 * one, enters it (writing NAME to /proc/container), then becomes CMD
 * (default sh), which is the new container's init. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	static char *shell[] = {"sh", NULL};
	char **cmd = argc > 2 ? argv + 2 : shell;
	int fd;

	if (argc < 2) {
		fprintf(stderr, "usage: ctr NAME [CMD [ARG...]]\n");
		return 2;
	}
	fd = open("/proc/container", O_WRONLY);
	if (fd < 0 || write_all(fd, argv[1], strlen(argv[1])) < 0) {
		fprintf(stderr, "ctr: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	close(fd);
	execvp(cmd[0], cmd);
	fprintf(stderr, "ctr: %s: %s\n", cmd[0], strerror(errno));
	return 127;
}
