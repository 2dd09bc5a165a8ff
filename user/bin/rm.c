/* rm PATH...: removes each file (or empty directory); status 0 only if all
 * were removed. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: rm PATH...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		if (unlink(argv[i]) < 0) {
			fprintf(stderr, "rm: %s: %s\n", argv[i],
				strerror(errno));
			status = 1;
		}
	}
	return status;
}
