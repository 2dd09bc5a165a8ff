/*
 * Freestanding memory and string functions for the kernel (and host
 * tests).  The user libc builds this file too, with -DUSER_LIBC, for the
 * pure functions from memcmp on: one copy of each.  It has its own
 * memset, memcpy and memmove (rep movs/stos).
 */
#include <kern/string.h>
#ifdef KERNEL
#include <kern/arch.h>
#endif

#ifndef USER_LIBC
/*
 * memset and memcpy zero and copy every page the kernel hands out, so in
 * the kernel they use the architecture's word fill and copy (arch_fill32,
 * arch_copy32), which QEMU runs far faster than a byte loop; host unit
 * tests get plain C.
 */
void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
#ifdef KERNEL
	if ((((uintptr_t)d | n) & 3) == 0) {
		arch_fill32(d, (uint8_t)c * 0x01010101u, n / 4);
		return dst;
	}
#endif
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
#ifdef KERNEL
	if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
		arch_copy32(d, s, n / 4);
		return dst;
	}
#endif
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}
#endif

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c == 0 ? (char *)s : NULL;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}
