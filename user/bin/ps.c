/*
 * ps: one line per task the caller can see, from /proc/<pid>/status:
 * PID, PPID, state, container and command.  A reader in the system
 * container also gets REAL (the real PID) and SPACE:NR (its pidspace and
 * number, spec section 4.2).  Missing fields show as "?".
 */
#include <ctype.h>
#include <dirent.h>
#include <procfs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct row {
	unsigned long pid; /* a real PID may have bit 31 set */
	char ppid[16], state[4], ctr[CTR_NAME_MAX + 1], name[32];
	char real[16], space[24];
};

/* Fills r from status text; with_real asks for the system-only fields. */
static void parse_row(struct row *r, const char *text, int with_real)
{
	char ps[16], nr[16];

	if (status_field(text, "PPid", r->ppid, sizeof(r->ppid)) < 0)
		strcpy(r->ppid, "?");
	if (status_field(text, "State", r->state, 2) < 0)
		strcpy(r->state, "?");
	if (status_field(text, "Container", r->ctr, sizeof(r->ctr)) < 0)
		strcpy(r->ctr, "?");
	if (status_field(text, "Name", r->name, sizeof(r->name)) < 0)
		strcpy(r->name, "?");
	if (!with_real)
		return;
	if (status_field(text, "RealPid", r->real, sizeof(r->real)) < 0)
		strcpy(r->real, "?");
	if (status_field(text, "Pidspace", ps, sizeof(ps)) == 0 &&
	    status_field(text, "Vpid", nr, sizeof(nr)) == 0)
		snprintf(r->space, sizeof(r->space), "%s:%s", ps, nr);
	else if (strcmp(r->real, "?") != 0)
		snprintf(r->space, sizeof(r->space), "%u:%u",
			 REALPID_SPACE(strtoul(r->real, NULL, 10)),
			 REALPID_NR(strtoul(r->real, NULL, 10)));
	else
		strcpy(r->space, "?");
}

/* Reads every /proc/<pid>/status into a growing array; returns the count. */
static int read_rows(struct row **rows, int with_real)
{
	static char text[2048];
	char path[64];
	struct cb_dirent *e;
	DIR *d = opendir("/proc");
	int n = 0, cap = 0;

	if (!d) {
		perror("ps: /proc");
		exit(1);
	}
	while ((e = readdir(d))) {
		if (!isdigit(e->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", e->d_name);
		if (read_file(path, text, sizeof(text)) < 0)
			continue; /* it ended while we looked */
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			*rows = realloc(*rows, cap * sizeof(**rows));
			if (!*rows) {
				perror("ps");
				exit(1);
			}
		}
		(*rows)[n].pid = strtoul(e->d_name, NULL, 10);
		parse_row(&(*rows)[n++], text, with_real);
	}
	closedir(d);
	return n;
}

int main(void)
{
	struct row *rows = NULL, t;
	char ctr[CTR_NAME_MAX + 2];
	int sys, n, i, j;

	sys =
	    container_name(ctr, sizeof(ctr)) == 0 && strcmp(ctr, "system") == 0;
	n = read_rows(&rows, sys);
	for (i = 1; i < n; i++) /* insertion sort by PID */
		for (j = i; j > 0 && rows[j - 1].pid > rows[j].pid; j--) {
			t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	if (sys)
		printf("%10s %10s S %-12s %10s %-12s %s\n", "PID", "PPID",
		       "CONTAINER", "REAL", "SPACE:NR", "COMMAND");
	else
		printf("%6s %6s S %-12s %s\n", "PID", "PPID", "CONTAINER",
		       "COMMAND");
	for (i = 0; i < n; i++) {
		struct row *r = &rows[i];
		if (sys)
			printf("%10lu %10s %s %-12s %10s %-12s %s\n", r->pid,
			       r->ppid, r->state, r->ctr, r->real, r->space,
			       r->name);
		else
			printf("%6lu %6s %s %-12s %s\n", r->pid, r->ppid,
			       r->state, r->ctr, r->name);
	}
	return 0;
}
