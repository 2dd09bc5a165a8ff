/* waitpid() and the Linux status-word macros (in include/uapi/cellblock.h). */
#ifndef USER_SYS_WAIT_H
#define USER_SYS_WAIT_H

#include <sys/types.h>
#include <uapi/cellblock.h>

pid_t waitpid(pid_t pid, int *status, int options);
pid_t wait(int *status);

#endif
