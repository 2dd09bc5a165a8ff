/*
 * sysfuzz [SECONDS [WORKERS [SEED [console]]]]: hostile programs, random
 * system calls in several containers at once, then result and leak checks.
 *
 * Phases, each in a child that founds its own container:
 *   elf     exec of hostile ELF files written to /tmp (user/test/fuzzelf.h):
 *           a table of broken headers and segments, then mutants of
 *           /bin/true; each must fail with ENOEXEC, EFAULT or ENOMEM, or
 *           run and exit or fault.
 *   heap    sbrk until ENOMEM, fork and write while memory is gone, then
 *           give it all back.
 *   churn   300 containers founded and ended, so that pidspace numbers
 *           (round-robin) pass 255 and real PIDs have bit 31 set.
 *   calls   three fuzzers at once: one in the system container (no
 *           fork, kill, checkpoint or poweroff there), one in container
 *           fz1 and one in fz2n nested in fz2.
 *           Each runs WORKERS workers that make system calls with random
 *           numbers (unknown ones included) and arguments drawn from edge
 *           values (0, -1, huge lengths, kernel, unmapped and straddling
 *           addresses) plus some valid pointers and paths, in 200 ms
 *           rounds; between rounds and at the end each fuzzer checks that
 *           the PIDs it sees still follow the rules (user/test/fuzzcheck.h).
 *           With "console", a reader in a container of its own takes
 *           console input (and ^C, which kills it; it is started again)
 *           until it reads a line containing "fuzzend".
 * Then the program removes the files the workers may have made and checks
 * that PagesFree and HeapUsed in /proc/meminfo and /proc/containers are
 * back where they started.  The kernel must neither panic nor leak;
 * prints a summary, then "sysfuzz: PASS" or "sysfuzz: FAIL ...".
 */
#include <procfs.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/syscall.h>
#include "fuzzcheck.h"
#include "fuzzelf.h"

static uint32_t rng;
static bool console_mode; /* a console reader runs (the "console" argument) */
static char buf[8192];
/* Paths the workers may use: their own files in /tmp (the first three,
 * removed afterwards), /proc, and a few that must fail.  Nothing else:
 * there are no permissions, so a worker could unlink /bin/sh. */
static const char *const paths[] = {
    "/tmp/fz",
    "/tmp/fzd",
    "/tmp/fzd/x",
    "/proc/container",
    "/proc/self/status",
    "/proc/meminfo",
    "/proc/1",
    "/proc",
    "/",
    "/nonexistent/x",
    "",
};

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* One argument: mostly edge values, sometimes pure noise. */
static long arg(void)
{
	static const uint32_t edges[] = {
	    0,		 1,	      2,	   3,		4096,
	    0xffffffffu, 0x7fffffffu, 0x80000000u, 0x40000000u, 0xbffffff0u,
	    0xc0000000u, 0x00100000u, 0x70000000u, 0xfffff000u, 9,
	    15,		 32,	      1000,
	};
	switch (next() % 6) {
	case 0:
		return (long)next();
	case 1:
		return (long)(buf + next() % sizeof(buf));
	case 2:
		return (long)paths[next() % (sizeof(paths) / sizeof(paths[0]))];
	case 3:
		return (long)(next() % 64);
	default:
		return (long)edges[next() % (sizeof(edges) / sizeof(edges[0]))];
	}
}

/* Makes CALLS random system calls, then exits (unless one kills it).  In
 * the system container (restricted) it leaves out the calls that could
 * reach tasks it does not own: fork (its children would outlive the
 * round), kill, checkpoint and poweroff.  setfg only ever names the worker
 * itself or nobody, and not at all while the console reader runs (^C is
 * then the reader's). */
