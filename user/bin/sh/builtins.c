/*
 * builtins.c: the commands the shell runs itself (echo, cd, pwd, exit,
 * wait, true, false, help), its variables ($NAME, $?, $$, $!, $#, $0-$9)
 * and the one table of commands, with a line each, that `help` prints.
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

#define MAXVARS 16

struct var {
	char name[32];
	char value[128];
};

static struct var vars[MAXVARS];

const char *lookup(void *ctx, const char *name)
{
	static char num[16];
	int i;

	if (strcmp(name, "$") == 0 || strcmp(name, "?") == 0 ||
	    strcmp(name, "#") == 0) {
		i = name[0] == '$'   ? getpid()
		    : name[0] == '?' ? last_status
				     : nargs - 1;
		snprintf(num, sizeof(num), "%d", i);
		return num;
	}
	if (strcmp(name, "!") == 0) {
		snprintf(num, sizeof(num), "%d", last_bg);
		return last_bg ? num : NULL;
	}
	if (name[0] >= '0' && name[0] <= '9')
		return name[0] - '0' < nargs ? args[name[0] - '0'] : NULL;
	for (i = 0; i < MAXVARS; i++)
		if (strcmp(vars[i].name, name) == 0)
			return vars[i].value;
	return NULL;
}

/* Is w NAME=VALUE?  Returns the position of '=' or NULL. */
char *assignment(const char *w)
{
	const char *p = w;

	if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') ||
	      (*p >= 'a' && *p <= 'z')))
		return NULL;
	while (*p == '_' || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
		p++;
	return *p == '=' ? (char *)p : NULL;
}

/* Sets variable NAME from w, "NAME=VALUE"; 0, or 1 when no slot is free
 * or NAME is too long. */
static int set_var(char *w)
{
	char *eq = assignment(w);
	int i, slot = -1;

	*eq = 0;
	for (i = 0; i < MAXVARS; i++) {
		if (strcmp(vars[i].name, w) == 0 ||
		    (slot < 0 && !vars[i].name[0]))
			slot = i;
		if (strcmp(vars[i].name, w) == 0)
			break;
	}
	if (slot < 0 || strlen(w) >= sizeof(vars[0].name)) {
		fprintf(stderr, "sh: %s: too many variables\n", w);
		return 1;
	}
	strlcpy(vars[slot].name, w, sizeof(vars[slot].name));
	strlcpy(vars[slot].value, eq + 1, sizeof(vars[slot].value));
	return 0;
}

/* echo [-n] WORD...: one write, so a /proc file gets the whole line. */
static int bi_echo(int argc, char **argv)
{
	int i = 1, newline = 1, r;
	size_t n = 2, k;
	char *buf;

	if (argc > 1 && strcmp(argv[1], "-n") == 0) {
		newline = 0;
		i++;
	}
	for (k = (size_t)i; k < (size_t)argc; k++)
		n += strlen(argv[k]) + 1;
	buf = malloc(n);
	if (!buf) {
		fprintf(stderr, "sh: echo: out of memory\n");
		return 1;
	}
	for (n = 0; i < argc; i++) {
		k = strlen(argv[i]);
		memcpy(buf + n, argv[i], k);
		n += k;
		if (i + 1 < argc)
			buf[n++] = ' ';
	}
	if (newline)
		buf[n++] = '\n';
	r = write_all(1, buf, n) < 0;
	if (r)
		fprintf(stderr, "sh: echo: write error: %s\n", strerror(errno));
	free(buf);
	return r;
}

