/*
 * t_ckptbad: restore refuses broken images with the documented error, the
 * kernel stays up, and nothing is left behind (SPEC section 5, "Bad images").
 *
 * It checkpoints (with CKPT_KEEP) a small container -- an init holding an
 * in-memory file and a pipe with bytes in it, a sleeping child with its own
 * working directory, and a zombie -- then feeds restore one damaged copy
 * after another: truncated at every section boundary, a byte flipped in
 * every class of field, wrong magic, version and CRC, huge counts,
 * overlapping sections, kernel and duplicate page addresses, duplicate
 * PIDs, broken parent links, names in use, too deep a nesting, and a
 * working directory and a file that have gone away (which fail late, while
 * building, and so test the unwinding); families checkpoint never makes (a
 * top init that is not task 0, a parent in another container, an outer
 * init living in an inner container, a wrong birth level), eflags and eip
 * user mode cannot have, and numbers pidspace 511 cannot hold.  After each
 * attempt the free-page count, the kernel heap and the container list must be
 * exactly as before. Output: one "t_ckptbad: NAME: PASS|FAIL ..." line per
 * case, then "t_ckptbad: N failed".
 */
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>
#include <uapi/ckpt_image.h>
#include <xfer.h>

static int failures;
static char *img, *work;
static uint32_t len;
static struct ckpt_section sect[CKPT_NSECT + 1]; /* by type */
static char base_mem[256], base_ctrs[512];

/* Recomputes the CRC of work[0..n) after a change, as a careful forger
 * would, so that only the semantic checks can catch the change. */
static void fix_crc(uint32_t n)
{
	uint32_t zero = 0, c;

	memcpy(work + CKPT_CRC_OFFSET, &zero, 4);
	c = xfer_crc32(work, n);
	memcpy(work + CKPT_CRC_OFFSET, &c, 4);
}

static void poke(uint32_t off, uint32_t val)
{
	memcpy(work + off, &val, 4);
}

/* Byte offset of record i of section type s. */
static uint32_t rec(uint32_t s, uint32_t i, uint32_t size)
{
	return sect[s].s_offset + i * size;
}

/* The meminfo numbers and container list now, or a note why not. */
static void snapshot(char *mem, int msize, char *ctrs, int csize)
{
	char text[256], pf[32] = "", hu[32] = "";

	if (read_file("/proc/meminfo", text, sizeof(text)) < 0 ||
	    status_field(text, "PagesFree", pf, sizeof(pf)) < 0 ||
	    status_field(text, "HeapUsed", hu, sizeof(hu)) < 0)
		strlcpy(text, "?", sizeof(text));
	snprintf(mem, (size_t)msize, "PagesFree %s HeapUsed %s", pf, hu);
	if (read_file("/proc/containers", ctrs, csize) < 0)
		strlcpy(ctrs, "?", (size_t)csize);
}

/* Restores work[0..n) as newname; checks the error and that nothing was
 * left behind. */
static void attempt(const char *name, uint32_t n, const char *newname,
		    long want)
{
	char mem[256], ctrs[512];
	long r = sys_restore(P(work), n, P(newname), 0);

	snapshot(mem, sizeof(mem), ctrs, sizeof(ctrs));
	if (r != want) {
		printf("t_ckptbad: %s: FAIL expected %s, got %s\n", name,
		       strerrorname((int)-want),
		       r < 0 ? strerrorname((int)-r) : "a pid");
		failures++;
		if (r > 0) {
			kill((int)r, SIGKILL);
			waitpid((int)r, NULL, 0);
		}
	} else if (strcmp(mem, base_mem) || strcmp(ctrs, base_ctrs)) {
		printf(
		    "t_ckptbad: %s: FAIL left something behind: %s (was %s); "
		    "containers:\n%s",
		    name, mem, base_mem, ctrs);
		failures++;
	} else {
		printf("t_ckptbad: %s: PASS (%s)\n", name,
		       strerrorname((int)-want));
	}
}

/* A fresh copy of the good image to damage. */
static void fresh(void)
{
	memcpy(work, img, len);
}

