// SOURCES: kernel/lib/ckpt_round.c kernel/lib/ckpt_codec.c kernel/lib/string.c
// SOURCES: kernel/lib/crc32.c
/*
 * Host unit test of version 2 of the checkpoint format, the rounds of an
 * incremental checkpoint (kernel/lib/ckpt_round.c): a round trip through
 * the encoder and reader, zero pages stored without data, a final round's
 * kept pages, the encoder's promises, and rounds broken at the byte level --
 * truncated anywhere, a byte flipped anywhere, wrong version, and forgeries
 * with a correct CRC (pages out of order, a task out of range, a kernel
 * address, a zero count that does not match) -- each refused with -ENOEXEC or
 * -EINVAL.
 */
#include "ckpt_model.h"

#define NP 4
static const uint32_t vas[NP] = {0x40000000u, 0x40003000u, 0x40001000u,
				 0xbffff000u};
static const uint32_t tasks[NP] = {0, 0, 1, 1};

static uint8_t img[CKPT_ROUND_HDR_SIZE + NP * (16 + CKPT_PAGE_SIZE)];
static uint8_t iobuf[CKPT_IOBUF_SIZE];

/* Page i's data: all zeros for page 1, else a pattern. */
static void data_of(uint8_t *p, uint32_t i)
{
	if (i == 1)
		memset(p, 0, CKPT_PAGE_SIZE);
	else
		page_pattern(p, i);
}

/* Encodes the model round of that kind (FINAL: page 2 kept, without
 * data): its length (or a negative errno). */
static int64_t encode_kind(uint32_t kind, uint32_t npages, uint32_t nzero,
			   uint32_t nkept)
{
	struct ckpt_round r = {7, 2, kind, 2, npages, nzero, nkept, 0};
	struct membuf mb = {img, sizeof(img)};
	struct ckpt_enc e;
	static uint8_t page[CKPT_PAGE_SIZE];

	ckpt_round_begin(&e, mem_write, &mb, &r);
	for (uint32_t i = 0; i < NP; i++) {
		data_of(page, i);
		bool kept = kind == CKPT_ROUND_FINAL && i == 2;
		ckpt_round_enc_page(&e, tasks[i], vas[i], CKPT_PG_USER,
				    kept ? NULL : page);
	}
	return ckpt_round_end(&e);
}

static int64_t encode_round(uint32_t npages, uint32_t nzero)
{
	return encode_kind(CKPT_ROUND_NEXT, npages, nzero, 0);
}

static int check_round(uint32_t len, struct ckpt_round *r)
{
	struct ckpt_source src = {mem_read, img, len};
	struct ckpt_layout lay;
	int err = ckpt_round_check(&src, r, &lay, iobuf);

	CHECK(err ? lay.why[0] != 0 : lay.why[0] == 0);
	return err;
}

static void fix_crc(uint32_t len)
{
	uint32_t zero = 0, c;

	memcpy(img + CKPT_CRC_OFFSET, &zero, 4);
	c = crc32_update(0, img, len);
	memcpy(img + CKPT_CRC_OFFSET, &c, 4);
}

static void test_round_trip(void)
{
	int64_t len = encode_round(NP, 1);
	struct ckpt_round r;
	uint8_t got[CKPT_PAGE_SIZE], want[CKPT_PAGE_SIZE];

	CHECK(len == (int64_t)ckpt_round_size(NP, 1));
	CHECK(len == CKPT_ROUND_HDR_SIZE + NP * 16 + 3 * CKPT_PAGE_SIZE);
	CHECK(check_round((uint32_t)len, &r) == 0);
	CHECK(r.r_id == 7 && r.r_round == 2 && r.r_npages == NP &&
	      r.r_nzero == 1);
	struct ckpt_source src = {mem_read, img, (uint32_t)len};
	uint32_t off = CKPT_ROUND_HDR_SIZE;
	for (uint32_t i = 0; i < NP; i++) {
		struct ckpt_rpage p;
		memset(got, 0xee, sizeof(got));
		CHECK(ckpt_round_page(&src, &off, &p, got) == 0);
		data_of(want, i);
		CHECK(p.p_task == tasks[i] && p.p_va == vas[i]);
		CHECK(!!(p.p_flags & CKPT_PG_ZERO) == (i == 1));
		CHECK(memcmp(got, want, sizeof(got)) == 0);
	}
	CHECK(off == len);
}

static void test_encoder_rules(void)
{
	CHECK(encode_round(NP, 0) == -EINVAL);	   /* zero page not promised */
	CHECK(encode_round(NP - 1, 1) == -EINVAL); /* one page too many */
	CHECK(encode_round(NP + 1, 1) == -EINVAL); /* one page missing */
	CHECK(ckpt_round_size(1, 2) == 0);
}

