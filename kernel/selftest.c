/*
 * Boot-time self-tests chosen with ktest=NAME, for the test harness:
 *   mm     page allocator and heap patterns; prints "mm selftest: PASS"
 *   panic  a deliberate panic (exit status, message, backtrace)
 *   fault  a deliberate kernel-mode page fault (exception report)
 *   ckpt-bad-image  checkpoint writes images restore refuses, to test
 *          that a migration then keeps the container (kernel/ckpt_save.c)
 */
#include <kern/selftest.h>
#include <kern/pmm.h>
#include <kern/kheap.h>
#include <kern/printk.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <kern/ckpt.h>

static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		printk("mm selftest: FAIL %s\n", what);
		failures++;
	}
}

static void test_pages(void)
{
	size_t base = pmm_free_pages();
	void *p[64];
	for (int i = 0; i < 64; i++) {
		p[i] = page_alloc();
		check(p[i] != NULL, "page_alloc");
		check(p[i] && ((uint32_t *)p[i])[100] == 0, "page zeroed");
		if (p[i])
			memset(p[i], 0xab, PAGE_SIZE);
	}
	check(pmm_free_pages() == base - 64, "free count after 64 allocs");
	for (int i = 0; i < 64; i += 2)
		page_free(p[i]);
	void *run = pages_alloc(16);
	check(run != NULL, "16 contiguous pages");
	pages_free(run, 16);
	for (int i = 1; i < 64; i += 2)
		page_free(p[i]);
	check(pmm_free_pages() == base, "free count back to baseline");
}

static void test_exhaustion(void)
{
	size_t base = pmm_free_pages(), n = 0;
	void **chain = NULL; /* each page holds a pointer to the previous */
	for (void **pg; (pg = page_alloc()) != NULL; n++) {
		*pg = chain;
		chain = pg;
	}
	check(n == base, "allocated every free page");
	check(page_alloc() == NULL, "exhausted allocator returns NULL");
	check(kmalloc(5000) == NULL, "kmalloc fails cleanly when out of pages");
	while (chain) {
		void **prev = *chain;
		page_free(chain);
		chain = prev;
	}
	check(pmm_free_pages() == base, "free count after exhaustion");
}

static void test_heap(void)
{
	size_t pages = pmm_free_pages(), used = kheap_used();
	static void *objs[500];
	for (int i = 0; i < 500; i++) {
		size_t sz = (size_t)(i * 37 % 3000) + 1;
		objs[i] = kmalloc(sz);
		check(objs[i] != NULL, "kmalloc");
		check(((uintptr_t)objs[i] & 15) == 0, "16-byte alignment");
		if (objs[i])
			memset(objs[i], i & 0xff, sz);
	}
	for (int i = 0; i < 500; i += 3)
		kfree(objs[i]);
	for (int i = 0; i < 500; i++)
		if (i % 3 != 0)
			kfree(objs[i]);
	/* sizes whose page count would wrap round to one page or none */
	for (size_t sz = SIZE_MAX; sz > SIZE_MAX - 16 - PAGE_SIZE; sz -= 1000) {
		void *p = kmalloc(sz);
		check(p == NULL, "kmalloc of nearly 4 GiB fails");
		if (p && sz == SIZE_MAX)
			kfree(p);
		if (p)
			break; /* a wrapped run of 0 pages cannot be freed */
	}
	check(kheap_used() == used, "heap bytes back to baseline");
	check(pmm_free_pages() == pages, "heap pages back to baseline");
}

int selftest_mm(void)
{
	failures = 0;
	test_pages();
	test_heap();
	test_exhaustion();
	printk("mm selftest: %s (%u pages free of %u)\n",
	       failures ? "FAIL" : "PASS", (unsigned)pmm_free_pages(),
	       (unsigned)pmm_total_pages());
	return failures;
}

void selftest_run(const char *name)
{
	if (strcmp(name, "panic") == 0)
		panic("ktest=panic requested");
	if (strcmp(name, "ckpt-bad-image") == 0)
		ckpt_test_bad_image = true;
	if (strcmp(name, "fault") == 0) {
		printk("ktest: writing to address 0 in kernel mode\n");
		/* cppcheck-suppress nullPointer ; deliberate */
		*(volatile uint32_t *)0 = 0xdead;
	}
}
