/* Kernel heap (kernel/mm/kheap.c): kmalloc/kfree for objects of any size. */
#ifndef KERN_KHEAP_H
#define KERN_KHEAP_H

#include <kern/compiler.h>
#include <kern/string.h>

/* size bytes, 16-byte aligned, or NULL when out of memory. */
void *kmalloc(size_t size) __must_check;
void kfree(void *p);

/* Same as kmalloc, zeroed. */
static inline __must_check void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}
/* Bytes currently handed out by kmalloc (what /proc/meminfo HeapUsed shows). */
size_t kheap_used(void);

#endif