static void test_truncation(void)
{
	uint32_t cuts[64], n = 0;

	for (uint32_t c = 0; c <= CKPT_HDR_SIZE; c += 4)
		if (n < 40)
			cuts[n++] = c;
	for (uint32_t s = 1; s <= CKPT_NSECT && n + 4 < 64; s++) {
		cuts[n++] = sect[s].s_offset - 1;
		cuts[n++] = sect[s].s_offset + 1;
		cuts[n++] = sect[s].s_offset + sect[s].s_length / 2;
		cuts[n++] = sect[s].s_offset + sect[s].s_length - 1;
	}
	for (uint32_t i = 0; i < n; i++) {
		char name[48];
		bool seen = false;
		for (uint32_t j = 0; j < i; j++)
			seen |= cuts[j] == cuts[i];
		if (cuts[i] >= len || seen)
			continue;
		fresh();
		snprintf(name, sizeof(name), "truncated-at-%u", cuts[i]);
		attempt(name, cuts[i], "bad2",
			cuts[i] < 8 ? -ENOEXEC : -EINVAL);
	}
}

/* A byte flipped in one field of each class; the CRC gives it away. */
static void test_flips(void)
{
	static const struct {
		const char *name;
		uint32_t sec, field; /* sec 0: offset in the header */
	} flips[] = {
	    {"flip-header-length", 0, 16},
	    {"flip-section-offset", 0, 32 + 4},
	    {"flip-container-name", CKPT_SEC_CONTAINERS,
	     offsetof(struct ckpt_container, c_name)},
	    {"flip-task-pid", CKPT_SEC_TASKS,
	     offsetof(struct ckpt_task, t_nrs)},
	    {"flip-task-eip", CKPT_SEC_TASKS,
	     offsetof(struct ckpt_task, t_regs)},
	    {"flip-task-fpu", CKPT_SEC_TASKS,
	     offsetof(struct ckpt_task, t_fpu)},
	    {"flip-file-path", CKPT_SEC_FILES,
	     offsetof(struct ckpt_file, f_path)},
	    {"flip-pipe-data", CKPT_SEC_PIPES,
	     offsetof(struct ckpt_pipe, p_data)},
	    {"flip-page-va", CKPT_SEC_PAGES, 1},
	    {"flip-page-data", CKPT_SEC_PAGES, 100},
	};
	for (unsigned i = 0; i < sizeof(flips) / sizeof(flips[0]); i++) {
		uint32_t off = flips[i].field;
		if (flips[i].sec)
			off += sect[flips[i].sec].s_offset;
		fresh();
		work[off] ^= 0x04;
		attempt(flips[i].name, len, "bad2", -EINVAL);
	}
}

#define TASK(i, field)                                                         \
	rec(CKPT_SEC_TASKS, i, CKPT_TASK_SIZE) +                               \
	    offsetof(struct ckpt_task, field)
#define CTR(i, field)                                                          \
	rec(CKPT_SEC_CONTAINERS, i, CKPT_CTR_SIZE) +                           \
	    offsetof(struct ckpt_container, field)
#define PAGE(i)		 rec(CKPT_SEC_PAGES, i, CKPT_PAGE_REC_SIZE)
#define SECT_ENTRY(k, w) (CKPT_HDR_WORDS * 4 + (k)*16 + (w)*4)

