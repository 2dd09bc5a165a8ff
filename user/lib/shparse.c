/*
 * The shell's tokenizer and parser: see shparse.h for the grammar.  Words
 * are built, already unquoted and expanded, into the pipeline's string
 * space; commands then point into it.  Only the C string functions are used,
 * so the same file builds on the host for the unit test.
 */
#include "shparse.h"

#include <stddef.h>
#include <string.h>

#define STR_(x) #x
#define STR(x)	STR_(x) /* a limit's value as a string, for messages */

/* Parser state for one call of sh_parse. */
struct parser {
	const char *p; /* next unread character */
	struct sh_pipeline *pl;
	sh_lookup_fn lookup;
	void *ctx;
	int failed;
};

static int fail(struct parser *ps, const char *msg, const char *what)
{
	if (!ps->failed) {
		size_t n = strlen(msg);
		strncpy(ps->pl->err, msg, sizeof(ps->pl->err) - 1);
		if (what && n < sizeof(ps->pl->err) - 1)
			strncpy(ps->pl->err + n, what,
				sizeof(ps->pl->err) - 1 - n);
		ps->pl->err[sizeof(ps->pl->err) - 1] = 0;
	}
	ps->failed = 1;
	return -1;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}
static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}
static int is_name(char c, int first)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (!first && is_digit(c));
}

/* Characters that end an unquoted word. */
static int is_meta(char c)
{
	return c == 0 || is_space(c) || c == '\n' || c == '|' || c == ';' ||
	       c == '&' || c == '<' || c == '>';
}

/* Appends one character to the word being built. */
static void put(struct parser *ps, char c)
{
	struct sh_pipeline *pl = ps->pl;

	if (pl->used >= SH_STRSPACE - 1) {
		fail(ps,
		     "command too long: its words exceed the shell's limit "
		     "of " STR(SH_STRSPACE) " bytes",
		     NULL);
		return;
	}
	pl->strs[pl->used++] = c;
}

static void put_str(struct parser *ps, const char *s)
{
	while (s && *s && !ps->failed)
		put(ps, *s++);
}

/* Expands the variable after a '$' (ps->p is just past the '$'). */
static void expand(struct parser *ps)
{
	char name[32];
	size_t n = 0;
	const char *p = ps->p;
	int braced = *p == '{';

	if (braced)
		p++;
	if (*p == '$' || *p == '?' || *p == '!' || *p == '#' || is_digit(*p)) {
		name[n++] = *p++;
	} else {
		while (is_name(*p, n == 0) && n < sizeof(name) - 1)
			name[n++] = *p++;
	}
	if (n == 0 || (braced && *p != '}')) {
		put(ps, '$'); /* not a variable: a literal dollar */
		return;
	}
	if (braced)
		p++;
	name[n] = 0;
	ps->p = p;
	put_str(ps, ps->lookup ? ps->lookup(ps->ctx, name) : NULL);
}

/* Takes the character after a backslash (ps->p at it) as it is; a
 * backslash-newline joins lines and gives nothing. */
static void escaped(struct parser *ps)
{
	if (*ps->p != '\n')
		put(ps, *ps->p);
	ps->p++;
}

/* An unquoted or double-quoted character c: $ expands, the rest is kept. */
static void plain(struct parser *ps, char c)
{
	if (c == '$')
		expand(ps);
	else
		put(ps, c);
}

/* Reads the inside of "..." (ps->p just past the opening quote). */
static void double_quoted(struct parser *ps)
{
	char c;

	while (!ps->failed) {
		c = *ps->p++;
		if (c == 0) {
			ps->p--;
			fail(ps, "unterminated \"", NULL);
		} else if (c == '"') {
			return;
		} else if (c == '\\' && strchr("$\"\\`\n", *ps->p) && *ps->p) {
			escaped(ps);
		} else {
			plain(ps, c);
		}
	}
}

/* Reads one word; returns it, or NULL if it expanded to nothing unquoted. */
static char *word(struct parser *ps)
{
	struct sh_pipeline *pl = ps->pl;
	int start = pl->used, quoted = 0;
	const char *end;
	char c;

	while (!ps->failed && !is_meta(*ps->p)) {
		c = *ps->p++;
		if (c == '\'') {
			quoted = 1;
			end = strchr(ps->p, '\'');
			if (!end)
				return (fail(ps, "unterminated '", NULL), NULL);
			while (ps->p < end)
				put(ps, *ps->p++);
			ps->p++;
		} else if (c == '"') {
			quoted = 1;
			double_quoted(ps);
		} else if (c == '\\' && *ps->p) {
			quoted = 1;
			escaped(ps);
		} else {
			plain(ps, c);
		}
	}
	put(ps, 0);
	if (ps->failed || (!quoted && pl->strs[start] == 0))
		return NULL;
	return pl->strs + start;
}

