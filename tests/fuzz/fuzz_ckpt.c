/*
 * libFuzzer target: the checkpoint image validator (kernel/lib/ckpt_codec.c),
 * with the limits the kernel's restore passes.
 *
 * Before validating, the target writes the right CRC into the header of
 * every input long enough to have one, so mutations reach the semantic
 * checks instead of dying at the CRC (the CRC check itself is covered by
 * the unit test).  The oracle is more than "no crash": when the validator
 * accepts an image, every record is decoded again and checked against the
 * promises restore builds on (indexes in range, parents first, PID levels
 * bounded, pages in user space), so a check that lets bad data through is
 * an abort, like a memory error.  Scratch memory is allocated at exactly
 * ckpt_scratch_size bytes, so AddressSanitizer sees any overrun.
 *
 * Built by `make fuzz` (clang -fsanitize=fuzzer,address,undefined) and, as
 * a replay of tests/fuzz/regress/ckpt/, by tests/unit/test_fuzz_replay.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/ckpt_codec.h>
#include <kern/ctrname.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>

#include "fuzz_require.h"

struct fuzz_img {
	const uint8_t *p;
	uint32_t len;
};

/* The source callback: the codec must never ask past the image. */
static int fuzz_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct fuzz_img *img = ctx;

	FUZZ_REQUIRE(off <= img->len && len <= img->len - off);
	memcpy(buf, img->p + off, len);
	return 0;
}

static const struct ckpt_limits fuzz_limits = {
    .pid_max = 0x7fffff,
    .max_ctrs = 511,
    .max_tasks = 65536,
    .max_pages = 1u << 20,
    .max_depth = CTR_DEPTH_MAX - 1,
};

/* Re-reads an accepted image's containers: parents first, depths chained. */
static void recheck_containers(const struct ckpt_source *src,
			       const struct ckpt_layout *lay, uint32_t *depth)
{
	struct ckpt_container c;

	for (uint32_t i = 0; i < lay->count[CKPT_SEC_CONTAINERS]; i++) {
		FUZZ_REQUIRE(ckpt_read_rec(src, lay, CKPT_SEC_CONTAINERS, i, &c,
					   false) == 0);
		FUZZ_REQUIRE(i == 0 ? c.c_parent == CKPT_NONE
				    : c.c_parent < i &&
					  c.c_depth == depth[c.c_parent] + 1);
		FUZZ_REQUIRE(c.c_depth <= lay->max_depth &&
			     c.c_depth < CTR_DEPTH_MAX);
		FUZZ_REQUIRE(
		    ctr_name_ok(c.c_name, strnlen(c.c_name, CKPT_NAME_LEN)));
		FUZZ_REQUIRE(c.c_init < lay->count[CKPT_SEC_TASKS]);
		depth[i] = c.c_depth;
	}
}

/* Re-reads an accepted image's tasks and their pages. */
static void recheck_tasks(const struct ckpt_source *src,
			  const struct ckpt_layout *lay, const uint32_t *depth)
{
	static struct ckpt_task t;
	uint32_t pages = 0, w[CKPT_PAGE_WORDS];

	for (uint32_t i = 0; i < lay->count[CKPT_SEC_TASKS]; i++) {
		FUZZ_REQUIRE(
		    ckpt_read_rec(src, lay, CKPT_SEC_TASKS, i, &t, false) == 0);
		FUZZ_REQUIRE(t.t_ctr < lay->count[CKPT_SEC_CONTAINERS]);
		FUZZ_REQUIRE(i == 0 ? t.t_parent == CKPT_NONE : t.t_parent < i);
		FUZZ_REQUIRE(t.t_nlevels == depth[t.t_ctr] + 1 &&
			     t.t_nlevels <= CKPT_LEVELS);
		for (uint32_t l = 0; l < t.t_nlevels; l++)
			FUZZ_REQUIRE(t.t_nrs[l] >= 1 && t.t_nrs[l] <= 0x7fffff);
		for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++)
			FUZZ_REQUIRE(t.t_fds[fd] == CKPT_NONE ||
				     t.t_fds[fd] < lay->count[CKPT_SEC_FILES]);
		FUZZ_REQUIRE(t.t_first_page == pages);
		for (uint32_t n = 0; n < t.t_npages; n++) {
			FUZZ_REQUIRE(ckpt_read_rec(src, lay, CKPT_SEC_PAGES,
						   pages + n, w, true) == 0);
			FUZZ_REQUIRE(w[0] >= USER_BASE && w[0] < USER_TOP &&
				     w[0] % CKPT_PAGE_SIZE == 0);
		}
		pages += t.t_npages;
	}
	FUZZ_REQUIRE(pages == lay->count[CKPT_SEC_PAGES]);
}