#define CALLS	5000
#define CALL_FD 31   /* a pipe to the fuzzer: one TICK per 100 calls */
#define TICK	0xa5 /* (random writes to it are not counted) */
static void worker(uint32_t seed, bool restricted)
{
	static const uint8_t tick = TICK;

	rng = seed ? seed : 1;
	memset(buf, 'x', sizeof(buf));
	/* No console: a read would block until the end of the round, and a
	 * write of random memory would print program text (with words a
	 * test harness watches for) on it. */
	close(0);
	close(1);
	close(2);
	for (int i = 0; i < CALLS; i++) {
		long nr = next() % 8 ? (long)(next() % (SYS_MAX_PLUS_ONE + 2))
				     : arg();
		if (nr == SYS_exit || nr == SYS_execve)
			continue; /* keep fuzzing rather than ending or becoming
				     true */
		if (restricted && (nr == SYS_fork || nr == SYS_kill ||
				   nr == SYS_checkpoint || nr == SYS_poweroff))
			continue;
		long a0 = arg();
		long a1 = arg(), a2 = arg();
		if (nr == SYS_sleep)
			a0 &= 15; /* a long sleep only wastes the time budget */
		if (nr == SYS_sbrk && a0 > (1L << 20) && a0 < 0x7fff0000L)
			a0 &=
			    (1L << 20) - 1; /* a heap of hundreds of MiB makes
					       each fork copy it for seconds
					       (the heap phase covers ENOMEM) */
		if (nr == SYS_waitpid && (a2 & ~1L) == 0)
			a2 = 1; /* WNOHANG: bad options stay bad */
		if (nr == SYS_setfg && console_mode)
			continue;
		if (nr == SYS_setfg)
			a0 = a0 & 1 ? getpid()
				    : 0; /* ^C may kill only workers */
		syscall5(nr, a0, a1, a2, arg(), arg());
		if (i % 100 == 99)
			write(CALL_FD, &tick, 1);
	}
	_exit(0);
}

/* Names in dir, NUL-separated, into out (for comparing before/after). */
static void list_dir(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct cb_dirent *e;
	size_t len = 0;

	out[0] = 0;
	while (d && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name) + 1;
		if (len + n + 1 < size) {
			memcpy(out + len, e->d_name, n);
			len += n;
		}
	}
	out[len] = 0;
	if (d)
		closedir(d);
}

static bool listed(const char *names, const char *name)
{
	for (; *names; names += strlen(names) + 1)
		if (strcmp(names, name) == 0)
			return true;
	return false;
}

/* Removes path and, if it is a directory, everything below it. */
static void remove_tree(const char *path, int depth)
{
	char names[2048], sub[600];

	if (depth < 8) {
		list_dir(path, names, sizeof(names));
		for (const char *m = names; *m; m += strlen(m) + 1) {
			snprintf(sub, sizeof(sub), "%s/%s", path, m);
			remove_tree(sub, depth + 1);
		}
	}
	unlink(path);
}

/* Removes what the workers made in dir: every entry not in before.
 * Workers may pass any string as a path, including one from program text,
 * so names are not known in advance. */
static void remove_new(const char *dir, const char *before)
{
	static char now[4096];
	char path[300];

	list_dir(dir, now, sizeof(now));
	for (const char *n = now; *n; n += strlen(n) + 1) {
		if (listed(before, n))
			continue;
		snprintf(path, sizeof(path), "%s/%s",
			 strcmp(dir, "/") ? dir : "", n);
		remove_tree(path, 0);
	}
}

/* Maps the stack the cleanup's recursion will use, so that the process's
 * own stack growth is not counted as a leak. */
static void grow_stack(void)
{
	volatile char pad[24 * 1024];

	pad[0] = pad[sizeof(pad) - 1] = 0;
}

/* Founds container name and moves the caller into it; 0 or -errno. */
static int found(const char *name)
{
	int fd = open("/proc/container", O_WRONLY);
	long r = fd < 0 ? -errno : write(fd, name, strlen(name));

	if (fd >= 0)
		close(fd);
	return r < 0 ? (fd < 0 ? (int)r : -errno) : 0;
}

/* Runs fn in a child that first founds container name; the child's exit
 * status (0 is a pass), or -1 if it did not end normally. */
static int in_container(const char *name, int (*fn)(uint32_t), uint32_t arg)
{
	int st = 0;
	pid_t p = fork();

	if (p == 0)
		_exit(found(name) ? 99 : fn(arg));
	if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st))
		return -1;
	return WEXITSTATUS(st);
}

/* ---- phase elf ----------------------------------------------------------- */

static uint8_t elf_img[65536], elf_work[65536];
static uint32_t elf_counts[7]; /* outcomes, by OUT_* bit number */

static void count_outcome(uint32_t out)
{
	for (int b = 0; b < 7; b++)
		if (out & (1u << b))
			elf_counts[b]++;
}

/* One case of the table; 0 if it did what it may. */
static int elf_case(const struct fz_case *c)
{
	static struct fz_elf e;

	fz_build(&e, c);
	if (fz_write_file("/tmp/fzelf", e.b, e.len) < 0)
		return printf("sysfuzz: FAIL elf %s: cannot write\n", c->name);
	uint32_t t0 = uptime(), out = fz_exec("/tmp/fzelf", 20000);

	count_outcome(out);
	if (uptime() - t0 > 500)
		printf("sysfuzz: elf %s took %u ms\n", c->name,
		       (unsigned)(uptime() - t0));
	if (out & c->allow)
		return 0;
	printf("sysfuzz: FAIL elf %s: outcome 0x%x, allowed 0x%x\n", c->name,
	       (unsigned)out, (unsigned)c->allow);
	return 1;
}

