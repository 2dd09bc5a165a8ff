/*
 * Boot-time self-tests chosen with ktest=NAME, for the test harness:
 *   mm     page allocator and heap patterns; prints "mm selftest: PASS"
 *   panic  a deliberate panic (exit status, message, backtrace)
 *   fault  a deliberate kernel-mode page fault (exception report)
 *   stackoverflow  endless recursion on a task's kernel stack: the guard
 *          page below it must stop it with a named report and a panic
 *   stackguard  one write just below a task's kernel stack, the stack
 *          pointer still inside it (a page fault, not a double fault):
 *          the same named report
 *   smap   a direct kernel read of a user address (after copyin has read
 *          the same word): must be stopped as a SMAP violation
 *   smep   a kernel call into a user page: must be stopped by SMEP
 * The last four power off with status 1 if nothing stops them.
 *   ckpt-bad-image  checkpoint writes images restore refuses, to test
 *          that a migration then keeps the container (kernel/ckpt/ckpt_save.c)
 */
#include <kern/selftest.h>
#include <kern/pmm.h>
#include <kern/kheap.h>
#include <kern/printk.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/mm.h>
#include <kern/arch.h>
#include <kern/usercopy.h>
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

/* A task with a PID in the system container and one zeroed user page at
 * USER_BASE, made current with its address space active. */
static struct task *ktest_task(const char *name)
{
	struct task *t = task_alloc(name);
	if (!t || pid_attach(t, ctr_system) != 0)
		panic("ktest: no memory for a test task");
	t->tk_mm = mm_new(ctr_system);
	if (!t->tk_mm || mm_map_zero(t->tk_mm, USER_BASE, PAGE_SIZE, VM_WRITE))
		panic("ktest: no memory for a test address space");
	task_link(t);
	sched_set_current(t);
	return t;
}

/* The kernel address of the test task's user page. */
static uint8_t *ktest_page(struct task *t)
{
	return vm_lookup(t->tk_mm->mm_pgdir, USER_BASE, NULL);
}

static volatile uint32_t recurse_limit = 0xffffffffu;

/* Recurses with 256-byte frames until the stack runs out. */
static __attribute__((noinline)) uint32_t recurse(uint32_t depth)
{
	volatile uint8_t frame[256];
	frame[0] = (uint8_t)depth;
	if (depth >= recurse_limit)
		return frame[0];
	return recurse(depth + 1) + frame[0];
}

static struct context *boot_ctx;

/* Where the stackoverflow test task starts, on its own kernel stack. */
static void overflow_entry(void)
{
	printk("ktest: recursing on the kernel stack of task %u (%s)\n",
	       (unsigned)tsk_pid(current), current->tk_name);
	recurse(0);
	printk("ktest: the recursion came back: no guard page\n");
	arch_poweroff(1);
}

/* Where the stackguard test task starts, on its own kernel stack. */
static void guard_entry(void)
{
	printk("ktest: writing below the kernel stack of task %u (%s)\n",
	       (unsigned)tsk_pid(current), current->tk_name);
	((volatile uint32_t *)current->tk_kstack)[-1] = 0;
	printk("ktest: the write went through: no guard page\n");
	arch_poweroff(1);
}

/* Runs entry on the kernel stack of a new test task called name. */
static void ktest_on_task_stack(const char *name, void (*entry)(void))
{
	struct task *t = ktest_task(name);
	arch_context_set_pc(t->tk_ctx, entry);
	swtch(&boot_ctx, t->tk_ctx);
}

static void ktest_smap(void)
{
	struct task *t = ktest_task("ktest-smap");
	uint32_t v = 0;
	*(uint32_t *)ktest_page(t) = 0x5a5a1234u;
	if (copyin(&v, UPTR(USER_BASE), sizeof(v)) != 0 || v != 0x5a5a1234u)
		panic("ktest: copyin cannot read the test page");
	printk("ktest: copyin read 0x%x from user address 0x%x\n", (unsigned)v,
	       (unsigned)USER_BASE);
	printk("ktest: reading user address 0x%x directly\n",
	       (unsigned)USER_BASE);
	v = *(volatile uint32_t *)USER_BASE;
	printk("ktest: the direct read was not stopped (0x%x): no SMAP\n",
	       (unsigned)v);
	arch_poweroff(1);
}

static void ktest_smep(void)
{
	struct task *t = ktest_task("ktest-smep");
	ktest_page(t)[0] = 0xc3; /* ret */
	printk("ktest: calling user address 0x%x from the kernel\n",
	       (unsigned)USER_BASE);
	((void (*)(void))USER_BASE)();
	printk("ktest: the kernel ran code on a user page: no SMEP\n");
	arch_poweroff(1);
}

void selftest_run(const char *name)
{
	if (strcmp(name, "stackoverflow") == 0)
		ktest_on_task_stack("ktest-overflow", overflow_entry);
	if (strcmp(name, "stackguard") == 0)
		ktest_on_task_stack("ktest-guard", guard_entry);
	if (strcmp(name, "smap") == 0)
		ktest_smap();
	if (strcmp(name, "smep") == 0)
		ktest_smep();
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
