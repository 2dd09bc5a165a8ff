// SOURCES: kernel/lib/ckpt_codec.c kernel/lib/ckpt_check.c kernel/lib/sort.c
// SOURCES: kernel/lib/crc32.c
// SOURCES: arch/x86/ckpt_regs.c kernel/lib/string.c
/*
 * Host unit test of the checkpoint image codec: a round trip through the
 * encoder and decoder, the encoder's rules, then images broken at the byte
 * level -- truncated at every section boundary, flipped bytes in every
 * field class, wrong magic, version and CRC, huge counts, overlapping
 * sections -- each of which the validator must reject with the documented
 * error (-ENOEXEC or -EINVAL), and a 16 MiB image.  Semantic forgeries
 * with a correct CRC are in test_ckpt_check.c; the model image both use is
 * in ckpt_model.h.
 *
 * Broken images here are made by patching bytes of a good image with or
 * without fixing the CRC.
 */
#include "ckpt_model.h"

/* ---- the tests ----------------------------------------------------------- */

static void test_round_trip(void)
{
	struct model m;
	uint32_t len;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	CHECK(check(img, len) == 0);

	struct ckpt_source src = {mem_read, img, len};
	struct ckpt_layout lay;
	CHECK(ckpt_check_header(&src, &host_limits, &lay) == 0);
	for (uint32_t s = 1; s <= CKPT_NSECT; s++)
		CHECK(lay.count[s] == m.n[s]);
	struct ckpt_container c;
	struct ckpt_task t;
	struct ckpt_file f;
	uint32_t w[2];
	static uint8_t data[CKPT_PAGE_SIZE], want[CKPT_PAGE_SIZE];
	for (uint32_t i = 0; i < m.n[CKPT_SEC_CONTAINERS]; i++) {
		CHECK(ckpt_read_rec(&src, &lay, CKPT_SEC_CONTAINERS, i, &c,
				    false) == 0);
		CHECK(memcmp(&c, &m.ctr[i], sizeof(c)) == 0);
	}
	for (uint32_t i = 0; i < m.n[CKPT_SEC_TASKS]; i++) {
		CHECK(ckpt_read_rec(&src, &lay, CKPT_SEC_TASKS, i, &t, false) ==
		      0);
		CHECK(memcmp(&t, &m.task[i], sizeof(t)) == 0);
	}
	for (uint32_t i = 0; i < m.n[CKPT_SEC_FILES]; i++) {
		CHECK(ckpt_read_rec(&src, &lay, CKPT_SEC_FILES, i, &f, false) ==
		      0);
		CHECK(memcmp(&f, &m.file[i], sizeof(f)) == 0);
	}
	CHECK(ckpt_read_rec(&src, &lay, CKPT_SEC_PIPES, 0, w, true) == 0);
	CHECK(w[0] == 5 && w[1] == 0);
	CHECK(ckpt_read_data(&src, &lay, CKPT_SEC_PIPES, 0, data) == 0);
	CHECK(memcmp(data, "hello", 5) == 0 && data[5] == 0);
	for (uint32_t i = 0; i < m.n[CKPT_SEC_PAGES]; i++) {
		CHECK(ckpt_read_rec(&src, &lay, CKPT_SEC_PAGES, i, w, true) ==
		      0);
		CHECK(w[0] == m.page_va[i] && w[1] == m.page_flags[i]);
		CHECK(ckpt_read_data(&src, &lay, CKPT_SEC_PAGES, i, data) == 0);
		page_pattern(want, i);
		CHECK(memcmp(data, want, sizeof(data)) == 0);
	}
	CHECK(ckpt_read_rec(&src, &lay, CKPT_SEC_TASKS, 6, &t, false) ==
	      -EINVAL);
	/* The CRC is the standard one (zlib's crc32 of "123456789"). */
	CHECK(crc32_update(0, "123456789", 9) == 0xcbf43926u);
	CHECK(crc32_update(crc32_update(0, "1234", 4), "56789", 5) ==
	      0xcbf43926u);
	free(img);
}

