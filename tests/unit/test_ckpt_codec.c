// SOURCES: kernel/ckpt_codec.c kernel/ckpt_check.c kernel/sort.c kernel/string.c
/*
 * Host unit test of the checkpoint image codec: a round trip through the
 * encoder and decoder, then a table of broken images -- truncated at every
 * section boundary, flipped bytes in every field class, wrong magic,
 * version and CRC, huge counts, duplicate PIDs, broken parent links,
 * overlapping and kernel addresses -- each of which the validator must
 * reject with the documented error (-ENOEXEC or -EINVAL).
 *
 * Broken images are made two ways: by changing the model and encoding it
 * again (the encoder does not judge content, so the CRC is right and only
 * the semantic checks can catch it), and by patching bytes of a good image
 * with or without fixing the CRC.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/ckpt_codec.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>
#include <uapi/syscall.h>

#include "check.h"

/* ---- a model container tree, encoded into memory ------------------------ */

#define MAXREC 64
struct model {
	uint32_t n[CKPT_NSECT + 1];
	struct ckpt_container ctr[MAXREC];
	struct ckpt_task task[MAXREC];
	struct ckpt_file file[MAXREC];
	uint32_t pipe_count[MAXREC];
	uint8_t pipe_data[MAXREC][CKPT_PIPE_SIZE];
	uint32_t page_va[MAXREC], page_flags[MAXREC];
};

struct membuf {
	uint8_t *buf;
	uint32_t cap;
};

static int mem_write(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	struct membuf *m = ctx;
	if (off > m->cap || len > m->cap - off)
		return -ERANGE;
	memcpy(m->buf + off, buf, len);
	return 0;
}

static int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (uint8_t *)ctx + off, len);
	return 0;
}

/* Page data is a pattern of its index, so the round trip can check it. */
static void page_pattern(uint8_t *p, uint32_t i)
{
	for (uint32_t b = 0; b < CKPT_PAGE_SIZE; b++)
		p[b] = (uint8_t)(i * 31 + b);
}

/* Encodes m into a new buffer; *len gets its size. */
static uint8_t *encode(const struct model *m, uint32_t *len)
{
	struct ckpt_layout lay;
	struct ckpt_enc e;
	static uint8_t page[CKPT_PAGE_SIZE];
	if (ckpt_layout_plan(&lay, m->n))
		abort();
	struct membuf mb = {calloc(1, lay.total_len), lay.total_len};
	ckpt_enc_begin(&e, mem_write, &mb, m->n);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_CONTAINERS]; i++)
		ckpt_enc_container(&e, &m->ctr[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_TASKS]; i++)
		ckpt_enc_task(&e, &m->task[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_FILES]; i++)
		ckpt_enc_file(&e, &m->file[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_PIPES]; i++)
		ckpt_enc_pipe(&e, m->pipe_count[i], m->pipe_data[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_PAGES]; i++) {
		page_pattern(page, i);
		ckpt_enc_page(&e, m->page_va[i], m->page_flags[i], page);
	}
	int64_t r = ckpt_enc_end(&e);
	if (r != (int64_t)lay.total_len) {
		printf("encode failed: %lld\n", (long long)r);
		abort();
	}
	*len = lay.total_len;
	return mb.buf;
}

static const struct ckpt_limits host_limits = {
    .pid_max = 0x7fffff,
    .max_ctrs = 511,
    .max_tasks = 4096,
    .max_pages = 1u << 20,
    .max_depth = 31,
};

/* The validator's reason for the last refusal check_lim saw. */
static char last_why[CKPT_WHY_LEN];

/* Validates img[0..len) with lim: 0, -ENOEXEC or -EINVAL.  A refusal
 * must come with a reason (kept in last_why); a pass with none. */
static int check_lim(const uint8_t *img, uint32_t len,
		     const struct ckpt_limits *lim)
{
	struct ckpt_source src = {mem_read, (void *)img, len};
	struct ckpt_layout lay;
	static uint8_t iobuf[CKPT_IOBUF_SIZE];
	int r = ckpt_check_header(&src, lim, &lay);
	if (!r) {
		void *scratch = malloc(ckpt_scratch_size(&lay) + 1);
		r = ckpt_check_body(&src, lim, &lay, scratch, iobuf);
		free(scratch);
	}
	memcpy(last_why, lay.why, sizeof(last_why));
	if (r ? !lay.why[0] || strnlen(lay.why, CKPT_WHY_LEN) >= CKPT_WHY_LEN
	      : lay.why[0] != 0) {
		printf("FAIL result %d with reason '%.*s'\n", r,
		       (int)CKPT_WHY_LEN, lay.why);
		failures++;
	}
	return r;
}

