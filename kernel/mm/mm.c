/*
 * User address spaces: creation, fork's full copy, the heap break and the
 * stack that grows on demand.  Pages are private to one mm (no sharing, no
 * copy-on-write), which keeps fork, exit and checkpoint simple to follow.
 * Every mapped user page is charged to the mm's container (mm_ctr) and the
 * containers above it (ctr_charge_pages): mm_pages is always exactly the
 * charge, and mm_free returns it.
 */
#include <kern/mm.h>
#include <kern/container.h>
#include <kern/pmm.h>
#include <kern/kheap.h>
#include <kern/sched.h>
#include <kern/string.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>

#define STACK_BOTTOM (USER_TOP - USER_STACK_MAX)

struct mm *mm_new(struct container *ctr)
{
	struct mm *mm = kzalloc(sizeof(*mm));
	if (!mm)
		return NULL;
	mm->mm_pgdir = vm_pgdir_new();
	if (!mm->mm_pgdir) {
		kfree(mm);
		return NULL;
	}
	mm->mm_brk_start = mm->mm_brk = USER_BASE;
	mm->mm_stack_low = USER_TOP;
	mm->mm_ctr = ctr;
	return mm;
}

/* vm_walk callback of mm_free: unmaps and frees one page, then a
 * preemption point (the mm is its exiting owner's or unseen). */
static int free_page(void *arg, uintptr_t va, void *page, uint32_t flags)
{
	struct mm *mm = arg;

	vm_unmap(mm->mm_pgdir, va);
	page_free(page);
	mm->mm_pages--;
	ctr_uncharge_pages(mm->mm_ctr, 1);
	sched_cond_resched();
	return 0;
}

void mm_free(struct mm *mm)
{
	if (!mm)
		return;
	(void)vm_walk(mm->mm_pgdir, free_page, mm);
	vm_pgdir_free(mm->mm_pgdir);
	kfree(mm);
}

int mm_map_page(struct mm *mm, uintptr_t va, void *page, uint32_t flags)
{
	if (ctr_charge_pages(mm->mm_ctr, 1) != 0)
		return -ENOMEM;
	if (vm_map(mm->mm_pgdir, va, page, flags) != 0) {
		ctr_uncharge_pages(mm->mm_ctr, 1);
		return -ENOMEM;
	}
	mm->mm_pages++;
	return 0;
}

/* Maps one zeroed page at va unless one is there; 0 or -ENOMEM. */
static int map_zero_page(struct mm *mm, uintptr_t va, uint32_t flags)
{
	if (vm_lookup(mm->mm_pgdir, va, NULL))
		return 0;
	void *page = page_alloc();
	if (!page)
		return -ENOMEM;
	if (mm_map_page(mm, va, page, flags | VM_USER) != 0) {
		page_free(page);
		return -ENOMEM;
	}
	return 0;
}

/* mm_map_zero; between pages it may give the CPU away (preempt) unless
 * interrupts are off (the page fault handler). */
static int map_zero(struct mm *mm, uintptr_t va, size_t len, uint32_t flags,
		    bool preempt)
{
	uintptr_t end = ROUNDUP(va + len, PAGE_SIZE);
	for (uintptr_t p = ROUNDDOWN(va, PAGE_SIZE); p < end; p += PAGE_SIZE) {
		if (map_zero_page(mm, p, flags) != 0)
			return -ENOMEM;
		if (preempt)
			sched_cond_resched(); /* mm: the caller's or unseen */
	}
	return 0;
}

int mm_map_zero(struct mm *mm, uintptr_t va, size_t len, uint32_t flags)
{
	return map_zero(mm, va, len, flags, true);
}

/* Unmaps and frees the pages of [start, end). */
static void unmap_range(struct mm *mm, uintptr_t start, uintptr_t end)
{
	for (uintptr_t p = start; p < end; p += PAGE_SIZE) {
		void *page = vm_unmap(mm->mm_pgdir, p);
		if (page) {
			page_free(page);
			mm->mm_pages--;
			ctr_uncharge_pages(mm->mm_ctr, 1);
		}
		sched_cond_resched(); /* mm is the caller's own or unseen */
	}
}

static int copy_page(void *arg, uintptr_t va, void *page, uint32_t flags)
{
	struct mm *dst = arg;
	void *copy = page_alloc();
	if (!copy)
		return -ENOMEM;
	memcpy(copy, page, PAGE_SIZE);
	if (mm_map_page(dst, va, copy, flags) != 0) {
		page_free(copy);
		return -ENOMEM;
	}
	sched_cond_resched(); /* src is the caller's own, dst unseen */
	return 0;
}

struct mm *mm_copy(struct mm *src, struct container *ctr)
{
	struct mm *mm = mm_new(ctr);
	if (!mm)
		return NULL;
	if (vm_walk(src->mm_pgdir, copy_page, mm) != 0) {
		mm_free(mm);
		return NULL;
	}
	mm->mm_brk_start = src->mm_brk_start;
	mm->mm_brk = src->mm_brk;
	mm->mm_stack_low = src->mm_stack_low;
	return mm;
}

int32_t mm_sbrk(struct mm *mm, int32_t incr)
{
	uintptr_t old = mm->mm_brk;
	if (incr == 0)
		return (int32_t)old;
	if (incr < 0) {
		if ((uintptr_t)(-(int64_t)incr) > old - mm->mm_brk_start)
			return -EINVAL;
		uintptr_t nbrk = old + (uintptr_t)(int64_t)incr;
		unmap_range(mm, ROUNDUP(nbrk, PAGE_SIZE),
			    ROUNDUP(old, PAGE_SIZE));
		mm->mm_brk = nbrk;
		return (int32_t)old;
	}
	if ((uint32_t)incr > USER_HEAP_LIMIT - old)
		return -ENOMEM;
	uintptr_t nbrk = old + (uint32_t)incr;
	if (mm_map_zero(mm, old, nbrk - old, VM_WRITE) != 0) {
		unmap_range(mm, ROUNDUP(old, PAGE_SIZE),
			    ROUNDUP(nbrk, PAGE_SIZE));
		return -ENOMEM;
	}
	mm->mm_brk = nbrk;
	return (int32_t)old;
}

int mm_fault(struct mm *mm, uintptr_t addr)
{
	if (addr < STACK_BOTTOM || addr >= USER_TOP)
		return -EFAULT;
	uintptr_t page = ROUNDDOWN(addr, PAGE_SIZE);
	if (page >= mm->mm_stack_low)
		return -EFAULT; /* mapped already: a protection fault */
	if (map_zero(mm, page, mm->mm_stack_low - page, VM_WRITE, false))
		return -EFAULT;
	mm->mm_stack_low = page;
	return 0;
}
