/*
 * Buffered streams.  A FILE is either an output stream (bytes wait in buf
 * until it fills, a newline arrives on a line-buffered stream, or fflush)
 * or an input stream (buf holds bytes read ahead).  stdout decides on its
 * first write: line-buffered if it is a character device (the console),
 * else fully buffered.  stderr is unbuffered.  Formatting is fmt.c's job.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"

enum {
	F_READ = 1,    /* input stream */
	F_UNBUF = 2,   /* write through at once */
	F_LINEBUF = 4, /* flush on newline */
	F_DECIDE = 8,  /* choose line/full buffering on first write */
	F_EOF = 16,
	F_ERR = 32,
};

struct FILE {
	int fd;
	int flags;
	int len;	   /* output: bytes waiting; input: bytes in buf */
	int pos;	   /* input: next byte to hand out */
	struct FILE *next; /* all streams, for fflush(NULL) */
	char buf[BUFSIZ];
};

static FILE stdin_file = {0, F_READ, 0, 0, NULL, {0}};
static FILE stdout_file = {1, F_DECIDE, 0, 0, &stdin_file, {0}};
static FILE stderr_file = {2, F_UNBUF, 0, 0, &stdout_file, {0}};
static FILE *all_files = &stderr_file;

FILE *stdin = &stdin_file;
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

/* Writes out what is waiting in f's buffer. */
int fflush(FILE *f)
{
	if (!f) {
		for (f = all_files; f; f = f->next)
			fflush(f);
		return 0;
	}
	if ((f->flags & F_READ) || f->len == 0)
		return 0;
	if (write_all(f->fd, f->buf, (size_t)f->len) < 0)
		f->flags |= F_ERR;
	f->len = 0;
	return (f->flags & F_ERR) ? EOF : 0;
}

/* On a first write to stdout, line-buffer it if it is the console. */
static void decide_buffering(FILE *f)
{
	struct cb_stat st;

	f->flags &= ~F_DECIDE;
	if (fstat(f->fd, &st) < 0 || st.st_type == S_IFCHR)
		f->flags |= F_LINEBUF;
}

/* Appends n bytes to f's buffer, flushing as its buffering mode says. */
static void put_bytes(FILE *f, const char *p, size_t n)
{
	int newline = 0;

	if (f->flags & F_DECIDE)
		decide_buffering(f);
	while (n-- > 0) {
		if (f->len == BUFSIZ)
			fflush(f);
		if (*p == '\n')
			newline = 1;
		f->buf[f->len++] = *p++;
	}
	if ((f->flags & F_UNBUF) || (newline && (f->flags & F_LINEBUF)))
		fflush(f);
}

size_t fwrite(const void *p, size_t size, size_t count, FILE *f)
{
	put_bytes(f, p, size * count);
	return (f->flags & F_ERR) ? 0 : count;
}

int fputc(int c, FILE *f)
{
	char ch = (char)c;

	put_bytes(f, &ch, 1);
	return (unsigned char)c;
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int fputs(const char *s, FILE *f)
{
	put_bytes(f, s, strlen(s));
	return 0;
}

int puts(const char *s)
{
	fputs(s, stdout);
	return fputc('\n', stdout);
}

/* A sink into a FILE. */
struct file_sink {
	struct fmt_sink sink;
	FILE *f;
};

static void file_put(struct fmt_sink *s, const char *p, size_t n)
{
	put_bytes(((struct file_sink *)s)->f, p, n);
}

/* Formats into f; an unbuffered stream gets the whole text in one write. */
int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct file_sink s = {{file_put}, f};
	int unbuf = f->flags & F_UNBUF;
	int n;

	f->flags &= ~F_UNBUF;
	n = fmt_vformat(&s.sink, fmt, ap);
	f->flags |= unbuf;
	if (unbuf)
		fflush(f);
	return n;
}

/* The body of a printf that hands its ... on: returns call, with ap the
 * arguments after last. */
#define RETURN_VA(last, call)                                                  \
	do {                                                                   \
		va_list ap;                                                    \
		int n;                                                         \
		va_start(ap, last);                                            \
		n = (call);                                                    \
		va_end(ap);                                                    \
		return n;                                                      \
	} while (0)

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	RETURN_VA(fmt, vfprintf(f, fmt, ap));
}

