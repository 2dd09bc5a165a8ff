/* echo [-n] WORD...: prints its arguments, in one write so a /proc file
 * receives the whole line at once. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int i = 1, newline = 1;
	size_t len = 2;
	char *buf, *p;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (int k = i; k < argc; k++)
		len += strlen(argv[k]) + 1;
	buf = p = malloc(len);
	if (!buf) {
		perror("echo");
		return 1;
	}
	for (; i < argc; i++) {
		p += strlen(strcpy(p, argv[i]));
		if (i + 1 < argc)
			*p++ = ' ';
	}
	if (newline)
		*p++ = '\n';
	if (write_all(1, buf, (size_t)(p - buf)) < 0) {
		fprintf(stderr, "echo: write error: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
