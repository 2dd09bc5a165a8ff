/*
 * Version 2 of the checkpoint format: one round of an incremental
 * (pre-copy) checkpoint -- a round record and the pages that round
 * carries (uapi/ckpt_image.h).  Writing, checking and reading rounds, as
 * pure code shared by the kernel, tools/ckptdump and the unit tests.
 *
 * A round is streamed like a version 1 image: the caller knows its page
 * and zero-page counts before it starts (the tree is frozen while a round
 * is taken), so the header, with the image length, goes out first and the
 * CRC is computed as the bytes go and written last.  Page records are
 * variable in size (an all-zero page has no data), so a round is read
 * front to back: ckpt_round_check walks it once, checking every record,
 * and ckpt_round_page then steps through the records it accepted.
 */
#include <kern/ckpt_codec.h>
#include <kern/string.h>
#include <uapi/errno.h>
#include "ckpt_wire.h"

bool ckpt_page_is_zero(const void *data)
{
	const uint32_t *w = data;

	for (uint32_t i = 0; i < CKPT_PAGE_SIZE / 4; i++)
		if (w[i])
			return false;
	return true;
}

uint32_t ckpt_round_size(uint32_t npages, uint32_t nodata)
{
	uint64_t n = CKPT_ROUND_HDR_SIZE + (uint64_t)npages * 16u +
		     (uint64_t)(npages - nodata) * CKPT_PAGE_SIZE;

	return nodata > npages || n > 0xffffffffu ? 0 : (uint32_t)n;
}

/* ---- encoder ----------------------------------------------------------- */

/* Appends len bytes at e->pos, adding them to the CRC. */
static int renc_out(struct ckpt_enc *e, const void *buf, uint32_t len)
{
	if (e->err)
		return e->err;
	if (len > e->lay.total_len - e->pos)
		return e->err = -EINVAL;
	int r = e->write(e->ctx, e->pos, buf, len);
	if (r)
		return e->err = r;
	e->crc = crc32_update(e->crc, buf, len);
	e->pos += len;
	return 0;
}

/* Appends n words (n <= 8) in little-endian order. */
static int renc_words(struct ckpt_enc *e, const uint32_t *w, uint32_t n)
{
	uint32_t tmp[8];

	for (uint32_t i = 0; i < n; i++)
		tmp[i] = le32(w[i]);
	return renc_out(e, tmp, n * 4);
}

int ckpt_round_begin(struct ckpt_enc *e, ckpt_write_fn write, void *ctx,
		     const struct ckpt_round *r)
{
	uint32_t hdr[CKPT_HDR_WORDS] = {CKPT_MAGIC0, CKPT_MAGIC1,
					CKPT_VERSION_INCR, CKPT_ROUND_HDR_SIZE};

	memset(e, 0, sizeof(*e));
	e->write = write;
	e->ctx = ctx;
	e->lay.total_len =
	    (uint64_t)r->r_nzero + r->r_nkept > 0xffffffffu
		? 0
		: ckpt_round_size(r->r_npages, r->r_nzero + r->r_nkept);
	e->lay.count[CKPT_SEC_PAGES] = r->r_npages;
	e->nzero = r->r_nzero + r->r_nkept;
	if (!e->lay.total_len)
		return e->err = -ERANGE;
	hdr[4] = e->lay.total_len; /* hdr[5], the CRC, is 0 for now */
	renc_words(e, hdr, CKPT_HDR_WORDS);
	return renc_words(e, (const uint32_t *)r, CKPT_ROUND_WORDS);
}

