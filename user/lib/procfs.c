/* Small helpers for the programs that read /proc (ps, sh, nestdemo, the
 * test programs). */
#include <fcntl.h>
#include <procfs.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int read_file(const char *path, char *buf, int size)
{
	int fd = open(path, O_RDONLY);
	int n = 0, r = 0;

	if (fd < 0)
		return -1;
	while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = 0;
	/* A /proc file whose task ended between open and read fails the read
	 * (ESRCH): that is no text, not an empty one. */
	return r < 0 ? -1 : n;
}

int status_field(const char *text, const char *key, char *out, int size)
{
	size_t klen = strlen(key);
	const char *line = text;
	size_t n;

	while (line && *line) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ':') {
			line += klen + 1;
			while (*line == '\t' || *line == ' ')
				line++;
			n = strcspn(line, "\n");
			if (n >= (size_t)size)
				n = size - 1;
			memcpy(out, line, n);
			out[n] = 0;
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

int container_name(char *buf, int size)
{
	int n = read_file("/proc/container", buf, size);

	if (n <= 0)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

long meminfo(const char *key)
{
	static char
	    text[512]; /* static: callers may run on a pre-mapped stack */
	char val[32];

	if (read_file("/proc/meminfo", text, sizeof(text)) < 0 ||
	    status_field(text, key, val, sizeof(val)) < 0)
		return -1;
	return strtol(val, NULL, 10);
}
