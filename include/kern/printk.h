/* Kernel console output (kernel/lib/printk.c).  Formats: %d %i %u %x %X %p
 * %s %c %% with flags '-', '0', width, precision for %s, and length 'l',
 * 'll', 'z'. */
#ifndef KERN_PRINTK_H
#define KERN_PRINTK_H

#include <stdarg.h>
#include <kern/compiler.h>

/* Prints to every console sink (COM1, VGA). */
void printk(const char *fmt, ...) __printf(1, 2);
void vprintk(const char *fmt, va_list ap);
/* Formats into buf (always NUL-terminated when size > 0); returns the length
 * the full output would have had. */
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* A console sink: where printk's bytes go (COM1, VGA). */
void console_register_sink(void (*putc)(char c));
/* Writes c to every sink, "\n" as "\r\n"; any context. */
void console_putc(char c);

#endif
