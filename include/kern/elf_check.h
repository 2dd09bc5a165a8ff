/*
 * The ELF32 header checks of the program loader (kernel/lib/elf_check.c),
 * apart from the loader itself so that they are pure C with no kernel
 * state: the kernel, the host fuzz target tests/fuzz/fuzz_elf.c and its
 * regression test compile the same source.
 */
#ifndef KERN_ELF_CHECK_H
#define KERN_ELF_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uapi/cellblock.h>
#include <uapi/elf.h>

#define PT_LOAD	      1
#define PF_W	      2
#define ELF_MAX_PHDRS 16
/* Loadable segments end below this: the top of the heap (uapi/cellblock.h). */
#define ELF_USER_LIMIT USER_HEAP_LIMIT

/* The checks come in two steps, so a loader can read the headers out of a
 * file of len bytes one after the other:
 *   elf_hdr_ok    h (the file's first bytes; len >= sizeof(*h)) says a
 *                 32-bit little-endian i386 executable whose program
 *                 header table lies inside the file;
 *   elf_phdrs_ok  every loadable segment of that table lies inside the
 *                 file and inside [USER_BASE, ELF_USER_LIMIT), and the
 *                 entry point inside one of them. */
bool elf_hdr_ok(const struct elf_hdr *h, size_t len);
bool elf_phdrs_ok(const struct elf_hdr *h, const struct elf_phdr *ph,
		  size_t len);
/* Both steps on a whole file in memory, image[0..len): its program header
 * table, or NULL. */
const struct elf_phdr *elf_check(const void *image, size_t len);

#endif
