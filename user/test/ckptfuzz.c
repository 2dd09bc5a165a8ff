/*
 * ckptfuzz [MUTANTS [SEED]]: restore must refuse mutated checkpoint images
 * with the documented error and leave nothing behind.
 *
 * It checkpoints (with CKPT_KEEP) a small container -- an init holding an
 * in-memory file and a pipe with bytes in it, a sleeping child with its
 * own working directory, and a zombie (the pattern of t_ckptbad.c) -- and
 * checks that the image restores as it is.  Then each mutant is a copy
 * with one to four random changes (a bit flipped, a byte or word
 * overwritten with an edge value, bytes inserted or deleted, the end cut
 * off), mostly in the header and records rather than page data, after
 * which the header's CRC (and, half the time, its length) is fixed the way
 * a careful forger would, so that the change reaches the validator.
 *
 * Restore must answer ENOEXEC when the magic or version is wrong and
 * EINVAL for anything else malformed; a well-formed image whose names,
 * paths or size do not fit this machine may fail later while building
 * (EEXIST, ENOENT, ENOTDIR, EISDIR, ENOMEM, EAGAIN).  A mutant that is
 * itself a valid image is restored, killed and reaped.  After every
 * attempt PagesFree, HeapUsed, /proc/containers and /tmp must be exactly
 * as before.  Prints a summary, then "ckptfuzz: PASS" or "ckptfuzz: FAIL".
 */
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>
#include <uapi/ckpt_image.h>
#include <uapi/syscall.h>

#define SLACK	  64 /* room for inserted bytes */
#define SETTLE_MS 1000
#define SECT_END  (CKPT_HDR_SIZE)
#define NERR	  40

static uint8_t *img, *work;
static uint32_t len, records_end, rng;
static char base[2048];
static unsigned by_err[NERR], restored, leaks;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;

	while (n--) {
		c ^= *p++;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
	}
	return ~c;
}

/* The state that must not change: memory figures, containers, /tmp. */
static void snapshot(char *out, size_t size)
{
	char text[256], pf[32] = "?", hu[32] = "?", ctrs[1024] = "?", tmp[512];
	int fd = open("/tmp", O_RDONLY), n = 0;

	if (read_file("/proc/meminfo", text, sizeof(text)) >= 0) {
		status_field(text, "PagesFree", pf, sizeof(pf));
		status_field(text, "HeapUsed", hu, sizeof(hu));
	}
	read_file("/proc/containers", ctrs, sizeof(ctrs));
	if (fd >= 0) {
		n = getdents(fd, (struct cb_dirent *)tmp, sizeof(tmp));
		close(fd);
	}
	snprintf(out, size, "PagesFree %s HeapUsed %s /tmp %d bytes\n%s", pf,
		 hu, n, ctrs);
}

/* Waits (briefly) for the state to settle back to base after a restored
 * mutant was killed; true if it did. */
static bool settled(void)
{
	char now[2048];

	for (uint32_t t0 = uptime(); uptime() - t0 < SETTLE_MS; msleep(20)) {
		snapshot(now, sizeof(now));
		if (strcmp(now, base) == 0)
			return true;
	}
	printf("ckptfuzz: FAIL left behind:\n%swas:\n%s", now, base);
	return false;
}

/* Applies one random change to work[0..*n). */
static void mutate(uint32_t *n)
{
	static const uint32_t words[] = {
	    0,	       1,	    0xffffffffu,   0x7fffffff, 0x80000000u,
	    USER_BASE, 0xc0000000u, CKPT_NONE - 1, 4096,       CKPT_HDR_SIZE};
	uint32_t span = next() % 4 && records_end < *n ? records_end : *n;
	uint32_t at = span ? next() % span : 0, k, w;

	switch (next() % 6) {
	case 0:
		if (at >= *n)
			break;
		work[at] ^= (uint8_t)(1u << next() % 8);
		break;
	case 1:
		if (at >= *n)
			break;
		work[at] = (uint8_t)next();
		break;
	case 2:
		w = words[next() % (sizeof(words) / sizeof(words[0]))];
		memcpy(work + (at & ~3u), &w, at + 4 <= *n ? 4 : 0);
		break;
	case 3: /* insert k bytes */
		k = 1 + next() % 8;
		if (at > *n || *n + k > len + SLACK)
			break;
		memmove(work + at + k, work + at, *n - at);
		memset(work + at, (int)next(), k);
		*n += k;
		break;
	case 4: /* delete k bytes */
		k = 1 + next() % 8;
		if (*n == 0 || at + k > *n)
			break;
		memmove(work + at, work + at + k, *n - at - k);
		*n -= k;
		break;
	default:
		*n = at;
	}
}

