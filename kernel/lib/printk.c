/*
 * printk and snprintf: one formatter (fmt_emit) that sends characters to a
 * callback, used both for the console and for string buffers.  Pure C with
 * no kernel state besides the sink list, so host unit tests compile it.
 */
#include <kern/printk.h>
#include <kern/string.h>

typedef void (*emit_fn)(void *arg, char c);

struct spec {
	bool left, zero;
	int width, prec;
	int len; /* 0 int, 1 long, 2 long long, 3 size_t */
};

static void emit_pad(emit_fn emit, void *arg, int n, char c)
{
	while (n-- > 0)
		emit(arg, c);
}

/* Prints an unsigned number in base with sign/prefix, honouring spec. */
static void emit_num(emit_fn emit, void *arg, unsigned long long v, int base,
		     bool upper, bool neg, const char *prefix,
		     const struct spec *sp)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int n = 0;
	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	int plen = (int)strlen(prefix) + (neg ? 1 : 0);
	int pad = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		emit_pad(emit, arg, pad, ' ');
	if (neg)
		emit(arg, '-');
	for (const char *p = prefix; *p; p++)
		emit(arg, *p);
	if (!sp->left && sp->zero)
		emit_pad(emit, arg, pad, '0');
	while (n)
		emit(arg, buf[--n]);
	if (sp->left)
		emit_pad(emit, arg, pad, ' ');
}

static void emit_str(emit_fn emit, void *arg, const char *s,
		     const struct spec *sp)
{
	if (!s)
		s = "(null)";
	int n = (int)(sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
	if (!sp->left)
		emit_pad(emit, arg, sp->width - n, ' ');
	for (int i = 0; i < n; i++)
		emit(arg, s[i]);
	if (sp->left)
		emit_pad(emit, arg, sp->width - n, ' ');
}

/* Reads flags, width, precision and length; returns the conversion char. */
static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.prec = -1};
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		sp->prec = 0;
		if (*++f == '*') {
			sp->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->prec = sp->prec * 10 + (*f++ - '0');
	}
	for (; *f == 'l' || *f == 'z'; f++)
		sp->len = *f == 'z' ? 3 : sp->len + 1;
	return f;
}

static unsigned long long arg_unsigned(const struct spec *sp, va_list *ap)
{
	if (sp->len == 2)
		return va_arg(*ap, unsigned long long);
	if (sp->len == 1)
		return va_arg(*ap, unsigned long);
	if (sp->len == 3)
		return va_arg(*ap, size_t);
	return va_arg(*ap, unsigned int);
}

static long long arg_signed(const struct spec *sp, va_list *ap)
{
	if (sp->len == 2)
		return va_arg(*ap, long long);
	if (sp->len == 1)
		return va_arg(*ap, long);
	if (sp->len == 3)
		return (long long)va_arg(*ap, size_t);
	return va_arg(*ap, int);
}

static void fmt_emit(emit_fn emit, void *arg, const char *f, va_list ap0)
{
	va_list ap;
	va_copy(ap, ap0);
	for (; *f; f++) {
		if (*f != '%') {
			emit(arg, *f);
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp, &ap);
		switch (*f) {
		case 'd':
		case 'i': {
			long long v = arg_signed(&sp, &ap);
			unsigned long long u =
			    v < 0 ? 0ull - (unsigned long long)v
				  : (unsigned long long)v;
			emit_num(emit, arg, u, 10, false, v < 0, "", &sp);
			break;
		}
		case 'u':
			emit_num(emit, arg, arg_unsigned(&sp, &ap), 10, false,
				 false, "", &sp);
			break;
		case 'x':
		case 'X':
			emit_num(emit, arg, arg_unsigned(&sp, &ap), 16,
				 *f == 'X', false, "", &sp);
			break;
		case 'p':
			sp.zero = true;
			sp.width = 10;
			emit_num(emit, arg, (uintptr_t)va_arg(ap, void *), 16,
				 false, false, "0x", &sp);
			break;
		case 's':
			emit_str(emit, arg, va_arg(ap, const char *), &sp);
			break;
		case 'c':
			emit(arg, (char)va_arg(ap, int));
			break;
		case '\0':
			f--;
			break;
		default:
			emit(arg, *f);
		}
	}
	va_end(ap);
}

struct strbuf {
	char *buf;
	size_t size, len;
};

static void emit_buf(void *arg, char c)
{
	struct strbuf *sb = arg;
	if (sb->len + 1 < sb->size)
		sb->buf[sb->len] = c;
	sb->len++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct strbuf sb = {buf, size, 0};
	fmt_emit(emit_buf, &sb, fmt, ap);
	if (size)
		buf[sb.len < size ? sb.len : size - 1] = 0;
	return (int)sb.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

#define MAX_SINKS 4
static void (*sinks[MAX_SINKS])(char c);
static int nsinks;

void console_register_sink(void (*putc)(char c))
{
	if (nsinks < MAX_SINKS)
		sinks[nsinks++] = putc;
}

/* Writes one character to every sink; "\n" becomes "\r\n". */
void console_putc(char c)
{
	for (int i = 0; i < nsinks; i++) {
		if (c == '\n')
			sinks[i]('\r');
		sinks[i](c);
	}
}

static void emit_console(void *arg, char c)
{
	(void)arg;
	console_putc(c);
}

void vprintk(const char *fmt, va_list ap)
{
	fmt_emit(emit_console, NULL, fmt, ap);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