int printf(const char *fmt, ...)
{
	RETURN_VA(fmt, vfprintf(stdout, fmt, ap));
}

/* dprintf formats through a temporary unbuffered-at-the-end stream. */
int vdprintf(int fd, const char *fmt, va_list ap)
{
	FILE f = {fd, F_UNBUF, 0, 0, NULL, {0}};

	return vfprintf(&f, fmt, ap);
}

int dprintf(int fd, const char *fmt, ...)
{
	RETURN_VA(fmt, vdprintf(fd, fmt, ap));
}

/* A sink into a fixed buffer that keeps room for the NUL. */
struct buf_sink {
	struct fmt_sink sink;
	char *buf;
	size_t size, len;
};

static void buf_put(struct fmt_sink *s, const char *p, size_t n)
{
	struct buf_sink *b = (struct buf_sink *)s;

	for (; n > 0; n--, p++)
		if (b->len + 1 < b->size)
			b->buf[b->len++] = *p;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_sink b = {{buf_put}, buf, size, 0};
	int n = fmt_vformat(&b.sink, fmt, ap);

	if (size > 0)
		buf[b.len] = 0;
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	RETURN_VA(fmt, vsnprintf(buf, size, fmt, ap));
}

/* ---- opening, closing and reading ---------------------------------- */

FILE *fdopen(int fd, const char *mode)
{
	FILE *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->fd = fd;
	f->flags = mode[0] == 'r' ? F_READ : 0;
	f->next = all_files;
	all_files = f;
	return f;
}

FILE *fopen(const char *path, const char *mode)
{
	int flags = O_RDONLY;
	int fd;
	FILE *f;

	if (mode[0] == 'w')
		flags = O_WRONLY | O_CREAT | O_TRUNC;
	else if (mode[0] == 'a')
		flags = O_WRONLY | O_CREAT | O_APPEND;
	if (strchr(mode, 'e'))
		flags |= O_CLOEXEC; /* as glibc: "re" closes on exec */
	fd = open(path, flags);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (!f)
		close(fd);
	return f;
}

int fclose(FILE *f)
{
	FILE **pp;
	int r = fflush(f);

	if (close(f->fd) < 0)
		r = EOF;
	for (pp = &all_files; *pp; pp = &(*pp)->next) {
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	}
	if (f != stdin && f != stdout && f != stderr)
		free(f);
	return r;
}

int fileno(FILE *f)
{
	return f->fd;
}
int feof(FILE *f)
{
	return (f->flags & F_EOF) != 0;
}
int ferror(FILE *f)
{
	return (f->flags & F_ERR) != 0;
}

/* Refills an input stream; 0 at end of file or on error. */
static int fill(FILE *f)
{
	int n;

	if (f->flags & (F_EOF | F_ERR))
		return 0;
	if (f == stdin)
		fflush(stdout); /* show the prompt before waiting */
	n = read(f->fd, f->buf, BUFSIZ);
	if (n <= 0) {
		f->flags |= n == 0 ? F_EOF : F_ERR;
		return 0;
	}
	f->len = n;
	f->pos = 0;
	return n;
}

int fgetc(FILE *f)
{
	if (f->pos >= f->len && !fill(f))
		return EOF;
	return (unsigned char)f->buf[f->pos++];
}

int getchar(void)
{
	return fgetc(stdin);
}

char *fgets(char *buf, int size, FILE *f)
{
	int n = 0;
	int c;

	while (n + 1 < size) {
		c = fgetc(f);
		if (c == EOF)
			break;
		buf[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (n == 0 && size > 0)
		return NULL;
	if (size > 0)
		buf[n] = 0;
	return buf;
}

size_t fread(void *p, size_t size, size_t count, FILE *f)
{
	char *dst = p;
	size_t want = size * count, got = 0;

	while (got < want) {
		int c = fgetc(f);
		if (c == EOF)
			break;
		dst[got++] = (char)c;
	}
	return size ? got / size : 0;
}
