/*
 * t_precopy: incremental checkpoint rounds (SPEC section 5, live
 * migration; docs/checkpoint.md, "Incremental rounds").
 *
 * A container "pc" runs one task with a buffer of BUF_PAGES pages: the
 * first PATTERN_PAGES hold a pattern, the rest are written with zeros.
 * The test takes a FIRST round and then NEXT rounds; before round r the
 * task writes page 0 and pages r*4 .. r*4+r-1 (it is told through small
 * files in /tmp, opened and closed at once).  Each round is parsed here:
 *
 *   first-round     every buffer page is in it, the zero ones without data;
 *   next-round-R    exactly the pages written since (page 0 again each
 *                   time: a page the task keeps writing is never missed)
 *                   with the task's current bytes, same id, round number R;
 *   no-first        a NEXT round of a container with no FIRST is EINVAL;
 *   bad-flags       FIRST|NEXT together is EINVAL;
 *   tree-changed    once the task forks, a NEXT round is EAGAIN, then
 *                   EINVAL (the migration is over) until a new FIRST;
 *   final-round     (with CKPT_KEEP) every buffer page listed, data for the
 *                   ones written since, the others kept; a version 1 image
 *                   of the tree without pages follows;
 *   over-after-final  a NEXT round after it is EINVAL;
 *   still-running   the container runs on through every round;
 *   final-migrates  a final round without CKPT_KEEP ends the container.
 *
 * Staged restore (RESTORE_STAGE for each round, RESTORE_COMMIT with the
 * final one), in the same boot, with the rounds above:
 *   corrupt-final, truncated-final, corrupt-next, skipped-round
 *                   refused by the final round at the latest, with free
 *                   pages, kernel heap and container list as before;
 *   abandoned-freed a receiver that exits with rounds staged frees them;
 *   staged-restore  all rounds: the copy "pc2" has the source's buffer
 *                   pages and the same PIDs inside.
 *
 * Output: "t_precopy: NAME: PASS|FAIL why" lines, then "t_precopy: N
 * failed"; the exit status is N.
 */
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>
#include <uapi/ckpt_image.h>

#define P(x)	      ((long)(x))
#define BUF_PAGES     32
#define PATTERN_PAGES 24
#define ROUNDS	      3

static int failures;
static char *rimg[ROUNDS + 2]; /* the rounds taken: FIRST, NEXTs, FINAL */
static long rlen[ROUNDS + 2];

#define verdict(name, ...)                                                     \
	(failures += t_verdict("t_precopy", name, __VA_ARGS__))

/* An integer from a small file, or def when it is missing. */
static long get_num(const char *path, long def)
{
	char buf[32];

	if (read_file(path, buf, sizeof(buf)) <= 0)
		return def;
	return strtol(buf, NULL, 10);
}

/* Pages written before round r (r >= 1): page 0 and r*4 .. r*4+r-1. */
static int written_in(int r, int page)
{
	return page == 0 || (page >= r * 4 && page < r * 4 + r);
}

/* The task inside "pc": fills its buffer, then writes pages on request. */
static void worker(void)
{
	char *raw = malloc((BUF_PAGES + 1) * 4096);
	char *buf = (char *)(((uintptr_t)raw + 4095) & ~4095u);
	long done = 0;

	t_enter("pc");
	for (int i = 0; i < BUF_PAGES; i++)
		memset(buf + i * 4096, i < PATTERN_PAGES ? 'a' + i : 0, 4096);
	t_put("/tmp/pc.buf", "%lu", (unsigned long)(uintptr_t)buf);
	for (;;) {
		long r = get_num("/tmp/pc.go", 0);
		if (r < 0)
			_exit(0);
		if (r == 100 && done != 100 && fork() == 0)
			for (;;)
				msleep(1000);
		if (r > done && r < 100)
			for (int i = 0; i < BUF_PAGES; i++)
				if (written_in((int)r, i))
					memset(buf + i * 4096, 'A' + (int)r + i,
					       4096);
		if (r > done) {
			done = r;
			t_put("/tmp/pc.ack", "%ld", r);
		}
		msleep(10);
	}
}