/* Re-reads an accepted image's files and pipes. */
static void recheck_files(const struct ckpt_source *src,
			  const struct ckpt_layout *lay)
{
	static struct ckpt_file f;
	static uint8_t data[CKPT_PIPE_SIZE];
	uint32_t w[CKPT_PIPE_WORDS];

	for (uint32_t i = 0; i < lay->count[CKPT_SEC_FILES]; i++) {
		FUZZ_REQUIRE(
		    ckpt_read_rec(src, lay, CKPT_SEC_FILES, i, &f, false) == 0);
		bool pipe_end = f.f_kind == CKPT_FILE_PIPE_READ ||
				f.f_kind == CKPT_FILE_PIPE_WRITE;
		FUZZ_REQUIRE(pipe_end ? f.f_pipe < lay->count[CKPT_SEC_PIPES]
				      : f.f_pipe == CKPT_NONE);
	}
	for (uint32_t i = 0; i < lay->count[CKPT_SEC_PIPES]; i++) {
		FUZZ_REQUIRE(
		    ckpt_read_rec(src, lay, CKPT_SEC_PIPES, i, w, true) == 0);
		FUZZ_REQUIRE(w[0] <= CKPT_PIPE_SIZE);
		FUZZ_REQUIRE(
		    ckpt_read_data(src, lay, CKPT_SEC_PIPES, i, data) == 0);
	}
}

/* Validates data[0..size) as restore would; re-checks what it accepts. */
static int fuzz_ckpt_one(const uint8_t *data, size_t size)
{
	static uint8_t iobuf[CKPT_IOBUF_SIZE];
	struct fuzz_img img = {data, (uint32_t)size};
	struct ckpt_source src = {fuzz_read, &img, (uint32_t)size};
	struct ckpt_layout lay;
	int r = ckpt_check_header(&src, &fuzz_limits, &lay);

	FUZZ_REQUIRE(r == 0 || r == -ENOEXEC || r == -EINVAL);
	if (r)
		return r;
	FUZZ_REQUIRE(lay.total_len == size);
	size_t n = ckpt_scratch_size(&lay);
	void *scratch = malloc(n ? n : 1);
	FUZZ_REQUIRE(scratch != NULL);
	r = ckpt_check_body(&src, &fuzz_limits, &lay, scratch, iobuf);
	free(scratch);
	FUZZ_REQUIRE(r == 0 || r == -EINVAL);
	if (r)
		return r;
	uint32_t *depth = calloc(lay.count[CKPT_SEC_CONTAINERS], 4);
	FUZZ_REQUIRE(depth != NULL);
	recheck_containers(&src, &lay, depth);
	recheck_tasks(&src, &lay, depth);
	recheck_files(&src, &lay);
	free(depth);
	return 0;
}

/* Writes the right CRC into a copy of data[0..size) (if it is long enough
 * to have one) and validates that: 0, -ENOEXEC or -EINVAL. */
static int fuzz_ckpt_fixed(const uint8_t *data, size_t size)
{
	if (size > 0xffffffffu || size < CKPT_HDR_SIZE)
		return fuzz_ckpt_one(data, size);
	uint8_t *copy = malloc(size);
	uint32_t zero = 0, crc;

	FUZZ_REQUIRE(copy != NULL);
	memcpy(copy, data, size);
	memcpy(copy + CKPT_CRC_OFFSET, &zero, 4);
	crc = crc32_update(0, copy, size);
	memcpy(copy + CKPT_CRC_OFFSET, &crc, 4);
	int r = fuzz_ckpt_one(copy, size);
	free(copy);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_ckpt_fixed(data, size);
	return 0;
}
