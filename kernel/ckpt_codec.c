/*
 * The checkpoint image codec: one source for the kernel, the host tool
 * tools/ckptdump and the unit tests (format: uapi/ckpt_image.h; API:
 * kern/ckpt_codec.h).  It knows nothing of kernel objects: the kernel turns
 * tasks into records (ckpt_save.c) and records into tasks (ckpt_restore.c).
 *
 * The validator is the wall between a user's bytes and the restore code.
 * Restore builds only from an image that passed every check here:
 *   header    magic and version (-ENOEXEC), sizes, total length == len
 *   CRC-32    of the whole image with the crc field as zero
 *   sections  each type once, lengths == count * record size, counts within
 *             the limits, no overlap, tiling the image exactly
 *   containers  index 0 is the top (no parent); every other parent comes
 *             earlier with depth one less (so the parents form a tree);
 *             depth within the limit; valid, unique names; last_nr in range
 *   tasks     own container in range; task 0 alone has no parent, every
 *             other parent comes earlier, is not a zombie, and its
 *             container holds the child's; PID numbers in 1..pid_max at
 *             exactly depth+1 levels; number 1 in a container is that
 *             container's live init and every container has one; birth
 *             level in range; states, flags, signals, exit statuses,
 *             eflags, MXCSR, restart info, brk and stack bounds sane; page
 *             ranges consecutive; descriptors name existing files; zombies
 *             own no memory, files or cwd; strings NUL-terminated
 *   PIDs      unique per container at every level
 *   files     known kind, sane flags, pipe index valid for pipe ends and
 *             absent otherwise, absolute paths; each used by a descriptor
 *   pipes     count <= CKPT_PIPE_SIZE; each used by a file
 *   pages     user addresses, page aligned, increasing within a task (no
 *             duplicates), user flag set, no unknown flags
 * Anything else is -EINVAL.  Arithmetic on counts is done in 64 bits, so
 * huge counts are rejected instead of wrapping.
 */
#include <kern/ckpt_codec.h>
#include <kern/ctrname.h>
#include <kern/string.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>
#include <uapi/syscall.h>

/* Highest heap address a task may have (kern/mm.h MM_HEAP_LIMIT). */
#define HEAP_LIMIT    (USER_TOP - USER_STACK_MAX - 0x100000u)
#define STACK_BOTTOM  (USER_TOP - USER_STACK_MAX)
#define OPEN_FLAGS_OK (O_ACCMODE | O_CREAT | O_EXCL | O_TRUNC | O_APPEND)

/* Saved flags may also say non-blocking (/dev/eth0, kern/eth.h). */
#define FILE_FLAGS_OK (OPEN_FLAGS_OK | O_NONBLOCK)

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

static const uint32_t rec_size[CKPT_NSECT + 1] = {
    [CKPT_SEC_CONTAINERS] = CKPT_CTR_SIZE,
    [CKPT_SEC_TASKS] = CKPT_TASK_SIZE,
    [CKPT_SEC_FILES] = CKPT_FILE_SIZE,
    [CKPT_SEC_PIPES] = CKPT_PIPE_REC_SIZE,
    [CKPT_SEC_PAGES] = CKPT_PAGE_REC_SIZE,
};

static const uint32_t rec_words[CKPT_NSECT + 1] = {
    [CKPT_SEC_CONTAINERS] = CKPT_CTR_WORDS, [CKPT_SEC_TASKS] = CKPT_TASK_WORDS,
    [CKPT_SEC_FILES] = CKPT_FILE_WORDS,	    [CKPT_SEC_PIPES] = CKPT_PIPE_WORDS,
    [CKPT_SEC_PAGES] = CKPT_PAGE_WORDS,
};

/* Converts a word between host and little-endian order (either way). */
static uint32_t le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

static void words_le(uint32_t *w, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		w[i] = le32(w[i]);
}

/* CRC-32 by "slicing by 4": four tables let the loop take a word at a time
 * (images are megabytes; this is several times faster than a byte at a
 * time).  table[0] is the classic byte table; table[k][b] is the CRC of
 * byte b followed by k zero bytes. */
static uint32_t crc_table[4][256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 4; k++)
			crc_table[k][i] =
			    (crc_table[k - 1][i] >> 8) ^
			    crc_table[0][crc_table[k - 1][i] & 0xff];
}