/* The encoder refuses records out of order, too many, or too few. */
static void test_encoder_rules(void)
{
	struct model m;
	make_model(&m);
	uint32_t n[CKPT_NSECT + 1] = {0, 1, 1, 0, 0, 0};
	struct ckpt_layout lay;
	ckpt_layout_plan(&lay, n);
	struct membuf mb = {calloc(1, lay.total_len), lay.total_len};
	struct ckpt_enc e;
	CHECK(ckpt_enc_begin(&e, mem_write, &mb, n) == 0);
	CHECK(ckpt_enc_task(&e, &m.task[0]) == -EINVAL); /* container first */
	CHECK(ckpt_enc_end(&e) == -EINVAL);
	CHECK(ckpt_enc_begin(&e, mem_write, &mb, n) == 0);
	CHECK(ckpt_enc_container(&e, &m.ctr[0]) == 0);
	CHECK(ckpt_enc_end(&e) == -EINVAL); /* the task is missing */
	CHECK(ckpt_enc_begin(&e, mem_write, &mb, n) == 0);
	CHECK(ckpt_enc_container(&e, &m.ctr[0]) == 0);
	CHECK(ckpt_enc_container(&e, &m.ctr[0]) == -EINVAL); /* one too many */
	uint32_t huge[CKPT_NSECT + 1] = {0, 1, 1, 0, 0, 2000000};
	CHECK(ckpt_layout_plan(&lay, huge) == -ERANGE);
	/* A sink error comes back and sticks. */
	struct membuf small = {mb.buf, 16};
	CHECK(ckpt_enc_begin(&e, mem_write, &small, n) == -ERANGE);
	free(mb.buf);
}

/* Every cut at or around a section boundary, and every cut inside the
 * header, is refused: -ENOEXEC before the magic is complete, else -EINVAL. */
static void test_truncation(void)
{
	struct ckpt_layout lay;
	uint32_t len;
	uint8_t *img = model_image(&len, &lay);
	for (uint32_t cut = 0; cut < CKPT_HDR_SIZE + 8; cut++)
		CHECK(check(img, cut) == (cut < 8 ? -ENOEXEC : -EINVAL));
	for (uint32_t s = 1; s <= CKPT_NSECT; s++) {
		uint32_t end = lay.off[s] + lay.count[s] * ckpt_rec_size(s);
		uint32_t cuts[] = {lay.off[s] - 1, lay.off[s], lay.off[s] + 1,
				   lay.off[s] + ckpt_rec_size(s), end - 1};
		for (unsigned c = 0; c < 5; c++)
			if (cuts[c] < len)
				CHECK(check(img, cuts[c]) == -EINVAL);
	}
	/* Even with the header's length and CRC patched to match the cut, a
	 * truncated image is refused (the sections no longer fit). */
	uint32_t cut = lay.off[CKPT_SEC_PAGES] + CKPT_PAGE_REC_SIZE;
	uint8_t *copy = malloc(cut);
	memcpy(copy, img, cut);
	memcpy(copy + 16, &cut, 4);
	uint32_t zero = 0, crc;
	memcpy(copy + CKPT_CRC_OFFSET, &zero, 4);
	crc = crc32_update(0, copy, cut);
	memcpy(copy + CKPT_CRC_OFFSET, &crc, 4);
	CHECK(check(copy, cut) == -EINVAL);
	/* A longer buffer than the image is refused too. */
	uint8_t *longer = calloc(1, len + 1);
	memcpy(longer, img, len);
	CHECK(check(longer, len + 1) == -EINVAL);
	free(longer);
	free(copy);
	free(img);
}

/* Patches the word at byte offset off; fixes the CRC if asked. */
static void patch(uint8_t *img, uint32_t len, uint32_t off, uint32_t val,
		  bool fix_crc)
{
	memcpy(img + off, &val, 4);
	if (fix_crc) {
		uint32_t zero = 0, crc;
		memcpy(img + CKPT_CRC_OFFSET, &zero, 4);
		crc = crc32_update(0, img, len);
		memcpy(img + CKPT_CRC_OFFSET, &crc, 4);
	}
}

/* Result of checking a good image with one word patched. */
static int check_patched(uint32_t off, uint32_t val, bool fix_crc)
{
	struct model m;
	uint32_t len;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	patch(img, len, off, val, fix_crc);
	int r = check(img, len);
	free(img);
	return r;
}

