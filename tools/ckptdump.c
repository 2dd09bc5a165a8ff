/*
 * ckptdump FILE: prints a Cellblock checkpoint image for people -- header
 * and sections, the container tree, every task with its PIDs at every
 * level, registers, memory regions, descriptors, and the files and pipes.
 *
 * It is built for the host from the kernel's own codec (kernel/lib/ckpt_codec.c
 * and kernel/lib/ckpt_check.c) and validates the image exactly as restore
 * would before printing it; a refused image gets the validator's reason.
 * A version 2 image, one round of an incremental checkpoint, is checked
 * by kernel/lib/ckpt_round.c and printed as its round record and, per
 * task, the runs of consecutive pages it carries; after a final round,
 * the version 1 image of the rest of the state is printed as above.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/ckpt_codec.h>
#include <uapi/cellblock.h>
#include <uapi/syscall.h>

static const char *const sect_names[] = {"?",	  "containers", "tasks",
					 "files", "pipes",	"pages"};
static const char *const file_kinds[] = {"?",	      "console",    "ttyS1",
					 "pipe-read", "pipe-write", "ramfs",
					 "proc",      "eth0"};

static int mem_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	memcpy(buf, (const uint8_t *)ctx + off, len);
	return 0;
}

/* Reads the whole file into memory; NULL on error. */
static uint8_t *slurp(const char *path, uint32_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    n <= 0xffffffffL && fseek(f, 0, SEEK_SET) == 0) {
		buf = malloc(n ? (size_t)n : 1);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (uint32_t)n;
	}
	fclose(f);
	return buf;
}

struct image {
	struct ckpt_source src;
	struct ckpt_layout lay;
	struct ckpt_container *ctr;
	struct ckpt_task *task;
};

static void rec(struct image *im, uint32_t sec, uint32_t i, void *out)
{
	if (ckpt_read_rec(&im->src, &im->lay, sec, i, out, false) != 0) {
		fprintf(stderr, "ckptdump: cannot read record %u of %s\n", i,
			sect_names[sec]);
		exit(1);
	}
}

static void print_header(struct image *im)
{
	uint32_t crc;

	memcpy(&crc, (const uint8_t *)im->src.ctx + CKPT_CRC_OFFSET, 4);
	printf("Cellblock checkpoint image, format version %u, %u bytes, "
	       "CRC-32 %08x (valid)\n",
	       CKPT_VERSION, im->lay.total_len, crc);
	printf("sections:\n");
	for (uint32_t s = 1; s <= CKPT_NSECT; s++)
		printf("  %-10s offset %10u  %6u records of %u bytes\n",
		       sect_names[s], im->lay.off[s], im->lay.count[s],
		       ckpt_rec_size(s));
}

static void print_ctr_tree(struct image *im, uint32_t parent, int indent)
{
	for (uint32_t i = 0; i < im->lay.count[CKPT_SEC_CONTAINERS]; i++) {
		struct ckpt_container *c = &im->ctr[i];
		if (c->c_parent != parent)
			continue;
		printf("  %*s%s%s  (depth +%u, init task %u, last pid %u)\n",
		       indent, "", c->c_name, i == 0 ? " [top]" : "",
		       c->c_depth, c->c_init, c->c_last_nr);
		print_ctr_tree(im, i, indent + 2);
	}
}

/* Name of the container at level l of task t (walking up from its own). */
static const char *ctr_at(struct image *im, const struct ckpt_task *t,
			  uint32_t l)
{
	uint32_t c = t->t_ctr;

	for (uint32_t d = t->t_nlevels - 1; d > l; d--)
		c = im->ctr[c].c_parent;
	return im->ctr[c].c_name;
}

static const char *state_name(uint32_t s)
{
	return s == CKPT_TASK_RUNNABLE	 ? "R (runnable)"
	       : s == CKPT_TASK_SLEEPING ? "S (blocked in a system call)"
					 : "Z (zombie)";
}

/* Prints t's pages as ranges of consecutive pages with equal flags. */
static void print_regions(struct image *im, const struct ckpt_task *t)
{
	uint32_t w[2], start = 0, end = 0, flags = 0, n = 0;

	for (uint32_t i = 0; i <= t->t_npages; i++) {
		bool more = i < t->t_npages;
		if (more)
			ckpt_read_rec(&im->src, &im->lay, CKPT_SEC_PAGES,
				      t->t_first_page + i, w, true);
		if (n && (!more || w[0] != end || w[1] != flags)) {
			printf("      %08x-%08x %s %5u KiB\n", start, end,
			       flags & CKPT_PG_WRITE ? "rw" : "r-",
			       (end - start) / 1024);
			n = 0;
		}
		if (!more)
			break;
		if (n == 0) {
			start = w[0];
			flags = w[1];
		}
		end = w[0] + CKPT_PAGE_SIZE;
		n++;
	}
}

