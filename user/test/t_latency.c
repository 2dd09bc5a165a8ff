/*
 * t_latency: no task can hold the CPU (SPEC 3).  A small task sleeps 10 ms
 * in a loop and times every wake-up with uptime(), while the main task runs
 * one long operation after another:
 *
 *   hogs            two tasks spinning in user mode for 300 ms
 *   exec-32m        execve of a 32 MiB ELF file with a 64 MiB segment
 *   sbrk-128m       grow the heap by 128 MiB (map and zero 32768 pages)
 *   write-128m      one write() of 128 MiB to a /tmp file
 *   read-128m       one read() of it back (the data is checked)
 *   unlink-128m     remove the file, freeing its pages
 *   shrink-64m      sbrk(-64 MiB)
 *   fork-64m        fork of the 64 MiB task
 *   exit-64m        the child's exit (the parent waits)
 *   checkpoint-16m  checkpoint (CKPT_KEEP) of a container with 16 MiB
 *   restore-16m     restore of that image under a new name
 *
 * Each line says how long the operation took and the worst wake-up the
 * sleeper saw while it ran:
 *
 *     t_latency: NAME: T ms, N wake-ups, worst W ms: PASS
 *
 * The worst wake-up of the whole run must be at most 30 ms (uptime counts
 * in 1 ms ticks, so a 10 ms sleep reads as 10 or 11 ms when nothing is in
 * the way).  The last line is "t_latency: PASS" or "t_latency: FAIL"; the
 * exit status is the number of failures.  Run it as init.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

#define MIB	   (1u << 20)
#define WORST_OK   30	/* ms a 10 ms sleeper may take to wake */
#define MAX_WAKES  4096 /* the run is well under 40 s of 10 ms sleeps */
#define MAX_PHASES 16
#define FILE_PATH  "/tmp/t_latency.dat"
#define DONE_PATH  "/tmp/t_latency.done"
#define READY_PATH "/tmp/t_latency.ready"
#define CTR_NAME   "latctr"
#define ELF_PATH   "/tmp/t_latency.elf"
#define ELF_FILE   (32 * MIB)
#define ELF_MEM	   (64 * MIB)
#define ELF_STATUS 5

struct wake {
	uint32_t t0, ms; /* uptime before the sleep, and how long it took */
};

struct phase {
	const char *name;
	uint32_t start, end;
	int ok; /* the operation itself did what it should */
};

static struct wake wakes[MAX_WAKES];
static struct phase phases[MAX_PHASES];
static int nphases, failures;

/* The sleeper: sleeps 10 ms until DONE_PATH appears, then sends its
 * wake-ups down fd. */
static __attribute__((noreturn)) void sleeper(int fd)
{
	struct cb_stat st;
	int n = 0;

	while (n < MAX_WAKES && stat(DONE_PATH, &st) < 0) {
		uint32_t t0 = uptime();
		msleep(10);
		wakes[n].t0 = t0;
		wakes[n++].ms = uptime() - t0;
	}
	_exit(write_all(fd, wakes, (size_t)n * sizeof(wakes[0])) < 0);
}

static void phase_begin(const char *name)
{
	phases[nphases].name = name;
	phases[nphases].start = uptime();
}

static void phase_end(int ok)
{
	phases[nphases].end = uptime();
	phases[nphases++].ok = ok;
}

/* A process spinning in user mode for ms milliseconds. */
static void hog(unsigned ms)
{
	if (fork() == 0) {
		uint32_t end = uptime() + ms;
		while (uptime() < end)
			;
		_exit(0);
	}
}

/* A container CTR_NAME: an init and 3 children, 4 MiB of heap each, all
 * asleep.  Returns the init's PID once every page is there. */
