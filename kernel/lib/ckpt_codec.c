/*
 * The checkpoint image codec: one source for the kernel, the host tool
 * tools/ckptdump and the unit tests (format: uapi/ckpt_image.h; API:
 * kern/ckpt_codec.h).  It knows nothing of kernel objects: the kernel turns
 * tasks into records (ckpt_save.c) and records into tasks (ckpt_restore.c).
 *
 * This file writes images (CRC-32, layout, encoder), reads their records
 * and checks the header and section table (ckpt_check_header);
 * kernel/lib/ckpt_check.c validates the records themselves.  The two share
 * kernel/lib/ckpt_wire.h.
 */
#include <stdarg.h>
#include <kern/ckpt_codec.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>
#include "ckpt_wire.h"

_Static_assert(offsetof(struct ckpt_container, c_name) == CKPT_CTR_WORDS * 4,
	       "container words first");
_Static_assert(offsetof(struct ckpt_task, t_name) == CKPT_TASK_WORDS * 4,
	       "task words first");
_Static_assert(offsetof(struct ckpt_file, f_path) == CKPT_FILE_WORDS * 4,
	       "file words first");
_Static_assert(offsetof(struct ckpt_pipe, p_data) == CKPT_PIPE_WORDS * 4,
	       "pipe words first");
_Static_assert(offsetof(struct ckpt_page, p_data) == CKPT_PAGE_WORDS * 4,
	       "page words first");

const uint32_t ckpt_rec_sizes[CKPT_NSECT + 1] = {
    [CKPT_SEC_CONTAINERS] = CKPT_CTR_SIZE,
    [CKPT_SEC_TASKS] = CKPT_TASK_SIZE,
    [CKPT_SEC_FILES] = CKPT_FILE_SIZE,
    [CKPT_SEC_PIPES] = CKPT_PIPE_REC_SIZE,
    [CKPT_SEC_PAGES] = CKPT_PAGE_REC_SIZE,
};

const uint32_t ckpt_rec_words[CKPT_NSECT + 1] = {
    [CKPT_SEC_CONTAINERS] = CKPT_CTR_WORDS, [CKPT_SEC_TASKS] = CKPT_TASK_WORDS,
    [CKPT_SEC_FILES] = CKPT_FILE_WORDS,	    [CKPT_SEC_PIPES] = CKPT_PIPE_WORDS,
    [CKPT_SEC_PAGES] = CKPT_PAGE_WORDS,
};

uint32_t ckpt_rec_size(uint32_t sec)
{
	return sec >= 1 && sec <= CKPT_NSECT ? ckpt_rec_sizes[sec] : 0;
}

int ckpt_layout_plan(struct ckpt_layout *lay, const uint32_t *count)
{
	uint64_t off = CKPT_HDR_SIZE;

	memset(lay, 0, sizeof(*lay));
	for (uint32_t s = 1; s <= CKPT_NSECT; s++) {
		lay->off[s] = (uint32_t)off;
		lay->count[s] = count[s];
		off += (uint64_t)count[s] * ckpt_rec_sizes[s];
		if (off > 0xffffffffu)
			return -ERANGE;
	}
	lay->total_len = (uint32_t)off;
	return 0;
}

/* ---- encoder ----------------------------------------------------------- */

/* Appends len bytes at e->pos, adding them to the CRC. */
static int enc_out(struct ckpt_enc *e, const void *buf, uint32_t len)
{
	if (e->err)
		return e->err;
	if (len > e->lay.total_len - e->pos) {
		e->err = -EINVAL;
		return e->err;
	}
	int r = e->write(e->ctx, e->pos, buf, len);
	if (r) {
		e->err = r;
		return r;
	}
	e->crc = crc32_update(e->crc, buf, len);
	e->pos += len;
	return 0;
}

/* Appends n words in little-endian order. */
static int enc_words(struct ckpt_enc *e, const uint32_t *w, uint32_t n)
{
	uint32_t tmp[32];

	while (n > 0) {
		uint32_t k = n < 32 ? n : 32;
		for (uint32_t i = 0; i < k; i++)
			tmp[i] = le32(w[i]);
		int r = enc_out(e, tmp, k * 4);
		if (r)
			return r;
		w += k;
		n -= k;
	}
	return 0;
}

