/*
 * systest.h: what the files of systest share: the pointers no system call
 * may take, small helpers, and the tests, each defined in the file of its
 * theme (main.c holds the table that runs them).
 */
#ifndef SYSTEST_H
#define SYSTEST_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>

/* Pointers no system call may use: NULL, kernel, kernel, kernel, unmapped. */
#define NBAD 5
extern const long bad_ptrs[NBAD];
#define STRADDLE ((long)0xBFFFFFF0u) /* with 64 bytes, crosses USER_TOP */

/* Checks that got is -EFAULT for call given pointer p. */
void efault(const char *call, long p, long got);
/* Forks a child that exits with code at once; returns its PID. */
pid_t exiter(int code);

void test_nosys(void);
void test_efault_write(void);
void test_efault_read(void);
void test_efault_paths(void);
void test_efault_string_end(void);
void test_efault_pipe(void);
void test_efault_waitpid(void);
void test_efault_stat(void);
void test_efault_getcwd(void);
void test_efault_execve(void);
void test_efault_misc(void);
void test_ebadf(void);
void test_enoent(void);
void test_mkdir(void);
void test_file_rw(void);
void test_lseek(void);
void test_dup(void);
void test_emfile(void);
void test_getdents(void);
void test_cwd(void);
void test_fork_tree(void);
void test_wait_any(void);
void test_wait_nohang(void);
void test_echild(void);
void test_exit_codes(void);
void test_kill_signals(void);
void test_kill_errors(void);
void test_getppid(void);
void test_orphan(void);
void test_yield_sleep(void);
void test_sbrk(void);
void test_malloc(void);
void test_stack_growth(void);
void test_pipe_eof(void);
void test_pipe_noreader(void);
void test_pipe_1mib(void);
void test_pipe_fork(void);
void test_exec_errors(void);
void test_exec_args(void);
void test_efault_ckpt(void);
void test_ckpt_errors(void);
void test_setfg(void);

#endif
