/*
 * sh.h: what the parts of the shell share.  sh.c reads lines and runs
 * pipelines; jobs.c keeps the background jobs and turns wait statuses
 * into $?; builtins.c holds the builtins, the shell variables and the
 * table of commands that `help` prints.
 */
#ifndef SH_H
#define SH_H

#include <sys/types.h>

#include "../../lib/shparse.h"

/* A command run inside the shell (or in a forked child of it). */
struct builtin {
	const char *name;
	int (*fn)(int argc, char **argv);
};

extern int last_status; /* $? */
extern pid_t last_bg;	/* $! */
extern int interactive; /* reading commands from the console */
extern int nargs;	/* $0..$9 */
extern char **args;

/* builtins.c */
const struct builtin *find_builtin(const char *name);
const char *lookup(void *ctx, const char *name);
int only_assignments(struct sh_cmd *c);
int run_assignments(struct sh_cmd *c);

/* jobs.c */
int report_status(int st, int quiet);
void job_ended(pid_t pid, int st, int notify);
void reap(void);
void add_job(const struct sh_pipeline *p, pid_t *pids);
int bi_wait(int argc, char **argv);

#endif