uint32_t ckpt_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc_table[0][1])
		crc_init();
	crc = ~crc;
	for (; len >= 4; len -= 4, p += 4) {
		crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		crc =
		    crc_table[3][crc & 0xff] ^ crc_table[2][(crc >> 8) & 0xff] ^
		    crc_table[1][(crc >> 16) & 0xff] ^ crc_table[0][crc >> 24];
	}
	while (len--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t ckpt_rec_size(uint32_t sec)
{
	return sec >= 1 && sec <= CKPT_NSECT ? rec_size[sec] : 0;
}

int ckpt_layout_plan(struct ckpt_layout *lay, const uint32_t *count)
{
	uint64_t off = CKPT_HDR_SIZE;

	memset(lay, 0, sizeof(*lay));
	for (uint32_t s = 1; s <= CKPT_NSECT; s++) {
		lay->off[s] = (uint32_t)off;
		lay->count[s] = count[s];
		off += (uint64_t)count[s] * rec_size[s];
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
	e->crc = ckpt_crc32(e->crc, buf, len);
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
	uint32_t nw = rec_words[sec];
	int r = enc_next(e, sec);

	if (!r)
		r = enc_words(e, rec, nw);
	if (!r)
		r = enc_out(e, (const uint8_t *)rec + nw * 4,
			    rec_size[sec] - nw * 4);
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
		    s, e->lay.off[s], count[s] * rec_size[s], count[s]};
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
	uint32_t crc = le32(e->crc);
	int r = e->write(e->ctx, CKPT_CRC_OFFSET, &crc, 4);
	if (r)
		return e->err = r;
	return e->lay.total_len;
}

/* ---- reading ------------------------------------------------------------ */

/* Reads [off, off+len) of the image: -EINVAL past the caller's length. */
static int src_read(const struct ckpt_source *s, uint32_t off, void *buf,
		    uint32_t len)
{
	if (off > s->len || len > s->len - off)
		return -EINVAL;
	return s->read(s->ctx, off, buf, len);
}

/* Reads record i of sec (its first n bytes) as stored, then converts its
 * words to host order. */
static int read_raw(const struct ckpt_source *src,
		    const struct ckpt_layout *lay, uint32_t sec, uint32_t i,
		    void *rec, uint32_t n)
{
	if (sec < 1 || sec > CKPT_NSECT || i >= lay->count[sec])
		return -EINVAL;
	int r = src_read(src, lay->off[sec] + i * rec_size[sec], rec, n);
	if (!r)
		words_le(rec, MIN(n / 4, rec_words[sec]));
	return r;
}

int ckpt_read_rec(const struct ckpt_source *src, const struct ckpt_layout *lay,
		  uint32_t sec, uint32_t i, void *rec, bool words_only)
{
	uint32_t n = words_only ? rec_words[sec] * 4 : ckpt_rec_size(sec);
	int r = read_raw(src, lay, sec, i, rec, n);

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
	uint32_t off = lay->off[sec] + i * rec_size[sec] + rec_words[sec] * 4;
	return src_read(src, off, buf, rec_size[sec] - rec_words[sec] * 4);
}

bool ckpt_name_valid(const char *name)
{
	size_t len = strnlen(name, CKPT_NAME_LEN);

	return len < CKPT_NAME_LEN && ctr_name_ok(name, len);
}

/* Is the string in a field of size bytes NUL-terminated inside it? */
static bool str_ok(const char *s, size_t size)
{
	return strnlen(s, size) < size;
}

/* ---- validator: header and section table ------------------------------- */

/* Reads and checks the section table into lay.  Each type once, lengths
 * matching counts, inside the image, and together tiling it exactly. */
static int check_sections(const struct ckpt_source *src,
			  struct ckpt_layout *lay)
{
	uint32_t tab[CKPT_NSECT * CKPT_SECT_WORDS], len[CKPT_NSECT + 1];
	uint64_t sum = CKPT_HDR_SIZE;
	bool seen[CKPT_NSECT + 1] = {false};
	int r = src_read(src, CKPT_HDR_WORDS * 4, tab, sizeof(tab));

	if (r)
		return r;
	words_le(tab, CKPT_NSECT * CKPT_SECT_WORDS);
	for (uint32_t i = 0; i < CKPT_NSECT; i++) {
		const uint32_t *s = &tab[i * CKPT_SECT_WORDS];
		uint32_t type = s[0];
		if (type < 1 || type > CKPT_NSECT || seen[type])
			return -EINVAL;
		seen[type] = true;
		if ((uint64_t)s[3] * rec_size[type] != s[2] ||
		    s[1] < CKPT_HDR_SIZE ||
		    (uint64_t)s[1] + s[2] > lay->total_len)
			return -EINVAL;
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
				return -EINVAL;
	return sum == lay->total_len ? 0 : -EINVAL;
}

/* Are the counts within the limits (and each other)? */
static bool counts_ok(const struct ckpt_layout *lay,
		      const struct ckpt_limits *lim)
{
	const uint32_t *n = lay->count;

	return n[CKPT_SEC_CONTAINERS] >= 1 &&
	       n[CKPT_SEC_CONTAINERS] <= MIN(lim->max_ctrs, 511u) &&
	       n[CKPT_SEC_TASKS] >= 1 && n[CKPT_SEC_TASKS] <= lim->max_tasks &&
	       (uint64_t)n[CKPT_SEC_FILES] <=
		   (uint64_t)n[CKPT_SEC_TASKS] * CKPT_NOFILE &&
	       n[CKPT_SEC_PIPES] <= n[CKPT_SEC_FILES] &&
	       n[CKPT_SEC_PAGES] <= lim->max_pages;
}

int ckpt_check_header(const struct ckpt_source *src,
		      const struct ckpt_limits *lim, struct ckpt_layout *lay)
{
	uint32_t h[CKPT_HDR_WORDS];
	int r;

	memset(lay, 0, sizeof(*lay));
	if (src->len < 8)
		return -ENOEXEC;
	r = src_read(src, 0, h, 8);
	if (r)
		return r;
	if (le32(h[0]) != CKPT_MAGIC0 || le32(h[1]) != CKPT_MAGIC1)
		return -ENOEXEC;
	if (src->len < CKPT_HDR_SIZE)
		return -EINVAL;
	r = src_read(src, 0, h, sizeof(h));
	if (r)
		return r;
	words_le(h, CKPT_HDR_WORDS);
	if (h[2] != CKPT_VERSION)
		return -ENOEXEC;
	if (h[3] != CKPT_HDR_SIZE || h[4] != src->len || h[6] != CKPT_NSECT ||
	    h[7] != 0)
		return -EINVAL;
	lay->total_len = h[4];
	r = check_sections(src, lay);
	if (r)
		return r;
	return counts_ok(lay, lim) ? 0 : -EINVAL;
}

/* ---- validator: records ------------------------------------------------ */

/* Validator state; the arrays live in the caller's scratch memory. */
struct chk {
	const struct ckpt_source *src;
	const struct ckpt_limits *lim;
	struct ckpt_layout *lay;
	void *io;			       /* CKPT_IOBUF_SIZE bytes */
	uint32_t *c_parent, *c_depth, *c_init; /* per container */
	uint32_t *t_ctr, *t_state, *t_npages;  /* per task */
	uint32_t *keys; /* container << 23 | number, per level */
	uint32_t nkeys;
	uint32_t pages_seen; /* page records claimed by tasks so far */
	char (*c_name)[CKPT_NAME_LEN];
	uint8_t *c_has_one;	  /* per container: its number 1 was seen */
	uint8_t *f_used, *p_used; /* per file / pipe: something refers to it */
};

/* Carves the scratch arrays out of mem (or just sizes them if mem is
 * NULL): the byte count. */
static size_t carve(struct chk *k, const struct ckpt_layout *lay, uint8_t *mem)
{
	size_t nc = lay->count[CKPT_SEC_CONTAINERS],
	       nt = lay->count[CKPT_SEC_TASKS];
	size_t at = 0;
#define CARVE(field, bytes)                                                    \
	do {                                                                   \
		if (mem)                                                       \
			k->field = (void *)(mem + at);                         \
		at += ROUNDUP((size_t)(bytes), (size_t)4);                     \
	} while (0)
	CARVE(c_parent, nc * 4);
	CARVE(c_depth, nc * 4);
	CARVE(c_init, nc * 4);
	CARVE(t_ctr, nt * 4);
	CARVE(t_state, nt * 4);
	CARVE(t_npages, nt * 4);
	CARVE(keys, nt * CKPT_LEVELS * 4);
	CARVE(c_name, nc * CKPT_NAME_LEN);
	CARVE(c_has_one, nc);
	CARVE(f_used, lay->count[CKPT_SEC_FILES]);
	CARVE(p_used, lay->count[CKPT_SEC_PIPES]);
#undef CARVE
	return at;
}

size_t ckpt_scratch_size(const struct ckpt_layout *lay)
{
	struct chk k;

	return carve(&k, lay, NULL);
}

static int check_crc(struct chk *k)
{
	uint32_t total = k->lay->total_len, crc = 0, stored = 0, n;
	uint8_t *io = k->io;

	for (uint32_t off = 0; off < total; off += n) {
		n = MIN(total - off, CKPT_IOBUF_SIZE);
		int r = src_read(k->src, off, io, n);
		if (r)
			return r;
		if (off == 0) { /* the header is smaller than one buffer */
			memcpy(&stored, io + CKPT_CRC_OFFSET, 4);
			memset(io + CKPT_CRC_OFFSET, 0, 4);
		}
		crc = ckpt_crc32(crc, io, n);
	}
	return crc == le32(stored) ? 0 : -EINVAL;
}

static int check_container(struct chk *k, uint32_t i)
{
	struct ckpt_container *c = k->io;
	int r =
	    read_raw(k->src, k->lay, CKPT_SEC_CONTAINERS, i, c, CKPT_CTR_SIZE);

	if (r)
		return r;
	if (i == 0
		? c->c_parent != CKPT_NONE || c->c_depth != 0
		: c->c_parent >= i || c->c_depth != k->c_depth[c->c_parent] + 1)
		return -EINVAL;
	if (c->c_depth > k->lim->max_depth || !ckpt_name_valid(c->c_name) ||
	    c->c_last_nr > k->lim->pid_max ||
	    c->c_init >= k->lay->count[CKPT_SEC_TASKS])
		return -EINVAL;
	for (uint32_t j = 0; j < i; j++)
		if (strcmp(k->c_name[j], c->c_name) == 0)
			return -EINVAL;
	memcpy(k->c_name[i], c->c_name, CKPT_NAME_LEN);
	k->c_parent[i] = c->c_parent;
	k->c_depth[i] = c->c_depth;
	k->c_init[i] = c->c_init;
	k->lay->max_depth = MAX(k->lay->max_depth, c->c_depth);
	return 0;
}

/* Is container c equal to anc or nested in it? */
static bool ctr_within(const struct chk *k, uint32_t c, uint32_t anc)
{
	while (k->c_depth[c] > k->c_depth[anc])
		c = k->c_parent[c];
	return c == anc;
}

/* Container index, parent, state and the family rules. */
static int task_links(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	if (t->t_ctr >= k->lay->count[CKPT_SEC_CONTAINERS] ||
	    t->t_state < CKPT_TASK_RUNNABLE || t->t_state > CKPT_TASK_ZOMBIE)
		return -EINVAL;
	if (i == 0)
		return t->t_parent == CKPT_NONE ? 0 : -EINVAL;
	if (t->t_parent >= i || k->t_state[t->t_parent] == CKPT_TASK_ZOMBIE ||
	    !ctr_within(k, t->t_ctr, k->t_ctr[t->t_parent]))
		return -EINVAL;
	return 0;
}

/* PID numbers at every level, birth level, number 1 == init; records the
 * (container, number) keys for the uniqueness check. */
static int task_pids(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	int32_t birth = (int32_t)t->t_birth_level;
	uint32_t c = t->t_ctr;

	if (t->t_nlevels != k->c_depth[c] + 1 ||
	    (i == 0 ? birth != -1
		    : birth < 0 || (uint32_t)birth >= t->t_nlevels))
		return -EINVAL;
	for (uint32_t l = t->t_nlevels; l < CKPT_LEVELS; l++)
		if (t->t_nrs[l] != 0)
			return -EINVAL;
	for (uint32_t l = t->t_nlevels; l-- > 0; c = k->c_parent[c]) {
		uint32_t nr = t->t_nrs[l];
		if (nr < 1 || nr > MIN(k->lim->pid_max, 0x7fffffu))
			return -EINVAL;
		if (nr == 1) {
			if (k->c_init[c] != i || t->t_state == CKPT_TASK_ZOMBIE)
				return -EINVAL;
			k->c_has_one[c] = 1;
		}
		k->keys[k->nkeys++] = c << 23 | nr;
	}
	return 0;
}

static bool status_ok(uint32_t s)
{
	return (s & ~0xff7fu) == 0 && ((s & 0x7f) == 0 || (s >> 8) == 0);
}

/* A zombie keeps only its identity and exit status. */
static int task_zombie(const struct ckpt_task *t)
{
	if (!status_ok(t->t_exit_status) || t->t_flags || t->t_killsig ||
	    t->t_restart_syscall || t->t_restart_arg || t->t_brk_start ||
	    t->t_brk || t->t_stack_low || t->t_npages || t->t_cwd[0])
		return -EINVAL;
	for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++)
		if (t->t_fds[fd] != CKPT_NONE)
			return -EINVAL;
	return 0;
}

/* Registers, FPU, restart info, memory bounds, descriptors, cwd. */
static int task_live(struct chk *k, const struct ckpt_task *t)
{
	const uint8_t *m = &t->t_fpu[CKPT_FPU_MXCSR_OFF];
	bool killed = t->t_flags & CKPT_TF_KILLED;

	if (t->t_exit_status ||
	    (t->t_flags & ~(CKPT_TF_IN_SYSCALL | CKPT_TF_KILLED)) ||
	    (killed ? t->t_killsig < 1 || t->t_killsig > 31
		    : t->t_killsig != 0) ||
	    (t->t_state == CKPT_TASK_SLEEPING &&
	     !(t->t_flags & CKPT_TF_IN_SYSCALL)))
		return -EINVAL;
	if ((t->t_regs.eflags & ~CKPT_EFLAGS_OK) ||
	    (t->t_regs.eflags & 0x202u) != 0x202u || m[2] || m[3])
		return -EINVAL;
	if (t->t_restart_syscall ? t->t_restart_syscall != SYS_sleep
				 : t->t_restart_arg != 0)
		return -EINVAL;
	if ((t->t_brk_start & (CKPT_PAGE_SIZE - 1)) ||
	    t->t_brk_start < USER_BASE || t->t_brk < t->t_brk_start ||
	    t->t_brk > HEAP_LIMIT || (t->t_stack_low & (CKPT_PAGE_SIZE - 1)) ||
	    t->t_stack_low < STACK_BOTTOM || t->t_stack_low > USER_TOP)
		return -EINVAL;
	if (!str_ok(t->t_cwd, CKPT_PATH_LEN) || t->t_cwd[0] != '/')
		return -EINVAL;
	for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++) {
		uint32_t f = t->t_fds[fd];
		if (f == CKPT_NONE)
			continue;
		if (f >= k->lay->count[CKPT_SEC_FILES])
			return -EINVAL;
		k->f_used[f] = 1;
	}
	return 0;
}