/* One parsed round: its record, and per buffer page whether it came and
 * with what first byte (-1: none; 0 for a zero page). */
struct parsed {
	struct ckpt_round rd;
	int seen[BUF_PAGES], byte[BUF_PAGES], zero[BUF_PAGES], kept[BUF_PAGES];
	uint32_t records, round_len;
};

/* Walks a round image; a reason when it is not a well-formed round. */
static const char *parse(const char *img, long len, uintptr_t base,
			 struct parsed *p)
{
	struct ckpt_header h;
	uint32_t off = CKPT_ROUND_HDR_SIZE;

	memset(p, 0, sizeof(*p));
	if (len < (long)CKPT_ROUND_HDR_SIZE)
		return "too short";
	memcpy(&h, img, sizeof(h));
	memcpy(&p->rd, img + sizeof(h), sizeof(p->rd));
	if (h.h_version != CKPT_VERSION_INCR || h.h_total_len > (uint32_t)len)
		return "not a version 2 round of that length";
	p->round_len = h.h_total_len;
	for (uint32_t k = 0; k < p->rd.r_npages; k++, p->records++) {
		struct ckpt_rpage pg;
		if (off + sizeof(pg) > (uint32_t)len)
			return "page records run past the end";
		memcpy(&pg, img + off, sizeof(pg));
		off += sizeof(pg);
		uint32_t i = (pg.p_va - base) / 4096;
		bool zero = pg.p_flags & CKPT_PG_ZERO;
		bool kept = pg.p_flags & CKPT_PG_KEPT;
		if (pg.p_task == 0 && pg.p_va >= base && i < BUF_PAGES) {
			p->seen[i] = 1;
			p->zero[i] = zero;
			p->kept[i] = kept;
			p->byte[i] = zero || kept ? 0 : (unsigned char)img[off];
		}
		off += zero || kept ? 0 : 4096;
	}
	return off == p->round_len ? NULL : "records do not fill the round";
}

/* Takes a round with flags: its length or -errno; *img is the buffer. */
static long take(const char *name, int flags, char **img)
{
	long n, r = -ERANGE;

	/* The container runs between the size query and the copy, so a page
	 * it writes meanwhile can make the round bigger: ask again. */
	for (int tries = 0; r == -ERANGE && tries < 10; tries++) {
		n = sys_checkpoint(P(name), 0, 0, flags);
		if (n <= 0)
			return n;
		*img = realloc(*img, (size_t)n);
		if (!*img)
			return -ENOMEM;
		r = sys_checkpoint(P(name), P(*img), n, flags);
	}
	return r;
}

static void test_first(uintptr_t base, char **img, uint32_t *id)
{
	struct parsed p;
	long n = rlen[0] = take("pc", CKPT_INCR_FIRST, img);
	const char *why =
	    n > 0 ? parse(*img, n, base, &p) : "checkpoint failed";

	for (int i = 0; !why && i < BUF_PAGES; i++)
		if (!p.seen[i] || p.zero[i] != (i >= PATTERN_PAGES) ||
		    (i < PATTERN_PAGES && p.byte[i] != 'a' + i))
			why = "a buffer page is missing or wrong";
	if (!why && (p.rd.r_kind != CKPT_ROUND_FIRST || p.rd.r_round != 0 ||
		     p.rd.r_nzero < BUF_PAGES - PATTERN_PAGES))
		why = "round record";
	*id = why ? 0 : p.rd.r_id;
	verdict("first-round", why ? "%s (%ld)" : NULL, why, n);
}

