/* counter [INTERVAL_MS [MAX]]: prints "counter pid=P ppid=Q n=N" every
 * interval (default 1000 ms), N from 0, forever or MAX times.  Used to show
 * a container surviving checkpoint and restore. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int interval = argc > 1 ? atoi(argv[1]) : 1000;
	long max = argc > 2 ? strtol(argv[2], NULL, 10) : -1;
	long n;

	for (n = 0; max < 0 || n < max; n++) {
		printf("counter pid=%d ppid=%d n=%ld\n", getpid(), getppid(),
		       n);
		if (fflush(stdout) != 0)
			return 1; /* nobody reads us any more */
		if (max < 0 || n + 1 < max)
			msleep(interval > 0 ? (unsigned)interval : 1000);
	}
	return 0;
}
