/*
 * sh: the Cellblock shell (spec section 6).
 *
 *   sh                 read commands from the console, with a prompt
 *   sh -c STRING [ARG0 ARG...]
 *   sh FILE [ARG...]   run a script
 *
 * A line is parsed one pipeline at a time (user/lib/shparse.c), so $? is
 * always the status of the pipeline before.  A simple builtin command runs
 * inside the shell itself, with its redirections applied in place and
 * undone afterwards: that is what lets `echo web > /proc/container` move
 * the shell itself into a new container.  Everything else is forked.
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

int last_status;
pid_t last_bg;
int interactive;
int nargs;
char **args;
static int owns_console;      /* hands ^C to foreground jobs */
static struct sh_pipeline pl; /* big: keep it off the stack */

/* ---- redirections and commands -------------------------------------- */

#define NOT_SAVED (-2)

/* Applies c's redirections.  With saved (filled with NOT_SAVED), the old
 * descriptors are kept there (-1: was closed) for undo_redirect.
 * Returns 0 or -1. */
static int redirect(struct sh_cmd *c, int *saved)
{
	static const int flags[] = {O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC,
				    O_WRONLY | O_CREAT | O_APPEND};
	struct sh_redir *r;
	int i, fd;

	for (i = 0; i < c->nredir; i++) {
		r = &c->redir[i];
		if (saved) {
			saved[i] = dup(r->fd);
			if (saved[i] >=
			    0) /* the shell's own: not for children */
				fcntl(saved[i], F_SETFD, FD_CLOEXEC);
		}
		if (r->kind == SH_R_DUP)
			fd = dup(r->dupfd);
		else
			fd = open(r->path, flags[r->kind]);
		if (fd < 0) {
			fprintf(stderr, "sh: %s: %s\n",
				r->kind == SH_R_DUP ? "dup" : r->path,
				strerror(errno));
			return -1;
		}
		if (fd != r->fd) {
			dup2(fd, r->fd);
			close(fd);
		}
	}
	return 0;
}

/* Puts back the descriptors redirect() saved, last first. */
static void undo_redirect(struct sh_cmd *c, int *saved, int n)
{
	fflush(stdout);
	while (n-- > 0) {
		if (saved[n] == NOT_SAVED)
			continue;
		if (saved[n] >= 0) {
			dup2(saved[n], c->redir[n].fd);
			close(saved[n]);
		} else {
			close(c->redir[n].fd);
		}
	}
}

/* Runs a builtin (or assignments) in the shell itself. */
static int run_inline(struct sh_cmd *c)
{
	int saved[SH_MAXREDIR];
	int st;

	for (st = 0; st < SH_MAXREDIR; st++)
		saved[st] = NOT_SAVED;
	if (redirect(c, saved) < 0) {
		undo_redirect(c, saved, c->nredir);
		return 1;
	}
	if (c->argc == 0)
		st = 0;
	else if (only_assignments(c))
		st = run_assignments(c);
	else
		st = find_builtin(c->argv[0])->fn(c->argc, c->argv);
	fflush(stdout);
	undo_redirect(c, saved, c->nredir);
	return st;
}

/* In a forked child: applies redirections and becomes the command. */
static void exec_command(struct sh_cmd *c)
{
	const struct builtin *b;

	if (redirect(c, NULL) < 0)
		exit(1);
	if (c->argc == 0)
		exit(0);
	if (only_assignments(c))
		exit(0);
	b = find_builtin(c->argv[0]);
	if (b)
		exit(b->fn(c->argc, c->argv));
	execvp(c->argv[0], c->argv);
	if (errno == ENOENT) {
		fprintf(stderr, "sh: %s: not found\n", c->argv[0]);
		exit(127);
	}
	fprintf(stderr, "sh: %s: %s\n", c->argv[0], strerror(errno));
	exit(126);
}

/* ---- pipelines ------------------------------------------------------ */

/* Forks one process per command, joined by pipes; fills pids.  Returns
 * how many were started. */
static int start_pipeline(struct sh_pipeline *p, pid_t *pids)
{
	int i, in = -1, fds[2];
	pid_t pid;

	for (i = 0; i < p->ncmds; i++) {
		fds[0] = fds[1] = -1;
		if (i + 1 < p->ncmds && pipe(fds) < 0) {
			perror("sh: pipe");
			break;
		}
		pid = fork();
		if (pid == 0) {
			if (in >= 0) {
				dup2(in, 0);
				close(in);
			}
			if (fds[1] >= 0) {
				dup2(fds[1], 1);
				close(fds[1]);
				close(fds[0]);
			}
			exec_command(&p->cmd[i]);
		}
		if (in >= 0)
			close(in);
		if (fds[1] >= 0)
			close(fds[1]);
		in = fds[0];
		if (pid < 0) {
			perror("sh: fork");
			break;
		}
		pids[i] = pid;
	}
	if (in >= 0)
		close(in);
	return i;
}

/* Hands the console's ^C to the last member of a foreground pipeline that
 * is still running (pids[i] is 0 once reaped); the kernel refuses one that
 * has already exited.  With none left, ^C goes back to nobody (or, for a
 * script, to this shell).  Returns the index chosen, or -1. */
static int hand_console(const pid_t *pids, int n)
{
	int k;

	for (k = n - 1; k >= 0; k--)
		if (pids[k] && setfg(pids[k]) == 0)
			return k;
	setfg(interactive ? -1 : getpid());
	return -1;
}

/* Waits for a foreground pipeline.  The console's ^C goes to its last
 * running command: when that one ends first (`sleep 9 | true`), to the one
 * before it.  When any member dies of SIGINT the others get one too, so
 * `counter | cat` ends as a whole.  Returns the last command's status. */
