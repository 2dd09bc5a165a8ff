/*
 * Physical page allocator: one bit per 4 KiB page of RAM below
 * KERNEL_MAP_TOP, set while the page is in use.  At boot every page is "in
 * use"; the usable ranges of the multiboot memory map are then freed, minus
 * the first MiB, the kernel image and the boot modules.  Pages come back
 * zeroed.  A rotating hint keeps single-page allocation close to O(1).
 */
#include <kern/pmm.h>
#include <kern/multiboot.h>
#include <kern/string.h>
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/irq.h>

#define MAX_PAGES (KERNEL_MAP_TOP / PAGE_SIZE)
#define WORD_BITS 32

static uint32_t bitmap[MAX_PAGES / WORD_BITS];
static size_t total_pages, free_pages, hint;
extern char kernel_start[], kernel_end[];

static bool page_used(size_t pfn)
{
	return bitmap[pfn / WORD_BITS] & (1u << (pfn % WORD_BITS));
}

static void mark(size_t pfn, bool used)
{
	if (used)
		bitmap[pfn / WORD_BITS] |= 1u << (pfn % WORD_BITS);
	else
		bitmap[pfn / WORD_BITS] &= ~(1u << (pfn % WORD_BITS));
}

/* Marks [start, end) (byte addresses) used or free, page by page. */
static void mark_range(uint64_t start, uint64_t end, bool used)
{
	if (end > KERNEL_MAP_TOP)
		end = KERNEL_MAP_TOP;
	uint64_t first =
	    used ? start / PAGE_SIZE : (start + PAGE_SIZE - 1) / PAGE_SIZE;
	uint64_t last =
	    used ? (end + PAGE_SIZE - 1) / PAGE_SIZE : end / PAGE_SIZE;
	for (uint64_t p = first; p < last && p < MAX_PAGES; p++) {
		if (page_used((size_t)p) == used)
			continue;
		mark((size_t)p, used);
		if (used)
			free_pages--;
		else
			free_pages++;
	}
}

void pmm_init(struct multiboot_info *mbi)
{
	memset(bitmap, 0xff, sizeof(bitmap));
	if (!(mbi->flags & MBI_MMAP))
		panic("no multiboot memory map");
	uint32_t p = mbi->mmap_addr, end = mbi->mmap_addr + mbi->mmap_length;
	while (p < end) {
		struct multiboot_mmap *m = (struct multiboot_mmap *)p;
		if (m->type == 1 && m->addr < KERNEL_MAP_TOP)
			mark_range(m->addr, m->addr + m->len, false);
		p += m->size + 4;
	}
	mark_range(0, 0x100000, true);
	mark_range((uintptr_t)kernel_start, (uintptr_t)kernel_end, true);
	if (mbi->flags & MBI_MODS) {
		struct multiboot_mod *mods = (void *)mbi->mods_addr;
		for (uint32_t i = 0; i < mbi->mods_count; i++)
			mark_range(mods[i].mod_start, mods[i].mod_end, true);
	}
	total_pages = free_pages;
}

/* Gives back boot memory (a module) once it has been consumed. */
void pmm_release(uintptr_t start, uintptr_t end)
{
	uint32_t fl = irq_save();
	size_t before = free_pages;
	mark_range(start, end, false);
	total_pages += free_pages - before;
	irq_restore(fl);
}

void *pages_alloc(size_t n)
{
	uint32_t fl = irq_save();
	size_t run = 0;
	for (size_t i = 0; i < MAX_PAGES; i++) {
		size_t pfn = (hint + i) % MAX_PAGES;
		if (pfn == 0)
			run = 0;
		if ((bitmap[pfn / WORD_BITS] == 0xffffffffu) &&
		    pfn % WORD_BITS == 0 && n == 1) {
			i += WORD_BITS - 1;
			continue;
		}
		run = page_used(pfn) ? 0 : run + 1;
		if (run < n)
			continue;
		size_t first = pfn + 1 - n;
		for (size_t j = first; j <= pfn; j++)
			mark(j, true);
		free_pages -= n;
		hint = pfn + 1;
		irq_restore(fl);
		void *mem = (void *)(first * PAGE_SIZE);
		memset(mem, 0, n * PAGE_SIZE);
		return mem;
	}
	irq_restore(fl);
	return NULL;
}

void *page_alloc(void)
{
	return pages_alloc(1);
}

void pages_free(void *first, size_t n)
{
	size_t pfn = (uintptr_t)first / PAGE_SIZE;
	uint32_t fl = irq_save();
	for (size_t i = 0; i < n; i++) {
		if (!page_used(pfn + i))
			panic("pages_free: page %p is not in use",
			      (void *)((pfn + i) * PAGE_SIZE));
		mark(pfn + i, false);
	}
	free_pages += n;
	irq_restore(fl);
}

void page_free(void *page)
{
	pages_free(page, 1);
}

size_t pmm_free_pages(void)
{
	return free_pages;
}

size_t pmm_total_pages(void)
{
	return total_pages;
}