static void test_header(void)
{
	CHECK(check_patched(0, 0x464c457f, false) == -ENOEXEC); /* an ELF */
	CHECK(check_patched(4, 0, true) == -ENOEXEC);
	CHECK(check_patched(8, 2, false) == -ENOEXEC); /* version 2 */
	CHECK(check_patched(8, 0, true) == -ENOEXEC);
	CHECK(check_patched(CKPT_CRC_OFFSET, 0x12345678, false) == -EINVAL);
	CHECK(check_patched(12, CKPT_HDR_SIZE + 16, true) == -EINVAL);
	CHECK(check_patched(16, 1000, true) == -EINVAL); /* total length */
	CHECK(check_patched(24, 6, true) == -EINVAL);	 /* nsect */
	CHECK(check_patched(28, 1, true) == -EINVAL);	 /* reserved */
	/* Exactly the good image passes (the helpers work). */
	CHECK(check_patched(28, 0, true) == 0);
	/* The writer's own check skips only the CRC. */
	struct model m;
	uint32_t len;
	struct ckpt_limits own = host_limits;
	own.skip_crc = true;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	patch(img, len, CKPT_CRC_OFFSET, 0x12345678, false);
	CHECK(check_lim(img, len, &own) == 0);
	CHECK(check(img, len) == -EINVAL);
	patch(img, len, 28, 1, false);
	CHECK(check_lim(img, len, &own) == -EINVAL);
	free(img);
}

/* Offset of section table entry s (1-based order in the table), word w. */
#define SECT(s, w) (CKPT_HDR_WORDS * 4 + ((s)-1) * 16 + (w)*4)

static void test_sections(void)
{
	struct ckpt_layout lay;
	uint32_t len;
	uint8_t *img = model_image(&len, &lay);
	free(img);
	/* Unknown or duplicate type. */
	CHECK(check_patched(SECT(1, 0), 9, true) == -EINVAL);
	CHECK(check_patched(SECT(2, 0), CKPT_SEC_CONTAINERS, true) == -EINVAL);
	/* Huge counts, with and without a matching (wrapped) length. */
	CHECK(check_patched(SECT(5, 3), 0xffffffffu, true) == -EINVAL);
	CHECK(check_patched(SECT(2, 3), 0x80000000u, true) == -EINVAL);
	uint32_t wrap = (uint32_t)(0x100000000ull / CKPT_TASK_SIZE + 1);
	CHECK(check_patched(SECT(2, 3), wrap, true) == -EINVAL);
	/* Overlap: tasks start where containers do; and a gap. */
	CHECK(check_patched(SECT(2, 1), lay.off[CKPT_SEC_CONTAINERS], true) ==
	      -EINVAL);
	CHECK(check_patched(SECT(5, 1), lay.off[CKPT_SEC_PAGES] + 4, true) ==
	      -EINVAL);
	/* Offsets inside the header or past the end. */
	CHECK(check_patched(SECT(1, 1), 0, true) == -EINVAL);
	CHECK(check_patched(SECT(5, 1), 0xfffff000u, true) == -EINVAL);
	/* Count within the image but over the reader's limit. */
	struct model mm;
	make_model(&mm);
	img = encode(&mm, &len);
	struct ckpt_limits lim = host_limits;
	lim.max_tasks = 5;
	CHECK(check_lim(img, len, &lim) == -EINVAL);
	lim = host_limits;
	lim.max_pages = 6;
	CHECK(check_lim(img, len, &lim) == -EINVAL);
	lim = host_limits;
	lim.pid_max = 5; /* task 5 has number 6 */
	CHECK(check_lim(img, len, &lim) == -EINVAL);
	free(img);
	/* Record words the encoder would not write: a pipe holding more than
	 * a pipe can, a nonzero reserved word. */
	CHECK(check_patched(lay.off[CKPT_SEC_PIPES], CKPT_PIPE_SIZE + 1,
			    true) == -EINVAL);
	CHECK(check_patched(lay.off[CKPT_SEC_PIPES] + 4, 1, true) == -EINVAL);
	/* Bytes past the buffered ones are zero, as the encoder writes them. */
	CHECK(check_patched(lay.off[CKPT_SEC_PIPES] + 8 + 8, 0x41, true) ==
	      -EINVAL);
	CHECK(check_patched(lay.off[CKPT_SEC_PIPES] + 8 + 4092, 1, true) ==
	      -EINVAL);
	CHECK(check_patched(lay.off[CKPT_SEC_PIPES] + 8, 0x6c6c6548, true) ==
	      0); /* "Hell" over "hell": data itself is free */
}