static int container_up(void)
{
	struct cb_stat st;
	int pid = fork();

	if (pid == 0) {
		t_enter(CTR_NAME);
		for (int i = 1; i < 4; i++)
			if (fork() == 0)
				break;
		char *p = sbrk(4 * MIB);
		for (unsigned i = 0; p != (void *)-1 && i < 4 * MIB; i += 4096)
			p[i] = (char)(i >> 12);
		if (getpid() == 1) {
			msleep(300);	   /* the children have grown by now */
			mkdir(READY_PATH); /* no open file */
		}
		for (;;)
			msleep(10000);
	}
	while (stat(READY_PATH, &st) < 0)
		msleep(10);
	return pid;
}

/* Writes ELF_PATH: one read-write-execute segment at USER_BASE holding
 * the whole file (ELF_FILE bytes) and ELF_MEM bytes long, whose code at
 * the entry point is exit(ELF_STATUS).  0 or -1. */
static int make_elf(void)
{
	static const uint8_t code[] = {
	    0xb8, 1,	      0, 0, 0, /* mov $SYS_exit, %eax */
	    0xbb, ELF_STATUS, 0, 0, 0, /* mov $ELF_STATUS, %ebx */
	    0xcd, 0x80,		       /* int $0x80 */
	};
	uint32_t hdr[21] = {0};
	char *block = calloc(1, MIB);
	int fd = open(ELF_PATH, O_WRONLY | O_CREAT | O_TRUNC), ok = 1;

	memcpy(hdr,
	       "\x7f"
	       "ELF\x01\x01\x01",
	       7);
	hdr[4] = 2 | 3 << 16;	       /* e_type EXEC, e_machine 386 */
	hdr[5] = 1;		       /* e_version */
	hdr[6] = USER_BASE + 84;       /* e_entry: the code below */
	hdr[7] = 52;		       /* e_phoff */
	hdr[10] = 52 | 32 << 16;       /* e_ehsize, e_phentsize */
	hdr[11] = 1;		       /* e_phnum */
	hdr[13] = 1;		       /* p_type LOAD, p_offset 0 */
	hdr[15] = hdr[16] = USER_BASE; /* p_vaddr, p_paddr */
	hdr[17] = ELF_FILE;	       /* p_filesz */
	hdr[18] = ELF_MEM;	       /* p_memsz */
	hdr[19] = 7;		       /* p_flags RWX */
	if (!block || fd < 0)
		ok = 0;
	for (unsigned i = 0; ok && i < ELF_FILE / MIB; i++) {
		if (i == 0) {
			memcpy(block, hdr, 84);
			memcpy(block + 84, code, sizeof(code));
		}
		ok = write(fd, block, MIB) == (ssize_t)MIB;
		memset(block, 0, 96);
	}
	close(fd);
	free(block);
	return ok ? 0 : -1;
}

/* exec-32m: a child runs ELF_PATH, whose loading maps and fills 64 MiB. */
static void exec_phase(void)
{
	static char *const argv[] = {"t_latency.elf", NULL};
	int ok = make_elf() == 0, status = -1;

	phase_begin("exec-32m");
	int pid = ok ? fork() : -1;
	if (pid == 0) {
		execve(ELF_PATH, argv, argv + 1);
		_exit(1);
	}
	phase_end(pid > 0 && waitpid(pid, &status, 0) == pid &&
		  WIFEXITED(status) && WEXITSTATUS(status) == ELF_STATUS);
	unlink(ELF_PATH);
}

/* Grows the heap by 128 MiB and puts a mark in every MiB. */
static char *grow(void)
{
	phase_begin("sbrk-128m");
	char *buf = sbrk(128 * MIB);
	phase_end(buf != (void *)-1);
	if (buf == (void *)-1)
		return NULL;
	for (unsigned i = 0; i < 128; i++)
		buf[i * MIB + 7] = (char)(i + 1);
	return buf;
}