/* A mutant of /bin/true: a few bytes or words of its headers changed, or
 * it is cut short.  0 if the outcome is allowed. */
static int elf_mutant(uint32_t len, int i)
{
	static const uint32_t words[] = {
	    0,		 1,	   0xffffffffu, 0x7fffffffu, USER_BASE,
	    0xc0000000u, HEAP_TOP, 0x80000000u, 4096,	     52};
	uint32_t n = len, w;

	memcpy(elf_work, elf_img, len);
	for (int k = 1 + next() % 4; k > 0; k--) {
		uint32_t at = next() % (next() % 4 ? 192 : len);
		switch (next() % 4) {
		case 0:
			elf_work[at] ^= (uint8_t)(1u << (next() % 8));
			break;
		case 1:
			elf_work[at] = (uint8_t)next();
			break;
		case 2:
			w = words[next() % (sizeof(words) / sizeof(words[0]))];
			memcpy(elf_work + (at & ~3u), &w, 4);
			break;
		default:
			n = next() % len;
		}
	}
	if (fz_write_file("/tmp/fzelf", elf_work, n) < 0)
		return printf("sysfuzz: FAIL elf mutant %d: cannot write\n", i);
	uint32_t out = fz_exec("/tmp/fzelf", 1000);
	count_outcome(out);
	if (!(out & OUT_OTHER))
		return 0;
	printf("sysfuzz: FAIL elf mutant %d: exec error %u\n", i,
	       (unsigned)(out >> 8));
	return 1;
}

/* The table, then `mutants` mutants; the number of failures. */
static int phase_elf(uint32_t mutants)
{
	int bad = 0;
	int n = read_file("/bin/true", (char *)elf_img, sizeof(elf_img));

	for (unsigned i = 0; i < sizeof(fz_cases) / sizeof(fz_cases[0]); i++)
		bad += elf_case(&fz_cases[i]);
	for (uint32_t i = 0; n > 0 && i < mutants; i++)
		bad += elf_mutant((uint32_t)n, (int)i);
	unlink("/tmp/fzelf");
	printf("sysfuzz: elf: %u cases, %u mutants: %u ENOEXEC, %u EFAULT, "
	       "%u ENOMEM, %u exit 42, %u other exit, %u faulted, %u wrong\n",
	       (unsigned)(sizeof(fz_cases) / sizeof(fz_cases[0])),
	       (unsigned)mutants, (unsigned)elf_counts[0],
	       (unsigned)elf_counts[1], (unsigned)elf_counts[2],
	       (unsigned)elf_counts[3], (unsigned)elf_counts[4],
	       (unsigned)elf_counts[5], (unsigned)elf_counts[6]);
	return bad > 98 ? 98 : bad;
}

/* ---- phase heap ---------------------------------------------------------- */

/* Grows the heap a MiB at a time until ENOMEM, tries fork and a file
 * write with no memory left, then gives the heap back. */
static int phase_heap(uint32_t unused)
{
	char *start = sbrk(0);
	uint32_t mib = 0;
	int bad = 0;

	(void)unused;
	while (sbrk(1 << 20) != (void *)-1)
		mib++;
	if (errno != ENOMEM)
		bad += printf("sysfuzz: FAIL heap: sbrk error %d\n", errno) > 0;
	pid_t p = fork(); /* may fail; must not crash */
	if (p == 0)
		_exit(0);
	if (p > 0)
		waitpid(p, NULL, 0);
	fz_write_file("/tmp/fzheap", buf, sizeof(buf));
	unlink("/tmp/fzheap");
	if (sbrk(-(intptr_t)(mib << 20)) == (void *)-1 || sbrk(0) != start)
		bad += printf("sysfuzz: FAIL heap: release\n") > 0;
	printf("sysfuzz: heap: %u MiB before ENOMEM, fork %s, released\n",
	       (unsigned)mib, p < 0 ? "refused" : "worked");
	return bad;
}

/* Founds and ends n short-lived containers, so that pidspace numbers (handed
 * out round-robin) pass 255 and the system container sees real PIDs with
 * bit 31 set; the number that failed. */
static int churn(unsigned n)
{
	char name[16];
	int bad = 0, st;

	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "fzchurn%u", i);
		pid_t p = fork();
		if (p == 0)
			_exit(found(name) ? 1 : 0);
		bad += p < 0 || waitpid(p, &st, 0) != p || st != 0;
	}
	return bad;
}

/* ---- phase calls --------------------------------------------------------- */