/* Damage with the CRC fixed: each must be caught by its own check. */
static void test_forgeries(void)
{
	fresh(), work[0] ^= 1;
	attempt("wrong-magic", len, "bad2", -ENOEXEC);
	fresh(), poke(8, 2);
	attempt("wrong-version", len, "bad2", -ENOEXEC);
	fresh(), work[CKPT_CRC_OFFSET] ^= 1;
	attempt("wrong-crc", len, "bad2", -EINVAL);
	fresh(), poke(SECT_ENTRY(4, 3), 0xffffffffu), fix_crc(len);
	attempt("huge-page-count", len, "bad2", -EINVAL);
	fresh(), poke(SECT_ENTRY(1, 3), 0x40000000u), fix_crc(len);
	attempt("huge-task-count", len, "bad2", -EINVAL);
	fresh(), poke(SECT_ENTRY(1, 1), sect[CKPT_SEC_CONTAINERS].s_offset),
	    fix_crc(len);
	attempt("overlapping-sections", len, "bad2", -EINVAL);
	fresh(), poke(PAGE(0), 0xc0000000u), fix_crc(len);
	attempt("kernel-page-address", len, "bad2", -EINVAL);
	fresh(), poke(PAGE(0), 0x00100000u), fix_crc(len);
	attempt("low-kernel-page-address", len, "bad2", -EINVAL);
	uint32_t va0;
	memcpy(&va0, img + PAGE(0), 4);
	fresh(), poke(PAGE(1), va0), fix_crc(len);
	attempt("overlapping-pages", len, "bad2", -EINVAL);
	uint32_t nr;
	memcpy(&nr, img + TASK(2, t_nrs), 4);
	fresh(), poke(TASK(1, t_nrs), nr), fix_crc(len);
	attempt("duplicate-pid", len, "bad2", -EINVAL);
	fresh(), poke(TASK(1, t_parent), 1), fix_crc(len);
	attempt("parent-loop", len, "bad2", -EINVAL);
	fresh(), poke(TASK(2, t_parent), CKPT_NONE), fix_crc(len);
	attempt("second-root", len, "bad2", -EINVAL);
	fresh(), poke(CTR(0, c_parent), 0), fix_crc(len);
	attempt("container-loop", len, "bad2", -EINVAL);
	fresh(), poke(TASK(1, t_fds) + 4 * 20, 77), fix_crc(len);
	attempt("bad-file-index", len, "bad2", -EINVAL);
	/* The top container's init must be task 0: here the sleeping child
	 * holds number 1 and task 0, with no parent, the child's number
	 * (restored, each would be its own parent). */
	uint32_t kid = 1, st, knr;
	for (; kid < sect[CKPT_SEC_TASKS].s_count; kid++) {
		memcpy(&st, img + TASK(kid, t_state), 4);
		if (st != CKPT_TASK_ZOMBIE)
			break;
	}
	memcpy(&knr, img + TASK(kid, t_nrs), 4);
	fresh(), poke(TASK(0, t_nrs), knr), poke(TASK(kid, t_nrs), 1);
	poke(CTR(0, c_init), kid), fix_crc(len);
	attempt("top-init-not-task-0", len, "bad2", -EINVAL);
	/* Every eflags bit user mode can set passes; VM does not. */
	uint32_t fl;
	memcpy(&fl, img + TASK(0, t_regs.eflags), 4);
	fresh(), poke(TASK(0, t_regs.eflags), fl | 0x20000), fix_crc(len);
	attempt("eflags-vm", len, "bad2", -EINVAL);
	fresh(), poke(TASK(0, t_regs.eip), 0xc0000000u), fix_crc(len);
	attempt("eip-kernel", len, "bad2", -EINVAL);
}

/* Forks a child that enters container "rr" and exits; returns the
 * pidspace "rr" got (read while the child is a zombie), or -1. */
static long rr_probe(bool look)
{
	char list[2048], *line;
	long ps = -1;
	int pid = fork();

	if (pid == 0) {
		int fd = open("/proc/container", O_WRONLY);
		_exit(fd >= 0 && write(fd, "rr", 2) == 2 ? 0 : 1);
	}
	for (int tries = 0; look && ps < 0 && tries < 200; tries++) {
		if (read_file("/proc/containers", list, sizeof(list)) < 0)
			break;
		for (line = list; line; line = strchr(line + 1, '\n')) {
			const char *l = *line == '\n' ? line + 1 : line;
			if (strncmp(l, "rr system 1 1 ", 14) == 0)
				ps = strtol(l + 14, NULL, 10);
		}
		if (ps < 0)
			yield();
	}
	waitpid(pid, NULL, 0);
	return ps;
}

/* Pidspace 511 stops short of the top numbers (kernel/ctr/pid.c).  An image
 * using one is refused before anything is built when 511 is the pidspace
 * restore would take (ENOSPC, and the round robin has not moved: the next
 * container still gets 511); when 511 is taken it restores. */