int ckpt_round_enc_page(struct ckpt_enc *e, uint32_t task, uint32_t va,
			uint32_t flags, const void *data)
{
	bool zero = !data || ckpt_page_is_zero(data);
	uint32_t mark = !data ? CKPT_PG_KEPT : zero ? CKPT_PG_ZERO : 0;
	uint32_t w[CKPT_RPAGE_WORDS] = {task, va, flags | mark, 0};

	if (!e->err && e->done == e->lay.count[CKPT_SEC_PAGES])
		e->err = -EINVAL;
	if (renc_words(e, w, CKPT_RPAGE_WORDS))
		return e->err;
	e->done++;
	e->zeros += zero;
	return zero ? 0 : renc_out(e, data, CKPT_PAGE_SIZE);
}

int64_t ckpt_round_end(struct ckpt_enc *e)
{
	if (e->err)
		return e->err;
	if (e->done != e->lay.count[CKPT_SEC_PAGES] || e->zeros != e->nzero ||
	    e->pos != e->lay.total_len)
		return e->err = -EINVAL;
	return ckpt_enc_seal(e);
}

/* ---- validator and reader ---------------------------------------------- */

/* The header and round record: 0, -ENOEXEC or -EINVAL (lay->why). */
static int round_head(const struct ckpt_source *src, struct ckpt_round *r,
		      struct ckpt_layout *lay)
{
	uint32_t h[CKPT_HDR_WORDS];

	if (src->len < 8 || ckpt_src_read(src, 0, h, 8) ||
	    le32(h[0]) != CKPT_MAGIC0 || le32(h[1]) != CKPT_MAGIC1)
		return ckpt_refuse(lay, -ENOEXEC, "wrong magic: not an image");
	if (src->len < CKPT_ROUND_HDR_SIZE)
		return ckpt_refuse(lay, -EINVAL, "%u bytes: round cut short",
				   src->len);
	if (ckpt_src_read(src, 0, h, sizeof(h)) ||
	    ckpt_src_read(src, CKPT_HDR_WORDS * 4, r, sizeof(*r)))
		return -EFAULT;
	words_le(h, CKPT_HDR_WORDS);
	words_le((uint32_t *)r, CKPT_ROUND_WORDS);
	if (h[2] != CKPT_VERSION_INCR)
		return ckpt_refuse(lay, -ENOEXEC, "format version %u, not %u",
				   h[2], CKPT_VERSION_INCR);
	if (h[3] != CKPT_ROUND_HDR_SIZE || h[6] || h[7])
		return ckpt_refuse(lay, -EINVAL, "bad round header");
	if (h[4] != src->len)
		return ckpt_refuse(lay, -EINVAL,
				   "header says %u bytes, %u given", h[4],
				   src->len);
	lay->total_len = h[4];
	if (r->r_kind < CKPT_ROUND_FIRST || r->r_kind > CKPT_ROUND_FINAL)
		return ckpt_refuse(lay, -EINVAL, "round kind %u", r->r_kind);
	if ((r->r_kind == CKPT_ROUND_FIRST) != (r->r_round == 0) ||
	    (r->r_kind != CKPT_ROUND_FINAL && r->r_nkept) || r->r_reserved ||
	    !r->r_ntasks || r->r_ntasks > CKPT_ROUND_MAX_TASKS ||
	    (uint64_t)r->r_nzero + r->r_nkept > r->r_npages ||
	    ckpt_round_size(r->r_npages, r->r_nzero + r->r_nkept) != h[4])
		return ckpt_refuse(lay, -EINVAL,
				   "round %u: counts do not match its length",
				   r->r_round);
	return 0;
}

/* The CRC of the whole round, its field as zero. */
static int round_crc(const struct ckpt_source *src, struct ckpt_layout *lay,
		     uint8_t *io)
{
	uint32_t crc = 0, stored = 0, n;

	for (uint32_t off = 0; off < lay->total_len; off += n) {
		n = MIN(lay->total_len - off, CKPT_IOBUF_SIZE);
		int r = ckpt_src_read(src, off, io, n);
		if (r)
			return r;
		if (off == 0) {
			memcpy(&stored, io + CKPT_CRC_OFFSET, 4);
			memset(io + CKPT_CRC_OFFSET, 0, 4);
		}
		crc = crc32_update(crc, io, n);
	}
	if (crc != le32(stored))
		return ckpt_refuse(lay, -EINVAL,
				   "CRC 0x%x, the header says 0x%x", crc,
				   le32(stored));
	return 0;
}

