/*
 * t_ckpt.h: what the files of t_ckpt share: the verdict line, the small
 * files the tasks in the containers signal through, and the scenarios
 * (keep.c, state.c, perm.c; main.c runs the ones asked for).
 */
#ifndef T_CKPT_H
#define T_CKPT_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <signal.h>
#include <testlib.h>
#include <unistd.h>

#define P(x) ((long)(x))

extern int failures;

/* One acceptance point's line (testlib's t_verdict); fmt NULL: PASS. */
#define verdict(name, ...) (failures += t_verdict("t_ckpt", name, __VA_ARGS__))
int get(const char *path, char *buf, int size);
/* Checkpoints name with flags into a new buffer: the size, or -errno. */
long save(const char *name, int flags, char **buf);
void cleanup_tmp(void);
/* Reads path into buf; "" when missing. */
const char *slurp(const char *path, char *buf, int size);
/* Number of files in /tmp whose names start with prefix. */
int count_files(const char *prefix);
int wait_count(const char *prefix, int n, unsigned timeout_ms);
const char *errname(long r);
/* Does /proc/containers list a container called name? */
int ctr_listed(const char *name);
int wait_ctr_gone(const char *name, unsigned timeout_ms);
/* The verdict a task left in /tmp/res.TAG. */
void st_result(const char *name, const char *tag);

void scenario_keep(void);
void scenario_state(void);
void scenario_perm(void);
void scenario_selfcheck(void);

#endif
