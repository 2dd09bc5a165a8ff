/*
 * init: the first user program.  With arguments (`init=/bin/init PROG
 * ARG...`) it becomes PROG.  Otherwise it runs /bin/sh on the console,
 * reaps every orphan the kernel hands it, and starts a new shell whenever
 * the shell exits.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Starts a shell; returns its PID, or -1. */
static pid_t start_shell(void)
{
	static char *argv[] = {"sh", NULL};
	pid_t pid = fork();

	if (pid == 0) {
		execv("/bin/sh", argv);
		fprintf(stderr, "init: /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "init: fork: %s\n", strerror(errno));
	return pid;
}

int main(int argc, char **argv)
{
	pid_t sh = -1, pid;
	uint32_t started = 0;
	int st;

	if (argc > 1) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "init: %s: %s\n", argv[1], strerror(errno));
	}
	for (;;) {
		if (sh < 0) {
			if (started && uptime() - started < 1000)
				msleep(
				    1000); /* do not spin if sh dies at once */
			started = uptime();
			sh = start_shell();
			if (sh < 0) {
				msleep(1000);
				continue;
			}
		}
		pid = waitpid(-1, &st, 0);
		if (pid == sh) {
			printf("init: sh exited with status %d; starting a new "
			       "one\n",
			       WIFSIGNALED(st) ? 128 + WTERMSIG(st)
					       : WEXITSTATUS(st));
			sh = -1;
		} else if (pid < 0 && errno == ECHILD) {
			sh = -1;
		}
	}
}