static void print_task(struct image *im, uint32_t i)
{
	struct ckpt_task *t = &im->task[i];
	const struct ckpt_regs *r = &t->t_regs;

	printf("  task %u: %s  container %s  state %s\n", i, t->t_name,
	       im->ctr[t->t_ctr].c_name, state_name(t->t_state));
	printf("    pids:");
	for (uint32_t l = 0; l < t->t_nlevels; l++)
		printf(" %s=%u", ctr_at(im, t, l), t->t_nrs[l]);
	if ((int32_t)t->t_birth_level < 0)
		printf("  (born outside the image)\n");
	else
		printf("  (born in %s)\n", ctr_at(im, t, t->t_birth_level));
	if (t->t_parent == CKPT_NONE)
		printf("    parent: outside the image (the restorer)\n");
	else
		printf("    parent: task %u (%s)\n", t->t_parent,
		       im->task[t->t_parent].t_name);
	if (t->t_state == CKPT_TASK_ZOMBIE) {
		uint32_t s = t->t_exit_status;
		if (s & 0x7f)
			printf("    killed by signal %u\n", s & 0x7f);
		else
			printf("    exit status %u\n", (s >> 8) & 0xff);
		return;
	}
	printf("    eip=%08x esp=%08x eflags=%08x eax=%08x ebx=%08x ecx=%08x\n",
	       r->eip, r->esp, r->eflags, r->eax, r->ebx, r->ecx);
	printf("    edx=%08x esi=%08x edi=%08x ebp=%08x\n", r->edx, r->esi,
	       r->edi, r->ebp);
	if (t->t_flags & CKPT_TF_IN_SYSCALL)
		printf("    re-executes system call %u on restore\n", r->eax);
	if (t->t_restart_syscall == SYS_sleep)
		printf("    sleep: %u ms still to go\n", t->t_restart_arg);
	if (t->t_flags & CKPT_TF_KILLED)
		printf("    kill pending: signal %u\n", t->t_killsig);
	printf(
	    "    heap %08x-%08x, stack from %08x, %u pages (%u KiB), cwd %s\n",
	    t->t_brk_start, t->t_brk, t->t_stack_low, t->t_npages,
	    t->t_npages * 4, t->t_cwd);
	print_regions(im, t);
	printf("    fds:");
	for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++)
		if (t->t_fds[fd] != CKPT_NONE)
			printf(" %u->file %u%s", fd, CKPT_FD_FILE(t->t_fds[fd]),
			       t->t_fds[fd] & CKPT_FD_CLOEXEC ? " cloexec"
							      : "");
	printf("\n");
}

static void print_files(struct image *im)
{
	struct ckpt_file f;

	printf("files:\n");
	for (uint32_t i = 0; i < im->lay.count[CKPT_SEC_FILES]; i++) {
		rec(im, CKPT_SEC_FILES, i, &f);
		printf("  file %u: %-10s flags %#x", i, file_kinds[f.f_kind],
		       f.f_flags);
		if (f.f_pipe != CKPT_NONE)
			printf("  pipe %u", f.f_pipe);
		if (f.f_path[0])
			printf("  %s at offset %u", f.f_path, f.f_offset);
		printf("\n");
	}
}

static void print_pipes(struct image *im)
{
	uint32_t w[2];
	static uint8_t data[CKPT_PIPE_SIZE];

	printf("pipes:\n");
	for (uint32_t i = 0; i < im->lay.count[CKPT_SEC_PIPES]; i++) {
		ckpt_read_rec(&im->src, &im->lay, CKPT_SEC_PIPES, i, w, true);
		ckpt_read_data(&im->src, &im->lay, CKPT_SEC_PIPES, i, data);
		printf("  pipe %u: %u bytes buffered \"", i, w[0]);
		for (uint32_t b = 0; b < w[0] && b < 40; b++)
			printf(data[b] >= 32 && data[b] < 127 ? "%c"
							      : "\\x%02x",
			       data[b]);
		printf("%s\"\n", w[0] > 40 ? "..." : "");
	}
}

/* Validates the image as the kernel would; 0 or a message on stderr. */
static int validate(struct image *im, const char *path)
{
	static const struct ckpt_limits lim = {
	    .pid_max = 0x7fffff,
	    .max_ctrs = 511,
	    .max_tasks = 100000,
	    .max_pages = 1u << 20,
	    .max_depth = CTR_DEPTH_MAX - 1,
	};
	static uint8_t iobuf[CKPT_IOBUF_SIZE];
	int r = ckpt_check_header(&im->src, &lim, &im->lay);
	void *scratch = NULL;

	if (!r) {
		scratch = malloc(ckpt_scratch_size(&im->lay) + 4);
		r = scratch ? ckpt_check_body(&im->src, &lim, &im->lay, scratch,
					      iobuf)
			    : -ENOMEM;
	}
	free(scratch);
	if (r == -ENOEXEC)
		fprintf(stderr,
			"ckptdump: %s: not a Cellblock checkpoint image: %s\n",
			path, im->lay.why);
	else if (r)
		fprintf(stderr,
			"ckptdump: %s: malformed image: %s (restore would "
			"refuse it with EINVAL)\n",
			path, im->lay.why[0] ? im->lay.why : strerror(-r));
	return r;
}