static int enc_zeros(struct ckpt_enc *e, uint32_t n)
{
	static const uint8_t zero[256];

	while (n > 0) {
		uint32_t k = n < sizeof(zero) ? n : sizeof(zero);
		int r = enc_out(e, zero, k);
		if (r)
			return r;
		n -= k;
	}
	return 0;
}

/* Moves on to section sec for one more record: -EINVAL if records of an
 * earlier section are missing or sec already has all of its records. */
static int enc_next(struct ckpt_enc *e, uint32_t sec)
{
	if (e->err)
		return e->err;
	while (e->sec < sec && e->done == e->lay.count[e->sec]) {
		e->sec++;
		e->done = 0;
	}
	if (e->sec != sec || e->done >= e->lay.count[sec]) {
		e->err = -EINVAL;
		return e->err;
	}
	e->done++;
	return 0;
}

/* Writes one record of section sec held in host order at rec. */
static int enc_record(struct ckpt_enc *e, uint32_t sec, const void *rec)
{
	uint32_t nw = ckpt_rec_words[sec];
	int r = enc_next(e, sec);

	if (!r)
		r = enc_words(e, rec, nw);
	if (!r)
		r = enc_out(e, (const uint8_t *)rec + nw * 4,
			    ckpt_rec_sizes[sec] - nw * 4);
	return r;
}

int ckpt_enc_begin(struct ckpt_enc *e, ckpt_write_fn write, void *ctx,
		   const uint32_t *count)
{
	uint32_t hdr[CKPT_HDR_WORDS] = {CKPT_MAGIC0, CKPT_MAGIC1, CKPT_VERSION,
					CKPT_HDR_SIZE};

	memset(e, 0, sizeof(*e));
	e->write = write;
	e->ctx = ctx;
	e->sec = 1;
	e->err = ckpt_layout_plan(&e->lay, count);
	if (e->err)
		return e->err;
	hdr[4] = e->lay.total_len;
	hdr[6] = CKPT_NSECT; /* hdr[5], the CRC, is 0 for now */
	enc_words(e, hdr, CKPT_HDR_WORDS);
	for (uint32_t s = 1; s <= CKPT_NSECT; s++) {
		uint32_t ent[CKPT_SECT_WORDS] = {
		    s, e->lay.off[s], count[s] * ckpt_rec_sizes[s], count[s]};
		enc_words(e, ent, CKPT_SECT_WORDS);
	}
	return e->err;
}

int ckpt_enc_container(struct ckpt_enc *e, const struct ckpt_container *c)
{
	return enc_record(e, CKPT_SEC_CONTAINERS, c);
}

int ckpt_enc_task(struct ckpt_enc *e, const struct ckpt_task *t)
{
	return enc_record(e, CKPT_SEC_TASKS, t);
}

int ckpt_enc_file(struct ckpt_enc *e, const struct ckpt_file *f)
{
	return enc_record(e, CKPT_SEC_FILES, f);
}

int ckpt_enc_pipe(struct ckpt_enc *e, uint32_t count, const void *data)
{
	uint32_t w[CKPT_PIPE_WORDS] = {count, 0};

	if (count > CKPT_PIPE_SIZE && !e->err)
		e->err = -EINVAL;
	if (enc_next(e, CKPT_SEC_PIPES) || enc_words(e, w, CKPT_PIPE_WORDS) ||
	    enc_out(e, data, count))
		return e->err;
	return enc_zeros(e, CKPT_PIPE_SIZE - count);
}

int ckpt_enc_page(struct ckpt_enc *e, uint32_t va, uint32_t flags,
		  const void *data)
{
	uint32_t w[CKPT_PAGE_WORDS] = {va, flags};

	if (enc_next(e, CKPT_SEC_PAGES) || enc_words(e, w, CKPT_PAGE_WORDS))
		return e->err;
	return enc_out(e, data, CKPT_PAGE_SIZE);
}

int64_t ckpt_enc_end(struct ckpt_enc *e)
{
	if (e->err)
		return e->err;
	while (e->sec < CKPT_NSECT && e->done == e->lay.count[e->sec]) {
		e->sec++;
		e->done = 0;
	}
	if (e->done != e->lay.count[e->sec] || e->pos != e->lay.total_len)
		return e->err = -EINVAL;
	return ckpt_enc_seal(e);
}