/* write-128m, read-128m, unlink-128m on buf. */
static void file_phases(char *buf)
{
	int fd = open(FILE_PATH, O_WRONLY | O_CREAT | O_TRUNC);

	phase_begin("write-128m");
	phase_end(fd >= 0 && write(fd, buf, 128 * MIB) == (ssize_t)(128 * MIB));
	close(fd);
	memset(buf, 0, 128 * MIB);
	fd = open(FILE_PATH, O_RDONLY);
	phase_begin("read-128m");
	int ok = fd >= 0 && read(fd, buf, 128 * MIB) == (ssize_t)(128 * MIB);
	phase_end(ok);
	for (unsigned i = 0; ok && i < 128; i++)
		ok = buf[i * MIB + 7] == (char)(i + 1);
	if (!ok)
		printf("t_latency: read-128m: the data read back is wrong\n");
	failures += !ok;
	close(fd);
	phase_begin("unlink-128m");
	phase_end(unlink(FILE_PATH) == 0);
}

/* shrink-64m, fork-64m, exit-64m. */
static void memory_phases(void)
{
	int status = -1;

	phase_begin("shrink-64m");
	phase_end(sbrk(-(intptr_t)(64 * MIB)) != (void *)-1);
	phase_begin("fork-64m");
	int pid = fork();
	if (pid == 0)
		_exit(7);
	phase_end(pid > 0);
	phase_begin("exit-64m");
	phase_end(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		  WEXITSTATUS(status) == 7);
}

/* checkpoint-16m and restore-16m of container init. */
static void ckpt_phases(int init)
{
	int size = checkpoint(CTR_NAME, NULL, 0, CKPT_KEEP);
	char *img = size > 0 ? malloc((size_t)size) : NULL;

	phase_begin("checkpoint-16m");
	phase_end(img &&
		  checkpoint(CTR_NAME, img, (size_t)size, CKPT_KEEP) == size);
	phase_begin("restore-16m");
	int copy = img ? restore(img, (size_t)size, CTR_NAME "2", 0) : -1;
	phase_end(copy > 0);
	if (copy > 0) {
		kill(copy, SIGKILL);
		waitpid(copy, NULL, 0);
	}
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	free(img);
}

/* Reads the sleeper's wake-ups from fd; returns how many. */
static int collect(int fd)
{
	char *p = (char *)wakes;
	size_t got = 0;
	ssize_t r;

	while (got < sizeof(wakes) &&
	       (r = read(fd, p + got, sizeof(wakes) - got)) > 0)
		got += (size_t)r;
	return (int)(got / sizeof(wakes[0]));
}

/* One line per phase; counts failures. */
static void report(int nwakes)
{
	for (int i = 0; i < nphases; i++) {
		struct phase *ph = &phases[i];
		uint32_t worst = 0;
		int n = 0;
		for (int w = 0; w < nwakes; w++) {
			if (wakes[w].t0 > ph->end ||
			    wakes[w].t0 + wakes[w].ms < ph->start)
				continue;
			n++;
			worst = wakes[w].ms > worst ? wakes[w].ms : worst;
		}
		int ok = ph->ok && worst <= WORST_OK && n > 0;
		printf("t_latency: %s: %u ms, %d wake-ups, worst %u ms: %s\n",
		       ph->name, (unsigned)(ph->end - ph->start), n,
		       (unsigned)worst, ok ? "PASS" : "FAIL");
		failures += !ok;
	}
}

int main(void)
{
	int fds[2];

	int init = container_up();
	if (pipe(fds) < 0)
		return 1;
	int sl = fork();
	if (sl == 0) {
		close(fds[0]);
		sleeper(fds[1]);
	}
	close(fds[1]);
	phase_begin("idle");
	msleep(200);
	phase_end(1);
	phase_begin("hogs");
	hog(300);
	hog(300);
	phase_end(wait(NULL) > 0 && wait(NULL) > 0);
	exec_phase();
	char *buf = grow();
	if (buf) {
		file_phases(buf);
		memory_phases();
	}
	ckpt_phases(init);
	close(open(DONE_PATH, O_WRONLY | O_CREAT));
	int nwakes = collect(fds[0]);
	int status = -1;
	waitpid(sl, &status, 0);
	report(nwakes);
	failures += !buf || status != 0;
	printf("t_latency: %s\n", failures ? "FAIL" : "PASS");
	return failures;
}
