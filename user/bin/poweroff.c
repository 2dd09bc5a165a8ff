/* poweroff [CODE]: ends the machine; QEMU exits with CODE (system
 * container only). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int code = argc > 1 ? atoi(argv[1]) : 0;

	fflush(NULL);
	poweroff(code);
	fprintf(stderr, "poweroff: %s\n", strerror(errno));
	return 1;
}