static void test_pidspace_511(void)
{
	long ps = rr_probe(true);

	for (long k = ps; k >= 0 && k < 509; k++)
		rr_probe(false); /* moves the round robin on by one */
	for (int i = 0; i < 520 && ps >= 0 && ps != 510; i++)
		ps = rr_probe(true);
	fresh(), poke(TASK(1, t_nrs), 0x7ffe00), fix_crc(len);
	snapshot(base_mem, sizeof(base_mem), base_ctrs, sizeof(base_ctrs));
	printf("t_ckptbad: the last container made got pidspace %ld\n", ps);
	attempt("pidspace-511-number", len, "bad2", -ENOSPC);
	ps = rr_probe(true);
	if (ps != 511) {
		printf("t_ckptbad: pidspace-511-unchanged: FAIL the next "
		       "container got pidspace %ld\n",
		       ps);
		failures++;
	} else {
		printf("t_ckptbad: pidspace-511-unchanged: PASS\n");
	}
	long r = sys_restore(P(work), len, P("bad2"), 0);
	if (r > 0) {
		kill((int)r, SIGKILL);
		waitpid((int)r, NULL, 0);
	}
	printf("t_ckptbad: pidspace-511-elsewhere: %s %s\n",
	       r > 0 ? "PASS" : "FAIL", r > 0 ? "" : strerrorname((int)-r));
	failures += r <= 0;
}

/* Container fam > fam2: fam's init (task 0), fam2's init A (task 1,
 * forked by fam's init) and A's child B (task 2), all asleep. */
static void fam_init(void)
{
	int fd = open("/proc/container", O_WRONLY);

	if (fd < 0 || write(fd, "fam", 3) != 3)
		_exit(1);
	close(fd);
	if (fork() == 0) {
		fd = open("/proc/container", O_WRONLY);
		if (fd < 0 || write(fd, "fam2", 4) != 4)
			_exit(1);
		close(fd);
		if (fork() == 0)
			close(open("/tmp/fam.ready", O_WRONLY | O_CREAT));
		for (;;)
			msleep(1000);
	}
	for (;;)
		msleep(1000);
}

/* Saves container fam (fam_init) with CKPT_KEEP into img/work/len/sect,
 * then ends it, so that its names are free again: 0 or -1. */
static int fam_image(void)
{
	struct cb_stat st;
	int c;
	long n;

	unlink("/tmp/fam.ready");
	c = fork();
	if (c == 0)
		fam_init();
	while (stat("/tmp/fam.ready", &st) < 0)
		msleep(20);
	n = sys_checkpoint(P("fam"), 0, 0, CKPT_KEEP);
	img = malloc(n > 0 ? (size_t)n : 1),
	work = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0)
		n = sys_checkpoint(P("fam"), P(img), n, CKPT_KEEP);
	for (uint32_t k = 0; n > 0 && k < CKPT_NSECT; k++) {
		struct ckpt_section s;
		memcpy(&s, img + SECT_ENTRY(k, 0), sizeof(s));
		sect[s.s_type] = s;
	}
	len = n > 0 ? (uint32_t)n : 0;
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	for (int i = 0; i == 0 || (i < 250 && strstr(base_ctrs, "fam")); i++) {
		msleep(20);
		snapshot(base_mem, sizeof(base_mem), base_ctrs,
			 sizeof(base_ctrs));
	}
	return n > 0 && sect[CKPT_SEC_TASKS].s_count == 3 ? 0 : -1;
}

/* Families checkpoint never makes, forged from an image of fam: each
 * restored, a task would find the wrong parent (or itself). */
static void test_families(void)
{
	struct ckpt_section keep[CKPT_NSECT + 1];
	char *img1 = img, *work1 = work;
	uint32_t len1 = len;

	memcpy(keep, sect, sizeof(sect));
	if (fam_image() < 0) {
		printf("t_ckptbad: families: FAIL no image of fam\n");
		failures++;
	} else {
		/* B, not an init, with a parent in fam instead of fam2 */
		fresh(), poke(TASK(2, t_parent), 0), fix_crc(len);
		attempt("parent-in-outer-container", len, NULL, -EINVAL);
		/* fam's init living in fam2, as number 9 there */
		fresh(), poke(TASK(0, t_ctr), 1), poke(TASK(0, t_nlevels), 2);
		poke(TASK(0, t_nrs) + 4, 9), fix_crc(len);
		attempt("outer-init-in-inner", len, NULL, -EINVAL);
		/* A, fam2's init, claiming to be born in fam2 */
		fresh(), poke(TASK(1, t_birth_level), 1), fix_crc(len);
		attempt("init-born-in-own-container", len, NULL, -EINVAL);
	}
	free(img), free(work);
	img = img1, work = work1, len = len1;
	memcpy(sect, keep, sizeof(sect));
}