static int check_task(struct chk *k, uint32_t i)
{
	struct ckpt_task *t = k->io;
	int r = read_raw(k->src, k->lay, CKPT_SEC_TASKS, i, t, CKPT_TASK_SIZE);

	if (!r)
		r = task_links(k, i, t);
	if (!r)
		r = task_pids(k, i, t);
	if (!r)
		r = t->t_state == CKPT_TASK_ZOMBIE ? task_zombie(t)
						   : task_live(k, t);
	if (r)
		return r;
	if (!str_ok(t->t_name, CKPT_NAME_LEN) ||
	    t->t_first_page != k->pages_seen ||
	    t->t_npages > k->lay->count[CKPT_SEC_PAGES] - k->pages_seen)
		return -EINVAL;
	k->pages_seen += t->t_npages;
	k->t_ctr[i] = t->t_ctr;
	k->t_state[i] = t->t_state;
	k->t_npages[i] = t->t_npages;
	return 0;
}

/* Sorts a[0..n) (heapsort: no recursion, no extra memory). */
static void sort_u32(uint32_t *a, uint32_t n)
{
	for (uint32_t end = n, start = n / 2;;) {
		uint32_t root, tmp;
		if (start > 0) {
			root = --start;
		} else {
			if (end <= 1)
				return;
			end--;
			tmp = a[end], a[end] = a[0], a[0] = tmp;
			root = 0;
		}
		for (uint32_t child; (child = 2 * root + 1) < end;
		     root = child) {
			if (child + 1 < end && a[child + 1] > a[child])
				child++;
			if (a[root] >= a[child])
				break;
			tmp = a[root], a[root] = a[child], a[child] = tmp;
		}
	}
}

