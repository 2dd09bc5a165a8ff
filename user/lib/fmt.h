/*
 * The printf engine shared by printf, fprintf, dprintf and snprintf.
 * It knows nothing about files: it hands its output, a piece at a time, to a
 * sink.  It depends only on compiler headers, so the host unit test
 * (tests/unit/test_printf.c) compiles it unchanged.
 */
#ifndef USER_FMT_H
#define USER_FMT_H

#include <stdarg.h>
#include <stddef.h>

struct fmt_sink {
	/* Called with each piece of output; n may be 0. */
	void (*put)(struct fmt_sink *sink, const char *p, size_t n);
};

/* Formats fmt with ap into sink; returns the number of characters made.
 * Conversions: d i u x X o c s p %; flags - 0 + space; width and
 * precision (also as *); length modifiers hh h l ll z. */
int fmt_vformat(struct fmt_sink *sink, const char *fmt, va_list ap);

#endif