static int bi_cd(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/";

	if (chdir(dir) < 0) {
		fprintf(stderr, "sh: cd: %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static int bi_pwd(int argc, char **argv)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf))) {
		fprintf(stderr, "sh: pwd: %s\n", strerror(errno));
		return 1;
	}
	printf("%s\n", buf);
	return 0;
}

static int bi_exit(int argc, char **argv)
{
	exit(argc > 1 ? atoi(argv[1]) : last_status);
}

static int bi_true(int argc, char **argv)
{
	return 0;
}
static int bi_false(int argc, char **argv)
{
	return 1;
}

/* Every command, builtin or in /bin, with its one line for `help`, in
 * alphabetical order.  A program added to user/bin/ gets a line here
 * (tests/cases/processes.py checks that `help` covers /bin). */
static const struct command {
	const char *name;
	const char *line;
} commands[] = {
    {"cat", "cat [FILE...]: copy files (or stdin) to stdout"},
    {"cd", "cd [DIR]: change the shell's directory (default /)"},
    {"ckpt", "ckpt save|restore|show|send|migrate|receive ...: checkpoint and "
	     "restore containers"},
    {"counter",
     "counter [MS [MAX]]: print a count every MS milliseconds (demo)"},
    {"ctr", "ctr NAME [CMD [ARG...]]: create and enter container NAME, then "
	    "run CMD (default sh)"},
    {"echo", "echo [-n] WORD...: print the words"},
    {"exit", "exit [N]: leave the shell with status N (default $?)"},
    {"false", "false: fail (status 1)"},
    {"help", "help [NAME...]: this list, or the lines for NAME..."},
    {"init", "init [PROG ARG...]: the first program: runs sh and reaps "
	     "orphans, or becomes PROG"},
    {"kill", "kill [-N] PID...: send signal N (default 15; -0 only checks) to "
	     "each PID"},
    {"ls", "ls [-l] [PATH...]: list directories; -l adds type and size"},
    {"mkdir", "mkdir DIR...: make directories"},
    {"nestdemo", "nestdemo: three nested containers and every task's PID at "
		 "every level (demo)"},
    {"poweroff", "poweroff [CODE]: end the machine (system container only)"},
    {"ps",
     "ps: one line per visible task: PID, PPID, state, container, command"},
    {"pwd", "pwd: print the shell's directory"},
    {"rm", "rm PATH...: remove files or empty directories"},
    {"sh", "sh [-c STRING | FILE] [ARG...]: the shell"},
    {"sleep", "sleep SECONDS: wait (fractions work: 0.5)"},
    {"true", "true: succeed (status 0)"},
    {"wait",
     "wait [PID]: wait for background jobs, or for PID and give its status"},
};

/* help: every command's line; help NAME...: the lines for those names
 * (status 1 if one is unknown). */
static int bi_help(int argc, char **argv)
{
	size_t n = sizeof(commands) / sizeof(commands[0]), i;
	int a, st = 0, found;

	if (argc < 2) {
		for (i = 0; i < n; i++)
			printf("%s\n", commands[i].line);
		return 0;
	}
	for (a = 1; a < argc; a++) {
		for (i = 0, found = 0; i < n && !found; i++)
			if (strcmp(commands[i].name, argv[a]) == 0) {
				printf("%s\n", commands[i].line);
				found = 1;
			}
		if (!found) {
			fprintf(stderr, "sh: help: %s: no such command\n",
				argv[a]);
			st = 1;
		}
	}
	return st;
}

static const struct builtin builtins[] = {
    {"echo", bi_echo},	 {"cd", bi_cd},	    {"pwd", bi_pwd},
    {"exit", bi_exit},	 {"wait", bi_wait}, {"true", bi_true},
    {"false", bi_false}, {"help", bi_help},
};

/* The builtin called name, or NULL. */
const struct builtin *find_builtin(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

/* Runs a command with no program: assignments, or nothing at all. */
int run_assignments(struct sh_cmd *c)
{
	int i, st = 0;

	for (i = 0; i < c->argc; i++)
		st |= set_var(c->argv[i]);
	return st;
}

/* Is every word of c NAME=VALUE? */
int only_assignments(struct sh_cmd *c)
{
	int i;

	for (i = 0; i < c->argc; i++)
		if (!assignment(c->argv[i]))
			return 0;
	return 1;
}
