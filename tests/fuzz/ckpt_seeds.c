/*
 * ckpt_seeds DIR: writes valid checkpoint images into DIR as the seed
 * corpus of the fuzz target tests/fuzz/fuzz_ckpt.c.  They are made with
 * the kernel's own encoder (kernel/lib/ckpt_codec.c) and checked with its
 * validator, so a seed that stops being valid when the format changes is
 * an error here rather than a silently useless corpus.
 *
 *   minimal   one container, its init, no files or pages
 *   family    web > db > cache: a sleeper, a zombie, a killed task, the
 *             console, a pipe holding bytes, an in-memory and a /proc file,
 *             and a page each for the live tasks
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/ckpt_codec.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>
#include <uapi/syscall.h>

#include "fuzz_ckpt.c" /* the target's validator run and oracle */

#define MAXREC 8
struct model {
	uint32_t n[CKPT_NSECT + 1];
	struct ckpt_container ctr[MAXREC];
	struct ckpt_task task[MAXREC];
	struct ckpt_file file[MAXREC];
	uint32_t page_va[MAXREC];
};

static FILE *out;

static int file_write(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	(void)ctx;
	if (fseek(out, (long)off, SEEK_SET) || fwrite(buf, 1, len, out) != len)
		return -EINVAL;
	return 0;
}

static void set_task(struct ckpt_task *t, uint32_t ctr, uint32_t parent,
		     uint32_t nlevels, const uint32_t *nrs)
{
	memset(t, 0, sizeof(*t));
	t->t_ctr = ctr;
	t->t_parent = parent;
	t->t_state = CKPT_TASK_RUNNABLE;
	t->t_birth_level = parent == CKPT_NONE ? (uint32_t)-1 : 0;
	t->t_nlevels = nlevels;
	memcpy(t->t_nrs, nrs, nlevels * 4);
	t->t_regs.eip = USER_BASE + 0x100;
	t->t_regs.esp = USER_TOP - 16;
	t->t_regs.eflags = 0x202;
	t->t_fpu[CKPT_FPU_MXCSR_OFF] = 0x80;
	t->t_fpu[CKPT_FPU_MXCSR_OFF + 1] = 0x1f;
	t->t_brk_start = t->t_brk = USER_BASE + 0x2000;
	t->t_stack_low = USER_TOP - CKPT_PAGE_SIZE;
	for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++)
		t->t_fds[fd] = CKPT_NONE;
	strcpy(t->t_cwd, "/");
	strcpy(t->t_name, "seed");
}

static void set_ctr(struct model *m, uint32_t i, const char *name,
		    uint32_t init, uint32_t last_nr)
{
	m->ctr[i].c_parent = i ? i - 1 : CKPT_NONE;
	m->ctr[i].c_depth = i;
	m->ctr[i].c_init = init;
	m->ctr[i].c_last_nr = last_nr;
	strcpy(m->ctr[i].c_name, name);
	m->n[CKPT_SEC_CONTAINERS] = i + 1;
}

/* One page for task i (pages are given in task order). */
static void add_page(struct model *m, uint32_t i, uint32_t va)
{
	m->task[i].t_first_page = m->n[CKPT_SEC_PAGES];
	m->task[i].t_npages = 1;
	m->page_va[m->n[CKPT_SEC_PAGES]++] = va;
}

static void make_minimal(struct model *m)
{
	memset(m, 0, sizeof(*m));
	set_ctr(m, 0, "seed", 0, 1);
	set_task(&m->task[0], 0, CKPT_NONE, 1, (uint32_t[]){1});
	m->n[CKPT_SEC_TASKS] = 1;
}

