/*
 * soak SECONDS [SEED]: the long run behind `make soak` (tests/soak.py).
 *
 * Until SECONDS have passed it repeats rounds of: sysfuzz (20 s of
 * hostile ELF files, heap exhaustion and three fuzzers at once, with a new
 * seed each round), ckptfuzz (300 mutated images, new seed), then
 * checkpoint/restore cycles (a container with a sleeping child is
 * checkpointed with CKPT_KEEP and restored under another name, then
 * migrated: checkpointed without it, which ends it, and restored) and
 * container create/exit cycles.  After each round it prints PagesFree and
 * HeapUsed; they must come back to where the first round left them
 * (programs' own first-use allocations settle in round one).
 * Prints "soak: round N ..." lines, then a summary and "soak: PASS" or
 * "soak: FAIL ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

#define CYCLES	   20
#define IMAGE_SIZE (1u << 20)

static char *image;
static unsigned images, cycles;

/* Runs argv[0] with argv; its exit status, or -1. */
static int run(char *const argv[])
{
	int st = -1;
	pid_t p = fork();

	if (p == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (p < 0 || waitpid(p, &st, 0) != p)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* A container `name` whose init (sleep) has a sleeping child; returns
 * its PID once it is in place (a byte through a pipe), or -1.  Both exec
 * sleep, so the image is small. */
static pid_t start_ctr(const char *name)
{
	char *argv[] = {"/bin/sleep", "100000", NULL};
	int p[2];
	char c;

	if (pipe(p) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		t_enter(name);
		close(p[0]);
		if (fork() == 0) {
			close(p[1]);
			execv(argv[0], argv);
			_exit(1);
		}
		write(p[1], "r", 1);
		close(p[1]);
		execv(argv[0], argv);
		_exit(1);
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

/* Restores an image of len bytes (or the checkpoint error len) as
 * newname, then kills it; 0 or -1. */
static int restore_and_kill(long len, const char *newname)
{
	long r =
	    len > 0 ? sys_restore((long)image, len, (long)newname, 0) : len;

	if (r <= 0)
		return printf("soak: FAIL checkpoint or restore: %ld\n", r) < 0
			   ? -1
			   : -1;
	kill((int)r, SIGKILL);
	waitpid((int)r, NULL, 0);
	return 0;
}

/* One checkpoint/restore cycle and one create/exit cycle; 0 or -1. */
static int cycle(unsigned i)
{
	char name[16];
	int bad = 0;

	snprintf(name, sizeof(name), "soak%u", i % 4);
	pid_t c = start_ctr(name);
	if (c < 0)
		return printf("soak: FAIL cannot start %s\n", name) < 0 ? -1
									: -1;
	long n = sys_checkpoint((long)name, (long)image, IMAGE_SIZE, CKPT_KEEP);
	bad |= restore_and_kill(n, "soakcopy");
	n = sys_checkpoint((long)name, (long)image, IMAGE_SIZE, 0);
	if (n <= 0)
		kill(c, SIGKILL);
	waitpid(c, NULL, 0); /* migrated away: it ended; its name is free */
	bad |= restore_and_kill(n, NULL);
	images += 2;
	c = start_ctr(name); /* create, then exit */
	if (c > 0) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
	cycles++;
	if (bad || c < 0)
		printf("soak: FAIL cycle %u\n", i);
	return bad || c < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	unsigned seconds = argc > 1 ? (unsigned)atoi(argv[1]) : 600;
	uint32_t seed = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 1;
	uint32_t end = uptime() + seconds * 1000;
	long pages0 = meminfo("PagesFree"), heap0 = meminfo("HeapUsed");
	long pages1 = -1, heap1 = -1, pages = pages0, heap = heap0;
	int bad = 0, round = 0;
	char s[16], m[16];

	image = malloc(IMAGE_SIZE);
	if (!image)
		return 1;
	memset(image, 0, IMAGE_SIZE); /* its pages, before any count */
	while (uptime() < end && bad < 3) {
		snprintf(s, sizeof(s), "%u", (unsigned)(seed + round));
		char *fz[] = {"/test/sysfuzz", "20", "4", s, NULL};
		char *cf[] = {"/test/ckptfuzz", "300", s, NULL};
		bad += run(fz) != 0;
		bad += run(cf) != 0;
		for (int i = 0; i < CYCLES; i++)
			bad += cycle((unsigned)(round * CYCLES + i)) != 0;
		msleep(200);
		pages = meminfo("PagesFree"), heap = meminfo("HeapUsed");
		if (round == 0)
			pages1 = pages, heap1 = heap;
		else if (pages != pages1 || heap != heap1)
			bad += printf("soak: FAIL round %d: PagesFree %ld "
				      "HeapUsed %ld, round 0 left %ld %ld\n",
				      round, pages, heap, pages1, heap1) > 0;
		snprintf(m, sizeof(m), "%ld", pages);
		printf("soak: round %d (seed %s): PagesFree %s HeapUsed %ld, "
		       "%u s left\n",
		       round, s, m, heap,
		       uptime() < end ? (unsigned)(end - uptime()) / 1000 : 0);
		round++;
	}
	printf("soak: %d rounds, %u checkpoint/restore cycles, %u images, "
	       "PagesFree %ld -> %ld -> %ld, HeapUsed %ld -> %ld -> %ld\n",
	       round, cycles, images, pages0, pages1, pages, heap0, heap1,
	       heap);
	printf(bad ? "soak: FAIL (%d)\n" : "soak: PASS\n", bad);
	return bad ? 1 : 0;
}
