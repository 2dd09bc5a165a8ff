/* Helpers for reading Cellblock's /proc files (user/lib/procfs.c). */
#ifndef USER_PROCFS_H
#define USER_PROCFS_H

/* Reads all of a small file into buf (NUL-terminated, at most size-1
 * bytes); returns its length, or -1 with errno set. */
int read_file(const char *path, char *buf, int size);

/* Finds the "Key:\tvalue" line for key in text (a /proc status file) and
 * copies value into out; 0 when found, -1 when not. */
int status_field(const char *text, const char *key, char *out, int size);

/* The caller's container name, without the newline; -1 if unreadable. */
int container_name(char *buf, int size);

/* The number /proc/meminfo gives for key ("PagesFree", "HeapUsed", ...),
 * or -1 when it is missing. */
long meminfo(const char *key);

/* Splits a real PID into pidspace and number (spec section 4.2). */
#define REALPID_SPACE(pid) ((unsigned)(pid) >> 23)
#define REALPID_NR(pid)	   ((unsigned)(pid) & ((1u << 23) - 1))

#endif
