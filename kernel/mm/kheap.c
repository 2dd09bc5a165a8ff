/*
 * Kernel heap.  Small objects (up to 1 KiB) come from slab pages, one page
 * per size class at a time: a header, then equal slots on a free list.  A
 * slab page that empties goes straight back to the page allocator, so once
 * everything is freed the free-page count is back where it started.  Larger
 * objects get whole contiguous pages with a small header in front.
 */
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <kern/panic.h>
#include <kern/irq.h>

#define SLAB_MAGIC  0x51ab51abu
#define LARGE_MAGIC 0x1a26e000u
#define NCLASSES    7  /* 16, 32, ..., 1024 */
#define HDR	    32 /* keeps slots 16-byte aligned */

struct slab {
	uint32_t magic;
	uint32_t cls;
	uint32_t nfree;
	void *free;
	struct slab *next, *prev;
};

struct large {
	uint32_t magic;
	uint32_t npages;
};

static struct slab *partial[NCLASSES];
static size_t used_bytes;

static size_t class_size(int cls)
{
	return (size_t)16 << cls;
}

static int size_class(size_t size)
{
	for (int c = 0; c < NCLASSES; c++)
		if (size <= class_size(c))
			return c;
	return -1;
}

static void slab_unlink(struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void slab_push(struct slab *s)
{
	s->prev = NULL;
	s->next = partial[s->cls];
	if (s->next)
		s->next->prev = s;
	partial[s->cls] = s;
}

static struct slab *slab_new(int cls)
{
	struct slab *s = page_alloc();
	if (!s)
		return NULL;
	s->magic = SLAB_MAGIC;
	s->cls = (uint32_t)cls;
	size_t sz = class_size(cls);
	for (size_t off = HDR; off + sz <= PAGE_SIZE; off += sz) {
		void **slot = (void **)((char *)s + off);
		*slot = s->free;
		s->free = slot;
		s->nfree++;
	}
	slab_push(s);
	return s;
}

/* Whole pages with the header in front: NULL when size, with the header
 * and the rounding up, would not fit in a size_t (the page count would
 * wrap to a tiny run), or when pages are short. */
static void *large_alloc(size_t size)
{
	if (size > SIZE_MAX - 16 - (PAGE_SIZE - 1))
		return NULL;
	size_t n = (size + 16 + PAGE_SIZE - 1) / PAGE_SIZE;
	struct large *l = pages_alloc(n);
	if (!l)
		return NULL;
	l->magic = LARGE_MAGIC;
	l->npages = (uint32_t)n;
	used_bytes += n * PAGE_SIZE;
	return (char *)l + 16;
}

void *kmalloc(size_t size)
{
	int cls = size_class(size ? size : 1);
	if (cls < 0)
		return large_alloc(size);
	uint32_t fl = irq_save();
	struct slab *s = partial[cls] ? partial[cls] : slab_new(cls);
	void **slot = NULL;
	if (s) {
		slot = s->free;
		s->free = *slot;
		if (--s->nfree == 0)
			slab_unlink(s);
		used_bytes += class_size(cls);
	}
	irq_restore(fl);
	return slot;
}

void kfree(void *p)
{
	if (!p)
		return;
	uint32_t fl = irq_save();
	struct slab *s =
	    (struct slab *)((uintptr_t)p & ~(uintptr_t)(PAGE_SIZE - 1));
	if (s->magic == LARGE_MAGIC) {
		struct large *l = (struct large *)s;
		used_bytes -= l->npages * PAGE_SIZE;
		l->magic = 0;
		pages_free(l, l->npages);
	} else if (s->magic == SLAB_MAGIC) {
		void **slot = p;
		*slot = s->free;
		s->free = slot;
		used_bytes -= class_size((int)s->cls);
		if (s->nfree++ == 0)
			slab_push(s);
		if (s->nfree == (PAGE_SIZE - HDR) / class_size((int)s->cls)) {
			slab_unlink(s);
			s->magic = 0;
			page_free(s);
		}
	} else {
		panic("kfree: %p is not a heap object", p);
	}
	irq_restore(fl);
}

size_t kheap_used(void)
{
	return used_bytes;
}