static int check(const uint8_t *img, uint32_t len)
{
	return check_lim(img, len, &host_limits);
}

static void set_task(struct ckpt_task *t, uint32_t ctr, uint32_t parent,
		     int32_t birth, uint32_t nlevels, const uint32_t *nrs,
		     const char *name)
{
	memset(t, 0, sizeof(*t));
	t->t_ctr = ctr;
	t->t_parent = parent;
	t->t_state = CKPT_TASK_RUNNABLE;
	t->t_birth_level = (uint32_t)birth;
	t->t_nlevels = nlevels;
	memcpy(t->t_nrs, nrs, nlevels * 4);
	t->t_regs.eip = USER_BASE + 0x100;
	t->t_regs.esp = USER_TOP - 16;
	t->t_regs.eflags = 0x202;
	t->t_fpu[CKPT_FPU_MXCSR_OFF] = 0x80;
	t->t_fpu[CKPT_FPU_MXCSR_OFF + 1] = 0x1f;
	t->t_brk_start = t->t_brk = USER_BASE + 0x2000;
	t->t_stack_low = USER_TOP - CKPT_PAGE_SIZE;
	for (int fd = 0; fd < (int)CKPT_NOFILE; fd++)
		t->t_fds[fd] = CKPT_NONE;
	strcpy(t->t_cwd, "/");
	strcpy(t->t_name, name);
}

static void add_pages(struct model *m, struct ckpt_task *t, uint32_t n,
		      uint32_t base)
{
	t->t_first_page = m->n[CKPT_SEC_PAGES];
	t->t_npages = n;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t p = m->n[CKPT_SEC_PAGES]++;
		m->page_va[p] = base + i * CKPT_PAGE_SIZE;
		m->page_flags[p] = CKPT_PG_USER | (i ? CKPT_PG_WRITE : 0);
	}
}

/*
 * web (top) > db > cache.  Tasks, as pids from web down:
 *   0 init of web [1]          console on 0-2, 2 pages
 *   1 child of 0  [2]          sleeping in sleep(), reads the pipe on 0
 *   2 child of 0  [3]          zombie, exit 3
 *   3 founder of db [4,1]      writes the pipe on 1
 *   4 child of 3  [5,2]        /tmp/x at 10 on 3, /proc/self/status on 4
 *   5 founder of cache [6,3,1] child of 3
 */
