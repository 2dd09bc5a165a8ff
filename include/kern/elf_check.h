/*
 * The ELF32 header checks of the program loader (kernel/elf_check.c),
 * apart from the loader itself so that they are pure C with no kernel
 * state: the kernel, the host fuzz target tests/fuzz/fuzz_elf.c and its
 * regression test compile the same source.
 */
#ifndef KERN_ELF_CHECK_H
#define KERN_ELF_CHECK_H

#include <stddef.h>
#include <stdint.h>

struct elf_hdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
} __attribute__((packed));

struct elf_phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
} __attribute__((packed));

#define PT_LOAD	      1
#define PF_W	      2
#define ELF_MAX_PHDRS 16
/* Loadable segments end below this: the top of the heap (kern/mm.h). */
#define ELF_USER_LIMIT (USER_TOP - USER_STACK_MAX - 0x100000u)

/* Checks the ELF header and program headers of image[0..len): a 32-bit
 * little-endian i386 executable whose loadable segments lie inside the
 * file and inside [USER_BASE, ELF_USER_LIMIT), with the entry point inside
 * one of them.  Returns the program header table, or NULL. */
const struct elf_phdr *elf_check(const void *image, size_t len);

#endif