int64_t ckpt_enc_seal(struct ckpt_enc *e)
{
	uint32_t crc = le32(e->crc);
	int r = e->write(e->ctx, CKPT_CRC_OFFSET, &crc, 4);
	if (r)
		return e->err = r;
	return e->lay.total_len;
}

/* ---- reading ------------------------------------------------------------ */

/* Reads [off, off+len) of the image: -EINVAL past the caller's length. */
int ckpt_src_read(const struct ckpt_source *s, uint32_t off, void *buf,
		  uint32_t len)
{
	if (off > s->len || len > s->len - off)
		return -EINVAL;
	return s->read(s->ctx, off, buf, len);
}

/* Reads record i of sec (its first n bytes) as stored, then converts its
 * words to host order. */
int ckpt_read_raw(const struct ckpt_source *src, const struct ckpt_layout *lay,
		  uint32_t sec, uint32_t i, void *rec, uint32_t n)
{
	if (sec < 1 || sec > CKPT_NSECT || i >= lay->count[sec])
		return -EINVAL;
	int r =
	    ckpt_src_read(src, lay->off[sec] + i * ckpt_rec_sizes[sec], rec, n);
	if (!r)
		words_le(rec, MIN(n / 4, ckpt_rec_words[sec]));
	return r;
}

int ckpt_read_rec(const struct ckpt_source *src, const struct ckpt_layout *lay,
		  uint32_t sec, uint32_t i, void *rec, bool words_only)
{
	uint32_t n = words_only ? ckpt_rec_words[sec] * 4 : ckpt_rec_size(sec);
	int r = ckpt_read_raw(src, lay, sec, i, rec, n);

	if (r || words_only)
		return r;
	if (sec == CKPT_SEC_CONTAINERS) {
		((struct ckpt_container *)rec)->c_name[CKPT_NAME_LEN - 1] = 0;
	} else if (sec == CKPT_SEC_TASKS) {
		struct ckpt_task *t = rec;
		t->t_name[CKPT_NAME_LEN - 1] = 0;
		t->t_cwd[CKPT_PATH_LEN - 1] = 0;
	} else if (sec == CKPT_SEC_FILES) {
		((struct ckpt_file *)rec)->f_path[CKPT_PATH_LEN - 1] = 0;
	}
	return 0;
}

int ckpt_read_data(const struct ckpt_source *src, const struct ckpt_layout *lay,
		   uint32_t sec, uint32_t i, void *buf)
{
	if ((sec != CKPT_SEC_PIPES && sec != CKPT_SEC_PAGES) ||
	    i >= lay->count[sec])
		return -EINVAL;
	uint32_t off =
	    lay->off[sec] + i * ckpt_rec_sizes[sec] + ckpt_rec_words[sec] * 4;
	return ckpt_src_read(src, off, buf,
			     ckpt_rec_sizes[sec] - ckpt_rec_words[sec] * 4);
}

/* Records in lay->why, for people, why the image is refused: returns err. */
int ckpt_refuse(struct ckpt_layout *lay, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lay->why, sizeof(lay->why), fmt, ap);
	va_end(ap);
	return err;
}

/* ---- validating the header and section table --------------------------- */

/* Reads and checks the section table into lay.  Each type once, lengths
 * matching counts, inside the image, and together tiling it exactly. */
static int check_sections(const struct ckpt_source *src,
			  struct ckpt_layout *lay)
{
	uint32_t tab[CKPT_NSECT * CKPT_SECT_WORDS], len[CKPT_NSECT + 1];
	uint64_t sum = CKPT_HDR_SIZE;
	bool seen[CKPT_NSECT + 1] = {false};
	int r = ckpt_src_read(src, CKPT_HDR_WORDS * 4, tab, sizeof(tab));