static void make_model(struct model *m)
{
	memset(m, 0, sizeof(*m));
	const char *names[] = {"web", "db", "cache"};
	for (uint32_t i = 0; i < 3; i++) {
		m->ctr[i].c_parent = i ? i - 1 : CKPT_NONE;
		m->ctr[i].c_depth = i;
		strcpy(m->ctr[i].c_name, names[i]);
	}
	m->ctr[0].c_last_nr = 6, m->ctr[0].c_init = 0;
	m->ctr[1].c_last_nr = 3, m->ctr[1].c_init = 3;
	m->ctr[2].c_last_nr = 1, m->ctr[2].c_init = 5;
	m->n[CKPT_SEC_CONTAINERS] = 3;

	struct ckpt_task *t = m->task;
	set_task(&t[0], 0, CKPT_NONE, -1, 1, (uint32_t[]){1}, "init");
	set_task(&t[1], 0, 0, 0, 1, (uint32_t[]){2}, "sleeper");
	set_task(&t[2], 0, 0, 0, 1, (uint32_t[]){3}, "gone");
	set_task(&t[3], 1, 0, 0, 2, (uint32_t[]){4, 1}, "dbinit");
	set_task(&t[4], 1, 3, 1, 2, (uint32_t[]){5, 2}, "worker");
	set_task(&t[5], 2, 3, 1, 3, (uint32_t[]){6, 3, 1}, "cache");
	m->n[CKPT_SEC_TASKS] = 6;
	add_pages(m, &t[0], 2, USER_BASE);
	add_pages(m, &t[1], 1, USER_TOP - CKPT_PAGE_SIZE);
	struct ckpt_task *z = &t[2];
	memset(&z->t_regs, 0, sizeof(z->t_regs));
	memset(z->t_fpu, 0, sizeof(z->t_fpu));
	z->t_state = CKPT_TASK_ZOMBIE;
	z->t_exit_status = 3 << 8;
	z->t_brk_start = z->t_brk = z->t_stack_low = 0;
	z->t_cwd[0] = 0;
	z->t_first_page = m->n[CKPT_SEC_PAGES];
	add_pages(m, &t[3], 1, USER_BASE);
	add_pages(m, &t[4], 2, USER_BASE + 0x10000);
	add_pages(m, &t[5], 1, USER_BASE);
	t[1].t_state = CKPT_TASK_SLEEPING;
	t[1].t_flags = CKPT_TF_IN_SYSCALL;
	t[1].t_regs.eax = SYS_sleep;
	t[1].t_restart_syscall = SYS_sleep;
	t[1].t_restart_arg = 1500;
	t[4].t_flags = CKPT_TF_KILLED;
	t[4].t_killsig = 15;

	struct ckpt_file *f = m->file;
	f[0] = (struct ckpt_file){CKPT_FILE_CONSOLE, O_RDWR, 0, CKPT_NONE, ""};
	f[1] = (struct ckpt_file){CKPT_FILE_PIPE_READ, O_RDONLY, 0, 0, ""};
	f[2] = (struct ckpt_file){CKPT_FILE_PIPE_WRITE, O_WRONLY, 0, 0, ""};
	f[3] = (struct ckpt_file){CKPT_FILE_RAMFS, O_RDWR | O_APPEND, 10,
				  CKPT_NONE, "/tmp/x"};
	f[4] = (struct ckpt_file){CKPT_FILE_PROC, O_RDONLY, 0, CKPT_NONE,
				  "/proc/self/status"};
	m->n[CKPT_SEC_FILES] = 5;
	for (int fd = 0; fd < 3; fd++)
		t[0].t_fds[fd] = 0;
	t[1].t_fds[0] = 1, t[1].t_fds[1] = 0;
	t[3].t_fds[1] = 2;
	t[4].t_fds[3] = 3, t[4].t_fds[4] = 4;
	m->pipe_count[0] = 5;
	memcpy(m->pipe_data[0], "hello", 5);
	m->n[CKPT_SEC_PIPES] = 1;
}

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
	CHECK(ckpt_crc32(0, "123456789", 9) == 0xcbf43926u);
	CHECK(ckpt_crc32(ckpt_crc32(0, "1234", 4), "56789", 5) == 0xcbf43926u);
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
	struct model m;
	uint32_t len;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	struct ckpt_source src = {mem_read, img, len};
	struct ckpt_layout lay;
	CHECK(ckpt_check_header(&src, &host_limits, &lay) == 0);
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
	crc = ckpt_crc32(0, copy, cut);
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
		crc = ckpt_crc32(0, img, len);
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
	struct model m;
	uint32_t len;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	struct ckpt_source src = {mem_read, img, len};
	struct ckpt_layout lay;
	CHECK(ckpt_check_header(&src, &host_limits, &lay) == 0);
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
	struct model m;
	uint32_t len;
	make_model(&m);
	uint8_t *img = encode(&m, &len);
	struct ckpt_source src = {mem_read, img, len};
	struct ckpt_layout lay;
	CHECK(ckpt_check_header(&src, &host_limits, &lay) == 0);
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

/* A model change and the error the validator must give for it. */
struct mutation {
	const char *what;
	void (*fn)(struct model *m);
};

#define MUT(name, body)                                                        \
	static void name(struct model *m)                                      \
	{                                                                      \
		body;                                                          \
	}
