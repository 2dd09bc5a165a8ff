/*
 * libFuzzer target: the program loader's header checks (elf_check in
 * kernel/lib/elf_check.c, the code the kernel runs before it maps anything).
 *
 * The oracle is more than "no crash": when elf_check accepts a file, the
 * target walks the program headers again and requires what elf_load relies
 * on -- the table inside the file, every loadable segment's bytes inside
 * the file, its memory inside [USER_BASE, ELF_USER_LIMIT) without wrapping,
 * filesz <= memsz, and the entry point inside a loadable segment.  The
 * input is copied to a buffer of exactly its size, so AddressSanitizer
 * sees any read past the end.
 *
 * Built by `make fuzz` (clang -fsanitize=fuzzer,address,undefined) and, as
 * a replay of tests/fuzz/regress/elf/, by tests/unit/test_fuzz_replay.c.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/elf_check.h>
#include <uapi/cellblock.h>

#include "fuzz_require.h"

/* Runs elf_check on data[0..size); re-checks what it accepts.  Returns
 * whether it was accepted. */
static bool fuzz_elf_one(const uint8_t *data, size_t size)
{
	uint8_t *copy = malloc(size ? size : 1);
	struct elf_hdr h;
	bool entry_in = false;

	FUZZ_REQUIRE(copy != NULL);
	memcpy(copy, data, size);
	const struct elf_phdr *ph = elf_check(copy, size);
	if (!ph) {
		free(copy);
		return false;
	}
	memcpy(&h, copy, sizeof(h));
	FUZZ_REQUIRE((const uint8_t *)ph == copy + h.phoff);
	FUZZ_REQUIRE(h.phnum >= 1 && h.phnum <= ELF_MAX_PHDRS);
	FUZZ_REQUIRE((uint64_t)h.phoff + h.phnum * sizeof(*ph) <= size);
	for (int i = 0; i < h.phnum; i++) {
		struct elf_phdr p;
		memcpy(&p, &ph[i], sizeof(p));
		if (p.type != PT_LOAD)
			continue;
		FUZZ_REQUIRE(p.filesz <= p.memsz);
		FUZZ_REQUIRE((uint64_t)p.offset + p.filesz <= size);
		FUZZ_REQUIRE(p.vaddr >= USER_BASE);
		FUZZ_REQUIRE((uint64_t)p.vaddr + p.memsz <= ELF_USER_LIMIT);
		if ((uint64_t)h.entry >= p.vaddr &&
		    (uint64_t)h.entry < (uint64_t)p.vaddr + p.memsz)
			entry_in = true;
	}
	FUZZ_REQUIRE(entry_in);
	free(copy);
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_elf_one(data, size);
	return 0;
}