/* Round r: the task writes its pages, then a NEXT round carries them. */
static void test_next(uintptr_t base, char **img, uint32_t id, int r)
{
	struct parsed p;
	char name[32];
	int count = 0;

	t_put("/tmp/pc.go", "%d", r);
	for (int w = 0; get_num("/tmp/pc.ack", 0) != r && w < 500; w++)
		msleep(10);
	long n = rlen[r] = take("pc", CKPT_INCR_NEXT, img);
	const char *why =
	    n > 0 ? parse(*img, n, base, &p) : "checkpoint failed";
	if (!why && p.round_len != (uint32_t)n)
		why = "bytes after the round";
	for (int i = 0; !why && i < BUF_PAGES; i++) {
		count += p.seen[i];
		if (p.seen[i] != written_in(r, i) ||
		    (p.seen[i] && p.byte[i] != 'A' + r + i))
			why = "pages carried are not the pages written";
	}
	if (!why && (p.rd.r_id != id || p.rd.r_round != (uint32_t)r ||
		     p.rd.r_kind != CKPT_ROUND_NEXT))
		why = "round record does not follow the first";
	snprintf(name, sizeof(name), "next-round-%d", r);
	verdict(name,
		why ? "%s (%ld bytes, %d buffer pages, %u records)" : NULL, why,
		n, count, p.records);
	if (!why)
		printf("t_precopy: round %d: %ld bytes, %u pages, %d of the "
		       "buffer\n",
		       r, n, p.records, count);
}

/* The state after a final round: a version 1 image of the tree, no pages. */
static const char *check_state(const char *img, long n, uint32_t round_len)
{
	struct ckpt_header h;
	struct ckpt_section sec[CKPT_NSECT];

	if (n - (long)round_len < (long)CKPT_HDR_SIZE)
		return "no state after the final round";
	memcpy(&h, img + round_len, sizeof(h));
	memcpy(sec, img + round_len + sizeof(h), sizeof(sec));
	if (h.h_magic[0] != CKPT_MAGIC0 || h.h_version != CKPT_VERSION ||
	    (long)h.h_total_len != n - (long)round_len)
		return "the state is not a version 1 image filling the rest";
	for (uint32_t k = 0; k < CKPT_NSECT; k++)
		if (sec[k].s_type == CKPT_SEC_PAGES && sec[k].s_count)
			return "the state image carries pages";
	return NULL;
}

/* Round r before it (the task writes its pages), then a final round with
 * CKPT_KEEP: every buffer page listed, new data for those written, kept
 * for the others; the state follows; the migration is then over. */
static void test_final(uintptr_t base, char **img, uint32_t id, int r)
{
	struct parsed p;

	t_put("/tmp/pc.go", "%d", r);
	for (int w = 0; get_num("/tmp/pc.ack", 0) != r && w < 500; w++)
		msleep(10);
	long n = rlen[r] = take("pc", CKPT_INCR_FINAL | CKPT_KEEP, img);
	const char *why =
	    n > 0 ? parse(*img, n, base, &p) : "checkpoint failed";
	for (int i = 0; !why && i < BUF_PAGES; i++)
		if (!p.seen[i] || p.kept[i] == written_in(r, i) ||
		    (!p.kept[i] && p.byte[i] != 'A' + r + i))
			why = "a buffer page is missing, or kept when written";
	if (!why && (p.rd.r_id != id || p.rd.r_round != (uint32_t)r ||
		     p.rd.r_kind != CKPT_ROUND_FINAL))
		why = "round record does not follow the others";
	if (!why)
		why = check_state(*img, n, p.round_len);
	verdict("final-round", why ? "%s (%ld)" : NULL, why, n);
	char *tmp = NULL;
	long a = take("pc", CKPT_INCR_NEXT, &tmp);
	verdict("over-after-final", a == -EINVAL ? NULL : "NEXT gave %ld", a);
	free(tmp);
}

/* The meminfo numbers and container list now. */
static void snapshot(char *out, int size)
{
	char text[256], pf[32] = "", hu[32] = "", ctrs[512] = "";

	if (read_file("/proc/meminfo", text, sizeof(text)) < 0 ||
	    status_field(text, "PagesFree", pf, sizeof(pf)) < 0 ||
	    status_field(text, "HeapUsed", hu, sizeof(hu)) < 0)
		strlcpy(pf, "?", sizeof(pf));
	read_file("/proc/containers", ctrs, sizeof(ctrs));
	snprintf(out, (size_t)size, "PagesFree %s HeapUsed %s\n%s", pf, hu,
		 ctrs);
}

/* Stages rounds [0, upto) of rimg (skipping skip, using bad for round
 * badat): how many were accepted. */