MUT(ctr_cycle, m->ctr[1].c_parent = 2; m->ctr[2].c_parent = 1)
MUT(ctr_two_tops, m->ctr[2].c_parent = CKPT_NONE; m->ctr[2].c_depth = 0)
MUT(ctr_top_parent, m->ctr[0].c_parent = 1)
MUT(ctr_depth, m->ctr[2].c_depth = 1)
MUT(ctr_parent_range, m->ctr[1].c_parent = 99)
MUT(ctr_name_bad, strcpy(m->ctr[1].c_name, "d b"))
MUT(ctr_name_empty, m->ctr[1].c_name[0] = 0)
MUT(ctr_name_dup, strcpy(m->ctr[2].c_name, "web"))
MUT(ctr_name_unterminated, memset(m->ctr[1].c_name, 'a', CKPT_NAME_LEN))
MUT(ctr_last_nr, m->ctr[0].c_last_nr = 0x800000)
MUT(ctr_init_range, m->ctr[1].c_init = 6)
MUT(ctr_init_wrong, m->ctr[1].c_init = 4)
MUT(task_ctr_range, m->task[4].t_ctr = 3)
MUT(task_two_roots, m->task[4].t_parent = CKPT_NONE)
MUT(task_root_parent, m->task[0].t_parent = 1)
MUT(task_parent_cycle, m->task[3].t_parent = 4)
MUT(task_parent_self, m->task[4].t_parent = 4)
MUT(task_parent_zombie, m->task[4].t_parent = 2; m->task[4].t_ctr = 0;
    m->task[4].t_nlevels = 1; m->task[4].t_nrs[1] = 0;
    m->task[4].t_birth_level = 0)
MUT(task_parent_ctr, m->task[4].t_ctr = 0; m->task[4].t_nlevels = 1;
    m->task[4].t_nrs[1] = 0; m->task[4].t_birth_level = 0)
MUT(task_state, m->task[1].t_state = 4)
MUT(task_nlevels, m->task[4].t_nlevels = 3; m->task[4].t_nrs[2] = 9)
MUT(task_nr_zero, m->task[4].t_nrs[1] = 0)
MUT(task_nr_big, m->task[4].t_nrs[0] = 0x800000)
MUT(task_nr_past_levels, m->task[4].t_nrs[5] = 7)
MUT(task_dup_pid, m->task[1].t_nrs[0] = 3)
MUT(task_dup_pid_upper, m->task[4].t_nrs[0] = 2)
MUT(task_dup_pid_inner, m->task[4].t_nrs[1] = 1)
MUT(task_second_one, m->task[1].t_nrs[0] = 1)
MUT(task_birth_range, m->task[4].t_birth_level = 2)
MUT(task_birth_outside, m->task[4].t_birth_level = (uint32_t)-1)
MUT(task_root_birth, m->task[0].t_birth_level = 0)
MUT(task_flags, m->task[1].t_flags |= 0x10)
MUT(task_killsig, m->task[4].t_killsig = 64)
MUT(task_sig_not_killed, m->task[3].t_killsig = 9)
MUT(task_sleep_not_in_call, m->task[1].t_flags = 0)
MUT(task_eflags_iopl, m->task[0].t_regs.eflags |= 0x3000)
MUT(task_eflags_no_if, m->task[0].t_regs.eflags = 0x2)
MUT(task_mxcsr, m->task[0].t_fpu[CKPT_FPU_MXCSR_OFF + 2] = 1)
MUT(task_restart, m->task[1].t_restart_syscall = SYS_read)
MUT(task_restart_arg, m->task[0].t_restart_arg = 5)
MUT(task_brk_low, m->task[0].t_brk_start = m->task[0].t_brk = 0x1000)
MUT(task_brk_order, m->task[0].t_brk = m->task[0].t_brk_start - 1)
MUT(task_brk_kernel, m->task[0].t_brk = 0xc0001000u)
MUT(task_brk_unaligned, m->task[0].t_brk_start += 4; m->task[0].t_brk += 4)
MUT(task_stack_low, m->task[0].t_stack_low = USER_BASE)
MUT(task_stack_kernel, m->task[0].t_stack_low = 0xc0001000u)
MUT(task_cwd_relative, strcpy(m->task[0].t_cwd, "tmp"))
MUT(task_cwd_unterminated, memset(m->task[0].t_cwd, '/', CKPT_PATH_LEN))
MUT(task_name_unterminated, memset(m->task[0].t_name, 'x', CKPT_NAME_LEN))
MUT(task_first_page, m->task[3].t_first_page = 0)
MUT(task_npages_more, m->task[5].t_npages = 2)
MUT(task_npages_huge, m->task[5].t_npages = 0xffffffffu)
MUT(task_fd_range, m->task[0].t_fds[5] = 5)
MUT(zombie_pages, m->task[2].t_npages = 1; m->task[3].t_first_page = 4;
    m->task[4].t_first_page = 5; m->task[5].t_first_page = 7;
    m->task[1].t_npages = 0)
