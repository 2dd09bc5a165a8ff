/*
 * Host stand-ins for the kernel services the file system layer uses, for
 * the fs unit tests (include once, from the test file).  Allocations are
 * counted so a test can prove nothing leaked, and can be made to fail
 * (fail_after) to exercise out-of-memory paths.
 */
#ifndef TEST_FS_STUBS_H
#define TEST_FS_STUBS_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* uapi/cellblock.h defines its own wait-status macros. */
#undef WIFEXITED
#undef WEXITSTATUS
#undef WIFSIGNALED
#undef WTERMSIG

#include <kern/compiler.h>
#include <kern/pmm.h>
#include <kern/kheap.h>

#include "check.h"

static long stub_live_allocs; /* kmalloc'd blocks not yet freed */
static long stub_live_pages;  /* pages not yet freed */
static long stub_fail_after =
    -1; /* allocations left before failing; -1: never */

static int stub_should_fail(void)
{
	if (stub_fail_after < 0)
		return 0;
	if (stub_fail_after == 0)
		return 1;
	stub_fail_after--;
	return 0;
}

void *kmalloc(size_t size)
{
	void *p;

	if (stub_should_fail())
		return NULL;
	p = malloc(size ? size : 1);
	if (p)
		stub_live_allocs++;
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	stub_live_allocs--;
	free(p);
}

size_t kheap_used(void)
{
	return (size_t)stub_live_allocs;
}

void *page_alloc(void)
{
	void *p;

	if (stub_should_fail())
		return NULL;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE);
	if (p) {
		memset(p, 0, PAGE_SIZE);
		stub_live_pages++;
	}
	return p;
}

void page_free(void *p)
{
	stub_live_pages--;
	free(p);
}

size_t pmm_free_pages(void)
{
	return 1000;
}
size_t pmm_total_pages(void)
{
	return 2000;
}

static int stub_quiet_printk = 1;
static char stub_last_printk[256];

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_last_printk, sizeof(stub_last_printk), fmt, ap);
	va_end(ap);
	if (!stub_quiet_printk)
		fputs(stub_last_printk, stdout);
}

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("PANIC: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	abort();
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t k = n < size - 1 ? n : size - 1;
		memcpy(dst, src, k);
		dst[k] = '\0';
	}
	return n;
}

#endif
