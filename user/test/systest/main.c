/*
 * systest: checks every system call's success and error paths (spec
 * section 3).  A table of small tests, each run in a forked child by
 * testlib; they call the raw sys_* stubs so they see the exact -errno.
 * The tests are grouped by theme: efault.c (the system call table, bad
 * pointers, checkpoint argument checks), files.c, procs.c (processes and
 * exec), memory.c (memory and pipes).
 *
 *   systest            run them all; last line "systest: N passed, M failed"
 *   systest NAME...    run only these
 *   systest list       list the names
 */
#include "systest.h"

/* Pointers no system call may use: NULL, kernel, kernel, kernel, unmapped. */
const long bad_ptrs[NBAD] = {0, 0x00100000, 0xC0000000, 0xFFFFF000, 0x70000000};

/* Checks that got is -EFAULT for call given pointer p. */
void efault(const char *call, long p, long got)
{
	char what[64];

	snprintf(what, sizeof(what), "%s(0x%lx)", call, p);
	t_check_err(what, got, EFAULT);
}

/* Forks a child that exits with code at once; returns its PID. */
pid_t exiter(int code)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(code);
	return pid;
}

static const struct t_case tests[] = {
    {"nosys", test_nosys},
    {"efault_write", test_efault_write},
    {"efault_read", test_efault_read},
    {"efault_paths", test_efault_paths},
    {"efault_string_end", test_efault_string_end},
    {"efault_pipe", test_efault_pipe},
    {"efault_waitpid", test_efault_waitpid},
    {"efault_stat", test_efault_stat},
    {"efault_getcwd", test_efault_getcwd},
    {"efault_execve", test_efault_execve},
    {"efault_misc", test_efault_misc},
    {"ebadf", test_ebadf},
    {"enoent", test_enoent},
    {"mkdir", test_mkdir},
    {"file_rw", test_file_rw},
    {"lseek", test_lseek},
    {"dup", test_dup},
    {"emfile", test_emfile},
    {"getdents", test_getdents},
    {"cwd", test_cwd},
    {"fork_tree", test_fork_tree},
    {"wait_any", test_wait_any},
    {"wait_nohang", test_wait_nohang},
    {"echild", test_echild},
    {"exit_codes", test_exit_codes},
    {"kill_signals", test_kill_signals},
    {"kill_errors", test_kill_errors},
    {"getppid", test_getppid},
    {"orphan", test_orphan},
    {"yield_sleep", test_yield_sleep},
    {"sbrk", test_sbrk},
    {"malloc", test_malloc},
    {"stack_growth", test_stack_growth},
    {"pipe_eof", test_pipe_eof},
    {"pipe_noreader", test_pipe_noreader},
    {"pipe_1mib", test_pipe_1mib},
    {"pipe_fork", test_pipe_fork},
    {"exec_errors", test_exec_errors},
    {"exec_args", test_exec_args},
    {"efault_ckpt", test_efault_ckpt},
    {"ckpt_errors", test_ckpt_errors},
    {"setfg", test_setfg},
};

int main(int argc, char **argv)
{
	return t_main("systest", tests, sizeof(tests) / sizeof(tests[0]), argc,
		      argv);
}