/* Skips blanks, backslash-newlines and a comment. */
static void skip_blanks(struct parser *ps)
{
	for (;;) {
		while (is_space(*ps->p))
			ps->p++;
		if (ps->p[0] == '\\' && ps->p[1] == '\n')
			ps->p += 2;
		else
			break;
	}
	if (*ps->p == '#')
		while (*ps->p && *ps->p != '\n')
			ps->p++;
}

/* Parses a redirection operator at ps->p (after an optional fd number). */
static int redirection(struct parser *ps, struct sh_cmd *cmd, int fd)
{
	struct sh_redir *r;
	char op = *ps->p++;

	if (cmd->nredir == SH_MAXREDIR)
		return fail(ps, "too many redirections", NULL);
	r = &cmd->redir[cmd->nredir++];
	r->kind = op == '<' ? SH_R_IN : SH_R_OUT;
	r->fd = fd >= 0 ? fd : (op == '<' ? 0 : 1);
	if (op == '>' && *ps->p == '>') {
		r->kind = SH_R_APPEND;
		ps->p++;
	} else if (op == '>' && *ps->p == '&' && is_digit(ps->p[1])) {
		r->kind = SH_R_DUP;
		r->dupfd = ps->p[1] - '0';
		ps->p += 2;
		return 0;
	}
	skip_blanks(ps);
	if (is_meta(*ps->p))
		return fail(ps, "syntax error: missing file name after ",
			    op == '<' ? "<" : ">");
	r->path = word(ps);
	if (!r->path && !ps->failed)
		return fail(ps, "ambiguous redirect", NULL);
	return ps->failed ? -1 : 0;
}

/* A redirection's fd number: one or two digits directly followed by < or
 * >.  Returns it and moves past it, or returns -1. */
static int fd_prefix(struct parser *ps)
{
	const char *q = ps->p;
	int fd = 0;

	while (is_digit(*q) && q - ps->p < 2)
		fd = fd * 10 + (*q++ - '0');
	if (q == ps->p || (*q != '<' && *q != '>'))
		return -1;
	ps->p = q;
	return fd;
}

/* Parses one command: words and redirections up to | ; & or the end. */
static int command(struct parser *ps, struct sh_cmd *cmd)
{
	char *w;
	int fd;

	cmd->argc = cmd->nredir = 0;
	cmd->argv = ps->pl->argvs + ps->pl->nargvs;
	for (;;) {
		skip_blanks(ps);
		fd = fd_prefix(ps);
		if (*ps->p == '<' || *ps->p == '>') {
			if (redirection(ps, cmd, fd) < 0)
				return -1;
			continue;
		}
		if (is_meta(*ps->p))
			break;
		w = word(ps);
		if (ps->failed)
			return -1;
		if (w &&
		    ps->pl->nargvs + cmd->argc + 2 > SH_MAXARGS + SH_MAXCMDS)
			return fail(
			    ps,
			    "too many arguments: more than the "
			    "shell's limit of " STR(SH_MAXARGS) " words",
			    NULL);
		if (w)
			cmd->argv[cmd->argc++] = w;
	}
	cmd->argv[cmd->argc] = NULL;
	ps->pl->nargvs += cmd->argc + 1;
	return 0;
}

/* Reads the separator after a pipeline. */
static enum sh_sep separator(struct parser *ps)
{
	char c = *ps->p;

	if (c == 0)
		return SH_END;
	ps->p++;
	if (c == '&' && *ps->p == '&')
		return (ps->p++, SH_AND);
	if (c == '|' && *ps->p == '|')
		return (ps->p++, SH_OR);
	return c == '&' ? SH_BG : SH_SEQ; /* ';' or newline */
}

/* Turns a separator character into text for an error message. */
static const char *near(const char *p)
{
	if (*p == 0 || *p == '\n')
		return "newline";
	if (*p == '|')
		return p[1] == '|' ? "||" : "|";
	if (*p == '&')
		return p[1] == '&' ? "&&" : "&";
	return ";";
}

int sh_parse(const char **linep, struct sh_pipeline *pl, sh_lookup_fn lookup,
	     void *ctx)
{
	struct parser ps = {*linep, pl, lookup, ctx, 0};
	struct sh_cmd *cmd;
	int more;

	pl->ncmds = pl->used = pl->nargvs = 0;
	pl->err[0] = 0;
	do {
		skip_blanks(&ps);
		while (pl->ncmds == 0 && *ps.p == '\n') { /* empty lines */
			ps.p++;
			skip_blanks(&ps);
		}
		if (pl->ncmds == 0 && *ps.p == 0) {
			*linep = ps.p;
			return 0;
		}
		if (pl->ncmds == SH_MAXCMDS)
			return fail(&ps, "pipeline too long", NULL);
		cmd = &pl->cmd[pl->ncmds++];
		if (command(&ps, cmd) < 0)
			return -1;
		if (cmd->argc == 0 && cmd->nredir == 0)
			return fail(&ps, "syntax error near unexpected token ",
				    near(ps.p));
		more = ps.p[0] == '|' && ps.p[1] != '|';
		if (more)
			ps.p++;
	} while (more);
	pl->sep = separator(&ps);
	*linep = ps.p;
	return 1;
}
