/*
 * A user address space (kernel/mm/mm.c): a page directory plus the program's
 * break and how far its stack has grown.  Layout (uapi/cellblock.h):
 *
 *   USER_BASE   program text, data, bss     (from the ELF)
 *   brk_start   heap, grown by sbrk          up to brk
 *   ...         unmapped
 *   stack_low   stack, grown on fault        down from USER_TOP,
 *   USER_TOP                                  at most USER_STACK_MAX
 */
#ifndef KERN_MM_H
#define KERN_MM_H

#include <kern/vm.h>

struct container;

struct mm {
	pde_t *mm_pgdir;
	uintptr_t mm_brk_start;	  /* first heap byte (page aligned) */
	uintptr_t mm_brk;	  /* current break */
	uintptr_t mm_stack_low;	  /* lowest mapped stack page */
	size_t mm_pages;	  /* user pages mapped */
	struct container *mm_ctr; /* mm_pages are charged to it (and above) */
};

/* An empty address space whose pages are charged to ctr, or NULL. */
struct mm *mm_new(struct container *ctr) __must_check;
/* Frees mm and its pages and returns their charge, a preemption point
 * between pages: call it with interrupts on, on a mm nobody else will use
 * (its exiting owner's, one replaced by exec, or an unseen one). */
void mm_free(struct mm *mm);
/* A full copy of src (fork) charged to ctr, or NULL with nothing left
 * allocated or charged (memory, or ctr's page cap). */
struct mm *mm_copy(struct mm *src, struct container *ctr) __must_check;
/* Maps page at va with flags, charging it: 0, or -ENOMEM (cap reached,
 * or no page table) with nothing changed and page still the caller's. */
int mm_map_page(struct mm *mm, uintptr_t va, void *page,
		uint32_t flags) __must_check;
/* Maps zeroed pages over [va, va+len): 0 or -ENOMEM (then the caller frees
 * the whole mm).  A preemption point between pages (sched_cond_resched):
 * call it with interrupts on, on the caller's own or an unseen mm. */
int mm_map_zero(struct mm *mm, uintptr_t va, size_t len,
		uint32_t flags) __must_check;
/* Moves the break by incr; returns the old break or -ENOMEM (memory, or
 * the container's page cap), changing nothing on failure. */
int32_t mm_sbrk(struct mm *mm, int32_t incr);
/* Handles a user fault at addr: grows the stack if addr is in the stack
 * area.  0 if the access can be retried, else -EFAULT. */
int mm_fault(struct mm *mm, uintptr_t addr) __must_check;

#endif