static void test_broken(void)
{
	uint32_t len = (uint32_t)encode_round(NP, 1);
	struct ckpt_round r;
	uint32_t word;

	for (uint32_t cut = 0; cut < len; cut += cut < 128 ? 1 : 509)
		CHECK(check_round(cut, &r) < 0);
	for (uint32_t at = 0; at < len; at += at < 200 ? 1 : 331) {
		img[at] ^= 0x10;
		CHECK(check_round(len, &r) < 0);
		img[at] ^= 0x10;
	}
	CHECK(check_round(len, &r) == 0);
	img[8] = 1; /* version 1 is not a round */
	CHECK(check_round(len, &r) == -ENOEXEC);
	img[8] = 2;
	img[0] ^= 1;
	CHECK(check_round(len, &r) == -ENOEXEC);
	img[0] ^= 1;
	/* forgeries with a good CRC: records are at HDR, +16+4096, ... */
	uint32_t rec2 = CKPT_ROUND_HDR_SIZE + 16 + CKPT_PAGE_SIZE + 16;
	const struct {
		uint32_t off, val;
	} forge[] = {
	    {rec2, 0}, /* task 0 again, at a lower address */
	    {rec2, 2}, /* task 2 of 2 */
	    {CKPT_ROUND_HDR_SIZE + 4, 0x1000},		   /* kernel address */
	    {CKPT_ROUND_HDR_SIZE + 4, 0x40000800u},	   /* not aligned */
	    {CKPT_ROUND_HDR_SIZE + 8, CKPT_PG_USER | 0x1}, /* bad flag */
	    {CKPT_HDR_WORDS * 4 + 8, 9},		   /* round kind */
	    {CKPT_HDR_WORDS * 4 + 4, 0},		   /* NEXT as round 0 */
	    {CKPT_HDR_WORDS * 4 + 12, 0x20000001u}, /* tasks beyond the limit */
	    {CKPT_HDR_WORDS * 4 + 12, 0},	    /* no tasks */
	};
	for (uint32_t k = 0; k < sizeof(forge) / sizeof(forge[0]); k++) {
		memcpy(&word, img + forge[k].off, 4);
		memcpy(img + forge[k].off, &forge[k].val, 4);
		fix_crc(len);
		CHECK(check_round(len, &r) == -EINVAL);
		memcpy(img + forge[k].off, &word, 4);
	}
	fix_crc(len);
	CHECK(check_round(len, &r) == 0);
}

/* A final round: page 2 listed as kept, without data; kept pages are
 * refused in other rounds, and so is a page both zero and kept. */
static void test_final(void)
{
	int64_t len = encode_kind(CKPT_ROUND_FINAL, NP, 1, 1);
	struct ckpt_round r;
	struct ckpt_rpage p;
	uint8_t got[CKPT_PAGE_SIZE];

	CHECK(len == CKPT_ROUND_HDR_SIZE + NP * 16 + 2 * CKPT_PAGE_SIZE);
	CHECK(check_round((uint32_t)len, &r) == 0);
	CHECK(r.r_kind == CKPT_ROUND_FINAL && r.r_nkept == 1);
	struct ckpt_source src = {mem_read, img, (uint32_t)len};
	uint32_t off = CKPT_ROUND_HDR_SIZE;
	for (uint32_t i = 0; i < NP; i++) {
		memset(got, 0xee, sizeof(got));
		CHECK(ckpt_round_page(&src, &off, &p, got) == 0);
		CHECK(!!(p.p_flags & CKPT_PG_KEPT) == (i == 2));
		CHECK(i != 2 || got[0] == 0xee); /* kept: left alone */
	}
	CHECK(off == len);
	CHECK(encode_kind(CKPT_ROUND_FINAL, NP, 1, 0) == -EINVAL);
	/* a NEXT round may not keep pages; a page may not be zero and kept */
	uint32_t kind_off = CKPT_HDR_WORDS * 4 + 8, v = CKPT_ROUND_NEXT;
	memcpy(img + kind_off, &v, 4);
	fix_crc((uint32_t)len);
	CHECK(check_round((uint32_t)len, &r) == -EINVAL);
	v = CKPT_ROUND_FINAL;
	memcpy(img + kind_off, &v, 4);
	uint32_t rec1 = CKPT_ROUND_HDR_SIZE + 16 + CKPT_PAGE_SIZE + 8;
	v = CKPT_PG_USER | CKPT_PG_ZERO | CKPT_PG_KEPT;
	memcpy(img + rec1, &v, 4);
	fix_crc((uint32_t)len);
	CHECK(check_round((uint32_t)len, &r) == -EINVAL);
}

int main(void)
{
	test_round_trip();
	test_encoder_rules();
	test_broken();
	test_final();
	printf("ckpt round: %d checks, %d failures: %s\n", checks, failures,
	       failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
