/*
 * Page tables (arch/x86/paging.c).  Every page directory maps RAM below
 * KERNEL_MAP_TOP at the same address, supervisor-only (the kernel's view),
 * and user pages in [USER_BASE, USER_TOP).  Page 0 is never mapped, so a
 * NULL dereference faults even in the kernel.
 */
#ifndef KERN_VM_H
#define KERN_VM_H

#include <kern/compiler.h>

#define VM_WRITE 0x2u
#define VM_USER	 0x4u

typedef uint32_t pde_t;

void vm_init(void);
/* A new page directory with the kernel map only, or NULL. */
pde_t *vm_pgdir_new(void) __must_check;
/* Frees every user page, every page table and the directory itself. */
void vm_pgdir_free(pde_t *pd);
void vm_activate(pde_t *pd);
/* The kernel-only directory (used while no task runs). */
pde_t *vm_kernel_pgdir(void);
/* Maps page at user address va with flags VM_WRITE|VM_USER: 0 or -ENOMEM. */
int vm_map(pde_t *pd, uintptr_t va, void *page, uint32_t flags) __must_check;
/* The page mapped at va (and its flags), or NULL. */
void *vm_lookup(pde_t *pd, uintptr_t va, uint32_t *flags);
/* Sets the flags of the page mapped at va (if any). */
void vm_protect(pde_t *pd, uintptr_t va, uint32_t flags);
/* Removes the mapping at va and returns the page (not freed), or NULL. */
void *vm_unmap(pde_t *pd, uintptr_t va);
/* Calls fn for every mapped user page in address order; stops at the first
 * nonzero return and returns it. */
int vm_walk(pde_t *pd,
	    int (*fn)(void *arg, uintptr_t va, void *page, uint32_t flags),
	    void *arg);
/* Maps device registers at physical [phys, phys + len) at the same
 * address, uncached and supervisor-only, in the kernel map; user page
 * directories made afterwards share it.  Only above USER_TOP (where PCI
 * memory lives): the address, or NULL. */
void *vm_map_mmio(uintptr_t phys, size_t len) __must_check;
/*
 * Pre-copy dirty tracking: true if the page mapped at va in pd was written
 * since the last call for it, or mapped since (or never asked about);
 * false if it is unchanged or not mapped.  Resets that state, so the next
 * call sees only later writes.  Works on any address space, the current
 * one included (docs/checkpoint.md, "Incremental rounds").
 */
bool vm_dirty_test_clear(pde_t *pd, uintptr_t va);
/* The same question without resetting anything. */
bool vm_dirty_test(pde_t *pd, uintptr_t va);
/* Drops any TLB entry for va in the current address space. */
void vm_flush(uintptr_t va);

/*
 * Kernel stacks (arch/x86/kstack.c) live in a range of their own, shared by
 * every page directory: slots of KSTACK_SLOT bytes, each an unmapped guard
 * followed by a KSTACK_SIZE stack (kern/task.h), so a stack that overflows
 * faults on its guard at once instead of running into other memory.
 */
#define KSTACK_AREA	0xc0400000u /* 4 MiB above USER_TOP */
#define KSTACK_SLOT	0x8000u	    /* 16 KiB guard + 16 KiB stack */
#define KSTACK_SLOTS	8192u	    /* tasks alive at once, at most */
#define KSTACK_AREA_END (KSTACK_AREA + KSTACK_SLOTS * KSTACK_SLOT)

/* A mapped, zeroed kernel stack (its lowest address), or NULL when memory
 * or slots run out. */
void *kstack_alloc(void) __must_check;
/* Unmaps and frees a stack from kstack_alloc. */
void kstack_free(void *stack);
/* The stack whose guard contains addr, or NULL if addr is in no guard. */
void *kstack_guard_hit(uintptr_t addr);
/* Is addr inside a mapped kernel stack? (For the backtrace.) */
bool kstack_mapped(uintptr_t addr);

#endif
