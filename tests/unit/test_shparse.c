// SOURCES: user/lib/shparse.c
/*
 * Host unit test for the shell parser (user/lib/shparse.c).  Each case
 * parses a line and renders every pipeline as text: words in [brackets],
 * redirections as <path >path >>path 2>&1, '|' between commands and the
 * separator at the end.  Exits 0 when every case passes.
 */
#include <stdio.h>
#include <string.h>

#include "../../user/lib/shparse.h"

static const char *lookup(void *ctx, const char *name)
{
	(void)ctx;
	if (strcmp(name, "$") == 0)
		return "42";
	if (strcmp(name, "?") == 0)
		return "1";
	if (strcmp(name, "HOME") == 0)
		return "/home";
	if (strcmp(name, "SP") == 0)
		return "a b";
	return NULL;
}

static void render_cmd(char *out, const struct sh_cmd *c)
{
	static const char *ops[] = {"<", ">", ">>", ">&"};
	char tmp[64];
	int i;

	for (i = 0; i < c->argc; i++) {
		strcat(out, "[");
		strcat(out, c->argv[i]);
		strcat(out, "]");
	}
	for (i = 0; i < c->nredir; i++) {
		const struct sh_redir *r = &c->redir[i];
		if (r->kind == SH_R_DUP)
			snprintf(tmp, sizeof(tmp), " %d>&%d", r->fd, r->dupfd);
		else
			snprintf(tmp, sizeof(tmp), " %d%s%s", r->fd,
				 ops[r->kind], r->path);
		strcat(out, tmp);
	}
}

/* Parses line completely and renders it into out. */
static void render(char *out, const char *line)
{
	static const char *seps[] = {"", " ;", " &", " &&", " ||"};
	static struct sh_pipeline pl;
	int r, i;

	out[0] = 0;
	while ((r = sh_parse(&line, &pl, lookup, NULL)) == 1) {
		for (i = 0; i < pl.ncmds; i++) {
			if (i)
				strcat(out, " | ");
			render_cmd(out, &pl.cmd[i]);
		}
		strcat(out, seps[pl.sep]);
		strcat(out, " / ");
	}
	if (r < 0) {
		strcat(out, "ERR ");
		strcat(out, pl.err);
	}
}

static int failures;

static void check(const char *line, const char *expect)
{
	char got[1024];

	render(got, line);
	if (strcmp(got, expect) != 0) {
		printf("FAIL shparse '%s': expected '%s' got '%s'\n", line,
		       expect, got);
		failures++;
	}
}

int main(void)
{
	check("", "");
	check("   \n", "");
	check("echo hi", "[echo][hi] / ");
	check("  ls   -l  /bin ", "[ls][-l][/bin] / ");
	check("echo 'a  b' \"c $$ d\" e\\ f", "[echo][a  b][c 42 d][e f] / ");
	check("echo '$$' \\$x", "[echo][$$][$x] / ");
	check("echo $$ $? $HOME ${HOME}x $NOPE end",
	      "[echo][42][1][/home][/homex][end] / ");
	check("echo $SP \"$SP\"", "[echo][a b][a b] / ");
	check("echo \"\" ''", "[echo][][] / ");
	check("echo a$", "[echo][a$] / ");
	check("a; b & c", "[a] ; / [b] & / [c] / ");
	check("a && b || c", "[a] && / [b] || / [c] / ");
	check("a | b|c", "[a] | [b] | [c] / ");
	check("cat < in > out", "[cat] 0<in 1>out / ");
	check("cat >>log 2>err", "[cat] 1>>log 2>err / ");
	check("cmd 2>&1 >f", "[cmd] 2>&1 1>f / ");
	check("echo web > /proc/container", "[echo][web] 1>/proc/container / ");
	check("echo a # comment", "[echo][a] / ");
	check("# only a comment", "");
	check("echo a\nb c\n", "[echo][a] ; / [b][c] ; / ");
	check("echo a\\\nb", "[echo][ab] / ");
	check("echo \"a\\\"b\\\\c\\d\"", "[echo][a\"b\\c\\d] / ");
	check("x=1", "[x=1] / ");
	check("| a", "ERR syntax error near unexpected token |");
	check("a | | b", "ERR syntax error near unexpected token |");
	check("; a", "ERR syntax error near unexpected token ;");
	check("a ;; b", "[a] ; / ERR syntax error near unexpected token ;");
	check("echo 'abc", "ERR unterminated '");
	check("echo \"abc", "ERR unterminated \"");
	check("cat >", "ERR syntax error: missing file name after >");
	check("cat > $NOPE", "ERR ambiguous redirect");
	if (failures == 0)
		printf("PASS shparse\n");
	return failures != 0;
}
