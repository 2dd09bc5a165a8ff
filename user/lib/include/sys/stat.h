/* stat(), fstat() and mkdir(); struct cb_stat is in include/uapi/cellblock.h.
 */
#ifndef USER_SYS_STAT_H
#define USER_SYS_STAT_H

#include <uapi/cellblock.h>

int stat(const char *path, struct cb_stat *st);
int fstat(int fd, struct cb_stat *st);
int mkdir(const char *path);

#endif