#define MAX_WORKERS 32

/* Reads what the pipe holds now; the number of ticks in it. */
static uint32_t drain(int fd)
{
	uint8_t b[256];
	struct cb_stat st;
	uint32_t ticks = 0;

	while (fstat(fd, &st) == 0 && st.st_size > 0) {
		size_t want = (size_t)st.st_size < sizeof(b)
				  ? (size_t)st.st_size
				  : sizeof(b);
		ssize_t n = read(fd, b, want);
		for (ssize_t i = 0; i < n; i++)
			ticks += b[i] == TICK;
		if (n <= 0)
			break;
	}
	return ticks;
}

/* Fuzzes for `seconds` in rounds of 200 ms from the caller's container,
 * checking PIDs each round; exits with the number of failed checks. */
static void fuzzer(struct fz_view *v, unsigned seconds, int workers,
		   uint32_t seed)
{
	pid_t pids[MAX_WORKERS];
	uint32_t end = uptime() + seconds * 1000, spawned = 0, checks = 0;
	uint32_t done = 0, ticks = 0;
	int bad = 0, st, cp[2];

	if (pipe(cp) < 0 || dup2(cp[1], CALL_FD) < 0)
		_exit(printf("sysfuzz: FAIL %s: no pipe\n", v->who) > 0);
	close(cp[1]);

	while (uptime() < end) {
		for (int i = 0; i < workers; i++) {
			pids[i] = fork();
			if (pids[i] == 0)
				worker(seed * 7919u + spawned, !v->in_ctr);
			spawned += pids[i] > 0;
		}
		msleep(200);
		bad += fz_check_pids(v), checks++; /* with workers running */
		for (int i = 0; i < workers; i++)
			if (pids[i] > 0)
				kill(pids[i], SIGKILL);
		if (v->in_ctr)
			kill(-1, SIGKILL); /* and whatever they forked */
		for (int i = 0; i < workers; i++)
			if (pids[i] > 0 &&
			    waitpid(pids[i], &st, 0) == pids[i] && st == 0)
				done++; /* made all CALLS calls */
		ticks += drain(cp[0]);
		while (v->in_ctr && waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	bad += fz_check_pids(v), checks++;
	printf("sysfuzz: %s: %u workers, %u00 calls or more (%u workers made "
	       "all %u), %u checks, %d failed\n",
	       v->who, (unsigned)spawned, (unsigned)ticks, (unsigned)done,
	       CALLS, (unsigned)checks, bad);
	_exit(bad > 99 ? 99 : bad);
}

/* Starts fuzzer k: 0 in the system container, 2 nested (fz2n in fz2),
 * the others in fzK.  Returns the PID of the child to wait for. */
static pid_t start_fuzzer(int k, unsigned seconds, int workers, uint32_t seed)
{
	static char name[16], who[16];
	pid_t outer = getpid(), p = fork();

	if (p != 0)
		return p;
	struct fz_view v = {.in_ctr = k != 0, .who = who};
	snprintf(name, sizeof(name), "fz%d", k);
	strlcpy(who, k ? name : "system", sizeof(who));
	v.out[v.nout++] = getpid(), v.out[v.nout++] = outer;
	if (k && found(name) < 0)
		_exit(printf("sysfuzz: FAIL cannot found %s\n", name) > 0);
	if (k == 2) {
		pid_t mid = getpid(); /* 1 in fz2 */
		pid_t q = fork();
		int st = -1;
		if (q > 0) { /* fz2's init waits for the nested fuzzer */
			waitpid(q, &st, 0);
			_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 99);
		}
		v.out[v.nout++] = getpid(); /* its number in fz2 */
		v.out[v.nout++] = mid;
		snprintf(name, sizeof(name), "fz%dn", k);
		strlcpy(who, name, sizeof(who));
		if (found(name) < 0)
			_exit(printf("sysfuzz: FAIL cannot found %s\n", name) >
			      0);
	}
	fuzzer(&v, seconds, workers, seed + (uint32_t)k * 1000003u);
	return 0;
}

/* The console reader: takes ^C for itself and reads lines until one holds
 * "fuzzend" (exit 0).  It founds a container of its own, so ^C reaches it
 * only because this side (the system container) hands ^C to it, as a shell
 * does for a job: inside, it names itself for its container's slot. */
static pid_t start_reader(unsigned n)
{
	char name[16], line[256];
	pid_t p = fork();

	if (p != 0) {
		if (p > 0)
			setfg(p);
		return p;
	}
	snprintf(name, sizeof(name), "fzcon%u", n);
	if (found(name) < 0)
		_exit(2);
	for (;;) {
		setfg(getpid());
		ssize_t r = read(0, line, sizeof(line) - 1);
		if (r <= 0)
			continue;
		line[r] = 0;
		if (strstr(line, "fuzzend"))
			_exit(0);
	}
}

/* Runs `nfuzz` fuzzers at once (and the console reader); failures. */
static int phase_calls(unsigned seconds, int workers, uint32_t seed, int nfuzz,
		       bool console)
{
	pid_t pids[8], reader = 0;
	int bad = 0, running = nfuzz, st;
	unsigned readers = 0;
	uint32_t give_up = uptime() + seconds * 1000 + 30000;

	if (console) {
		reader = start_reader(readers++);
		printf("sysfuzz: console open: type, ^C, then a line with "
		       "fuzzend\n");
	}
	for (int k = 0; k < nfuzz; k++)
		pids[k] = start_fuzzer(k, seconds, workers, seed);
	while (running > 0 || reader > 0) {
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p <= 0) {
			if (uptime() > give_up && reader > 0) {
				bad += printf("sysfuzz: FAIL console: no "
					      "fuzzend line\n") > 0;
				kill(reader, SIGKILL);
			}
			msleep(20);
			continue;
		}
		if (p == reader) {
			bool intr = WIFSIGNALED(st) && WTERMSIG(st) == SIGINT;
			if (!intr && st != 0 && uptime() <= give_up)
				bad += printf("sysfuzz: FAIL console reader "
					      "status 0x%x\n",
					      st) > 0;
			reader = intr ? start_reader(readers++) : 0;
			continue;
		}
		for (int k = 0; k < nfuzz; k++)
			if (p == pids[k]) {
				running--;
				bad += WIFEXITED(st) ? WEXITSTATUS(st) : 1;
				if (!WIFEXITED(st))
					printf("sysfuzz: FAIL fuzzer %d status "
					       "0x%x\n",
					       k, st);
			}
	}
	if (console)
		printf("sysfuzz: console: %u readers, %u killed by ^C\n",
		       readers, readers - 1);
	return bad;
}

