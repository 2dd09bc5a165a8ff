/*
 * t_yieldrace: what others may do while a long system call has given the
 * CPU away between chunks.  Each test starts a long call in one task and
 * acts on it from another while it runs:
 *
 *   ckpt-midcall       checkpoint a container whose task is always inside
 *                      a 16 MiB write; its restored copy must find its file
 *                      offset where a whole number of writes leaves it
 *   kill-during-ckpt   kill the container being checkpointed: no crash,
 *                      the container ends, no page is lost
 *   concurrent-ckpt    two tasks checkpoint one container at once: every
 *                      image is whole
 *   kill-during-restore  kill the task restoring: nothing of the tree is
 *                      left, no page is lost
 *   kill-during-fork   kill a task while it forks 64 MiB: no child
 *                      appears after the kill
 *   truncate-during-write  truncate and unlink a file being written
 *                      with 64 MiB: no page is lost
 *
 * Output is the test library's (PASS/FAIL lines, then "t_yieldrace: N
 * passed, M failed").  Run it as init.
 */
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

#define MIB	  (1u << 20)
#define WRITE_LEN (16 * MIB)

static long pages_free(void)
{
	char text[512], val[32];

	if (read_file("/proc/meminfo", text, sizeof(text)) < 0 ||
	    status_field(text, "PagesFree", val, sizeof(val)) < 0)
		return -1;
	return strtol(val, NULL, 10);
}

static int exists(const char *path)
{
	struct cb_stat st;

	return stat(path, &st) == 0;
}

/* Waits (10 ms steps) until path exists. */
static void wait_for(const char *path)
{
	while (!exists(path))
		msleep(10);
}

/* Founds container name in a child, which runs body there; returns the
 * child's PID once body has created ready. */
static int in_container(const char *name, const char *ready,
			void (*body)(const char *ready))
{
	int pid = fork();

	if (pid == 0) {
		t_enter(name);
		body(ready);
		_exit(0);
	}
	wait_for(ready);
	return pid;
}

/* A task that writes WRITE_LEN bytes at a time to a file forever and
 * checks after each write that its offset is a whole number of writes;
 * if not, it makes /tmp/yr.bad. */
static void writer(const char *ready)
{
	char *buf = sbrk(WRITE_LEN);
	int fd = open("/tmp/yr.w", O_WRONLY | O_CREAT | O_TRUNC);

	mkdir(ready); /* no open file for a checkpoint to see */
	for (long n = 1; buf != (void *)-1 && fd >= 0; n++) {
		if (n % 4 == 0)
			n = 1, lseek(fd, 0, SEEK_SET);
		long w = write(fd, buf, WRITE_LEN);
		long off = lseek(fd, 0, SEEK_CUR);
		if (w != (long)WRITE_LEN || off != n * (long)WRITE_LEN) {
			printf("t_yieldrace: writer: write %ld, offset %ld\n",
			       w, off);
			close(open("/tmp/yr.bad", O_WRONLY | O_CREAT));
			break;
		}
	}
	for (;;)
		msleep(1000);
}

static void ckpt_midcall(void)
{
	int init = in_container("yrw", "/tmp/yr.ready1", writer);
	int size = checkpoint("yrw", NULL, 0, CKPT_KEEP);
	char *img = size > 0 ? malloc((size_t)size) : NULL;

	T_OK(size);
	for (int i = 0; img && i < 3; i++) {
		msleep(30 + 20 * i); /* somewhere inside a write */
		T_EQ(checkpoint("yrw", img, (size_t)size, CKPT_KEEP), size);
	}
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	int copy = img ? restore(img, (size_t)size, "yrw2", 0) : -1;
	T_OK(copy);
	msleep(600); /* the copy finishes its write and does more */
	T_EQ(exists("/tmp/yr.bad"), 0);
	T_EQ(kill(copy, 0), 0); /* it is still writing */
	kill(copy, SIGKILL);
	waitpid(copy, NULL, 0);
	unlink("/tmp/yr.w");
	unlink("/tmp/yr.ready1");
	free(img);
}

/* A container init with 32 MiB of heap, asleep. */
static void sleeper32(const char *ready)
{
	char *p = sbrk(32 * MIB);

	for (unsigned i = 0; p != (void *)-1 && i < 32 * MIB; i += 4096)
		p[i] = 1;
	mkdir(ready);
	for (;;)
		msleep(1000);
}

/* Kills pid after ms milliseconds, from a child; returns the child. */
static int kill_later(int pid, unsigned ms)
{
	int k = fork();

	if (k == 0) {
		msleep(ms);
		kill(pid, SIGKILL);
		_exit(0);
	}
	return k;
}

static void kill_during_ckpt(void)
{
	int init = in_container("yrk", "/tmp/yr.ready2", sleeper32);
	int size = checkpoint("yrk", NULL, 0, CKPT_KEEP);
	char *img = size > 0 ? malloc((size_t)size) : NULL;
	long before = pages_free();
	int st = 0;

	int k = img ? kill_later(init, 20) : -1;
	int r = img ? checkpoint("yrk", img, (size_t)size, CKPT_KEEP) : -1;
	if (r != size && r != -1)
		t_fail("checkpoint returned %d", r);
	waitpid(k, NULL, 0);
	T_EQ(waitpid(init, &st, 0), init);
	T_EQ(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, 1);
	T_EQ(checkpoint("yrk", NULL, 0, CKPT_KEEP), -1); /* it is gone */
	free(img);
	msleep(100);
	T_EQ(pages_free() >= before, 1); /* its 32 MiB came back */
	unlink("/tmp/yr.ready2");
}