/* Every container has its number 1; no number is used twice in one. */
static int check_pid_sets(struct chk *k)
{
	for (uint32_t c = 0; c < k->lay->count[CKPT_SEC_CONTAINERS]; c++)
		if (!k->c_has_one[c])
			return -EINVAL;
	sort_u32(k->keys, k->nkeys);
	for (uint32_t i = 1; i < k->nkeys; i++)
		if (k->keys[i] == k->keys[i - 1])
			return -EINVAL;
	return 0;
}

static int check_file(struct chk *k, uint32_t i)
{
	struct ckpt_file *f = k->io;
	int r = read_raw(k->src, k->lay, CKPT_SEC_FILES, i, f, CKPT_FILE_SIZE);
	uint32_t acc = f->f_flags & O_ACCMODE;

	if (r)
		return r;
	if (!k->f_used[i] || (f->f_flags & ~(uint32_t)FILE_FLAGS_OK) ||
	    acc == O_ACCMODE || !str_ok(f->f_path, CKPT_PATH_LEN))
		return -EINVAL;
	switch (f->f_kind) {
	case CKPT_FILE_PIPE_READ:
	case CKPT_FILE_PIPE_WRITE:
		if (f->f_pipe >= k->lay->count[CKPT_SEC_PIPES] || f->f_offset ||
		    f->f_path[0] ||
		    f->f_flags != (f->f_kind == CKPT_FILE_PIPE_READ ? O_RDONLY
								    : O_WRONLY))
			return -EINVAL;
		k->p_used[f->f_pipe] = 1;
		return 0;
	case CKPT_FILE_CONSOLE:
	case CKPT_FILE_TTYS1:
	case CKPT_FILE_ETH0:
		return f->f_pipe == CKPT_NONE && !f->f_offset && !f->f_path[0]
			   ? 0
			   : -EINVAL;
	case CKPT_FILE_RAMFS:
	case CKPT_FILE_PROC:
		return f->f_pipe == CKPT_NONE && f->f_path[0] == '/' ? 0
								     : -EINVAL;
	default:
		return -EINVAL;
	}
}

