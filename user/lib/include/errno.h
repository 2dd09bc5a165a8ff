/* errno and the error numbers (Linux values, include/uapi/errno.h). */
#ifndef USER_ERRNO_H
#define USER_ERRNO_H

#include <uapi/errno.h>

extern int errno;

#endif
