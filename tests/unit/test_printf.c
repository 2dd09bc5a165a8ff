// SOURCES: user/lib/fmt.c
/*
 * Host unit test for the user printf engine (user/lib/fmt.c): formats a
 * table of cases and compares each with the host C library's snprintf, or
 * with a fixed expected string where the host would not agree by design.
 * Exits 0 when every case passes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../../user/lib/fmt.h"

struct bufsink {
	struct fmt_sink sink;
	char buf[256];
	size_t len;
};

static void put(struct fmt_sink *s, const char *p, size_t n)
{
	struct bufsink *b = (struct bufsink *)s;

	while (n-- > 0 && b->len < sizeof(b->buf) - 1)
		b->buf[b->len++] = *p++;
	b->buf[b->len] = 0;
}

static int failures;

/* Formats with fmt_vformat and compares with the expected text. */
static void check(const char *expect, const char *fmt, ...)
{
	struct bufsink b = {{put}, {0}, 0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(&b.sink, fmt, ap);
	va_end(ap);
	if (strcmp(b.buf, expect) != 0 || n != (int)strlen(expect)) {
		printf(
		    "FAIL printf \"%s\": expected \"%s\" got \"%s\" (n=%d)\n",
		    fmt, expect, b.buf, n);
		failures++;
	}
}

/* The table deliberately includes flag mixes gcc warns about (0 with a
 * precision); the comparison with the host is what matters. */
#pragma GCC diagnostic ignored "-Wformat"

/* Checks one case against the host's own snprintf. */
#define SAME(...)                                                              \
	do {                                                                   \
		char want[256];                                                \
		snprintf(want, sizeof(want), __VA_ARGS__);                     \
		check(want, __VA_ARGS__);                                      \
	} while (0)

int main(void)
{
	SAME("plain text");
	SAME("%d %i %u", 42, -17, 3000000000u);
	SAME("%d", -2147483647 - 1);
	SAME("%x %X %o", 0xdeadbeefu, 0xabcdefu, 0755u);
	SAME("[%5d] [%-5d] [%05d] [%+d] [% d]", 42, 42, 42, 42, 42);
	SAME("[%.3d] [%8.3d] [%-8.3d|] [%08.3d]", 7, 7, 7, 7);
	SAME("[%.0d] [%.0u]", 0, 0u);
	SAME("[%c] [%3c] [%-3c]", 'a', 'b', 'c');
	SAME("[%s] [%10s] [%-10s] [%.2s] [%5.1s]", "hi", "hi", "hi", "hello",
	     "xyz");
	SAME("%ld %lu %lx", -123456789L, 123456789UL, 0xfeedUL);
	SAME("%lld %llu %llx", -1234567890123LL, 18446744073709551615ULL,
	     0x123456789abcdefULL);
	SAME("%hd %hhu %zu", (short)-5, (unsigned char)250, (size_t)77);
	SAME("100%%");
	SAME("[%*d] [%-*d] [%.*s]", 6, 5, 6, 5, 2, "abcdef");
	SAME("%08x", 0x1234u);
	check("(null)", "%s", (char *)NULL);
	check("0x1000", "%p", (void *)0x1000);
	check("0x0", "%p", (void *)0);
	check("[     0x10]", "[%9p]", (void *)0x10);
	check("-00042", "%06d", -42);
	check("abc", "abc%");
	if (failures == 0)
		printf("PASS printf\n");
	return failures != 0;
}
