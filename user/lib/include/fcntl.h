/* open() and its flags (values from include/uapi/cellblock.h). */
#ifndef USER_FCNTL_H
#define USER_FCNTL_H

#include <uapi/cellblock.h>

/* Opens path; O_CREAT creates a regular file (there are no modes). */
int open(const char *path, int flags);

#endif