static int check_pipe(struct chk *k, uint32_t i)
{
	uint32_t *w = k->io;
	int r =
	    read_raw(k->src, k->lay, CKPT_SEC_PIPES, i, w, CKPT_PIPE_WORDS * 4);

	if (r)
		return r;
	return k->p_used[i] && w[0] <= CKPT_PIPE_SIZE && w[1] == 0 ? 0
								   : -EINVAL;
}

/* The pages of task i: user addresses in increasing order. */
static int check_pages(struct chk *k, uint32_t i, uint32_t *next)
{
	uint32_t *w = k->io, last = 0;

	for (uint32_t n = 0; n < k->t_npages[i]; n++, (*next)++) {
		int r = read_raw(k->src, k->lay, CKPT_SEC_PAGES, *next, w,
				 CKPT_PAGE_WORDS * 4);
		if (r)
			return r;
		uint32_t va = w[0], fl = w[1];
		if ((va & (CKPT_PAGE_SIZE - 1)) || va < USER_BASE ||
		    va >= USER_TOP || (n > 0 && va <= last) ||
		    !(fl & CKPT_PG_USER) ||
		    (fl & ~(CKPT_PG_USER | CKPT_PG_WRITE)))
			return -EINVAL;
		last = va;
	}
	return 0;
}

