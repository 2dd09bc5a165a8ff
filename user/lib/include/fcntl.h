/* open(), fcntl() and their flags (values from include/uapi/cellblock.h). */
#ifndef USER_FCNTL_H
#define USER_FCNTL_H

#include <uapi/cellblock.h>

/* Opens path; O_CREAT creates a regular file (there are no modes). */
int open(const char *path, int flags);
/* F_GETFD/F_SETFD (FD_CLOEXEC), F_GETFL/F_SETFL (O_APPEND); arg is always
 * passed (0 when the command takes none). */
int fcntl(int fd, int cmd, int arg);

#endif
