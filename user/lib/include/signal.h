/* kill() and the signal numbers.  There are no handlers: a signal ends the
 * target (0 only checks that it exists). */
#ifndef USER_SIGNAL_H
#define USER_SIGNAL_H

#include <sys/types.h>
#include <uapi/cellblock.h>

int kill(pid_t pid, int sig);
/* Name of a signal as a shell reports it ("Killed", "Terminated", ...). */
const char *strsignal(int sig);

#endif