static void concurrent_ckpt(void)
{
	int init = in_container("yrc", "/tmp/yr.ready3", sleeper32);
	int size = checkpoint("yrc", NULL, 0, CKPT_KEEP);
	int other = fork(), st = -1, ok = size > 0;
	char *img = size > 0 ? malloc((size_t)size) : NULL;

	for (int i = 0; ok && img && i < 2; i++) {
		ok =
		    T_EQ(checkpoint("yrc", img, (size_t)size, CKPT_KEEP), size);
		int copy =
		    restore(img, (size_t)size, other ? "yrc-a" : "yrc-b", 0);
		ok = ok && T_OK(copy);
		kill(copy, SIGKILL);
		waitpid(copy, NULL, 0);
	}
	if (other == 0)
		_exit(ok && img ? 0 : 1);
	T_EQ(waitpid(other, &st, 0), other);
	T_EQ(st, 0);
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	free(img);
	unlink("/tmp/yr.ready3");
}

static void kill_during_restore(void)
{
	int init = in_container("yrr", "/tmp/yr.ready4", sleeper32);
	int size = checkpoint("yrr", NULL, 0, CKPT_KEEP);
	char *img = size > 0 ? malloc((size_t)size) : NULL;
	char list[1024];

	T_EQ(checkpoint("yrr", img, (size_t)size, CKPT_KEEP), size);
	kill(init, SIGKILL);
	waitpid(init, NULL, 0);
	msleep(50);
	long before = pages_free();
	int restorer = fork();
	if (restorer == 0) {
		restore(img, (size_t)size, "yrr2", 0);
		for (;;) /* killed while restoring, or by the kill below */
			msleep(1000);
	}
	msleep(60); /* well inside the restore */
	kill(restorer, SIGKILL);
	waitpid(restorer, NULL, 0);
	msleep(100);
	T_EQ(read_file("/proc/containers", list, sizeof(list)) > 0, 1);
	if (strstr(list, "yrr2"))
		t_fail(
		    "the restored container outlived its killed restorer:\n%s",
		    list);
	T_EQ(pages_free(), before);
	free(img);
	unlink("/tmp/yr.ready4");
}

static void kill_during_fork(void)
{
	int fd = open("/proc/container", O_WRONLY);
	int st;

	/* This test is its container's init: orphans come here. */
	if (fd < 0 || write(fd, "yrf", 3) < 0)
		t_fail("cannot found a container");
	close(fd);
	int forker = fork();
	if (forker == 0) {
		char *p = sbrk(64 * MIB);
		for (unsigned i = 0; p != (void *)-1 && i < 64 * MIB; i += 4096)
			p[i] = 1;
		close(open("/tmp/yr.forking", O_WRONLY | O_CREAT));
		if (fork() == 0)
			for (;;)
				msleep(1000);
		for (;;)
			msleep(1000);
	}
	wait_for("/tmp/yr.forking");
	msleep(30); /* well inside the fork */
	kill(forker, SIGKILL);
	T_EQ(waitpid(forker, &st, 0), forker);
	msleep(50);
	int r = waitpid(-1, NULL, 1 /* WNOHANG */);
	if (r != -1)
		t_fail("a child was born after its parent was killed");
	unlink("/tmp/yr.forking");
}

static void truncate_during_write(void)
{
	long before = pages_free();
	int writer = fork();

	if (writer == 0) {
		char *buf = sbrk(64 * MIB);
		int fd = open("/tmp/yr.t", O_WRONLY | O_CREAT);
		close(open("/tmp/yr.ready5", O_WRONLY | O_CREAT));
		long w = buf == (void *)-1 ? -1 : write(fd, buf, 64 * MIB);
		_exit(w == (long)(64 * MIB) ? 0 : 1);
	}
	wait_for("/tmp/yr.ready5");
	for (int i = 0; i < 10; i++) {
		msleep(15);
		close(open("/tmp/yr.t", O_WRONLY | O_TRUNC));
		if (i == 5)
			unlink("/tmp/yr.t");
	}
	int st = -1;
	T_EQ(waitpid(writer, &st, 0), writer);
	T_EQ(st, 0);
	unlink("/tmp/yr.t");
	unlink("/tmp/yr.ready5");
	msleep(50);
	T_EQ(pages_free(), before);
}

static const struct t_case tests[] = {
    {"ckpt-midcall", ckpt_midcall},
    {"kill-during-ckpt", kill_during_ckpt},
    {"concurrent-ckpt", concurrent_ckpt},
    {"kill-during-restore", kill_during_restore},
    {"kill-during-fork", kill_during_fork},
    {"truncate-during-write", truncate_during_write},
};

int main(int argc, char **argv)
{
	return t_main("t_yieldrace", tests, sizeof(tests) / sizeof(tests[0]),
		      argc, argv);
}