static int stage(int upto, int skip, int badat, const char *bad)
{
	int ok = 0;

	for (int k = 0; k < upto; k++)
		if (k != skip)
			ok += sys_restore(P(k == badat ? bad : rimg[k]),
					  rlen[k], 0, RESTORE_STAGE) == 0;
	return ok;
}

/* One staged restore that must fail at the final round (or before) and
 * leave memory, heap and containers exactly as before. */
static void staged_fail(const char *name, int skip, int badat, const char *bad,
			const char *final, long flen, const char *before)
{
	char after[700];
	int ok = stage(ROUNDS + 1, skip, badat, bad);
	long r = sys_restore(P(final), flen, P("pc2"), RESTORE_COMMIT);

	snapshot(after, sizeof(after));
	int want_ok = skip >= 0 ? skip : badat >= 0 ? badat : ROUNDS + 1;
	verdict(
	    name,
	    r < 0 && ok == want_ok && !strcmp(after, before)
		? NULL
		: "commit gave %ld, %d rounds staged; before:\n%s\nafter:\n%s",
	    r, ok, before, after);
}

static void test_staged_errors(void)
{
	int F = ROUNDS + 1;
	char *badf = malloc((size_t)rlen[F]), *badn = malloc((size_t)rlen[2]);
	char before[700], after[700];

	memcpy(badf, rimg[F], (size_t)rlen[F]);
	memcpy(badn, rimg[2], (size_t)rlen[2]);
	badf[CKPT_ROUND_HDR_SIZE + 20] ^= 0x40; /* a byte of the first page */
	badn[rlen[2] - 1] ^= 0x40;		/* the last byte */
	snapshot(before, sizeof(before));
	staged_fail("corrupt-final", -1, -1, NULL, badf, rlen[F], before);
	staged_fail("truncated-final", -1, -1, NULL, rimg[F], rlen[F] - 100,
		    before);
	staged_fail("corrupt-next", -1, 2, badn, rimg[F], rlen[F], before);
	staged_fail("skipped-round", 2, -1, NULL, rimg[F], rlen[F], before);
	pid_t c = fork(); /* a receiver that dies with rounds staged */
	if (c == 0)
		_exit(stage(ROUNDS + 1, -1, -1, NULL) == ROUNDS + 1 ? 0 : 1);
	int st = -1;
	waitpid(c, &st, 0);
	snapshot(after, sizeof(after));
	verdict("abandoned-freed",
		st == 0 && !strcmp(after, before)
		    ? NULL
		    : "status 0x%x; before:\n%s\nafter:\n%s",
		st, before, after);
	free(badf);
	free(badn);
}

/* The pages of task 0 in [base, base + BUF_PAGES pages) of a version 1
 * image, and its numbers: a reason if they differ between a and b. */
static const char *same_task0(const char *a, const char *b, uintptr_t base)
{
	struct ckpt_section sa[CKPT_NSECT], sb[CKPT_NSECT];
	struct ckpt_task ta, tb;
	int seen = 0;

	memcpy(sa, a + sizeof(struct ckpt_header), sizeof(sa));
	memcpy(sb, b + sizeof(struct ckpt_header), sizeof(sb));
	memcpy(&ta, a + sa[CKPT_SEC_TASKS - 1].s_offset, sizeof(ta));
	memcpy(&tb, b + sb[CKPT_SEC_TASKS - 1].s_offset, sizeof(tb));
	if (memcmp(ta.t_nrs, tb.t_nrs, sizeof(ta.t_nrs)) ||
	    ta.t_npages != tb.t_npages)
		return "task 0: other PIDs or page count";
	for (uint32_t i = 0; i < ta.t_npages; i++) {
		const char *pa = a + sa[CKPT_SEC_PAGES - 1].s_offset +
				 i * CKPT_PAGE_REC_SIZE;
		const char *pb = b + sb[CKPT_SEC_PAGES - 1].s_offset +
				 i * CKPT_PAGE_REC_SIZE;
		uint32_t va;
		memcpy(&va, pa, 4);
		if (va < base || va >= base + BUF_PAGES * 4096)
			continue;
		seen++;
		if (memcmp(pa, pb, CKPT_PAGE_REC_SIZE))
			return "a buffer page differs";
	}
	return seen == BUF_PAGES ? NULL : "buffer pages missing";
}

