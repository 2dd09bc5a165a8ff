/*
 * forkloop [N [exec]]: forks N children (default 100) one at a time, each
 * exiting at once (or, with "exec", running /bin/true), and waits for each.
 * Compares PagesFree and HeapUsed from /proc/meminfo before and after: a
 * kernel that frees everything a process had shows the same numbers.
 */
#include <procfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Forks and reaps n children; returns how many failed. */
static int forks(int n, int do_exec)
{
	static char *argv[] = {"true", NULL};
	int i, st, bad = 0;
	pid_t pid;

	for (i = 0; i < n; i++) {
		pid = fork();
		if (pid == 0) {
			if (do_exec)
				execv("/bin/true", argv);
			_exit(0);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid || st != 0)
			bad++;
	}
	return bad;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 100;
	int do_exec = argc > 2 && strcmp(argv[2], "exec") == 0;
	long pages0, heap0, pages1, heap1;
	int bad;

	forks(3, do_exec); /* warm up anything the kernel allocates once */
	pages0 = meminfo("PagesFree");
	heap0 = meminfo("HeapUsed");
	bad = forks(n, do_exec);
	pages1 = meminfo("PagesFree");
	heap1 = meminfo("HeapUsed");
	printf("forkloop: %d children%s, PagesFree before=%ld after=%ld, "
	       "HeapUsed before=%ld after=%ld\n",
	       n, do_exec ? " (exec)" : "", pages0, pages1, heap0, heap1);
	if (pages0 < 0)
		printf("FAIL forkloop: expected PagesFree in /proc/meminfo got "
		       "nothing\n");
	else if (bad)
		printf(
		    "FAIL forkloop: expected %d clean exits got %d failures\n",
		    n, bad);
	else if (pages0 != pages1)
		printf("FAIL forkloop: expected PagesFree %ld got %ld\n",
		       pages0, pages1);
	else if (heap0 != heap1)
		printf("FAIL forkloop: expected HeapUsed %ld got %ld\n", heap0,
		       heap1);
	else
		printf("PASS forkloop\n");
	return (pages0 >= 0 && !bad && pages0 == pages1 && heap0 == heap1) ? 0
									   : 1;
}
