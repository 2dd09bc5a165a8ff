/*
 * ELF32 loader.  Every header field is checked against the file's length and
 * the user address range before anything is mapped, so a truncated or
 * hostile file is -ENOEXEC and never a crash.  Segments are copied from the
 * file page by page, giving the CPU away between pages when another task is
 * due, so a big program does not stall everyone while it loads; a file that
 * shrinks meanwhile is -ENOEXEC, and one rewritten meanwhile may load a mix
 * of old and new bytes (the checks rely only on the headers, read once).
 */
#include <kern/proc.h>
#include <kern/mm.h>
#include <kern/pmm.h>
#include <kern/ramfs.h>
#include <kern/sched.h>
#include <kern/vfs.h>
#include <kern/string.h>
#include <uapi/errno.h>

struct elf_hdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __packed;

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __packed;

#define PT_LOAD 1
#define PF_W 2
#define ELF_MAX_PHDRS 16

static bool segment_ok(const struct elf_phdr *ph, size_t len)
{
	if (ph->filesz > ph->memsz || ph->offset > len ||
	    ph->filesz > len - ph->offset)
		return false;
	if (ph->vaddr < USER_BASE || ph->vaddr >= USER_HEAP_LIMIT)
		return false;
	return ph->memsz <= USER_HEAP_LIMIT - ph->vaddr;
}

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

/* Reads and checks the ELF header and program headers: 0 or -ENOEXEC. */
static int elf_check(struct elf_image *im)
{
	const struct elf_hdr *h = &im->h;
	size_t len = im->len;
	if (len < sizeof(*h) || file_read(im->ino, 0, &im->h, sizeof(*h)) ||
	    memcmp(h->ident, "\x7f" "ELF", 4) != 0 ||
	    h->ident[4] != 1 || h->ident[5] != 1 || h->type != 2 ||
	    h->machine != 3 || h->phentsize != sizeof(struct elf_phdr) ||
	    h->phnum == 0 || h->phnum > ELF_MAX_PHDRS || h->phoff > len ||
	    (size_t)h->phnum * sizeof(struct elf_phdr) > len - h->phoff ||
	    file_read(im->ino, h->phoff, im->ph, h->phnum * sizeof(im->ph[0])))
		return -ENOEXEC;
	const struct elf_phdr *ph = im->ph;
	bool entry_ok = false;
	for (int i = 0; i < h->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (!segment_ok(&ph[i], len))
			return -ENOEXEC;
		if (h->entry >= ph[i].vaddr && h->entry - ph[i].vaddr < ph[i].memsz)
			entry_ok = true;
	}
	return entry_ok ? 0 : -ENOEXEC;
}

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
		uint8_t *page = vm_lookup(mm->mm_pgdir, ROUNDDOWN(va, PAGE_SIZE), NULL);
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
	int err = elf_check(&im);
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