MUT(zombie_fd, m->task[2].t_fds[0] = 0)
MUT(zombie_status, m->task[2].t_exit_status = 0x10000)
MUT(zombie_status_both, m->task[2].t_exit_status = 0x0309)
MUT(zombie_init, m->task[5].t_state = CKPT_TASK_ZOMBIE)
MUT(live_status, m->task[0].t_exit_status = 1 << 8)
MUT(file_kind, m->file[0].f_kind = CKPT_FILE_ETH0 + 1)
MUT(file_kind_zero, m->file[0].f_kind = 0)
MUT(file_unused, m->task[4].t_fds[4] = CKPT_NONE)
MUT(file_accmode, m->file[3].f_flags = 3)
MUT(file_flag_bits, m->file[3].f_flags |= 0x10000)
MUT(file_pipe_range, m->file[1].f_pipe = 1)
MUT(file_pipe_flags, m->file[1].f_flags = O_RDWR)
MUT(file_pipe_path, strcpy(m->file[2].f_path, "/x"))
MUT(file_console_pipe, m->file[0].f_pipe = 0)
MUT(file_console_path, strcpy(m->file[0].f_path, "/dev/console"))
MUT(file_eth0_path, m->file[0].f_kind = CKPT_FILE_ETH0;
    strcpy(m->file[0].f_path, "/dev/eth0"))
MUT(file_eth0_offset, m->file[0].f_kind = CKPT_FILE_ETH0;
    m->file[0].f_offset = 1)
MUT(file_ramfs_pipe, m->file[3].f_pipe = 0)
MUT(file_relative, strcpy(m->file[3].f_path, "tmp/x"))
MUT(file_unterminated, memset(m->file[4].f_path, '/', CKPT_PATH_LEN))
MUT(pipe_unused, m->file[1].f_kind = CKPT_FILE_CONSOLE;
    m->file[1].f_pipe = CKPT_NONE; m->file[2].f_kind = CKPT_FILE_CONSOLE;
    m->file[2].f_pipe = CKPT_NONE; m->file[2].f_flags = O_WRONLY)
MUT(page_kernel, m->page_va[1] = 0xc0000000u)
MUT(page_kernel_low, m->page_va[0] = 0x00100000u)
MUT(page_null, m->page_va[0] = 0)
MUT(page_unaligned, m->page_va[1] += 8)
MUT(page_dup, m->page_va[1] = m->page_va[0])
MUT(page_order, m->page_va[0] = m->page_va[1] + CKPT_PAGE_SIZE)
MUT(page_not_user, m->page_flags[2] = CKPT_PG_WRITE)
MUT(page_flags, m->page_flags[2] |= 0x100)
/* Families checkpoint never makes (docs/checkpoint-format.md, invariants). */
MUT(top_init_not_task0, m->task[0].t_nrs[0] = 2; m->task[1].t_nrs[0] = 1;
    m->ctr[0].c_init = 1)
MUT(task_parent_outer_ctr, m->task[4].t_parent = 0)
MUT(init_birth_own_level, m->task[3].t_birth_level = 1)
MUT(task_birth_outer, m->task[4].t_birth_level = 0)
MUT(task_not_breadth_first, m->task[2].t_parent = 1)
MUT(ctr_last_nr_zero, m->ctr[1].c_last_nr = 0)
MUT(task_eip_kernel, m->task[0].t_regs.eip = 0xc0000000u)
MUT(task_eip_low, m->task[3].t_regs.eip = 0x1000)
MUT(task_eflags_vm, m->task[0].t_regs.eflags |= 0x20000)
MUT(task_eflags_vif, m->task[0].t_regs.eflags |= 0x80000)
MUT(task_eflags_vip, m->task[0].t_regs.eflags |= 0x100000)
MUT(task_eflags_bit3, m->task[0].t_regs.eflags |= 0x8)
MUT(task_eflags_bit15, m->task[0].t_regs.eflags |= 0x8000)
MUT(task_eflags_bit22, m->task[0].t_regs.eflags |= 0x400000)
MUT(task_eflags_no_bit1, m->task[0].t_regs.eflags = 0x200)
MUT(task_restart_eax, m->task[1].t_regs.eax = SYS_read)
MUT(task_killsig_unknown, m->task[4].t_killsig = 5)
MUT(zombie_status_signal, m->task[2].t_exit_status = 5)
MUT(zombie_status_core, m->task[2].t_exit_status = 0x8b)
MUT(task_sleep_no_restart, m->task[1].t_restart_syscall = 0;
    m->task[1].t_restart_arg = 0)
