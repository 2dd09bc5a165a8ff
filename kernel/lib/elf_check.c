/*
 * ELF32 header checks.  Every header field is checked against the file's
 * length and the user address range before the loader (kernel/proc/elf.c) maps
 * anything, so a truncated or hostile file is refused and never a crash.
 * Pure C with no kernel state, so the host fuzz target runs this very code.
 */
#include <stdbool.h>
#include <kern/elf_check.h>
#include <kern/string.h>
#include <uapi/cellblock.h>

/* Does the loadable segment ph lie inside the file and the user range? */
static bool segment_ok(const struct elf_phdr *ph, size_t len)
{
	if (ph->filesz > ph->memsz || ph->offset > len ||
	    ph->filesz > len - ph->offset)
		return false;
	if (ph->vaddr < USER_BASE || ph->vaddr >= ELF_USER_LIMIT)
		return false;
	return ph->memsz <= ELF_USER_LIMIT - ph->vaddr;
}

bool elf_hdr_ok(const struct elf_hdr *h, size_t len)
{
	return len >= sizeof(*h) && memcmp(h->ident, "\177ELF", 4) == 0 &&
	       h->ident[4] == 1 && h->ident[5] == 1 && h->type == 2 &&
	       h->machine == 3 && h->phentsize == sizeof(struct elf_phdr) &&
	       h->phnum != 0 && h->phnum <= ELF_MAX_PHDRS && h->phoff <= len &&
	       (size_t)h->phnum * sizeof(struct elf_phdr) <= len - h->phoff;
}

bool elf_phdrs_ok(const struct elf_hdr *h, const struct elf_phdr *ph,
		  size_t len)
{
	bool entry_ok = false;
	for (int i = 0; i < h->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (!segment_ok(&ph[i], len))
			return false;
		if (h->entry >= ph[i].vaddr &&
		    h->entry - ph[i].vaddr < ph[i].memsz)
			entry_ok = true;
	}
	return entry_ok;
}

const struct elf_phdr *elf_check(const void *image, size_t len)
{
	const struct elf_hdr *h = image;
	if (len < sizeof(*h) || !elf_hdr_ok(h, len))
		return NULL;
	const struct elf_phdr *ph =
	    (const void *)((const char *)image + h->phoff);
	return elf_phdrs_ok(h, ph, len) ? ph : NULL;
}
