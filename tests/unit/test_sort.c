// SOURCES: kernel/lib/sort.c
/*
 * sort_heap (kernel/lib/sort.c) on the element types its callers use: uint32_t
 * keys and pointers.  Each array is checked against the input by counting
 * (same multiset) and for order, for every length up to 64 and several
 * patterns (random with repeats, sorted, reversed, all equal).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/sort.h>

static bool u32_less(const void *a, const void *b)
{
	return *(const uint32_t *)a < *(const uint32_t *)b;
}

static bool ptr_less(const void *a, const void *b)
{
	return (uintptr_t) * (void *const *)a < (uintptr_t) * (void *const *)b;
}

/* Fills a[0..n) with pattern p (0 random, 1 ascending, 2 descending, 3 equal).
 */
static void fill(uint32_t *a, size_t n, int p)
{
	for (size_t i = 0; i < n; i++)
		a[i] = p == 0	? (uint32_t)rand() % 16
		       : p == 1 ? (uint32_t)i
		       : p == 2 ? (uint32_t)(n - i)
				: 7;
}

static void check_u32(size_t n, int p)
{
	uint32_t a[64], count[65] = {0};

	fill(a, n, p);
	for (size_t i = 0; i < n; i++)
		count[a[i] % 65]++;
	sort_heap(a, n, sizeof(a[0]), u32_less);
	for (size_t i = 0; i < n; i++) {
		assert(i == 0 || a[i - 1] <= a[i]);
		count[a[i] % 65]--;
	}
	for (size_t i = 0; i < 65; i++)
		assert(count[i] == 0);
}

static void check_ptrs(size_t n, int p)
{
	static char pool[64];
	uint32_t idx[64];
	void *a[64];
	size_t count[64] = {0};

	fill(idx, n, p);
	for (size_t i = 0; i < n; i++) {
		a[i] = &pool[idx[i] % 64];
		count[idx[i] % 64]++;
	}
	sort_heap(a, n, sizeof(a[0]), ptr_less);
	for (size_t i = 0; i < n; i++) {
		assert(i == 0 || (char *)a[i - 1] <= (char *)a[i]);
		count[(char *)a[i] - pool]--;
	}
	for (size_t i = 0; i < 64; i++)
		assert(count[i] == 0);
}

int main(void)
{
	srand(1);
	for (size_t n = 0; n <= 64; n++)
		for (int p = 0; p < 4; p++) {
			check_u32(n, p);
			check_ptrs(n, p);
		}
	printf("sort: ok\n");
	return 0;
}
