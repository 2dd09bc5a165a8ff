/* Basic Unix types for Cellblock user programs (i386: all 32 bits). */
#ifndef USER_SYS_TYPES_H
#define USER_SYS_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef int pid_t;
typedef int ssize_t;
typedef int off_t;

#endif