MUT(zombie_regs, m->task[2].t_regs.eip = USER_BASE)
MUT(zombie_fpu, m->task[2].t_fpu[CKPT_FPU_MXCSR_OFF] = 0x80)
MUT(ctr_name_padding, m->ctr[1].c_name[20] = 'x')
MUT(task_name_padding, m->task[3].t_name[30] = 'x')
MUT(task_cwd_padding, m->task[0].t_cwd[200] = 'x')
MUT(file_path_padding, m->file[3].f_path[100] = 'x')

/* web's init living in db, where it is not the init (number 3; db's init
 * is its child): each restored would see the wrong parent. */
static void outer_init_inside_inner(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->ctr[0] = (struct ckpt_container){CKPT_NONE, 0, 2, 0, "web"};
	m->ctr[1] = (struct ckpt_container){0, 1, 3, 1, "db"};
	m->n[CKPT_SEC_CONTAINERS] = 2;
	set_task(&m->task[0], 1, CKPT_NONE, -1, 2, (uint32_t[]){1, 3}, "sh");
	set_task(&m->task[1], 1, 0, 0, 2, (uint32_t[]){2, 1}, "dbinit");
	m->n[CKPT_SEC_TASKS] = 2;
	add_pages(m, &m->task[0], 1, USER_BASE);
	add_pages(m, &m->task[1], 1, USER_BASE);
}

/* The init of a nested container whose parent is not in the container
 * just outside: cache's init (task 5 -> 4) made a child of web's init. */
static void nested_init_parent_far(struct model *m)
{
	struct ckpt_task worker = m->task[4], cache = m->task[5];

	cache.t_parent = 0;
	cache.t_first_page = 4, worker.t_first_page = 5;
	m->task[4] = cache, m->task[5] = worker;
	m->ctr[2].c_init = 4;
	m->page_va[4] = USER_BASE, m->page_flags[4] = CKPT_PG_USER;
	m->page_va[5] = USER_BASE + 0x10000, m->page_flags[5] = CKPT_PG_USER;
	m->page_va[6] = USER_BASE + 0x11000;
	m->page_flags[6] = CKPT_PG_USER | CKPT_PG_WRITE;
}

static const struct mutation mutations[] = {
#define M(x)                                                                   \
	{                                                                      \
#x, x                                                          \
	}
    M(ctr_cycle),
    M(ctr_two_tops),
    M(ctr_top_parent),
    M(ctr_depth),
    M(ctr_parent_range),
    M(ctr_name_bad),
    M(ctr_name_empty),
    M(ctr_name_dup),
    M(ctr_name_unterminated),
    M(ctr_last_nr),
    M(ctr_init_range),
    M(ctr_init_wrong),
    M(task_ctr_range),
    M(task_two_roots),
    M(task_root_parent),
    M(task_parent_cycle),
    M(task_parent_self),
    M(task_parent_zombie),
    M(task_parent_ctr),
    M(task_state),
    M(task_nlevels),
    M(task_nr_zero),
    M(task_nr_big),
    M(task_nr_past_levels),
    M(task_dup_pid),
    M(task_dup_pid_upper),
    M(task_dup_pid_inner),
    M(task_second_one),
    M(task_birth_range),
    M(task_birth_outside),
    M(task_root_birth),
    M(task_flags),
    M(task_killsig),
    M(task_sig_not_killed),
    M(task_sleep_not_in_call),
    M(task_eflags_iopl),
    M(task_eflags_no_if),
    M(task_mxcsr),
    M(task_restart),
    M(task_restart_arg),
    M(task_brk_low),
    M(task_brk_order),
    M(task_brk_kernel),
    M(task_brk_unaligned),
    M(task_stack_low),
    M(task_stack_kernel),
    M(task_cwd_relative),
    M(task_cwd_unterminated),
    M(task_name_unterminated),
    M(task_first_page),
    M(task_npages_more),
    M(task_npages_huge),
    M(task_fd_range),
    M(zombie_pages),
    M(zombie_fd),
    M(zombie_status),
    M(zombie_status_both),
    M(zombie_init),
    M(live_status),
    M(file_kind),
    M(file_kind_zero),
    M(file_unused),
    M(file_accmode),
    M(file_flag_bits),
    M(file_pipe_range),
    M(file_pipe_flags),
    M(file_pipe_path),
    M(file_console_pipe),
    M(file_console_path),
    M(file_eth0_path),
    M(file_eth0_offset),
    M(file_ramfs_pipe),
    M(file_relative),
    M(file_unterminated),
    M(pipe_unused),
    M(page_kernel),
    M(page_kernel_low),
    M(page_null),
    M(page_unaligned),
    M(page_dup),
    M(page_order),
    M(page_not_user),
    M(page_flags),
    M(top_init_not_task0),
    M(task_parent_outer_ctr),
    M(outer_init_inside_inner),
    M(init_birth_own_level),
    M(task_birth_outer),
    M(task_not_breadth_first),
    M(ctr_last_nr_zero),
    M(task_eip_kernel),
    M(task_eip_low),
    M(task_eflags_vm),
    M(task_eflags_vif),
    M(task_eflags_vip),
    M(task_eflags_bit3),
    M(task_eflags_bit15),
    M(task_eflags_bit22),
    M(task_eflags_no_bit1),
    M(task_restart_eax),
    M(task_killsig_unknown),
    M(zombie_status_signal),
    M(zombie_status_core),
    M(nested_init_parent_far),
    M(task_sleep_no_restart),
    M(zombie_regs),
    M(zombie_fpu),
    M(ctr_name_padding),
    M(task_name_padding),
    M(task_cwd_padding),
    M(file_path_padding),
#undef M
};

