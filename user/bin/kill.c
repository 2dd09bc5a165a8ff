/* kill [-N | -NAME] PID...: sends signal N (default 15, TERM) to each PID;
 * -0 only checks that it exists.  Status 0 only if every one succeeded. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *name;
	int sig;
} names[] = {{"INT", SIGINT}, {"KILL", SIGKILL}, {"TERM", SIGTERM}};

/* Parses "9", "KILL" or "SIGKILL"; -1 if unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long v;
	size_t i;

	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].sig;
	v = strtol(s, &end, 10);
	return (*s && !*end && v >= 0) ? (int)v : -1;
}

int main(int argc, char **argv)
{
	int sig = SIGTERM, i = 1, status = 0;
	char *end;
	long pid;

	if (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		sig = parse_signal(argv[1] + 1);
		if (sig < 0) {
			fprintf(stderr, "kill: %s: invalid signal\n",
				argv[1] + 1);
			return 2;
		}
		i++;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: kill [-N] PID...\n");
		return 2;
	}
	for (; i < argc; i++) {
		pid = strtol(argv[i], &end, 10);
		if (!*argv[i] || *end) {
			fprintf(stderr,
				"kill: %s: arguments must be process IDs\n",
				argv[i]);
			status = 1;
		} else if (kill((pid_t)pid, sig) < 0) {
			fprintf(stderr, "kill: %s: %s\n", argv[i],
				strerror(errno));
			status = 1;
		}
	}
	return status;
}
