/*
 * jobs.c: the shell's background jobs.  A job is a pipeline started with
 * `&`; its processes are reaped before each prompt and by `wait`, and the
 * job is reported Done (or with its signal) once all of them ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sh.h"

#define MAXJOBS 16

/* A background pipeline. */
struct job {
	int num; /* [N] shown to the user; 0 = free slot */
	int npids;
	pid_t pids[SH_MAXCMDS];
	int done[SH_MAXCMDS];
	int status;    /* wait status of the last command */
	char text[64]; /* the command, for the Done line */
};

static struct job jobs[MAXJOBS];

/* Turns a wait status into a shell status; reports deaths by signal. */
int report_status(int st, int quiet)
{
	int sig;

	if (!WIFSIGNALED(st))
		return WEXITSTATUS(st);
	sig = WTERMSIG(st);
	if (!quiet && sig != SIGINT) /* the console already echoed ^C */
		fprintf(stderr, "%s\n", strsignal(sig));
	return 128 + sig;
}

/* Finds the job that holds pid; *idx gets its place in the job. */
static struct job *find_job(pid_t pid, int *idx)
{
	int j, i;

	for (j = 0; j < MAXJOBS; j++)
		for (i = 0; jobs[j].num && i < jobs[j].npids; i++)
			if (jobs[j].pids[i] == pid) {
				*idx = i;
				return &jobs[j];
			}
	return NULL;
}

/* Records that pid ended with st; frees its job once all of it ended. */
void job_ended(pid_t pid, int st, int notify)
{
	int i, k;
	struct job *jb = find_job(pid, &i);

	if (!jb)
		return; /* an adopted orphan, or already waited for */
	jb->done[i] = 1;
	if (i == jb->npids - 1)
		jb->status = st;
	for (k = 0; k < jb->npids; k++)
		if (!jb->done[k])
			return;
	if (notify && interactive) {
		if (WIFSIGNALED(jb->status))
			printf("[%d]+ %s\t%s\n", jb->num,
			       strsignal(WTERMSIG(jb->status)), jb->text);
		else
			printf("[%d]+ Done\t%s\n", jb->num, jb->text);
	}
	jb->num = 0;
}

/* Reaps every child that has ended, without waiting. */
void reap(void)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		job_ended(pid, st, 1);
}

/* Describes pipeline p as text for job lines. */
static void describe(const struct sh_pipeline *p, char *buf, size_t size)
{
	int c, a;
	size_t n;

	buf[0] = 0;
	for (c = 0; c < p->ncmds; c++) {
		for (a = 0; a < p->cmd[c].argc; a++) {
			n = strlen(buf);
			snprintf(buf + n, size - n, "%s%s",
				 c + a == 0 ? ""
				 : a	    ? " "
					    : " | ",
				 p->cmd[c].argv[a]);
		}
	}
}

/* Remembers a background pipeline and announces it: "[N] PID". */
void add_job(const struct sh_pipeline *p, pid_t *pids)
{
	int j, num = 1, i;
	struct job *jb = NULL;

	for (j = 0; j < MAXJOBS; j++) {
		if (!jobs[j].num && !jb)
			jb = &jobs[j];
		if (jobs[j].num >= num)
			num = jobs[j].num + 1;
	}
	last_bg = pids[p->ncmds - 1];
	if (interactive)
		printf("[%d] %d\n", jb ? num : 0, last_bg);
	if (!jb)
		return; /* table full: the job runs, but nobody tracks it */
	jb->num = num;
	jb->npids = p->ncmds;
	for (i = 0; i < p->ncmds; i++) {
		jb->pids[i] = pids[i];
		jb->done[i] = 0;
	}
	describe(p, jb->text, sizeof(jb->text));
}

/* wait: every background job; wait PID: that one, giving its status. */
int bi_wait(int argc, char **argv)
{
	int j, i, st = 0;
	pid_t pid;
	struct job *jb;

	if (argc > 1) {
		pid = atoi(argv[1]);
		jb = find_job(pid, &i);
		if (jb && jb->done[i])
			return report_status(jb->status, 1);
		if (waitpid(pid, &st, 0) < 0) {
			fprintf(
			    stderr,
			    "sh: wait: pid %d is not a child of this shell\n",
			    pid);
			return 127;
		}
		job_ended(pid, st, 0);
		return report_status(st, 0);
	}
	for (j = 0; j < MAXJOBS; j++)
		for (i = 0; jobs[j].num && i < jobs[j].npids; i++)
			if (!jobs[j].done[i] &&
			    waitpid(jobs[j].pids[i], &st, 0) >= 0)
				job_ended(jobs[j].pids[i], st, 1);
	return 0;
}