/* Each semantic mutation, encoded with a correct CRC, is -EINVAL. */
static void test_mutations(void)
{
	for (unsigned i = 0; i < sizeof(mutations) / sizeof(mutations[0]);
	     i++) {
		struct model m;
		uint32_t len;
		make_model(&m);
		mutations[i].fn(&m);
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		checks++;
		if (r != -EINVAL) {
			printf("FAIL mutation %s: expected %d, got %d\n",
			       mutations[i].what, -EINVAL, r);
			failures++;
		} else {
			printf("  %-24s refused: %s\n", mutations[i].what,
			       last_why);
		}
		free(img);
	}
}

/* What checkpoint can produce, restore must accept: every eflags bit user
 * mode can set, each pending signal kill leaves, each status a task can
 * end with, and an init that founded a container nested in its own (it is
 * then the init of both, and its own container holds nobody else). */
MUT(ok_eflags_user, m->task[0].t_regs.eflags = 0x00254fd7u)
MUT(ok_eflags_min, m->task[3].t_regs.eflags = 0x202u)
MUT(ok_killsig_int, m->task[4].t_killsig = SIGINT)
MUT(ok_killsig_kill, m->task[4].t_killsig = SIGKILL)
MUT(ok_status_segv, m->task[2].t_exit_status = SIGSEGV)
MUT(ok_status_255, m->task[2].t_exit_status = 255 << 8)
/* web's init moved on into db (web holds nobody else): db's tasks are its
 * children, and db's init is web's init. */
static void ok_init_nested_itself(struct model *m)
{
	memset(m, 0, sizeof(*m));
	m->ctr[0] = (struct ckpt_container){CKPT_NONE, 0, 1, 0, "web"};
	m->ctr[1] = (struct ckpt_container){0, 1, 2, 0, "db"};
	m->n[CKPT_SEC_CONTAINERS] = 2;
	set_task(&m->task[0], 1, CKPT_NONE, -1, 2, (uint32_t[]){1, 1}, "sh");
	set_task(&m->task[1], 1, 0, 1, 2, (uint32_t[]){2, 2}, "child");
	m->n[CKPT_SEC_TASKS] = 2;
	add_pages(m, &m->task[0], 1, USER_BASE);
	add_pages(m, &m->task[1], 1, USER_BASE);
}

static void test_accepted(void)
{
	static const struct mutation ok[] = {
	    {"ok_eflags_user", ok_eflags_user},
	    {"ok_eflags_min", ok_eflags_min},
	    {"ok_killsig_int", ok_killsig_int},
	    {"ok_killsig_kill", ok_killsig_kill},
	    {"ok_status_segv", ok_status_segv},
	    {"ok_status_255", ok_status_255},
	    {"ok_init_nested_itself", ok_init_nested_itself},
	};
	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct model m;
		uint32_t len;
		make_model(&m);
		ok[i].fn(&m);
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		checks++;
		if (r != 0) {
			printf("FAIL %s: refused with %d: %s\n", ok[i].what, r,
			       last_why);
			failures++;
		}
		free(img);
	}
}

/* Containers are stored by depth: top > a > b and top > c is stored top,
 * a, c, b; top, a, b, c is refused although every parent comes first. */