int ckpt_round_page(const struct ckpt_source *src, uint32_t *off,
		    struct ckpt_rpage *p, void *data)
{
	int r = ckpt_src_read(src, *off, p, sizeof(*p));

	if (r)
		return r;
	words_le((uint32_t *)p, CKPT_RPAGE_WORDS);
	*off += sizeof(*p);
	if (p->p_flags & CKPT_PG_KEPT)
		return 0;
	if (p->p_flags & CKPT_PG_ZERO) {
		if (data)
			memset(data, 0, CKPT_PAGE_SIZE);
		return 0;
	}
	r = data ? ckpt_src_read(src, *off, data, CKPT_PAGE_SIZE) : 0;
	*off += CKPT_PAGE_SIZE;
	return r;
}

/* Page record k: a task of the round, a user page, and after the record
 * before it (*last: its task and address). */
static int rpage_ok(struct ckpt_layout *lay, const struct ckpt_round *r,
		    const struct ckpt_rpage *p, uint32_t k, uint64_t *last)
{
	uint64_t key = ((uint64_t)p->p_task << 32) | p->p_va;
	uint32_t okf = CKPT_PG_WRITE | CKPT_PG_USER | CKPT_PG_ZERO |
		       (r->r_kind == CKPT_ROUND_FINAL ? CKPT_PG_KEPT : 0);

	if (p->p_task >= r->r_ntasks || p->p_reserved)
		return ckpt_refuse(lay, -EINVAL, "page %u: task %u of %u", k,
				   p->p_task, r->r_ntasks);
	if (p->p_va < USER_BASE || p->p_va >= USER_TOP ||
	    (p->p_va & (CKPT_PAGE_SIZE - 1)) || (p->p_flags & ~okf) ||
	    !(p->p_flags & CKPT_PG_USER) ||
	    (p->p_flags & CKPT_PG_ZERO && p->p_flags & CKPT_PG_KEPT))
		return ckpt_refuse(lay, -EINVAL,
				   "page %u: address 0x%x flags 0x%x", k,
				   p->p_va, p->p_flags);
	if (k && key <= *last)
		return ckpt_refuse(lay, -EINVAL, "page %u: out of order", k);
	*last = key;
	return 0;
}

int ckpt_round_check(const struct ckpt_source *src, struct ckpt_round *r,
		     struct ckpt_layout *lay, void *iobuf)
{
	uint32_t off = CKPT_ROUND_HDR_SIZE, nzero = 0, nkept = 0;
	uint64_t last = 0;
	struct ckpt_rpage p;

	memset(lay, 0, sizeof(*lay));
	int err = round_head(src, r, lay);
	if (!err)
		err = round_crc(src, lay, iobuf);
	for (uint32_t k = 0; !err && k < r->r_npages; k++) {
		if (lay->total_len - off < sizeof(p))
			return ckpt_refuse(lay, -EINVAL, "page %u: cut short",
					   k);
		err = ckpt_round_page(src, &off, &p, NULL);
		if (!err)
			err = rpage_ok(lay, r, &p, k, &last);
		nzero += !!(p.p_flags & CKPT_PG_ZERO);
		nkept += !!(p.p_flags & CKPT_PG_KEPT);

		if (!err && off > lay->total_len)
			err =
			    ckpt_refuse(lay, -EINVAL, "page %u: cut short", k);
	}
	if (!err && (nzero != r->r_nzero || nkept != r->r_nkept ||
		     off != lay->total_len))
		err = ckpt_refuse(
		    lay, -EINVAL,
		    "%u zero and %u kept pages, round says %u and %u", nzero,
		    nkept, r->r_nzero, r->r_nkept);
	return err;
}
