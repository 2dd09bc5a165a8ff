/*
 * ELF32 loader.  Every header field is checked against the file's length and
 * the user address range before anything is mapped (kernel/elf_check.c), so
 * a truncated or hostile file is -ENOEXEC and never a crash.
 */
#include <kern/elf_check.h>
#include <kern/proc.h>
#include <kern/mm.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <uapi/errno.h>

_Static_assert(ELF_USER_LIMIT == MM_HEAP_LIMIT, "segments end below the heap");

/* Copies n bytes to user address va of mm (not the active one). */
static void mm_poke(struct mm *mm, uintptr_t va, const void *src, size_t n)
{
	const uint8_t *s = src;
	while (n > 0) {
		uint8_t *page = vm_lookup(mm->mm_pgdir, ROUNDDOWN(va, PAGE_SIZE), NULL);
		size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		memcpy(page + (va & (PAGE_SIZE - 1)), s, chunk);
		va += chunk;
		s += chunk;
		n -= chunk;
	}
}

int elf_load(struct mm *mm, const void *image, size_t len, uintptr_t *entry)
{
	const struct elf_phdr *ph = elf_check(image, len);
	if (!ph)
		return -ENOEXEC;
	const struct elf_hdr *h = image;
	uintptr_t top = USER_BASE;
	for (int i = 0; i < h->phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		bool w = ph[i].flags & PF_W;
		if (mm_map_zero(mm, ph[i].vaddr, ph[i].memsz, w ? VM_WRITE : 0))
			return -ENOMEM;
		/* A page shared with an earlier read-only segment. */
		for (uintptr_t p = ROUNDDOWN(ph[i].vaddr, PAGE_SIZE);
		     w && p < ph[i].vaddr + ph[i].memsz; p += PAGE_SIZE)
			vm_protect(mm->mm_pgdir, p, VM_WRITE | VM_USER);
		mm_poke(mm, ph[i].vaddr, (const char *)image + ph[i].offset,
			ph[i].filesz);
		top = MAX(top, ph[i].vaddr + ph[i].memsz);
	}
	mm->mm_brk_start = mm->mm_brk = ROUNDUP(top, PAGE_SIZE);
	*entry = h->entry;
	return 0;
}

/* Exposed for exec.c: writes into a not-yet-active address space. */
void elf_mm_poke(struct mm *mm, uintptr_t va, const void *src, size_t n)
{
	mm_poke(mm, va, src, n);
}