/* The error restore must give work[0..n), or 0 when any error may come
 * (the header is sound, so the rest is for the validator and builder). */
static long header_verdict(uint32_t n)
{
	uint32_t version;

	if (n < 8 || memcmp(work, img, 8) != 0)
		return -ENOEXEC;
	if (n < CKPT_HDR_SIZE)
		return -EINVAL;
	memcpy(&version, work + 8, 4);
	return version != CKPT_VERSION ? -ENOEXEC : 0;
}

static bool late_error(long r)
{
	return r == -EINVAL || r == -EEXIST || r == -ENOENT || r == -ENOTDIR ||
	       r == -EISDIR || r == -ENOMEM || r == -EAGAIN;
}

/* Restores work[0..n) and checks the answer and the aftermath. */
static int attempt(int i, uint32_t n)
{
	long want = header_verdict(n);
	long r = sys_restore((long)work, n, (long)"cfm", 0);

	if (r > 0) {
		restored++;
		kill((int)r, SIGKILL);
		waitpid((int)r, NULL, 0);
	} else if (-r < NERR) {
		by_err[-r]++;
	}
	if (want ? r != want : !(r > 0 || late_error(r))) {
		printf("ckptfuzz: FAIL mutant %d (%u bytes): expected %s, got "
		       "%s\n",
		       i, (unsigned)n, want ? strerrorname((int)-want) : "any",
		       r > 0 ? "a pid" : strerrorname((int)-r));
		return 1;
	}
	if (!settled()) {
		leaks++;
		printf("ckptfuzz: FAIL mutant %d leaked (restore said %ld)\n",
		       i, r);
		return 1;
	}
	return 0;
}

static int mutant(int i)
{
	uint32_t n = len, zero = 0, crc;

	memcpy(work, img, len);
	for (int k = 1 + next() % 4; k > 0; k--)
		mutate(&n);
	if (n >= CKPT_HDR_SIZE && next() % 2)
		memcpy(work + 16, &n, 4); /* h_total_len */
	if (n >= CKPT_CRC_OFFSET + 4) {
		memcpy(work + CKPT_CRC_OFFSET, &zero, 4);
		crc = crc32(work, n);
		memcpy(work + CKPT_CRC_OFFSET, &crc, 4);
	}
	return attempt(i, n);
}

#define BIG_MEMSZ (16u << 20)
#define BIG_IMAGE (BIG_MEMSZ + (1u << 20))
static char *bigimg;

/* A tiny program whose one segment asks for 16 MiB: exec spends long
 * enough zeroing it that the timer interrupts it, and the task is
 * preempted on its way back to user mode, before its first instruction. */
static void write_big_program(const char *path)
{
	static const uint8_t code[12] = {0xb8, SYS_exit, 0, 0, 0,    0xbb,
					 42,   0,	 0, 0, 0xcd, 0x80};
	uint8_t b[96] = {0x7f, 'E', 'L', 'F', 1, 1, 1};
	uint32_t ph[8] = {1, 0, USER_BASE, USER_BASE, 96, BIG_MEMSZ, 5, 4096};
	uint32_t w[5] = {1, USER_BASE + 84, 52, 0, 0};
	uint16_t h[8] = {52, 32, 1, 0, 0, 0};
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);

	b[16] = 2, b[18] = 3;  /* ET_EXEC, EM_386 */
	memcpy(b + 20, w, 20); /* version, entry, phoff, shoff, flags */
	memcpy(b + 40, h, 12); /* ehsize, phentsize, phnum, ... */
	memcpy(b + 52, ph, 32);
	memcpy(b + 84, code, 12);
	write(fd, b, sizeof(b));
	close(fd);
}

/* Starts container name whose init execs path; returns its PID once the
 * init is about to exec (a byte through a pipe), or -1. */
