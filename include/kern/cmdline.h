/*
 * The kernel command line (kernel/lib/cmdline.c): `key=value` knobs, then
 * `init=/bin/PROG ARG...` (every word after init= belongs to init).  A first
 * word without '=' is the kernel's own path (GRUB and QEMU put it there) and
 * is skipped.  Unknown knobs are warned about and ignored.
 */
#ifndef KERN_CMDLINE_H
#define KERN_CMDLINE_H

#include <kern/compiler.h>

#define CMDLINE_MAX   512
#define INIT_ARGS_MAX 16

struct cmdline {
	char buf[CMDLINE_MAX]; /* words, NUL separated */
	const char *init_argv[INIT_ARGS_MAX + 1];
	int init_argc;
	const char *keys[16], *vals[16];
	int nknobs;
};

/* Parses line into cl; warn(msg, word) is called for each bad word. */
void cmdline_parse(struct cmdline *cl, const char *line,
		   void (*warn)(const char *msg, const char *word));
/* The value of knob key, or NULL. */
const char *cmdline_get(const struct cmdline *cl, const char *key);
/* Knob key as a decimal number in [min, max]; def if absent or bad. */
uint32_t cmdline_uint(const struct cmdline *cl, const char *key, uint32_t def,
		      uint32_t min, uint32_t max);

#endif