static int wait_pipeline(pid_t *pids, int n)
{
	int i, k, st = 0, last = 0, left = n, fg = -1;
	pid_t pid;

	if (owns_console)
		fg = hand_console(pids, n);
	while (left > 0) {
		pid = waitpid(-1, &st, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			break;
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n) { /* a background job ended meanwhile */
			job_ended(pid, st, 1);
			continue;
		}
		pids[i] = 0;
		left--;
		if (i == fg && left > 0)
			fg = hand_console(pids, n);
		if (i == n - 1)
			last = st;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGINT)
			for (k = 0; k < n; k++)
				if (pids[k])
					kill(pids[k], SIGINT);
	}
	if (owns_console)
		setfg(interactive ? -1 : getpid());
	return report_status(last, 0);
}

/* Runs one parsed pipeline, in the foreground or the background. */
static void run_pipeline(struct sh_pipeline *p)
{
	pid_t pids[SH_MAXCMDS];
	struct sh_cmd *c = &p->cmd[0];
	int n;

	if (p->ncmds == 1 && p->sep != SH_BG &&
	    (c->argc == 0 || only_assignments(c) || find_builtin(c->argv[0]))) {
		last_status = run_inline(c);
		return;
	}
	n = start_pipeline(p, pids);
	if (n < p->ncmds) { /* could not start it all: stop what did start */
		while (n-- > 0) {
			kill(pids[n], SIGKILL);
			waitpid(pids[n], NULL, 0);
		}
		last_status = 1;
		return;
	}
	if (p->sep == SH_BG) {
		add_job(p, pids);
		last_status = 0;
		return;
	}
	last_status = wait_pipeline(pids, n);
}

/* Parses and runs every pipeline of a line (or of a whole -c string). */
static void run_line(const char *line)
{
	enum sh_sep prev = SH_SEQ;
	int r;

	for (;;) {
		r = sh_parse(&line, &pl, lookup, NULL);
		if (r < 0) {
			fprintf(stderr, "sh: %s\n", pl.err);
			last_status = 2;
		}
		if (r <= 0)
			return;
		if ((prev == SH_AND && last_status != 0) ||
		    (prev == SH_OR && last_status == 0)) {
			if (pl.sep == SH_AND || pl.sep == SH_OR)
				continue; /* skip, and keep prev: a && b && c */
		} else {
			run_pipeline(&pl);
		}
		prev = pl.sep;
	}
}

/* ---- input ---------------------------------------------------------- */

static void prompt(void)
{
	char name[CTR_NAME_MAX + 2];

	if (container_name(name, sizeof(name)) < 0 ||
	    strcmp(name, "system") == 0)
		printf("$ ");
	else
		printf("[%s]$ ", name);
	fflush(stdout);
}

/* Reads the rest of a line from f and drops it; returns err. */
static int drop_rest(FILE *f, int err)
{
	int c;

	while ((c = fgetc(f)) != EOF && c != '\n')
		;
	return err;
}

/* Reads one line of f into *linep, from as many reads as it takes, in a
 * buffer that grows up to SH_LINE_MAX bytes.  Returns 1 for a line, 0 at
 * end of file, -1 for a line too long, -2 when out of memory (the rest of
 * such a line is read and dropped, so nothing of it runs). */
static int read_line(FILE *f, char **linep)
{
	static char *line;
	static size_t cap;
	size_t n = 0;
	char *bigger;

	for (;;) {
		if (n + 1 >= cap) {
			if (cap >= SH_LINE_MAX)
				return drop_rest(f, -1);
			bigger = realloc(line, cap ? cap * 2 : 1024);
			if (!bigger)
				return drop_rest(f, -2);
			line = bigger;
			cap = cap ? cap * 2 : 1024;
		}
		if (!fgets(line + n, (int)(cap - n), f))
			break;
		n += strlen(line + n);
		if (n > 0 && line[n - 1] == '\n')
			break;
	}
	*linep = line;
	return n > 0;
}

/* Reads and runs lines from f until end of file. */
static void run_file(FILE *f)
{
	char *line;
	int r;

	for (;;) {
		reap();
		if (interactive)
			prompt();
		r = read_line(f, &line);
		if (r == 0)
			break;
		if (r > 0) {
			run_line(line);
			continue;
		}
		if (r == -1)
			fprintf(stderr,
				"sh: line too long: more than the shell's "
				"limit of %d bytes; not run\n",
				SH_LINE_MAX - 1);
		else
			fprintf(stderr, "sh: out of memory for a long line; "
					"not run\n");
		last_status = 2;
	}
}

static int is_console(int fd)
{
	struct cb_stat st;

	return fstat(fd, &st) == 0 && st.st_type == S_IFCHR;
}

int main(int argc, char **argv)
{
	static char *no_args[] = {"sh", NULL};
	FILE *f;

	nargs = 1;
	args = argv[0] ? argv : no_args;
	owns_console = is_console(0);
	if (argc >= 3 && strcmp(argv[1], "-c") == 0) {
		nargs = argc - 3;
		args = argv + 3;
		if (nargs == 0) {
			nargs = 1;
			args = no_args;
		}
		run_line(argv[2]);
		return last_status;
	}
	if (argc >= 2) {
		f = fopen(argv[1],
			  "re"); /* programs it runs do not inherit it */
		if (!f) {
			fprintf(stderr, "sh: %s: %s\n", argv[1],
				strerror(errno));
			return 127;
		}
		nargs = argc - 1;
		args = argv + 1;
		run_file(f);
		return last_status;
	}
	interactive = owns_console;
	if (interactive)
		setfg(-1); /* ^C at the prompt: nobody, not this shell */
	run_file(stdin);
	if (interactive)
		printf("exit\n");
	return last_status;
}
