/* systest: the system call table, bad pointers, checkpoint argument checks. */
#include "systest.h"

/* ---- the system call table ------------------------------------------ */

void test_nosys(void)
{
	T_ERR(syscall5(999, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(0, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(SYS_MAX_PLUS_ONE, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(-1, 0, 0, 0, 0, 0), ENOSYS);
	T_ERR(syscall5(0x80000000L, 0, 0, 0, 0, 0), ENOSYS);
}

/* ---- bad pointers ---------------------------------------------------- */

void test_efault_write(void)
{
	int fds[2], i;

	T_OK(sys_pipe(P(fds)));
	for (i = 0; i < NBAD; i++)
		efault("write", bad_ptrs[i],
		       sys_write(fds[1], bad_ptrs[i], 16));
	efault("write", STRADDLE, sys_write(fds[1], STRADDLE, 64));
	T_EQ(sys_write(fds[1], P("ok"), 2), 2);
}

void test_efault_read(void)
{
	int fds[2], i, fd = open("/bin/sh", O_RDONLY);

	T_OK(fd);
	T_OK(sys_pipe(P(fds)));
	for (i = 0; i < NBAD; i++) {
		write_all(fds[1], "0123456789abcdef", 16);
		efault("read pipe", bad_ptrs[i],
		       sys_read(fds[0], bad_ptrs[i], 16));
		efault("read file", bad_ptrs[i], sys_read(fd, bad_ptrs[i], 16));
	}
	efault("read pipe", STRADDLE, sys_read(fds[0], STRADDLE, 64));
	efault("read file", STRADDLE, sys_read(fd, STRADDLE, 64));
}

/* Path-taking calls, given each bad pointer. */
void test_efault_paths(void)
{
	struct cb_stat st;
	char *argv[] = {"false", NULL};
	int i;
	long p;

	for (i = 0; i < NBAD; i++) {
		p = bad_ptrs[i];
		efault("open", p, sys_open(p, O_RDONLY));
		efault("open O_CREAT", p, sys_open(p, O_CREAT | O_WRONLY));
		efault("stat", p, sys_stat(p, P(&st)));
		efault("mkdir", p, sys_mkdir(p));
		efault("unlink", p, sys_unlink(p));
		efault("chdir", p, sys_chdir(p));
		efault("execve", p, sys_execve(p, P(argv), 0));
	}
}

/* A path that runs off the end of the heap into unmapped memory. */
void test_efault_string_end(void)
{
	char *brk = sbrk(0), *end, *s;
	long pad = (4096 - ((long)brk & 4095)) & 4095;

	sbrk(pad + 4096); /* the break is now page-aligned: end is unmapped */
	end = brk + pad + 4096;
	s = end - 8;
	memset(s, 'a', 8); /* no NUL before the unmapped page */
	efault("open", P(s), sys_open(P(s), O_RDONLY));
	efault("stat", P(s), sys_stat(P(s), P(end - 64)));
	efault("mkdir", P(s), sys_mkdir(P(s)));
	efault("chdir", P(s), sys_chdir(P(s)));
}

void test_efault_pipe(void)
{
	int i, before = dup(0), after;

	close(before);
	for (i = 0; i < NBAD; i++)
		efault("pipe", bad_ptrs[i], sys_pipe(bad_ptrs[i]));
	efault("pipe", (long)0xBFFFFFFCu, sys_pipe((long)0xBFFFFFFCu));
	after = dup(0);
	T_EQ(after, before); /* no descriptor leaked */
}

void test_efault_waitpid(void)
{
	int i;
	pid_t pid;

	for (i = 1; i <= NBAD; i++) { /* NULL (i = 0) is allowed: skip it */
		long p = i < NBAD ? bad_ptrs[i] : (long)0xBFFFFFFEu;
		pid = exiter(0);
		efault("waitpid", p, sys_waitpid(pid, p, 0));
		waitpid(pid, NULL, 0); /* reaped now, or already */
	}
}

void test_efault_stat(void)
{
	int i, fd = open("/bin/sh", O_RDONLY);

	for (i = 0; i < NBAD; i++) {
		efault("stat buf", bad_ptrs[i],
		       sys_stat(P("/bin/sh"), bad_ptrs[i]));
		efault("fstat buf", bad_ptrs[i], sys_fstat(fd, bad_ptrs[i]));
	}
	efault("stat buf", (long)0xBFFFFFF8u,
	       sys_stat(P("/bin/sh"), (long)0xBFFFFFF8u));
	efault("fstat buf", (long)0xBFFFFFF8u,
	       sys_fstat(fd, (long)0xBFFFFFF8u));
}

void test_efault_getcwd(void)
{
	int i;

	for (i = 0; i < NBAD; i++)
		efault("getcwd", bad_ptrs[i], sys_getcwd(bad_ptrs[i], 64));
	efault("getcwd", STRADDLE, sys_getcwd(STRADDLE, 64));
}

void test_efault_execve(void)
{
	char *badarg[] = {"false", (char *)0x70000000, NULL};
	char *kernarg[] = {"false", (char *)0xC0000000, NULL};
	char *argv[] = {"false", NULL};

	efault("execve argv", 0x70000000L,
	       sys_execve(P("/bin/false"), 0x70000000L, 0));
	efault("execve argv", (long)0xC0000000u,
	       sys_execve(P("/bin/false"), (long)0xC0000000u, 0));
	efault("execve argv[1]", 0x70000000L,
	       sys_execve(P("/bin/false"), P(badarg), 0));
	efault("execve argv[1]", (long)0xC0000000u,
	       sys_execve(P("/bin/false"), P(kernarg), 0));
	efault("execve envp", 0x70000000L,
	       sys_execve(P("/bin/false"), P(argv), 0x70000000L));
	efault("execve envp[0]", 0x70000000L,
	       sys_execve(P("/bin/false"), P(argv), P(badarg + 1)));
}

void test_efault_misc(void)
{
	int i, fd = open("/bin", O_RDONLY);

	T_OK(fd);
	for (i = 0; i < NBAD; i++)
		efault("getdents", bad_ptrs[i],
		       sys_getdents(fd, bad_ptrs[i], 4096));
	efault("getdents", STRADDLE, sys_getdents(fd, STRADDLE, 4096));
}

/* ---- checkpoint/restore argument checks ------------------------------ */

/* Skips the test while the kernel has no checkpoint/restore. */
static void need_ckpt(void)
{
	if (sys_restore(P("x"), 1, 0, 0) == -ENOSYS)
		t_skip("checkpoint/restore not in this kernel (ENOSYS)");
}

void test_efault_ckpt(void)
{
	int i;

	need_ckpt();
	for (i = 0; i < NBAD; i++) {
		efault("checkpoint name", bad_ptrs[i],
		       sys_checkpoint(bad_ptrs[i], 0, 0, 0));
		efault("restore", bad_ptrs[i],
		       sys_restore(bad_ptrs[i], 64, 0, 0));
	}
	efault("restore", STRADDLE, sys_restore(STRADDLE, 64, 0, 0));
}

void test_ckpt_errors(void)
{
	static char zeros[4096];

	need_ckpt();
	T_EQ(SYS_IS_ERR(sys_checkpoint(P("st_no_such_ctr"), 0, 0, 0)), 1);
	T_EQ(SYS_IS_ERR(sys_checkpoint(P("system"), 0, 0, 0)),
	     1); /* not nested in ours */
	T_ERR(sys_restore(P(zeros), sizeof(zeros), 0, 0), ENOEXEC);
	T_ERR(sys_restore(P(zeros), 4, 0, 0), ENOEXEC);
}

/* setfg(0) hands ^C to nobody. */
void test_setfg(void)
{
	T_EQ(sys_setfg(0), 0);
}