/* Prints one run of pages [lo, hi) of task t: how many are zeros, how
 * many kept from earlier rounds. */
static void print_run(uint32_t t, uint32_t lo, uint32_t hi, const uint32_t *nz)
{
	printf("  task %u: 0x%08x-0x%08x (%u pages, %u all zeros, %u kept)\n",
	       t, lo, hi, (hi - lo) / CKPT_PAGE_SIZE, nz[0], nz[1]);
}

/* The length a version 2 round's header gives (at most len): a final
 * round is followed by a version 1 image of the rest of the state. */
static uint32_t round_len(const uint8_t *buf, uint32_t len)
{
	uint32_t n = (uint32_t)buf[16] | (uint32_t)buf[17] << 8 |
		     (uint32_t)buf[18] << 16 | (uint32_t)buf[19] << 24;

	return n < CKPT_ROUND_HDR_SIZE || n > len ? len : n;
}

/* A version 2 image: validated, then the round and its pages by run. */
static int dump_round(const struct ckpt_source *src, const char *path)
{
	static const char *const kinds[] = {"?", "first", "next", "final"};
	static uint8_t iobuf[CKPT_IOBUF_SIZE];
	struct ckpt_layout lay;
	struct ckpt_round r;
	int err = ckpt_round_check(src, &r, &lay, iobuf);

	if (err) {
		fprintf(stderr, "ckptdump: %s: malformed round: %s\n", path,
			lay.why);
		return 1;
	}
	printf("incremental round: version %u, %u bytes, CRC ok\n",
	       CKPT_VERSION_INCR, lay.total_len);
	printf("round %u (%s) of migration %u: %u tasks, %u pages (%u all "
	       "zeros, %u kept)\n",
	       r.r_round, kinds[r.r_kind], r.r_id, r.r_ntasks, r.r_npages,
	       r.r_nzero, r.r_nkept);
	uint32_t off = CKPT_ROUND_HDR_SIZE, t = 0, lo = 0, hi = 0, nz[2] = {0};
	for (uint32_t k = 0; k < r.r_npages; k++) {
		struct ckpt_rpage p;
		if (ckpt_round_page(src, &off, &p, NULL))
			return 1;
		if (k && (p.p_task != t || p.p_va != hi)) {
			print_run(t, lo, hi, nz);
			nz[0] = nz[1] = 0;
		}
		if (!k || p.p_task != t || p.p_va != hi)
			t = p.p_task, lo = p.p_va;
		hi = p.p_va + CKPT_PAGE_SIZE;
		nz[0] += !!(p.p_flags & CKPT_PG_ZERO);
		nz[1] += !!(p.p_flags & CKPT_PG_KEPT);
	}
	if (r.r_npages)
		print_run(t, lo, hi, nz);
	return 0;
}

int main(int argc, char **argv)
{
	struct image im;
	uint32_t len;
	uint8_t *buf;

	if (argc != 2) {
		fprintf(stderr, "usage: ckptdump FILE\n");
		return 2;
	}
	buf = slurp(argv[1], &len);
	if (!buf) {
		fprintf(stderr, "ckptdump: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	im.src = (struct ckpt_source){mem_read, buf, len};
	if (len >= 20 && buf[8] == CKPT_VERSION_INCR && !buf[9] && !buf[10] &&
	    !buf[11]) {
		uint32_t rl = round_len(buf, len);
		im.src.len = rl;
		if (dump_round(&im.src, argv[1]))
			return 1;
		if (rl == len)
			return 0;
		printf("the rest of the state (version 1, no pages):\n");
		im.src = (struct ckpt_source){mem_read, buf + rl, len - rl};
	}
	if (validate(&im, argv[1]))
		return 1;
	print_header(&im);
	im.ctr = calloc(im.lay.count[CKPT_SEC_CONTAINERS], sizeof(*im.ctr));
	im.task = calloc(im.lay.count[CKPT_SEC_TASKS], sizeof(*im.task));
	for (uint32_t i = 0; i < im.lay.count[CKPT_SEC_CONTAINERS]; i++)
		rec(&im, CKPT_SEC_CONTAINERS, i, &im.ctr[i]);
	for (uint32_t i = 0; i < im.lay.count[CKPT_SEC_TASKS]; i++)
		rec(&im, CKPT_SEC_TASKS, i, &im.task[i]);
	printf("containers:\n");
	print_ctr_tree(&im, CKPT_NONE, 0);
	printf("tasks (pids from the top container down):\n");
	for (uint32_t i = 0; i < im.lay.count[CKPT_SEC_TASKS]; i++)
		print_task(&im, i);
	print_files(&im);
	print_pipes(&im);
	free(im.ctr);
	free(im.task);
	free(buf);
	return 0;
}