static void make_family(struct model *m)
{
	struct ckpt_task *t = m->task;

	memset(m, 0, sizeof(*m));
	set_ctr(m, 0, "web", 0, 4);
	set_ctr(m, 1, "db", 3, 2);
	set_ctr(m, 2, "cache", 4, 1);
	set_task(&t[0], 0, CKPT_NONE, 1, (uint32_t[]){1});
	set_task(&t[1], 0, 0, 1, (uint32_t[]){2});
	set_task(&t[2], 0, 0, 1, (uint32_t[]){3});
	set_task(&t[3], 1, 0, 2, (uint32_t[]){4, 1});
	set_task(&t[4], 2, 3, 3, (uint32_t[]){5, 2, 1});
	t[4].t_birth_level = 1;
	m->n[CKPT_SEC_TASKS] = 5;
	t[1].t_state = CKPT_TASK_SLEEPING;
	t[1].t_flags = CKPT_TF_IN_SYSCALL;
	t[1].t_restart_syscall = SYS_sleep;
	t[1].t_restart_arg = 500;
	t[1].t_regs.eax = SYS_sleep; /* a sleep's restart re-issues sleep */
	memset(&t[2].t_regs, 0, sizeof(t[2].t_regs));
	memset(t[2].t_fpu, 0, sizeof(t[2].t_fpu)); /* a zombie keeps none */
	t[2].t_state = CKPT_TASK_ZOMBIE;
	t[2].t_exit_status = 3 << 8;
	t[2].t_brk_start = t[2].t_brk = t[2].t_stack_low = 0;
	t[2].t_cwd[0] = 0;
	t[3].t_flags = CKPT_TF_KILLED;
	t[3].t_killsig = 15;
	add_page(m, 0, USER_BASE);
	add_page(m, 1, USER_TOP - CKPT_PAGE_SIZE);
	t[2].t_first_page = 2;
	add_page(m, 3, USER_BASE);
	add_page(m, 4, USER_BASE + 0x10000);
	struct ckpt_file *f = m->file;
	f[0] = (struct ckpt_file){CKPT_FILE_CONSOLE, O_RDWR, 0, CKPT_NONE, ""};
	f[1] = (struct ckpt_file){CKPT_FILE_PIPE_READ, O_RDONLY, 0, 0, ""};
	f[2] = (struct ckpt_file){CKPT_FILE_PIPE_WRITE, O_WRONLY, 0, 0, ""};
	f[3] =
	    (struct ckpt_file){CKPT_FILE_RAMFS, O_RDWR, 3, CKPT_NONE, "/tmp/x"};
	f[4] = (struct ckpt_file){CKPT_FILE_PROC, O_RDONLY, 0, CKPT_NONE,
				  "/proc/self/status"};
	m->n[CKPT_SEC_FILES] = 5;
	t[0].t_fds[0] = t[0].t_fds[1] = t[0].t_fds[2] = 0;
	t[1].t_fds[0] = 1;
	t[3].t_fds[1] = 2;
	t[4].t_fds[3] = 3, t[4].t_fds[4] = 4;
	m->n[CKPT_SEC_PIPES] = 1;
}

/* Encodes m into DIR/name; 0 or 1. */
static int emit(const char *dir, const char *name, const struct model *m)
{
	static uint8_t page[CKPT_PAGE_SIZE], pipe[CKPT_PIPE_SIZE] = "hello";
	struct ckpt_enc e;
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out = fopen(path, "wb");
	if (!out)
		return 1;
	ckpt_enc_begin(&e, file_write, NULL, m->n);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_CONTAINERS]; i++)
		ckpt_enc_container(&e, &m->ctr[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_TASKS]; i++)
		ckpt_enc_task(&e, &m->task[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_FILES]; i++)
		ckpt_enc_file(&e, &m->file[i]);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_PIPES]; i++)
		ckpt_enc_pipe(&e, 5, pipe);
	for (uint32_t i = 0; i < m->n[CKPT_SEC_PAGES]; i++) {
		memset(page, (int)i + 1, sizeof(page));
		ckpt_enc_page(&e, m->page_va[i], CKPT_PG_USER | CKPT_PG_WRITE,
			      page);
	}
	int64_t len = ckpt_enc_end(&e);
	fclose(out);
	if (len < 0) {
		fprintf(stderr, "ckpt_seeds: %s: encoder error %lld\n", name,
			(long long)len);
		return 1;
	}
	return 0;
}

/* Is the image in DIR/name accepted by the fuzz target's validator run? */
static int accepted(const char *dir, const char *name)
{
	char path[512];
	static uint8_t buf[1 << 16];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return 1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	int r = fuzz_ckpt_one(buf, n);
	if (r)
		fprintf(stderr, "ckpt_seeds: %s: the validator says %d\n", name,
			r);
	return r != 0;
}

int main(int argc, char **argv)
{
	struct model m;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: ckpt_seeds DIR\n");
		return 2;
	}
	make_minimal(&m);
	bad |= emit(argv[1], "minimal", &m) || accepted(argv[1], "minimal");
	make_family(&m);
	bad |= emit(argv[1], "family", &m) || accepted(argv[1], "family");
	return bad;
}
