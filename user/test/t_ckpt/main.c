/*
 * t_ckpt SCENARIO...: checkpoint/restore acceptance tests (SPEC section 5) run
 * inside Cellblock, usually as init.  Each scenario prints lines
 *
 *     t_ckpt: NAME: PASS
 *     t_ckpt: NAME: FAIL what went wrong
 *
 * and the exit status is the number of failures.  Scenarios:
 *
 *   keep   a container of four tasks is checkpointed with CKPT_KEEP and
 *          restored under a new name: both copies run side by side, every
 *          task reports the same getpid/getppid in both, and the system
 *          container sees different pidspaces and real PIDs.
 *   state  a container is migrated (checkpoint without CKPT_KEEP, then
 *          restore) while its tasks hold an 8 MiB heap pattern, sleep,
 *          wait for a child, keep a zombie, have bytes in flight in a pipe
 *          and block reading an empty one, and three levels of nesting.
 *   perm   who may checkpoint what: the caller's own container is EPERM,
 *          outer, sibling and unknown ones ESRCH, a nested one works; a
 *          pipe shared with the outside is EBUSY; too small a buffer is
 *          ERANGE.
 *   selfcheck  (boot with ktest=ckpt-bad-image, which makes checkpoint
 *          write images restore refuses) a migration fails with EINVAL
 *          and the container keeps running; with CKPT_KEEP the image
 *          comes back and restore refuses it.
 *
 * Tasks inside the containers talk to the test through small files in /tmp
 * (opened, written and closed at once, so nothing is shared at checkpoint
 * time): "ready.X" when a task reached the state to be saved, "go" when it
 * may go on, "res.X" with its verdict.
 */
#include "t_ckpt.h"

int failures;

/* ---- small files as signals (testlib: t_put, t_wait_file, ...) -------- */

int get(const char *path, char *buf, int size)
{
	return read_file(path, buf, size);
}

/* Checkpoints name with flags into a new buffer: the size, or -errno. */
long save(const char *name, int flags, char **buf)
{
	long size = sys_checkpoint(P(name), 0, 0, flags);

	if (size < 0)
		return size;
	*buf = malloc((size_t)size);
	if (!*buf)
		return -ENOMEM;
	return sys_checkpoint(P(name), P(*buf), size, flags);
}

void cleanup_tmp(void)
{
	struct cb_dirent *de;
	char path[80];
	DIR *d = opendir("/tmp");

	while (d && (de = readdir(d)) != NULL) {
		snprintf(path, sizeof(path), "/tmp/%s", de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
}

/* Reads path into buf; "" when missing. */
const char *slurp(const char *path, char *buf, int size)
{
	if (get(path, buf, size) < 0)
		buf[0] = 0;
	return buf;
}

/* Number of files in /tmp whose names start with prefix. */
int count_files(const char *prefix)
{
	struct cb_dirent *de;
	DIR *d = opendir("/tmp");
	int n = 0;

	while (d && (de = readdir(d)) != NULL)
		n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

int wait_count(const char *prefix, int n, unsigned timeout_ms)
{
	uint32_t end = uptime() + timeout_ms;

	while (count_files(prefix) < n) {
		if (uptime() > end)
			return -1;
		msleep(20);
	}
	return 0;
}

const char *errname(long r)
{
	const char *s = r < 0 ? strerrorname((int)-r) : NULL;
	return s ? s : "?";
}

/* Does /proc/containers list a container called name? */
int ctr_listed(const char *name)
{
	char list[1024];
	size_t len = strlen(name);

	slurp("/proc/containers", list, sizeof(list));
	for (char *line = list; line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (strncmp(line, name, len) == 0 && line[len] == ' ')
			return 1;
	}
	return 0;
}

int wait_ctr_gone(const char *name, unsigned timeout_ms)
{
	uint32_t end = uptime() + timeout_ms;

	while (ctr_listed(name)) {
		if (uptime() > end)
			return -1;
		msleep(20);
	}
	return 0;
}

/* The verdict a task left in /tmp/res.TAG. */
void st_result(const char *name, const char *tag)
{
	char path[48], text[128];

	snprintf(path, sizeof(path), "/tmp/res.%s", tag);
	slurp(path, text, sizeof(text));
	if (strncmp(text, "PASS", 4) == 0)
		verdict(name, NULL);
	else
		verdict(name, "%s", text[0] ? text : "no result");
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*fn)(void);
	} scenarios[] = {{"keep", scenario_keep},
			 {"state", scenario_state},
			 {"perm", scenario_perm},
			 {"selfcheck", scenario_selfcheck}};

	for (int i = 1; i < argc; i++) {
		unsigned k;
		for (k = 0; k < sizeof(scenarios) / sizeof(scenarios[0]); k++)
			if (strcmp(argv[i], scenarios[k].name) == 0)
				break;
		if (k == sizeof(scenarios) / sizeof(scenarios[0])) {
			printf("usage: t_ckpt keep|state|perm|selfcheck...\n");
			return 2;
		}
		scenarios[k].fn();
	}
	printf("t_ckpt: %d failed\n", failures);
	return failures;
}
