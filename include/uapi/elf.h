/* The ELF32 file header and program header, as the program loader reads
 * them (kernel/lib/elf_check.c) and as test programs build them. */
#ifndef UAPI_ELF_H
#define UAPI_ELF_H

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

#endif
