/*
 * fmt_vformat: the one printf implementation.  It walks the format string,
 * copies plain text straight to the sink and expands each %-conversion into
 * a padded field.  Numbers are converted into a small buffer right to left.
 */
#include "fmt.h"

#include <stdint.h>

/* One parsed conversion specification. */
struct spec {
	int left;  /* '-' : pad on the right */
	int zero;  /* '0' : pad numbers with zeros */
	char sign; /* '+' or ' ' before non-negative signed numbers, or 0 */
	int width; /* minimum field width */
	int prec;  /* precision, -1 when absent */
	int len; /* length modifier: 0 int, 1 long, 2 long long, -1 h, -2 hh, 3
		    size_t */
};

/* Output state: the sink and a running count. */
struct out {
	struct fmt_sink *sink;
	int count;
};

static void emit(struct out *o, const char *p, size_t n)
{
	o->sink->put(o->sink, p, n);
	o->count += (int)n;
}

static void pad(struct out *o, char c, int n)
{
	char buf[16];
	int i;

	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = c;
	while (n > 0) {
		int k = n < (int)sizeof(buf) ? n : (int)sizeof(buf);
		emit(o, buf, (size_t)k);
		n -= k;
	}
}

/* Emits prefix (sign or 0x), zeros, then body, padded to the field width. */
static void field(struct out *o, const struct spec *s, const char *prefix,
		  int zeros, const char *body, int blen)
{
	int plen = 0;
	int fill;

	while (prefix[plen])
		plen++;
	fill = s->width - plen - zeros - blen;
	if (fill > 0 && s->zero && !s->left && s->prec < 0) {
		zeros += fill;
		fill = 0;
	}
	if (!s->left)
		pad(o, ' ', fill);
	emit(o, prefix, (size_t)plen);
	pad(o, '0', zeros);
	emit(o, body, (size_t)blen);
	if (s->left)
		pad(o, ' ', fill);
}

/* Formats an unsigned number; neg adds a '-'; prefix is "0x" for %p / %#x. */
static void number(struct out *o, const struct spec *s, unsigned long long v,
		   int neg, unsigned base, int upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int i = sizeof(buf);
	int zeros = 0;
	char sign[4] = {0};

	while (v != 0) {
		/* cppcheck-suppress zerodivcond ; base is 8, 10 or 16 */
		buf[--i] = digits[v % base];
		v /= base;
	}
	if (i == (int)sizeof(buf) && s->prec != 0)
		buf[--i] = '0'; /* printf("%.0d", 0) prints nothing */
	if (s->prec > (int)sizeof(buf) - i)
		zeros = s->prec - ((int)sizeof(buf) - i);
	if (neg)
		sign[0] = '-';
	else if (s->sign)
		sign[0] = s->sign;
	if (prefix[0]) {
		sign[0] = prefix[0];
		sign[1] = prefix[1];
	}
	field(o, s, sign, zeros, buf + i, (int)sizeof(buf) - i);
}

/* Reads a signed argument of the size the length modifier names. */
static long long arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (long long)va_arg(*ap, size_t);
	case -1:
		return (short)va_arg(*ap, int);
	case -2:
		return (signed char)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

/* Reads an unsigned argument of the size the length modifier names. */
static unsigned long long arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned);
	case -2:
		return (unsigned char)va_arg(*ap, unsigned);
	default:
		return va_arg(*ap, unsigned);
	}
}

/* Parses flags, width, precision and length after '%'; returns the
 * position of the conversion character. */
static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	*s = (struct spec){.prec = -1};
	for (;; f++) {
		if (*f == '-')
			s->left = 1;
		else if (*f == '0')
			s->zero = 1;
		else if (*f == '+' || (*f == ' ' && s->sign != '+'))
			s->sign = *f;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = 1;
			s->width = -s->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l' && s->len >= 0 && s->len < 2)
			s->len++;
		else if (*f == 'h' && s->len <= 0 && s->len > -2)
			s->len--;
		else if (*f == 'z')
			s->len = 3;
		else
			break;
	}
	return f;
}

/* Expands one conversion character c. */
static void convert(struct out *o, struct spec *s, char c, va_list *ap)
{
	long long v;
	const char *str;
	int n = 0;
	char ch;

	switch (c) {
	case 'd':
	case 'i':
		v = arg_signed(s, ap);
		number(o, s,
		       v < 0 ? 0ULL - (unsigned long long)v
			     : (unsigned long long)v,
		       v < 0, 10, 0, "");
		break;
	case 'u':
	case 'x':
	case 'X':
	case 'o':
		number(o, s, arg_unsigned(s, ap), 0,
		       c == 'o'	  ? 8
		       : c == 'u' ? 10
				  : 16,
		       c == 'X', "");
		break;
	case 'p':
		s->sign = 0;
		number(o, s, (uintptr_t)va_arg(*ap, void *), 0, 16, 0, "0x");
		break;
	case 'c':
		ch = (char)va_arg(*ap, int);
		s->prec = -1;
		field(o, s, "", 0, &ch, 1);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		if (!str)
			str = "(null)";
		while (str[n] && (s->prec < 0 || n < s->prec))
			n++;
		s->zero = 0;
		field(o, s, "", 0, str, n);
		break;
	default: /* "%%" and anything unknown print themselves */
		emit(o, &c, 1);
		break;
	}
}

int fmt_vformat(struct fmt_sink *sink, const char *fmt, va_list ap)
{
	struct out o = {sink, 0};
	struct spec s;
	va_list args;
	const char *p;

	va_copy(args, ap);
	while (*fmt) {
		for (p = fmt; *p && *p != '%'; p++)
			;
		if (p > fmt)
			emit(&o, fmt, (size_t)(p - fmt));
		if (!*p)
			break;
		p = parse_spec(p + 1, &s, &args);
		if (!*p)
			break;
		convert(&o, &s, *p, &args);
		fmt = p + 1;
	}
	va_end(args);
	return o.count;
}
