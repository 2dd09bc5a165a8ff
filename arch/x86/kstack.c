/*
 * Kernel stacks with guard pages.  The identity map of RAM uses 4 MiB pages,
 * so it cannot leave one 4 KiB hole below each stack.  Stacks therefore get
 * a virtual range of their own, [KSTACK_AREA, KSTACK_AREA_END), mapped with
 * 4 KiB pages: slot i holds an unmapped 16 KiB guard and then the 16 KiB
 * stack, whose pages come one by one from the page allocator (they need not
 * be contiguous).  A stack that runs off its bottom faults on the guard; the
 * guard is as big as the stack, so no single frame can jump over it.
 *
 * The area's page tables are allocated once at boot and their directory
 * entries copied into every page directory, so mapping a stack later shows
 * up in every address space at once.  Stack pages are global (PTE_G): they
 * stay in the TLB across address-space switches, and invlpg on free drops
 * them everywhere (one CPU).
 */
#include <kern/vm.h>
#include <kern/pmm.h>
#include <kern/task.h>
#include <kern/panic.h>
#include <kern/irq.h>
#include "x86.h"

#define GUARD_SIZE  (KSTACK_SLOT - KSTACK_SIZE)
#define STACK_PAGES (KSTACK_SIZE / PAGE_SIZE)
#define AREA_TABLES ((KSTACK_AREA_END - KSTACK_AREA) >> 22)

_Static_assert(KSTACK_AREA % (4u << 20) == 0, "area starts on a table");
_Static_assert(KSTACK_AREA >= USER_TOP, "area is above user space");
_Static_assert(GUARD_SIZE >= KSTACK_SIZE, "guard as big as a stack");

static uint32_t *area_pt[AREA_TABLES];	      /* the area's page tables */
static uint32_t slot_used[KSTACK_SLOTS / 32]; /* bitmap of slots in use */
static uint32_t slot_next;		      /* where the search starts */

void kstack_area_init(pde_t *pd)
{
	for (uint32_t i = 0; i < AREA_TABLES; i++) {
		area_pt[i] = page_alloc();
		if (!area_pt[i])
			panic("no memory for the kernel stack page tables");
		pd[PDX(KSTACK_AREA) + i] = (uint32_t)area_pt[i] | PTE_P | PTE_W;
	}
}

void kstack_area_share(pde_t *pd)
{
	for (uint32_t i = 0; i < AREA_TABLES; i++)
		pd[PDX(KSTACK_AREA) + i] = (uint32_t)area_pt[i] | PTE_P | PTE_W;
}

/* The PTE for va, which must lie in the area. */
static uint32_t *area_pte(uintptr_t va)
{
	uint32_t i = (va - KSTACK_AREA) >> 12;
	return &area_pt[i >> 10][i & 0x3ff];
}

/* Takes a free slot (next fit): its number, or -1 when all are in use. */
static int slot_take(void)
{
	for (uint32_t n = 0; n < KSTACK_SLOTS; n++) {
		uint32_t s = (slot_next + n) % KSTACK_SLOTS;
		if (slot_used[s / 32] & (1u << (s % 32)))
			continue;
		slot_used[s / 32] |= 1u << (s % 32);
		slot_next = (s + 1) % KSTACK_SLOTS;
		return (int)s;
	}
	return -1;
}

static void slot_put(uint32_t s)
{
	slot_used[s / 32] &= ~(1u << (s % 32));
}

/* Unmaps and frees the first n pages of the stack at base. */
static void stack_unmap(uintptr_t base, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		uintptr_t va = base + i * PAGE_SIZE;
		uint32_t *pte = area_pte(va);
		void *page = (void *)PTE_ADDR(*pte);
		*pte = 0;
		vm_flush(va);
		page_free(page);
	}
}

void *kstack_alloc(void)
{
	uint32_t fl = irq_save();
	int s = slot_take();
	irq_restore(fl);
	if (s < 0)
		return NULL;
	uintptr_t base = KSTACK_AREA + (uint32_t)s * KSTACK_SLOT + GUARD_SIZE;
	uint32_t i;
	for (i = 0; i < STACK_PAGES; i++) {
		void *page = page_alloc();
		if (!page)
			goto out_pages;
		*area_pte(base + i * PAGE_SIZE) =
		    (uint32_t)page | PTE_P | PTE_W | PTE_G;
	}
	return (void *)base;
out_pages:
	stack_unmap(base, i);
	fl = irq_save();
	slot_put((uint32_t)s);
	irq_restore(fl);
	return NULL;
}

void kstack_free(void *stack)
{
	uintptr_t base = (uintptr_t)stack;
	KASSERT(base >= KSTACK_AREA && base < KSTACK_AREA_END &&
		(base - KSTACK_AREA) % KSTACK_SLOT == GUARD_SIZE);
	stack_unmap(base, STACK_PAGES);
	uint32_t fl = irq_save();
	slot_put((base - KSTACK_AREA) / KSTACK_SLOT);
	irq_restore(fl);
}

void *kstack_guard_hit(uintptr_t addr)
{
	if (addr < KSTACK_AREA || addr >= KSTACK_AREA_END)
		return NULL;
	uintptr_t slot = ROUNDDOWN(addr - KSTACK_AREA, KSTACK_SLOT);
	if (addr - KSTACK_AREA - slot >= GUARD_SIZE)
		return NULL;
	return (void *)(KSTACK_AREA + slot + GUARD_SIZE);
}

bool kstack_mapped(uintptr_t addr)
{
	if (addr < KSTACK_AREA || addr >= KSTACK_AREA_END)
		return false;
	return (*area_pte(addr) & PTE_P) != 0;
}
