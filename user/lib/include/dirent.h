/* Reading directories: opendir/readdir/closedir over getdents(). */
#ifndef USER_DIRENT_H
#define USER_DIRENT_H

#include <uapi/cellblock.h>

typedef struct DIR DIR;

DIR *opendir(const char *path);
/* Next entry, or NULL at the end (errno set on error, else unchanged). */
struct cb_dirent *readdir(DIR *dir);
int closedir(DIR *dir);

#endif