/* Runs fn over records 0..n-1, stopping at the first error. */
static int each(struct chk *k, int (*fn)(struct chk *, uint32_t), uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		int r = fn(k, i);
		if (r)
			return r;
	}
	return 0;
}

int ckpt_check_body(const struct ckpt_source *src,
		    const struct ckpt_limits *lim, struct ckpt_layout *lay,
		    void *scratch, void *iobuf)
{
	struct chk k = {.src = src, .lim = lim, .lay = lay, .io = iobuf};
	const uint32_t *n = lay->count;
	size_t size = carve(&k, lay, scratch);
	uint32_t next_page = 0;
	int r;

	memset(scratch, 0, size);
	lay->max_depth = 0;
	r = check_crc(&k);
	if (!r)
		r = each(&k, check_container, n[CKPT_SEC_CONTAINERS]);
	if (!r)
		r = each(&k, check_task, n[CKPT_SEC_TASKS]);
	if (!r && k.pages_seen != n[CKPT_SEC_PAGES])
		r = -EINVAL;
	if (!r)
		r = check_pid_sets(&k);
	if (!r)
		r = each(&k, check_file, n[CKPT_SEC_FILES]);
	if (!r)
		r = each(&k, check_pipe, n[CKPT_SEC_PIPES]);
	for (uint32_t i = 0; !r && i < n[CKPT_SEC_TASKS]; i++)
		r = check_pages(&k, i, &next_page);
	return r;
}