static void test_ctr_order(void)
{
	for (int bad = 0; bad <= 1; bad++) {
		struct model m;
		uint32_t len, b = bad ? 2 : 3, c = bad ? 3 : 2;
		memset(&m, 0, sizeof(m));
		m.ctr[0] = (struct ckpt_container){CKPT_NONE, 0, 4, 0, "top"};
		m.ctr[1] = (struct ckpt_container){0, 1, 1, 1, "a"};
		m.ctr[b] = (struct ckpt_container){1, 2, 1, 3, "b"};
		m.ctr[c] = (struct ckpt_container){0, 1, 1, 2, "c"};
		m.n[CKPT_SEC_CONTAINERS] = 4;
		set_task(&m.task[0], 0, CKPT_NONE, -1, 1, (uint32_t[]){1}, "t");
		set_task(&m.task[1], 1, 0, 0, 2, (uint32_t[]){2, 1}, "a");
		set_task(&m.task[2], c, 0, 0, 2, (uint32_t[]){3, 1}, "c");
		set_task(&m.task[3], b, 1, 1, 3, (uint32_t[]){4, 2, 1}, "b");
		m.n[CKPT_SEC_TASKS] = 4;
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		CHECK(bad ? r == -EINVAL : r == 0);
		if (r != (bad ? -EINVAL : 0))
			printf("  order %s: %d %s\n", bad ? "bad" : "good", r,
			       last_why);
		free(img);
	}
}

/* A /dev/eth0 record (kind 7, no path, no offset) is valid, with
 * O_NONBLOCK too: it is reopened on restore like the console.  No other
 * kind honours O_NONBLOCK, so on the console it is refused. */
static void test_eth0_file(void)
{
	for (int kind = 0; kind <= 1; kind++) {
		struct model m;
		uint32_t len;
		make_model(&m);
		m.file[0].f_kind = kind ? CKPT_FILE_ETH0 : CKPT_FILE_CONSOLE;
		m.file[0].f_flags = O_RDWR | O_NONBLOCK;
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		int want = kind ? 0 : -EINVAL;
		checks++;
		if (r != want) {
			printf("FAIL %s record with O_NONBLOCK: expected %d, "
			       "got %d\n",
			       kind ? "eth0" : "console", want, r);
			failures++;
		}
		free(img);
	}
}

/* A chain of nested containers: 31 below the top is fine, 32 is not (the
 * top itself is at least at depth 1 on any machine). */
static void test_depth(void)
{
	for (uint32_t depth = 31; depth <= 32; depth++) {
		struct model m;
		memset(&m, 0, sizeof(m));
		for (uint32_t i = 0; i <= depth; i++) {
			/* task i founds container i; in container l it is
			 * number i - l + 1 */
			uint32_t nrs[CKPT_LEVELS];
			m.ctr[i].c_parent = i ? i - 1 : CKPT_NONE;
			m.ctr[i].c_depth = i;
			m.ctr[i].c_init = i;
			m.ctr[i].c_last_nr = depth - i + 1;
			snprintf(m.ctr[i].c_name, CKPT_NAME_LEN, "c%u", i);
			for (uint32_t l = 0; l <= i; l++)
				nrs[l] = i - l + 1;
			set_task(&m.task[i], i, i ? i - 1 : CKPT_NONE,
				 i ? (int32_t)i - 1 : -1, i + 1, nrs, "t");
		}
		m.n[CKPT_SEC_CONTAINERS] = m.n[CKPT_SEC_TASKS] = depth + 1;
		uint32_t len;
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		CHECK(depth == 31 ? r == 0 : r == -EINVAL);
		struct ckpt_source src = {mem_read, img, len};
		struct ckpt_layout lay;
		if (depth == 31) {
			static uint8_t io[CKPT_IOBUF_SIZE];
			CHECK(ckpt_check_header(&src, &host_limits, &lay) == 0);
			void *s = malloc(ckpt_scratch_size(&lay));
			CHECK(ckpt_check_body(&src, &host_limits, &lay, s,
					      io) == 0);
			CHECK(lay.max_depth == 31);
			free(s);
		}
		free(img);
	}
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
	test_mutations();
	test_accepted();
	test_ctr_order();
	test_eth0_file();
	test_depth();
	test_big_image();
	printf("ckpt codec: %d checks, %d failures: %s\n", checks, failures,
	       failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
