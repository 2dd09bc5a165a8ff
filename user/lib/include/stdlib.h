/* General utilities: conversions, memory allocation, exit. */
#ifndef USER_STDLIB_H
#define USER_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1

int atoi(const char *s);
long strtol(const char *s, char **end, int base);
unsigned long strtoul(const char *s, char **end, int base);
int abs(int x);

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t size);
void *realloc(void *p, size_t n);

/* Flushes stdio, then ends the process. */
void exit(int code) __attribute__((noreturn));
/* Ends the process with SIGKILL (there is no SIGABRT). */
void abort(void) __attribute__((noreturn));
char *getenv(const char *name); /* always NULL: there is no environment */

#endif
