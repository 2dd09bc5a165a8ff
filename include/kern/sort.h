/*
 * In-place sorting for the kernel and for host tools (ckptdump, unit tests):
 * pure code, no allocation, no recursion, so it is safe on a small kernel
 * stack and on hostile input of any length.
 */
#ifndef KERN_SORT_H
#define KERN_SORT_H

#include <kern/compiler.h>

/* Does the element at a order before the element at b? */
typedef bool (*sort_less_fn)(const void *a, const void *b);

/* Sorts n elements of size bytes at base into ascending order (heapsort:
 * O(n log n) comparisons, not stable). */
void sort_heap(void *base, size_t n, size_t size, sort_less_fn less);

#endif
