/*
 * Physical page allocator (kernel/mm/pmm.c).  A bitmap over the RAM the
 * multiboot memory map reports.  The kernel maps all RAM below 1 GiB at the
 * same virtual address (identity), so a page's physical address is also the
 * pointer the kernel uses.
 */
#ifndef KERN_PMM_H
#define KERN_PMM_H

#include <kern/compiler.h>

#define PAGE_SIZE      4096u
#define PAGE_SHIFT     12
#define KERNEL_MAP_TOP 0x40000000u /* RAM above this is not used */

struct multiboot_info;
void pmm_init(struct multiboot_info *mbi);
/* One zeroed page, or NULL when memory is exhausted. */
void *page_alloc(void) __must_check;
void page_free(void *page);
/* n physically contiguous zeroed pages, or NULL. */
void *pages_alloc(size_t n) __must_check;
void pages_free(void *first, size_t n);
/* Frees boot memory (e.g. the initrd module) once it is consumed. */
void pmm_release(uintptr_t start, uintptr_t end);
size_t pmm_free_pages(void);
size_t pmm_total_pages(void);

#endif
