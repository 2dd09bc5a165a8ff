/*
 * Two-level x86 paging.  The kernel half of every page directory is the same:
 * RAM below KERNEL_MAP_TOP mapped at its own address, supervisor-only, with
 * 4 MiB pages (one 4 KiB table for the first 4 MiB so that page 0 stays
 * unmapped and NULL faults), plus the kernel stack area above USER_TOP
 * (arch/x86/kstack.c: 4 KiB pages, a guard below every stack).  The user
 * half, [USER_BASE, USER_TOP), has a 4 KiB page table per 4 MiB, allocated
 * as needed.
 */
#include <kern/vm.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <kern/panic.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>
#include "x86.h"

#define CR0_PG	0x80000000u
#define CR0_WP	0x00010000u
#define CR4_PSE 0x10
#define CR4_PGE 0x80

static pde_t kernel_pd[1024] __aligned(4096);
static uint32_t low_pt[1024] __aligned(4096);

void vm_init(void)
{
	for (uint32_t i = 1; i < 1024; i++)
		low_pt[i] = (i << 12) | PTE_P | PTE_W | PTE_G;
	kernel_pd[0] = (uint32_t)low_pt | PTE_P | PTE_W;
	for (uint32_t i = 1; i < PDX(KERNEL_MAP_TOP); i++)
		kernel_pd[i] = (i << 22) | PTE_P | PTE_W | PTE_PS | PTE_G;
	kstack_area_init(kernel_pd);
	lcr4(rcr4() | CR4_PSE | CR4_PGE);
	lcr3((uint32_t)kernel_pd);
	/* WP: the kernel too honours read-only user pages. */
	lcr0(rcr0() | CR0_PG | CR0_WP);
	gdt_fault_task_paging((uint32_t)kernel_pd);
	cpu_protect_init();
}

pde_t *vm_kernel_pgdir(void)
{
	return kernel_pd;
}

pde_t *vm_pgdir_new(void)
{
	pde_t *pd = page_alloc();
	if (!pd)
		return NULL;
	memcpy(pd, kernel_pd, PDX(KERNEL_MAP_TOP) * sizeof(pde_t));
	kstack_area_share(pd);
	/* Device registers above user space (vm_map_mmio). */
	memcpy(pd + PDX(USER_TOP), kernel_pd + PDX(USER_TOP),
	       (1024 - PDX(USER_TOP)) * sizeof(pde_t));
	return pd;
}

void vm_pgdir_free(pde_t *pd)
{
	for (uint32_t i = PDX(USER_BASE); i < PDX(USER_TOP); i++) {
		if (!(pd[i] & PTE_P))
			continue;
		uint32_t *pt = (uint32_t *)PTE_ADDR(pd[i]);
		for (int j = 0; j < 1024; j++)
			if (pt[j] & PTE_P)
				page_free((void *)PTE_ADDR(pt[j]));
		page_free(pt);
	}
	page_free(pd);
}

void *vm_map_mmio(uintptr_t phys, size_t len)
{
	uintptr_t last = phys + len - 1;

	if (phys < USER_TOP || len == 0 || last < phys)
		return NULL;
	for (uint32_t i = PDX(phys); i <= PDX(last); i++) {
		kernel_pd[i] =
		    (i << 22) | PTE_P | PTE_W | PTE_PS | PTE_PCD | PTE_PWT;
		vm_flush(i << 22);
	}
	return (void *)phys;
}

void vm_activate(pde_t *pd)
{
	lcr3((uint32_t)pd);
}

/* The PTE slot for user address va, allocating its table if create. */
static uint32_t *vm_pte(pde_t *pd, uintptr_t va, bool create)
{
	pde_t *pde = &pd[PDX(va)];
	if (!(*pde & PTE_P)) {
		if (!create)
			return NULL;
		void *pt = page_alloc();
		if (!pt)
			return NULL;
		*pde = (uint32_t)pt | PTE_P | PTE_W | PTE_U;
	}
	return &((uint32_t *)PTE_ADDR(*pde))[PTX(va)];
}

