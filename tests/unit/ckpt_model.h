/*
 * The model checkpoint image shared by the checkpoint codec unit tests
 * (test_ckpt_codec.c, test_ckpt_check.c): a three-container tree held as
 * plain records, the encoder driven into memory, and the validator run on
 * the result with the host's limits.  Each test is one program, so the
 * helpers are static inline and the counters static.
 */
#ifndef CKPT_MODEL_H
#define CKPT_MODEL_H

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

static inline int mem_write(void *ctx, uint32_t off, const void *buf,
			    uint32_t len)
{
	struct membuf *m = ctx;
	if (off > m->cap || len > m->cap - off)
		return -ERANGE;
	memcpy(m->buf + off, buf, len);
	return 0;
}

static inline int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (uint8_t *)ctx + off, len);
	return 0;
}

/* Page data is a pattern of its index, so the round trip can check it. */
static inline void page_pattern(uint8_t *p, uint32_t i)
{
	for (uint32_t b = 0; b < CKPT_PAGE_SIZE; b++)
		p[b] = (uint8_t)(i * 31 + b);
}

/* Encodes m into a new buffer; *len gets its size. */
static inline uint8_t *encode(const struct model *m, uint32_t *len)
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
static inline int check_lim(const uint8_t *img, uint32_t len,
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

static inline int check(const uint8_t *img, uint32_t len)
{
	return check_lim(img, len, &host_limits);
}

static inline void set_task(struct ckpt_task *t, uint32_t ctr, uint32_t parent,
			    int32_t birth, uint32_t nlevels,
			    const uint32_t *nrs, const char *name)
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

static inline void add_pages(struct model *m, struct ckpt_task *t, uint32_t n,
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
static inline void make_model(struct model *m)
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

/* The model's image in a new buffer: *len gets its size, *lay its header,
 * which must pass. */
static inline uint8_t *model_image(uint32_t *len, struct ckpt_layout *lay)
{
	struct model m;
	make_model(&m);
	uint8_t *img = encode(&m, len);
	struct ckpt_source src = {mem_read, img, *len};
	CHECK(ckpt_check_header(&src, &host_limits, lay) == 0);
	return img;
}

#endif
