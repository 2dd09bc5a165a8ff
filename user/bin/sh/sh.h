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
/* The builtin called name, or NULL. */
const struct builtin *find_builtin(const char *name);
/* The value of $name for the parser ($?, $$, $1, NAME...), or NULL. */
const char *lookup(void *ctx, const char *name);
/* Is every word of c NAME=VALUE? */
int only_assignments(struct sh_cmd *c);
/* Sets the variables c assigns; 0, or 1 if one did not fit. */
int run_assignments(struct sh_cmd *c);

/* jobs.c */
/* Turns a wait status into a shell status; reports deaths by signal. */
int report_status(int st, int quiet);
/* Records that pid ended with st; frees its job once all of it ended. */
void job_ended(pid_t pid, int st, int notify);
/* Reaps every child that has ended, without waiting. */
void reap(void);
/* Remembers a background pipeline and announces it: "[N] PID". */
void add_job(const struct sh_pipeline *p, pid_t *pids);
/* The wait builtin: every background job, or one PID and its status. */
int bi_wait(int argc, char **argv);

#endif
