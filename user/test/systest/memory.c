/* systest: memory (sbrk, malloc, stack) and pipes. */
#include "systest.h"

/* ---- memory --------------------------------------------------------- */

void test_sbrk(void)
{
	long old = sys_sbrk(0), p;
	char *mem;
	int i;

	T_OK(old);
	T_EQ(old >= (long)USER_BASE, 1);
	T_EQ(sys_sbrk(8192), old);
	T_EQ(sys_sbrk(0), old + 8192);
	mem = (char *)old;
	for (i = 0; i < 8192; i++)
		mem[i] = (char)i;
	for (i = 0; i < 8192; i++)
		if (mem[i] != (char)i)
			break;
	T_EQ(i, 8192);
	T_ERR(sys_sbrk(0x7fffffff), ENOMEM);
	T_EQ(sys_sbrk(0), old + 8192); /* unchanged by the failure */
	p = sys_sbrk(16 << 20);	       /* 16 MiB, touched page by page */
	T_OK(p);
	for (i = 0; i < (16 << 20); i += 4096)
		((char *)p)[i] = 1;
}

void test_malloc(void)
{
	char *blocks[64];
	int i, j, ok = 1;

	for (i = 0; i < 64; i++) {
		blocks[i] = malloc(i * 100 + 1);
		memset(blocks[i], i, i * 100 + 1);
	}
	for (i = 0; i < 64; i += 2)
		free(blocks[i]);
	for (i = 1; i < 64; i += 2)
		for (j = 0; j < i * 100 + 1; j++)
			ok &= blocks[i][j] == (char)i;
	T_EQ(ok, 1);
	blocks[1] = realloc(blocks[1], 100000);
	T_EQ(blocks[1][100], 1);
	T_EQ(malloc(0x7fffffff) == NULL, 1);
}

/* A child writing to the stack far below what is mapped grows the stack. */
void test_stack_growth(void)
{
	volatile char big[1 << 20]; /* 1 MiB on the stack */
	int i;

	for (i = 0; i < (int)sizeof(big); i += 4096)
		big[i] = (char)i;
	T_EQ(big[4096 * 5], (char)(4096 * 5));
}

/* ---- pipes ---------------------------------------------------------- */

void test_pipe_eof(void)
{
	int fds[2];
	char buf[16];

	T_OK(sys_pipe(P(fds)));
	T_EQ(write(fds[1], "hello", 5), 5);
	close(fds[1]);
	T_EQ(read(fds[0], buf, sizeof(buf)), 5);
	T_EQ(memcmp(buf, "hello", 5), 0);
	T_EQ(read(fds[0], buf, sizeof(buf)), 0);
	T_EQ(read(fds[0], buf, sizeof(buf)), 0);
}

void test_pipe_noreader(void)
{
	int fds[2];

	T_OK(sys_pipe(P(fds)));
	close(fds[0]);
	T_ERR(sys_write(fds[1], P("x"), 1), EPIPE);
}

/* Byte i of the test stream. */
static char pattern(unsigned i)
{
	return (char)(i * 7 + (i >> 10));
}

/* 1 MiB from a child to its parent, in uneven pieces, every byte checked. */
void test_pipe_1mib(void)
{
	static char buf[5000];
	const unsigned total = 1 << 20;
	unsigned got = 0, i, bad = total, k;
	int fds[2], n, st;
	pid_t pid;

	T_OK(sys_pipe(P(fds)));
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		for (i = 0, k = 1; i < total; i += n, k = k * 7 % 4999) {
			n = (int)(total - i < k ? total - i : k);
			for (int j = 0; j < n; j++)
				buf[j] = pattern(i + j);
			if (write_all(fds[1], buf, n) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	for (k = 3; (n = read(fds[0], buf, k)) > 0; k = k * 5 % 4999 + 1) {
		for (i = 0; i < (unsigned)n && bad == total; i++)
			if (buf[i] != pattern(got + i))
				bad = got + i;
		got += n;
	}
	T_EQ(got, total);
	T_EQ(bad, total); /* the offset of the first wrong byte */
	T_EQ(sys_waitpid(pid, P(&st), 0), pid);
	T_EQ(st, 0);
}

/* A descriptor survives fork: the child writes into the parent's pipe. */
void test_pipe_fork(void)
{
	int fds[2], st;
	char buf[8];
	pid_t pid;

	pipe(fds);
	pid = fork();
	if (pid == 0) {
		write_all(fds[1], "child", 5);
		_exit(0);
	}
	close(fds[1]);
	T_EQ(read(fds[0], buf, 8), 5);
	T_EQ(read(fds[0], buf, 8), 0);
	waitpid(pid, &st, 0);
}