/* Stages every round, commits the final one as pc2: the restored memory
 * is the source's, with the same PIDs inside. */
static void test_staged(uintptr_t base)
{
	int F = ROUNDS + 1, ok = stage(F, -1, -1, NULL);
	long pid = sys_restore(P(rimg[F]), rlen[F], P("pc2"), RESTORE_COMMIT);
	char *a = NULL, *b = NULL;
	long na = pid > 0 ? take("pc", CKPT_KEEP, &a) : -1;
	long nb = pid > 0 ? take("pc2", CKPT_KEEP, &b) : -1;
	const char *why = pid <= 0 || ok != F  ? "staged restore failed"
			  : na <= 0 || nb <= 0 ? "checkpoint of the copies"
					       : same_task0(a, b, base);

	verdict("staged-restore", why ? "%s (restore %ld, %d staged)" : NULL,
		why, pid, ok);
	if (pid > 0) {
		kill((int)pid, SIGKILL);
		waitpid((int)pid, NULL, 0);
	}
	free(a);
	free(b);
}

static void test_links(char **img)
{
	long a =
	    sys_checkpoint(P("pc"), 0, 0, CKPT_INCR_FIRST | CKPT_INCR_NEXT);
	verdict("bad-flags", a == -EINVAL ? NULL : "got %ld", a);

	long f = take("pc", CKPT_INCR_FIRST, img);
	t_put("/tmp/pc.go", "%d", 100); /* the task forks */
	for (int w = 0; get_num("/tmp/pc.ack", 0) != 100 && w < 500; w++)
		msleep(10);
	a = take("pc", CKPT_INCR_NEXT, img);
	long b = take("pc", CKPT_INCR_NEXT, img);
	long c = take("pc", CKPT_INCR_FIRST, img);
	long d = take("pc", CKPT_INCR_NEXT, img);
	verdict("tree-changed",
		f > 0 && a == -EAGAIN && b == -EINVAL && c > 0 && d > 0
		    ? NULL
		    : "FIRST %ld, NEXT %ld, NEXT %ld, FIRST %ld, NEXT %ld",
		f, a, b, c, d);
}

/* A container with no FIRST round: NEXT is EINVAL. */
static void test_no_first(char **img)
{
	pid_t pid = fork();

	if (pid == 0) {
		t_enter("pd");
		for (;;)
			msleep(1000);
	}
	long r = -ESRCH;
	for (int w = 0; r == -ESRCH && w < 200; w++, msleep(10))
		r = take("pd", CKPT_INCR_NEXT, img);
	verdict("no-first", r == -EINVAL ? NULL : "got %ld", r);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

int main(void)
{
	char *img = NULL;
	uint32_t id = 0;
	pid_t pid = fork();

	if (pid == 0)
		worker();
	if (t_wait_file("/tmp/pc.buf", 10000) < 0) {
		printf("t_precopy: the container did not start\n");
		return 1;
	}
	uintptr_t base = (uintptr_t)get_num("/tmp/pc.buf", 0);
	test_first(base, &rimg[0], &id);
	for (int r = 1; r <= ROUNDS; r++)
		test_next(base, &rimg[r], id, r);
	test_final(base, &rimg[ROUNDS + 1], id, ROUNDS + 1);
	test_staged_errors();
	test_staged(base);
	test_no_first(&img);
	test_links(&img);
	verdict("still-running",
		waitpid(pid, NULL, WNOHANG) == 0 ? NULL : "it ended");
	long n = take("pc", CKPT_INCR_FINAL, &img); /* the migration ends it */
	int st = 0;
	pid_t w = waitpid(pid, &st, 0);
	verdict("final-migrates",
		n > 0 && w == pid && WIFSIGNALED(st) &&
			WTERMSIG(st) == CKPT_MIGRATED_SIG
		    ? NULL
		    : "FINAL %ld, status 0x%x",
		n, st);
	printf("t_precopy: %d failed\n", failures);
	return failures;
}
