/*
 * The shell's parser (user/lib/shparse.c), kept apart from the shell
 * (user/bin/sh/) so the host unit test (tests/unit/test_shparse.c) can
 * drive it.  It reads one pipeline at a time from a command line, so that
 * $? seen by a later pipeline is the status of the earlier ones:
 *
 *     line      := pipeline (sep pipeline)*
 *     pipeline  := command ('|' command)*
 *     command   := (word | redirection)+
 *     sep       := ';' | '&' | '&&' | '||' | newline
 *
 * Words may use '...' (literal), "..." (with $ expansion and \ escapes) and
 * backslash escapes.  $$ $? $! $0-$9 $NAME ${NAME} are expanded through a
 * callback.  A '#' at the start of a word begins a comment.
 *
 * Past a limit (SH_MAXARGS words, SH_STRSPACE bytes of words, SH_MAXCMDS
 * commands, SH_MAXREDIR redirections) the pipeline is a parse error with a
 * message saying which: it is never cut short.
 */
#ifndef USER_SHPARSE_H
#define USER_SHPARSE_H

#define SH_MAXARGS  4096  /* words per pipeline (all its commands) */
#define SH_MAXREDIR 4	  /* redirections per command */
#define SH_MAXCMDS  8	  /* commands per pipeline */
#define SH_STRSPACE 65536 /* bytes for all the words of one pipeline */
#define SH_LINE_MAX 65536 /* longest input line, newline included */

/* What ended a pipeline. */
enum sh_sep { SH_END, SH_SEQ, SH_BG, SH_AND, SH_OR };

/* Redirection kinds: N<path, N>path, N>>path, N>&M. */
enum sh_redir_kind { SH_R_IN, SH_R_OUT, SH_R_APPEND, SH_R_DUP };

struct sh_redir {
	enum sh_redir_kind kind;
	int fd;	    /* descriptor redirected */
	int dupfd;  /* SH_R_DUP: the descriptor copied */
	char *path; /* the others: the file */
};

struct sh_cmd {
	int argc;
	char **argv; /* NULL-terminated, in the pipeline's argvs */
	int nredir;
	struct sh_redir redir[SH_MAXREDIR];
};

struct sh_pipeline {
	int ncmds;
	struct sh_cmd cmd[SH_MAXCMDS];
	enum sh_sep sep;
	char err[80]; /* the message when parsing fails */
	int used;     /* bytes of strs in use */
	int nargvs;   /* entries of argvs in use */
	char *argvs[SH_MAXARGS + SH_MAXCMDS]; /* every command's argv */
	char strs[SH_STRSPACE];		      /* the words, NUL-terminated */
};

/* Returns the value of variable name ("$", "?", "!", "1", "HOME", ...), or
 * NULL when it is unset (it then expands to nothing). */
typedef const char *(*sh_lookup_fn)(void *ctx, const char *name);

/* Parses the next pipeline at *linep and advances *linep past it and its
 * separator.  Returns 1 when pl holds a pipeline, 0 when the line has no
 * more, -1 on a syntax error (message in pl->err). */
int sh_parse(const char **linep, struct sh_pipeline *pl, sh_lookup_fn lookup,
	     void *ctx);

#endif
