/* sleep SECONDS: waits; fractions work ("0.5"), to the millisecond. */
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

/* Parses "S", "S.F" or ".F" into milliseconds; -1 if malformed. */
static long parse_ms(const char *s)
{
	long ms = 0, scale = 100;

	if (!*s)
		return -1;
	for (; isdigit(*s); s++)
		ms = ms * 10 + (*s - '0') * 1000;
	if (*s == '.')
		for (s++; isdigit(*s); s++, scale /= 10)
			ms += (*s - '0') * scale;
	return *s ? -1 : ms;
}

int main(int argc, char **argv)
{
	long ms;

	if (argc != 2 || (ms = parse_ms(argv[1])) < 0) {
		fprintf(stderr, "usage: sleep SECONDS\n");
		return 2;
	}
	if (msleep((unsigned)ms) < 0) {
		perror("sleep");
		return 1;
	}
	return 0;
}
