/*
 * ckptbench: how long checkpoint and restore take, and how big the image
 * is, for a container of 1 task with 64 KiB of heap and one of 16 tasks
 * with 1 MiB each (16 MiB).  Run by `make bench`; prints
 *
 *     bench NAME: N ops in T ms
 *     bench-size NAME: BYTES bytes
 *
 * Checkpoints use CKPT_KEEP so the same container is saved again and
 * again; each restore gets a fresh name and its copy is killed before the
 * next, so every restore starts from the same state.  uptime() counts in
 * 1 ms steps; the repetitions even out the noise.
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

/* Fills n bytes of new heap so every page is really there. */
static void grow(unsigned n)
{
	char *p = sbrk((intptr_t)n);

	if (p != (void *)-1)
		for (unsigned i = 0; i < n; i += 512)
			p[i] = (char)i;
}

/* Container name: an init and ntasks-1 children, each with bytes of heap;
 * returns the init's PID once all are in place. */
static int setup(const char *name, int ntasks, unsigned bytes)
{
	char ready[48];
	struct cb_stat st;
	int pid = fork();

	snprintf(ready, sizeof(ready), "/tmp/ready.%s", name);
	if (pid == 0) {
		t_enter(name);
		for (int i = 1; i < ntasks; i++)
			if (fork() == 0)
				break;
		grow(bytes);
		if (getpid() == 1) {
			msleep(200); /* the others have grown by now */
			close(open(ready, O_WRONLY | O_CREAT));
		}
		for (;;)
			msleep(10000);
	}
	while (stat(ready, &st) < 0)
		msleep(10);
	return pid;
}

static void measure(const char *name, int ntasks, unsigned bytes, unsigned n)
{
	int init = setup(name, ntasks, bytes);
	int size = checkpoint(name, NULL, 0, CKPT_KEEP);
	char *buf = size > 0 ? malloc((size_t)size) : NULL;
	char label[64], copy[32];
	uint32_t t0, spent = 0;

	if (!buf) {
		printf("ckptbench: %s: cannot checkpoint\n", name);
		return;
	}
	printf("bench-size %s: %d bytes\n", name, size);
	t0 = uptime();
	for (unsigned i = 0; i < n; i++)
		checkpoint(name, buf, (size_t)size, CKPT_KEEP);
	snprintf(label, sizeof(label), "checkpoint-%s", name);
	printf("bench %s: %u ops in %u ms\n", label, n,
	       (unsigned)(uptime() - t0));
	for (unsigned i = 0; i < n; i++) {
		snprintf(copy, sizeof(copy), "%s-r%u", name, i);
		t0 = uptime();
		int r = restore(buf, (size_t)size, copy, 0);
		spent += uptime() - t0;
		if (r < 0) {
			printf("ckptbench: restore %s failed\n", copy);
			break;
		}
		kill(r, SIGKILL);
		waitpid(r, NULL, 0);
	}
	snprintf(label, sizeof(label), "restore-%s", name);
	printf("bench %s: %u ops in %u ms\n", label, n, (unsigned)spent);
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	free(buf);
}

int main(void)
{
	measure("1task-64k", 1, 64u << 10, 100);
	measure("16tasks-16m", 16, 1u << 20, 5);
	return 0;
}