/* Restoring from a container 32 deep would nest deeper than 32: EAGAIN,
 * checked in a child that nests itself (its containers go when it ends). */
static void test_depth(void)
{
	char mem[256], ctrs[512], name[8];
	int st = -1, pid = fork();

	if (pid == 0) {
		for (int d = 1; d <= CTR_DEPTH_MAX; d++) {
			int fd = open("/proc/container", O_WRONLY);
			snprintf(name, sizeof(name), "dp%d", d);
			if (fd < 0 || write(fd, name, strlen(name)) < 0)
				_exit(2);
			close(fd);
		}
		_exit(sys_restore(P(img), len, P("deep"), 0) == -EAGAIN ? 0
									: 1);
	}
	waitpid(pid, &st, 0);
	snapshot(mem, sizeof(mem), ctrs, sizeof(ctrs));
	if (st != 0 || strcmp(mem, base_mem) || strcmp(ctrs, base_ctrs)) {
		printf("t_ckptbad: too-deep: FAIL status %#x, %s (was %s)\n",
		       st, mem, base_mem);
		failures++;
	} else {
		printf("t_ckptbad: too-deep: PASS (EAGAIN)\n");
	}
}

static void test_names_and_late_failure(void)
{
	fresh();
	attempt("name-in-use", len, NULL, -EEXIST);
	attempt("newname-in-use", len, "bad", -EEXIST);
	attempt("newname-invalid", len, "no/slash", -EINVAL);
	/* Pass validation, fail while building: a working directory is gone
	 * (fails last, with descriptors installed), then an open file. */
	unlink("/tmp/d");
	snapshot(base_mem, sizeof(base_mem), base_ctrs, sizeof(base_ctrs));
	attempt("cwd-gone-unwinds", len, "bad2", -ENOENT);
	unlink("/tmp/held");
	snapshot(base_mem, sizeof(base_mem), base_ctrs, sizeof(base_ctrs));
	attempt("file-gone-unwinds", len, "bad2", -ENOENT);
}

int main(void)
{
	/* The container saved: an init with an open file, a pipe holding
	 * bytes, a sleeping child in its own directory and a zombie. */
	int c = t_ckpt_family("bad", "/tmp/");
	long n = c < 0 ? -1 : 0;

	if (n == 0)
		n = sys_checkpoint(P("bad"), 0, 0, CKPT_KEEP);
	img = malloc(n > 0 ? (size_t)n : 1);
	work = malloc(n > 0 ? (size_t)n : 1);
	if (n > 0)
		n = sys_checkpoint(P("bad"), P(img), n, CKPT_KEEP);
	if (n <= 0 || !img || !work) {
		printf("t_ckptbad: checkpoint failed: %ld\n", n);
		return 1;
	}
	len = (uint32_t)n;
	for (uint32_t k = 0; k < CKPT_NSECT; k++) {
		struct ckpt_section s;
		memcpy(&s, img + SECT_ENTRY(k, 0), sizeof(s));
		sect[s.s_type] = s;
	}
	printf("t_ckptbad: image of %u bytes, %u tasks, %u pages\n", len,
	       sect[CKPT_SEC_TASKS].s_count, sect[CKPT_SEC_PAGES].s_count);
	snapshot(base_mem, sizeof(base_mem), base_ctrs, sizeof(base_ctrs));
	test_truncation();
	test_flips();
	test_forgeries();
	test_families();
	test_depth();
	test_pidspace_511();
	test_names_and_late_failure();
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	printf("t_ckptbad: %d failed\n", failures);
	return failures;
}
