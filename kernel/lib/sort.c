/*
 * Heapsort, the one sort in the tree.  Checkpoint save sorts the open-file
 * and pipe pointers so that an object's index is found by binary search, and
 * the image validator sorts (container, number) keys to find numbers used
 * twice.  Heapsort needs neither recursion nor extra memory, and its worst
 * case is O(n log n) whatever the input, which matters when the input is an
 * untrusted image.  Pure C: the host tools link it too.
 */
#include <kern/sort.h>

/* Exchanges the size-byte elements at a and b. */
static void swap_elems(char *a, char *b, size_t size)
{
	for (size_t i = 0; i < size; i++) {
		char t = a[i];
		a[i] = b[i];
		b[i] = t;
	}
}

/* Moves element root of the heap base[0..end) down until both its children
 * order before it. */
static void sift_down(char *base, size_t root, size_t end, size_t size,
		      sort_less_fn less)
{
	for (size_t child; (child = 2 * root + 1) < end; root = child) {
		if (child + 1 < end &&
		    less(base + child * size, base + (child + 1) * size))
			child++;
		if (!less(base + root * size, base + child * size))
			return;
		swap_elems(base + root * size, base + child * size, size);
	}
}

void sort_heap(void *base, size_t n, size_t size, sort_less_fn less)
{
	char *b = base;

	for (size_t start = n / 2; start > 0; start--)
		sift_down(b, start - 1, n, size, less);
	for (size_t end = n; end > 1; end--) {
		swap_elems(b, b + (end - 1) * size, size);
		sift_down(b, 0, end - 1, size, less);
	}
}
