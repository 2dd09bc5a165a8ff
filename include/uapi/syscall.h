/* System call numbers, generated from syscalls.def. Shared by kernel and user.
 */
#ifndef UAPI_SYSCALL_H
#define UAPI_SYSCALL_H

enum {
#define SYSCALL(nr, name, nargs) SYS_##name = nr,
#include "syscalls.def"
#undef SYSCALL
	SYS_MAX_PLUS_ONE
};

#endif
