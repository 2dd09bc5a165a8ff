/*
 * Standard I/O.  stdout is line-buffered on the console and fully buffered
 * otherwise; stderr is unbuffered.  Input streams are buffered too.  Every
 * write loops until all bytes are out (pipes and the console may take
 * fewer).  fork() flushes stdout first so nothing prints twice.
 */
#ifndef USER_STDIO_H
#define USER_STDIO_H

#include <stdarg.h>
#include <stddef.h>

#define EOF    (-1)
#define BUFSIZ 1024

typedef struct FILE FILE;

extern FILE *stdin;
extern FILE *stdout;
extern FILE *stderr;

int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int fprintf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int dprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int vprintf(const char *fmt, va_list ap);
int vfprintf(FILE *f, const char *fmt, va_list ap);
int vdprintf(int fd, const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int fputc(int c, FILE *f);
int putchar(int c);
int fputs(const char *s, FILE *f);
int puts(const char *s);
size_t fwrite(const void *p, size_t size, size_t count, FILE *f);
int fflush(FILE *f); /* NULL flushes every stream */
void perror(const char *msg);

FILE *fopen(const char *path, const char *mode); /* "r", "w", "a"; +"e":
						   O_CLOEXEC */
FILE *fdopen(int fd, const char *mode);
int fclose(FILE *f);
int fileno(FILE *f);
int fgetc(FILE *f);
int getchar(void);
/* Reads a line (with its '\n') into buf; NULL at end of file or error. */
char *fgets(char *buf, int size, FILE *f);
size_t fread(void *p, size_t size, size_t count, FILE *f);
int feof(FILE *f);
int ferror(FILE *f);

#endif
