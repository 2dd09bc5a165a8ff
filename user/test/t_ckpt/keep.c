/* t_ckpt keep: a checkpoint with CKPT_KEEP and its copy, side by side. */
#include "t_ckpt.h"

/* ---- keep: two copies side by side ------------------------------------- */

/* A member of the keep container: forks kids (the first of which forks
 * grandkids), says it is ready, waits for "go", then records getpid and
 * getppid under the name of the container it is in by then. */
static void keep_task(int kids, int grandkids)
{
	char path[64], name[CTR_NAME_MAX + 2];

again:
	for (int i = 0; i < kids; i++) {
		if (fork() == 0) { /* the child forks its own kids, if any */
			kids = i == 0 ? grandkids : 0;
			grandkids = 0;
			goto again;
		}
	}
	snprintf(path, sizeof(path), "/tmp/ready.%d", getpid());
	t_put(path, "%d %d\n", getpid(), getppid());
	t_wait_file("/tmp/go", 60000);
	container_name(name, sizeof(name));
	snprintf(path, sizeof(path), "/tmp/id.%s.%d", name, getpid());
	t_put(path, "%d %d\n", getpid(), getppid());
	_exit(t_reap_all() ? 1 : 0);
}

/* The pidspace of the tasks born in container name (its init was born
 * outside), as the system container sees them; -1 if they disagree. */
static long ctr_pidspace(const char *name)
{
	char path[48], text[512], val[40];
	struct cb_dirent *de;
	DIR *d = opendir("/proc");
	long ps = 0;

	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", de->d_name);
		if (get(path, text, sizeof(text)) < 0 ||
		    status_field(text, "Container", val, sizeof(val)) < 0 ||
		    strcmp(val, name) != 0 ||
		    status_field(text, "Pidspace", val, sizeof(val)) < 0 ||
		    strcmp(val, "0") == 0)
			continue;
		if (ps && ps != strtol(val, NULL, 10))
			ps = -1;
		else if (ps == 0)
			ps = strtol(val, NULL, 10);
	}
	if (d)
		closedir(d);
	return ps;
}

/* Do both copies' tasks report the same getpid/getppid? */
static const char *keep_compare(void)
{
	static char why[96];
	char a[32], b[32], path[64];

	for (int pid = 1; pid <= 4; pid++) {
		snprintf(path, sizeof(path), "/tmp/id.keep.%d", pid);
		slurp(path, a, sizeof(a));
		snprintf(path, sizeof(path), "/tmp/id.keep2.%d", pid);
		slurp(path, b, sizeof(b));
		if (!a[0] || strcmp(a, b) != 0) {
			snprintf(why, sizeof(why),
				 "pid %d: keep says '%s', keep2 '%s'", pid, a,
				 b);
			return why;
		}
	}
	return NULL;
}

void scenario_keep(void)
{
	char *img = NULL;
	int c, st1 = -1, st2 = -1;
	long n, r;

	cleanup_tmp();
	c = fork();
	if (c == 0) {
		t_enter("keep");
		keep_task(2, 1);
	}
	if (wait_count("ready.", 4, 20000))
		verdict("keep-setup", "the tasks did not start");
	n = save("keep", CKPT_KEEP, &img);
	r = n > 0 ? sys_restore(P(img), n, P("keep2"), 0) : n;
	if (r <= 0) {
		verdict("keep-restore", "%s", errname(r));
		return;
	}
	verdict("keep-restore", NULL);
	long ps1 = ctr_pidspace("keep"), ps2 = ctr_pidspace("keep2");
	if (!ctr_listed("keep") || !ctr_listed("keep2") || ps1 <= 0 ||
	    ps2 <= 0 || ps1 == ps2)
		verdict("keep-real-pids", "pidspaces %ld and %ld", ps1, ps2);
	else
		verdict("keep-real-pids", NULL);
	printf("t_ckpt: keep: tasks born in keep have pidspace %ld, in keep2 "
	       "%ld\n",
	       ps1, ps2);
	t_put("/tmp/go", "");
	waitpid(c, &st1, 0);
	waitpid((int)r, &st2, 0);
	if (st1 != 0 || st2 != 0)
		verdict("keep-both-run", "statuses %#x %#x", st1, st2);
	else
		verdict("keep-both-run", NULL);
	const char *why = keep_compare();
	verdict("keep-same-pids", why ? "%s" : NULL, why);
	free(img);
}