/* One byte flipped in each kind of field, CRC not fixed: -EINVAL. */
static void test_flipped_bytes(void)
{
	struct ckpt_layout lay;
	uint32_t len;
	uint8_t *img = model_image(&len, &lay);
	uint32_t offs[] = {
	    12,
	    16,
	    24,
	    SECT(3, 1),
	    SECT(4, 3),					   /* header, table */
	    lay.off[CKPT_SEC_CONTAINERS] + 40,		   /* a name */
	    lay.off[CKPT_SEC_TASKS] + CKPT_TASK_SIZE + 32, /* a PID */
	    lay.off[CKPT_SEC_TASKS] + 500,		   /* the cwd */
	    lay.off[CKPT_SEC_TASKS] + 900,		   /* the FPU */
	    lay.off[CKPT_SEC_FILES] + 20,		   /* a path */
	    lay.off[CKPT_SEC_PIPES] + 9,		   /* pipe data */
	    lay.off[CKPT_SEC_PAGES] + 1,		   /* a va */
	    len - 1,					   /* page data */
	};
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		img[offs[i]] ^= 0x10;
		CHECK(check(img, len) == -EINVAL);
		img[offs[i]] ^= 0x10;
	}
	CHECK(check(img, len) == 0);
	free(img);
}

/* A 16 MiB image written and read through the callbacks in pieces. */
static void test_big_image(void)
{
	static struct model m;
	make_model(&m);
	uint32_t extra = 4096, len;
	struct ckpt_task *t = &m.task[5];
	/* give the last task 4096 more pages: 16 MiB of heap */
	uint32_t n[CKPT_NSECT + 1];
	memcpy(n, m.n, sizeof(n));
	n[CKPT_SEC_PAGES] += extra;
	t->t_npages += extra;
	t->t_brk = USER_BASE + (extra + 2) * CKPT_PAGE_SIZE;
	struct ckpt_layout lay;
	CHECK(ckpt_layout_plan(&lay, n) == 0);
	struct membuf mb = {malloc(lay.total_len), lay.total_len};
	struct ckpt_enc e;
	static uint8_t page[CKPT_PAGE_SIZE];
	ckpt_enc_begin(&e, mem_write, &mb, n);
	for (uint32_t i = 0; i < n[CKPT_SEC_CONTAINERS]; i++)
		ckpt_enc_container(&e, &m.ctr[i]);
	for (uint32_t i = 0; i < n[CKPT_SEC_TASKS]; i++)
		ckpt_enc_task(&e, &m.task[i]);
	for (uint32_t i = 0; i < n[CKPT_SEC_FILES]; i++)
		ckpt_enc_file(&e, &m.file[i]);
	ckpt_enc_pipe(&e, m.pipe_count[0], m.pipe_data[0]);
	for (uint32_t i = 0; i < n[CKPT_SEC_PAGES]; i++) {
		uint32_t va = i < m.n[CKPT_SEC_PAGES]
				  ? m.page_va[i]
				  : USER_BASE + (i - 6) * CKPT_PAGE_SIZE;
		page_pattern(page, i);
		ckpt_enc_page(&e, va, CKPT_PG_USER | CKPT_PG_WRITE, page);
	}
	len = lay.total_len;
	CHECK(ckpt_enc_end(&e) == (int64_t)len);
	CHECK(len > 16u << 20);
	CHECK(check(mb.buf, len) == 0);
	free(mb.buf);
}

/* With an argument, only writes the model image to that file (a sample
 * for tools/ckptdump). */
static int write_sample(const char *path)
{
	struct model m;
	uint32_t len;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(img, 1, len, f) == len;
	if (f)
		fclose(f);
	free(img);
	return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc == 2)
		return write_sample(argv[1]);
	test_round_trip();
	test_encoder_rules();
	test_truncation();
	test_header();
	test_sections();
	test_flipped_bytes();
	test_big_image();
	return check_verdict("ckpt codec");
}
