/*
 * malloc/free over sbrk: the classic first-fit free list of K&R (section
 * 8.7).  Free blocks sit on a circular list sorted by address, so free can
 * merge a block with its neighbours.  Each block starts with a header that
 * records its size in header-sized units.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef union header {
	struct {
		union header *next; /* next free block (only while free) */
		size_t units;	    /* size of this block, header included */
	} s;
	long long align; /* blocks are 8-byte aligned */
} header_t;

#define MIN_GROW 1024 /* units asked from sbrk at least (8 KiB) */

static header_t base;	/* a zero-sized block to start the list */
static header_t *freep; /* where the last search stopped */

void free(void *ptr)
{
	header_t *b, *p;

	if (!ptr)
		return;
	b = (header_t *)ptr - 1;
	for (p = freep; !(b > p && b < p->s.next); p = p->s.next)
		if (p >= p->s.next && (b > p || b < p->s.next))
			break;		   /* b goes at one end of the arena */
	if (b + b->s.units == p->s.next) { /* merge with the block above */
		b->s.units += p->s.next->s.units;
		b->s.next = p->s.next->s.next;
	} else {
		b->s.next = p->s.next;
	}
	if (p + p->s.units == b) { /* merge with the block below */
		p->s.units += b->s.units;
		p->s.next = b->s.next;
	} else {
		p->s.next = b;
	}
	freep = p;
}

/* Asks the kernel for at least units more units; NULL when it refuses. */
static header_t *morecore(size_t units)
{
	header_t *h;

	if (units < MIN_GROW)
		units = MIN_GROW;
	if (units > (size_t)INTPTR_MAX / sizeof(header_t))
		return NULL;
	h = sbrk((intptr_t)(units * sizeof(header_t)));
	if (h == (void *)-1)
		return NULL;
	h->s.units = units;
	free(h + 1);
	return freep;
}

void *malloc(size_t n)
{
	header_t *p, *prev;
	size_t units;

	if (n > SIZE_MAX / 2)
		return NULL;
	units = (n + sizeof(header_t) - 1) / sizeof(header_t) + 1;
	if (!freep) {
		base.s.next = freep = &base;
		base.s.units = 0;
	}
	prev = freep;
	for (p = prev->s.next;; prev = p, p = p->s.next) {
		if (p->s.units >= units) {
			if (p->s.units == units) {
				prev->s.next = p->s.next;
			} else { /* hand out the tail end */
				p->s.units -= units;
				p += p->s.units;
				p->s.units = units;
			}
			freep = prev;
			return p + 1;
		}
		if (p == freep && !(p = morecore(units)))
			return NULL;
	}
}

void *calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size)
		return NULL;
	p = malloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

void *realloc(void *ptr, size_t n)
{
	header_t *h;
	size_t have;
	void *q;

	if (!ptr)
		return malloc(n);
	h = (header_t *)ptr - 1;
	have = (h->s.units - 1) * sizeof(header_t);
	if (n <= have)
		return ptr;
	q = malloc(n);
	if (q) {
		memcpy(q, ptr, have);
		free(ptr);
	}
	return q;
}