int vm_map(pde_t *pd, uintptr_t va, void *page, uint32_t flags)
{
	KASSERT(va >= USER_BASE && va < USER_TOP && !(va & 0xfff));
	uint32_t *pte = vm_pte(pd, va, true);
	if (!pte)
		return -ENOMEM;
	KASSERT(!(*pte & PTE_P));
	*pte = (uint32_t)page | PTE_P | (flags & (VM_WRITE | VM_USER));
	return 0;
}

void *vm_lookup(pde_t *pd, uintptr_t va, uint32_t *flags)
{
	if (va < USER_BASE || va >= USER_TOP)
		return NULL;
	uint32_t *pte = vm_pte(pd, va, false);
	if (!pte || !(*pte & PTE_P))
		return NULL;
	if (flags)
		*flags = *pte & (VM_WRITE | VM_USER);
	return (void *)PTE_ADDR(*pte);
}

void vm_protect(pde_t *pd, uintptr_t va, uint32_t flags)
{
	uint32_t *pte = vm_pte(pd, va, false);
	if (!pte || !(*pte & PTE_P))
		return;
	*pte = PTE_ADDR(*pte) | PTE_P | (flags & (VM_WRITE | VM_USER));
	vm_flush(va);
}

void *vm_unmap(pde_t *pd, uintptr_t va)
{
	uint32_t *pte = vm_pte(pd, va, false);
	if (!pte || !(*pte & PTE_P))
		return NULL;
	void *page = (void *)PTE_ADDR(*pte);
	*pte = 0;
	vm_flush(va);
	return page;
}

int vm_walk(pde_t *pd,
	    int (*fn)(void *arg, uintptr_t va, void *page, uint32_t flags),
	    void *arg)
{
	for (uint32_t i = PDX(USER_BASE); i < PDX(USER_TOP); i++) {
		if (!(pd[i] & PTE_P))
			continue;
		uint32_t *pt = (uint32_t *)PTE_ADDR(pd[i]);
		for (uint32_t j = 0; j < 1024; j++) {
			if (!(pt[j] & PTE_P))
				continue;
			int r = fn(arg, (i << 22) | (j << 12),
				   (void *)PTE_ADDR(pt[j]),
				   pt[j] & (VM_WRITE | VM_USER));
			if (r)
				return r;
		}
	}
	return 0;
}

/*
 * Dirty tracking uses the x86 dirty bit (PTE_D), which the CPU sets on the
 * first write through a TLB entry that does not already say "dirty", and
 * an available bit (PTE_SENT) set once a round has copied the page: a PTE
 * without it (new mapping: vm_map; vm_protect rewrites it too) counts as
 * dirty, so pages mapped between rounds are never missed.
 *
 * The TLB: a cached translation whose dirty flag is set lets the CPU write
 * without touching the PTE again, so clearing PTE_D while such an entry
 * survives would lose every later write.  User PTEs are never global
 * (PTE_G), and this single-CPU kernel uses no PCIDs, so loading CR3 drops
 * every user translation: an address space that is not the current one
 * has no TLB entries at all, and its next write after the clear walks the
 * page tables and sets PTE_D again.  For the current address space the
 * entry for va is dropped with invlpg after the clear.  Nothing can write
 * the page between the read and the write of the PTE: one CPU, and this
 * runs in the kernel.
 */
static bool dirty_test(pde_t *pd, uintptr_t va, bool clear)
{
	uint32_t *pte;

	if (va < USER_BASE || va >= USER_TOP)
		return false;
	pte = vm_pte(pd, va, false);
	if (!pte || !(*pte & PTE_P))
		return false;
	bool dirty = (*pte & PTE_D) || !(*pte & PTE_SENT);
	if (clear && dirty) {
		*pte = (*pte & ~(uint32_t)PTE_D) | PTE_SENT;
		if (rcr3() == (uint32_t)pd)
			vm_flush(va);
	}
	return dirty;
}

bool vm_dirty_test_clear(pde_t *pd, uintptr_t va)
{
	return dirty_test(pd, va, true);
}

bool vm_dirty_test(pde_t *pd, uintptr_t va)
{
	return dirty_test(pd, va, false);
}

void vm_flush(uintptr_t va)
{
	__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
}
