/*
 * Program start and end, number conversions and assert's helper.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv);

char **environ;

/* Called by crt0 with the initial stack decoded; never returns. */
void __libc_start(int argc, char **argv, char **envp)
{
	environ = envp;
	exit(main(argc, argv));
}

void exit(int code)
{
	fflush(NULL);
	_exit(code);
}

/* There is no SIGABRT: abort ends the process with SIGKILL. */
void abort(void)
{
	fflush(NULL);
	kill(getpid(), SIGKILL);
	_exit(134);
}

void __assert_fail(const char *expr, const char *file, int line)
{
	fprintf(stderr, "assertion failed: %s (%s:%d)\n", expr, file, line);
	abort();
}

char *getenv(const char *name)
{
	return NULL;
}
int abs(int x)
{
	return x < 0 ? -x : x;
}
int atoi(const char *s)
{
	return (int)strtol(s, NULL, 10);
}

/* Value of digit c in base, or -1. */
static int digit(int c, int base)
{
	int v = 99;

	if (isdigit(c))
		v = c - '0';
	else if (isalpha(c))
		v = tolower(c) - 'a' + 10;
	return v < base ? v : -1;
}

/* Parses an optionally signed number; base 0 accepts 0x and 0 prefixes. */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long v = 0;
	int neg = 0, any = 0, d;

	while (isspace(*p))
		p++;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if ((base == 0 || base == 16) && p[0] == '0' && tolower(p[1]) == 'x' &&
	    digit(p[2], 16) >= 0) {
		p += 2;
		base = 16;
	} else if (base == 0) {
		base = *p == '0' ? 8 : 10;
	}
	for (; (d = digit(*p, base)) >= 0; p++, any = 1)
		v = v * base + d;
	if (end)
		*end = (char *)(any ? p : s);
	return neg ? -v : v;
}

long strtol(const char *s, char **end, int base)
{
	return (long)strtoul(s, end, base);
}