/* ---- main ---------------------------------------------------------------- */

int main(int argc, char **argv)
{
	unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 5;
	int workers = argc > 2 ? atoi(argv[2]) : 4;
	uint32_t seed =
	    argc > 3 ? (uint32_t)strtoul(argv[3], NULL, 10) : uptime();
	bool console = argc > 4 && strcmp(argv[4], "console") == 0;

	console_mode = console;
	static char root_before[4096], tmp_before[4096], ctrs[1024],
	    ctrs2[1024];
	int bad = 0, r;

	if (workers < 1 || workers > MAX_WORKERS)
		workers = 4;
	rng = seed ? seed : 1;
	grow_stack();
	list_dir("/", root_before, sizeof(root_before));
	list_dir("/tmp", tmp_before, sizeof(tmp_before));
	read_file("/proc/containers", ctrs, sizeof(ctrs));
	long pages = meminfo("PagesFree"), heap = meminfo("HeapUsed");

	printf("sysfuzz: %u s, %d workers, seed %u\n", seconds, workers,
	       (unsigned)seed);
	fflush(stdout);
	r = in_container("fzelf", phase_elf, 10 * seconds);
	if (r)
		bad += printf("sysfuzz: FAIL elf phase: %d\n", r) > 0;
	r = in_container("fzheap", phase_heap, 0);
	if (r)
		bad += printf("sysfuzz: FAIL heap phase: %d\n", r) > 0;
	r = churn(300);
	if (r)
		bad += printf("sysfuzz: FAIL %d of 300 containers\n", r) > 0;
	long pages_heap = meminfo("PagesFree");
	fflush(stdout);
	bad += phase_calls(seconds, workers, seed, 3, console);
	msleep(500); /* let the kernel finish off the members */
	remove_new("/tmp", tmp_before);
	remove_new("/", root_before);
	long pages2 = meminfo("PagesFree"), heap2 = meminfo("HeapUsed");
	read_file("/proc/containers", ctrs2, sizeof(ctrs2));
	printf("sysfuzz: PagesFree %ld -> %ld (%ld after elf and heap), "
	       "HeapUsed %ld -> %ld\n",
	       pages, pages2, pages_heap, heap, heap2);
	if (strcmp(ctrs, ctrs2))
		bad += printf("sysfuzz: FAIL containers left:\n%s", ctrs2) > 0;
	if (bad || pages != pages2 || heap != heap2 || pages != pages_heap) {
		printf("sysfuzz: FAIL (%d failed)\n", bad);
		return 1;
	}
	printf("sysfuzz: PASS\n");
	return 0;
}