static pid_t start_exec(const char *name, char *path)
{
	char *argv[] = {path, NULL}, c;
	int p[2];

	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		t_enter(name);
		write(p[1], "r", 1);
		execv(path, argv);
		_exit(1);
	}
	close(p[1]);
	if (pid > 0 && read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

/* One try: checkpoints container cfxI right after its init exec'd the big
 * program and, if the image caught the init before its first
 * instruction, restores it.  1 caught and restored, 0 not caught, -1 the
 * restore refused it. */
static int fresh_exec_once(int i)
{
	char name[16], copy[16];
	int res = 0;

	snprintf(name, sizeof(name), "cfx%d", i);
	snprintf(copy, sizeof(copy), "cfr%d", i);
	pid_t pid = start_exec(name, "/tmp/cfbig");
	long n = sys_checkpoint((long)name, (long)bigimg, BIG_IMAGE, CKPT_KEEP);
	struct ckpt_task *t = (void *)(bigimg + CKPT_HDR_SIZE + CKPT_CTR_SIZE);
	if (n > 0 && t->t_regs.eip == USER_BASE + 84) {
		long r = sys_restore((long)bigimg, n, (long)copy, 0);
		res = r > 0 ? 1 : -1;
		if (r > 0)
			waitpid((int)r, NULL, 0); /* it exits 42 */
		else
			printf(
			    "ckptfuzz: FAIL fresh-exec: image of a task that "
			    "has not run since exec (eflags 0x%x): %s\n",
			    t->t_regs.eflags, strerrorname((int)-r));
	}
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	return res;
}

/* A task that has not run since exec must checkpoint and restore like any
 * other; returns how many such images restore refused. */
static int fresh_exec(int tries)
{
	int bad = 0, caught = 0;

	bigimg = malloc(BIG_IMAGE);
	if (!bigimg)
		return printf("ckptfuzz: FAIL fresh-exec: no memory\n") > 0;
	write_big_program("/tmp/cfbig");
	for (int i = 0; i < tries; i++) {
		int r = fresh_exec_once(i);
		caught += r != 0;
		bad += r < 0;
	}
	unlink("/tmp/cfbig");
	printf("ckptfuzz: fresh-exec: %d of %d images caught a task before "
	       "its first instruction\n",
	       caught, tries);
	return bad;
}

/* Maps the stack the checks will use, so that the program's own stack
 * growth is not counted as a leak. */
static void grow_stack(void)
{
	volatile char pad[16 * 1024];

	pad[0] = pad[sizeof(pad) - 1] = 0;
}

/* Checkpoints container cf into img; 0 or -1. */
static int take_image(void)
{
	long n = sys_checkpoint((long)"cf", 0, 0, CKPT_KEEP);
	struct ckpt_section s;

	img = malloc(n > 0 ? (size_t)n : 1);
	work = malloc(n > 0 ? (size_t)n + SLACK : 1);
	if (n > 0 && img && work)
		n = sys_checkpoint((long)"cf", (long)img, n, CKPT_KEEP);
	if (n <= 0 || !img || !work)
		return printf("ckptfuzz: FAIL checkpoint: %ld\n", n) < 0 ? -1
									 : -1;
	len = (uint32_t)n;
	records_end = len;
	for (uint32_t k = 0; k < CKPT_NSECT; k++) {
		memcpy(&s, img + CKPT_HDR_WORDS * 4 + k * sizeof(s), sizeof(s));
		if (s.s_type == CKPT_SEC_PAGES || s.s_type == CKPT_SEC_PIPES)
			records_end =
			    s.s_offset < records_end ? s.s_offset : records_end;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int mutants = argc > 1 ? atoi(argv[1]) : 200, bad = 0;
	/* The container saved: an init with an open file, a pipe holding
	 * bytes, a sleeping child in its own directory and a zombie. */
	pid_t c = t_ckpt_family("cf", "/tmp/cf");

	rng = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : uptime();
	rng = rng ? rng : 1;
	if (c < 0 || take_image() < 0)
		return 1;
	/* The real image: memory for it is allocated now, before the base. */
	grow_stack();
	snapshot(base, sizeof(base));
	memcpy(work, img, len);
	if (attempt(-1, len) || restored != 1)
		bad += printf("ckptfuzz: FAIL the image itself did not "
			      "restore\n") > 0;
	for (int i = 0; i < mutants && bad + leaks < 5; i++)
		bad += mutant(i);
	bad += fresh_exec(20);
	printf("ckptfuzz: %d mutants of a %u-byte image (records in the first "
	       "%u): %u ENOEXEC, %u EINVAL, %u EEXIST, %u ENOENT, %u ENOMEM, "
	       "%u restored, %u leaks\n",
	       mutants, (unsigned)len, (unsigned)records_end, by_err[ENOEXEC],
	       by_err[EINVAL], by_err[EEXIST], by_err[ENOENT], by_err[ENOMEM],
	       restored - 1, leaks);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	unlink("/tmp/cfheld");
	unlink("/tmp/cfd");
	unlink("/tmp/cfready");
	printf(bad ? "ckptfuzz: FAIL\n" : "ckptfuzz: PASS\n");
	return bad ? 1 : 0;
}