	if (r)
		return r;
	words_le(tab, CKPT_NSECT * CKPT_SECT_WORDS);
	for (uint32_t i = 0; i < CKPT_NSECT; i++) {
		const uint32_t *s = &tab[i * CKPT_SECT_WORDS];
		uint32_t type = s[0];
		if (type < 1 || type > CKPT_NSECT || seen[type])
			return ckpt_refuse(
			    lay, -EINVAL,
			    "section entry %u: type %u unknown or "
			    "repeated",
			    i, type);
		seen[type] = true;
		if ((uint64_t)s[3] * ckpt_rec_sizes[type] != s[2] ||
		    s[1] < CKPT_HDR_SIZE ||
		    (uint64_t)s[1] + s[2] > lay->total_len)
			return ckpt_refuse(
			    lay, -EINVAL,
			    "section %u: %u records at %u do not "
			    "fit the image",
			    type, s[3], s[1]);
		lay->off[type] = s[1];
		len[type] = s[2];
		lay->count[type] = s[3];
		sum += s[2];
	}
	for (uint32_t a = 1; a <= CKPT_NSECT; a++)
		for (uint32_t b = a + 1; b <= CKPT_NSECT; b++)
			if (len[a] && len[b] &&
			    lay->off[a] < lay->off[b] + len[b] &&
			    lay->off[b] < lay->off[a] + len[a])
				return ckpt_refuse(lay, -EINVAL,
						   "sections %u and %u overlap",
						   a, b);
	if (sum != lay->total_len)
		return ckpt_refuse(lay, -EINVAL,
				   "sections do not tile the image");
	return 0;
}

/* Are the counts within the limits (and each other)? */
static int check_counts(struct ckpt_layout *lay, const struct ckpt_limits *lim)
{
	const uint32_t *n = lay->count;

	if (n[CKPT_SEC_CONTAINERS] < 1 ||
	    n[CKPT_SEC_CONTAINERS] > MIN(lim->max_ctrs, 511u))
		return ckpt_refuse(lay, -EINVAL, "%u containers",
				   n[CKPT_SEC_CONTAINERS]);
	if (n[CKPT_SEC_TASKS] < 1 || n[CKPT_SEC_TASKS] > lim->max_tasks)
		return ckpt_refuse(lay, -EINVAL, "%u tasks", n[CKPT_SEC_TASKS]);
	if ((uint64_t)n[CKPT_SEC_FILES] >
		(uint64_t)n[CKPT_SEC_TASKS] * CKPT_NOFILE ||
	    n[CKPT_SEC_PIPES] > n[CKPT_SEC_FILES])
		return ckpt_refuse(lay, -EINVAL, "%u files and %u pipes",
				   n[CKPT_SEC_FILES], n[CKPT_SEC_PIPES]);
	if (n[CKPT_SEC_PAGES] > lim->max_pages)
		return ckpt_refuse(lay, -EINVAL, "%u pages", n[CKPT_SEC_PAGES]);
	return 0;
}

int ckpt_check_header(const struct ckpt_source *src,
		      const struct ckpt_limits *lim, struct ckpt_layout *lay)
{
	uint32_t h[CKPT_HDR_WORDS];
	int r;

	memset(lay, 0, sizeof(*lay));
	if (src->len < 8)
		return ckpt_refuse(lay, -ENOEXEC, "%u bytes: not an image",
				   src->len);
	r = ckpt_src_read(src, 0, h, 8);
	if (r)
		return r;
	if (le32(h[0]) != CKPT_MAGIC0 || le32(h[1]) != CKPT_MAGIC1)
		return ckpt_refuse(lay, -ENOEXEC, "wrong magic: not an image");
	if (src->len < CKPT_HDR_SIZE)
		return ckpt_refuse(lay, -EINVAL, "%u bytes: header cut short",
				   src->len);
	r = ckpt_src_read(src, 0, h, sizeof(h));
	if (r)
		return r;
	words_le(h, CKPT_HDR_WORDS);
	if (h[2] != CKPT_VERSION)
		return ckpt_refuse(lay, -ENOEXEC, "format version %u, not %u",
				   h[2], CKPT_VERSION);
	if (h[4] != src->len)
		return ckpt_refuse(lay, -EINVAL,
				   "header says %u bytes, %u given", h[4],
				   src->len);
	if (h[3] != CKPT_HDR_SIZE || h[6] != CKPT_NSECT || h[7] != 0)
		return ckpt_refuse(lay, -EINVAL, "header sizes are wrong");
	lay->total_len = h[4];
	r = check_sections(src, lay);
	return r ? r : check_counts(lay, lim);
}
