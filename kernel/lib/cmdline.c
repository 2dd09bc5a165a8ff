/*
 * Command-line parsing.  Pure functions over a struct cmdline, so the host
 * unit tests can drive them; kmain keeps the one instance.
 */
#include <kern/cmdline.h>
#include <kern/string.h>

static const char *const known_knobs[] = {
    "pid_max",	    "ctr_max_tasks", "ktest",	 "console",
    "ctr_max_ctrs", "ctr_max_pages", "net_drop",
};

static bool knob_known(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(known_knobs); i++)
		if (strcmp(known_knobs[i], key) == 0)
			return true;
	return false;
}

/* Splits a word "key=value" in place; returns the value or NULL. */
static char *split_eq(char *word)
{
	char *eq = strchr(word, '=');
	if (!eq)
		return NULL;
	*eq = 0;
	return eq + 1;
}

void cmdline_parse(struct cmdline *cl, const char *line,
		   void (*warn)(const char *msg, const char *word))
{
	memset(cl, 0, sizeof(*cl));
	strlcpy(cl->buf, line ? line : "", sizeof(cl->buf));
	char *p = cl->buf;
	bool first = true, in_init = false;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		char *word = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		if (in_init) {
			if (cl->init_argc < INIT_ARGS_MAX)
				cl->init_argv[cl->init_argc++] = word;
			else if (warn)
				warn("too many init arguments, dropped", word);
			continue;
		}
		char *val = split_eq(word);
		if (!val) {
			if (!first && warn)
				warn("ignoring word without '='", word);
			first = false;
			continue;
		}
		first = false;
		if (strcmp(word, "init") == 0) {
			cl->init_argv[cl->init_argc++] = val;
			in_init = true;
		} else if (!knob_known(word)) {
			if (warn)
				warn("unknown knob ignored", word);
		} else if (cl->nknobs < (int)ARRAY_SIZE(cl->keys)) {
			cl->keys[cl->nknobs] = word;
			cl->vals[cl->nknobs++] = val;
		}
	}
	if (cl->init_argc == 0)
		cl->init_argv[cl->init_argc++] = "/bin/init";
	cl->init_argv[cl->init_argc] = NULL;
}

const char *cmdline_get(const struct cmdline *cl, const char *key)
{
	for (int i = cl->nknobs - 1; i >= 0; i--)
		if (strcmp(cl->keys[i], key) == 0)
			return cl->vals[i];
	return NULL;
}

uint32_t cmdline_uint(const struct cmdline *cl, const char *key, uint32_t def,
		      uint32_t min, uint32_t max)
{
	const char *v = cmdline_get(cl, key);
	if (!v || !*v)
		return def;
	uint64_t n = 0;
	for (const char *p = v; *p; p++) {
		if (*p < '0' || *p > '9')
			return def;
		n = n * 10 + (uint64_t)(*p - '0');
		if (n > max)
			return def;
	}
	return n < min ? def : (uint32_t)n;
}
