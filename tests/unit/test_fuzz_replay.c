// SOURCES: kernel/lib/ckpt_codec.c kernel/lib/ckpt_check.c kernel/lib/sort.c
// SOURCES: kernel/lib/crc32.c
// SOURCES: arch/x86/ckpt_regs.c kernel/lib/elf_check.c
// CFLAGS: -Itests/fuzz -fsanitize=address,undefined
// CFLAGS: -fno-sanitize-recover=all
/*
 * Replays the committed fuzzing inputs in tests/fuzz/regress/ through the
 * fuzz targets' own code (tests/fuzz/fuzz_ckpt.c, fuzz_elf.c), with
 * AddressSanitizer and UBSan: a quick check that inputs which once broke
 * the checkpoint validator or the ELF checks, or which the fuzzers found
 * interesting, still neither crash them nor slip past them.  Not fuzzing:
 * `make fuzz` does that.
 *
 * A file's name says what it must do: "ok-*" must be accepted, "bad-*"
 * refused; any other name (crash inputs, saved corpus) only must not
 * crash or trip the targets' oracles (an abort).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LLVMFuzzerTestOneInput fuzz_ckpt_input
#include "fuzz_ckpt.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_elf_input
#include "fuzz_elf.c"
#undef LLVMFuzzerTestOneInput

#define REPLAY_MAX (1u << 20)

static int failures, files;

/* Reads path into a new buffer; *n gets its size. */
static uint8_t *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(REPLAY_MAX);

	if (!f || !buf) {
		printf("FAIL cannot read %s\n", path);
		exit(1);
	}
	*n = fread(buf, 1, REPLAY_MAX, f);
	fclose(f);
	return realloc(buf, *n ? *n : 1); /* exact size: ASan sees overruns */
}

/* Replays every file of dir through accept (true when accepted). */
static void replay(const char *dir, int (*accept)(const uint8_t *, size_t))
{
	char pattern[1024];
	glob_t g;
	size_t here = 0;

	snprintf(pattern, sizeof(pattern), "%s/*", dir);
	if (glob(pattern, 0, NULL, &g) == 0)
		here = g.gl_pathc;
	for (size_t i = 0; i < here; i++) {
		const char *path = g.gl_pathv[i];
		const char *name = strrchr(path, '/') + 1;
		size_t n;
		uint8_t *buf = slurp(path, &n);
		int ok = accept(buf, n);
		free(buf);
		if ((strncmp(name, "ok-", 3) == 0 && !ok) ||
		    (strncmp(name, "bad-", 4) == 0 && ok)) {
			printf("FAIL %s: %s\n", path,
			       ok ? "accepted" : "refused");
			failures++;
		}
	}
	if (here)
		globfree(&g);
	printf("%s: %zu inputs\n", dir, here);
	files += (int)here;
	if (here == 0) {
		printf("FAIL %s is empty\n", dir);
		failures++;
	}
}

static int ckpt_accepts(const uint8_t *data, size_t n)
{
	return fuzz_ckpt_fixed(data, n) == 0;
}

static int elf_accepts(const uint8_t *data, size_t n)
{
	return fuzz_elf_one(data, n);
}

int main(void)
{
	replay("tests/fuzz/regress/ckpt", ckpt_accepts);
	replay("tests/fuzz/regress/elf", elf_accepts);
	printf("%d inputs, %d failed\n", files, failures);
	return failures != 0;
}
