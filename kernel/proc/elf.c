/*
 * ELF32 loader.  Every header field is checked against the file's length and
 * the user address range before anything is mapped (kernel/lib/elf_check.c), so
 * a truncated or hostile file is -ENOEXEC and never a crash.  Segments are
 * copied from the file page by page, giving the CPU away between pages when
 * another task is due, so a big program does not stall everyone while it
 * loads; a file that shrinks meanwhile is -ENOEXEC, and one rewritten
 * meanwhile may load a mix of old and new bytes (the checks rely only on
 * the headers, read once).
 */
#include <kern/elf_check.h>
#include <kern/proc.h>
#include <kern/mm.h>
#include <kern/pmm.h>
#include <kern/ramfs.h>
#include <kern/sched.h>
#include <kern/vfs.h>
#include <kern/string.h>
#include <uapi/errno.h>

/* The headers of an ELF file, read out of it. */
struct elf_image {
	struct inode *ino;
	uint32_t len; /* the file's size when it was opened */
	struct elf_hdr h;
	struct elf_phdr ph[ELF_MAX_PHDRS];
};

/* Reads n bytes at off of the file: 0, or -ENOEXEC if it has fewer (it may
 * have shrunk since it was checked). */
static int file_read(struct inode *ino, uint32_t off, void *buf, size_t n)
{
	return ramfs_read(ino, off, buf, n) == (int32_t)n ? 0 : -ENOEXEC;
}

/* Reads the ELF header and program headers and checks them with the
 * shared checks (kernel/lib/elf_check.c): 0 or -ENOEXEC. */
static int elf_read_headers(struct elf_image *im)
{
	const struct elf_hdr *h = &im->h;
	if (im->len < sizeof(*h) || file_read(im->ino, 0, &im->h, sizeof(*h)) ||
	    !elf_hdr_ok(h, im->len) ||
	    file_read(im->ino, h->phoff, im->ph, h->phnum * sizeof(im->ph[0])))
		return -ENOEXEC;
	return elf_phdrs_ok(h, im->ph, im->len) ? 0 : -ENOEXEC;
}

/* Copies n bytes to user address va of mm (not the active one). */
static void mm_poke(struct mm *mm, uintptr_t va, const void *src, size_t n)
{
	const uint8_t *s = src;
	while (n > 0) {
		uint8_t *page =
		    vm_lookup(mm->mm_pgdir, ROUNDDOWN(va, PAGE_SIZE), NULL);
		size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		memcpy(page + (va & (PAGE_SIZE - 1)), s, chunk);
		va += chunk;
		s += chunk;
		n -= chunk;
	}
}

/* Copies the file part of segment ph into mm (mapped already), page by
 * page straight from the file, with a preemption point between pages: mm
 * is not in use yet, the file is held and read afresh each page.  0 or
 * -ENOEXEC. */
static int load_segment(struct mm *mm, struct inode *ino,
			const struct elf_phdr *ph)
{
	uintptr_t va = ph->vaddr;
	uint32_t off = ph->offset, n = ph->filesz;
	while (n > 0) {
		uint8_t *page =
		    vm_lookup(mm->mm_pgdir, ROUNDDOWN(va, PAGE_SIZE), NULL);
		size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		if (file_read(ino, off, page + (va & (PAGE_SIZE - 1)), chunk))
			return -ENOEXEC;
		va += chunk;
		off += chunk;
		n -= chunk;
		sched_cond_resched();
	}
	return 0;
}

int elf_load(struct mm *mm, struct inode *ino, uintptr_t *entry)
{
	struct elf_image im = {.ino = ino, .len = ino->i_ramfs.r_size};
	int err = elf_read_headers(&im);
	if (err)
		return err;
	const struct elf_phdr *ph = im.ph;
	uintptr_t top = USER_BASE;
	for (int i = 0; i < im.h.phnum; i++) {
		if (ph[i].type != PT_LOAD || ph[i].memsz == 0)
			continue;
		bool w = ph[i].flags & PF_W;
		if (mm_map_zero(mm, ph[i].vaddr, ph[i].memsz, w ? VM_WRITE : 0))
			return -ENOMEM;
		/* A page shared with an earlier read-only segment. */
		for (uintptr_t p = ROUNDDOWN(ph[i].vaddr, PAGE_SIZE);
		     w && p < ph[i].vaddr + ph[i].memsz; p += PAGE_SIZE)
			vm_protect(mm->mm_pgdir, p, VM_WRITE | VM_USER);
		err = load_segment(mm, ino, &ph[i]);
		if (err)
			return err;
		top = MAX(top, ph[i].vaddr + ph[i].memsz);
	}
	mm->mm_brk_start = mm->mm_brk = ROUNDUP(top, PAGE_SIZE);
	*entry = im.h.entry;
	return 0;
}

/* Exposed for exec.c: writes into a not-yet-active address space. */
void elf_mm_poke(struct mm *mm, uintptr_t va, const void *src, size_t n)
{
	mm_poke(mm, va, src, n);
}
