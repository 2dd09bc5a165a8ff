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
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <signal.h>
#include <unistd.h>

static int failures;

/* One acceptance point's line; fmt NULL: PASS. */
#define verdict(name, ...) (failures += t_verdict("t_ckpt", name, __VA_ARGS__))

/* ---- small files as signals ------------------------------------------- */

static int get(const char *path, char *buf, int size)
{
	return read_file(path, buf, size);
}

/* Checkpoints name with flags into a new buffer: the size, or -errno. */
static long save(const char *name, int flags, char **buf)
{
	long size = sys_checkpoint(P(name), 0, 0, flags);

	if (size < 0)
		return size;
	*buf = malloc((size_t)size);
	if (!*buf)
		return -ENOMEM;
	return sys_checkpoint(P(name), P(*buf), size, flags);
}

static void cleanup_tmp(void)
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
static const char *slurp(const char *path, char *buf, int size)
{
	if (get(path, buf, size) < 0)
		buf[0] = 0;
	return buf;
}

/* Number of files in /tmp whose names start with prefix. */
static int count_files(const char *prefix)
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

static int wait_count(const char *prefix, int n, unsigned timeout_ms)
{
	uint32_t end = uptime() + timeout_ms;

	while (count_files(prefix) < n) {
		if (uptime() > end)
			return -1;
		msleep(20);
	}
	return 0;
}

static const char *errname(long r)
{
	const char *s = r < 0 ? strerrorname((int)-r) : NULL;
	return s ? s : "?";
}

/* Does /proc/containers list a container called name? */
static int ctr_listed(const char *name)
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

static int wait_ctr_gone(const char *name, unsigned timeout_ms)
{
	uint32_t end = uptime() + timeout_ms;

	while (ctr_listed(name)) {
		if (uptime() > end)
			return -1;
		msleep(20);
	}
	return 0;
}

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

static void scenario_keep(void)
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

/* ---- state: everything survives a migration ---------------------------- */

#define HEAP_WORDS ((8u << 20) / 4)
#define PATTERN(i) ((i)*2654435761u ^ 0x5a5a5a5au)

static void st_heap(void)
{
	uint32_t *h = sbrk(HEAP_WORDS * 4);

	if (h == (void *)-1) {
		t_put("/tmp/res.heap", "FAIL sbrk\n");
		_exit(1);
	}
	for (uint32_t i = 0; i < HEAP_WORDS; i++)
		h[i] = PATTERN(i);
	t_put("/tmp/ready.heap", "");
	t_wait_file("/tmp/go", 60000);
	for (uint32_t i = 0; i < HEAP_WORDS; i++) {
		if (h[i] != PATTERN(i)) {
			t_put("/tmp/res.heap", "FAIL word %u is %#x\n", i,
			      h[i]);
			_exit(1);
		}
	}
	t_put("/tmp/res.heap", "PASS\n");
	_exit(0);
}

static void st_sleep(void)
{
	uint32_t t0 = uptime();

	t_put("/tmp/ready.sleep", "%u\n", t0);
	msleep(3000);
	t_put("/tmp/res.sleep", "%u %u\n", t0, uptime());
	_exit(0);
}

/* Blocks in waitpid for a child that exits 42 after "go". */
static void st_waitpid(void)
{
	int st = 0, k = fork(), r;

	if (k == 0) {
		t_wait_file("/tmp/go", 60000);
		_exit(42);
	}
	t_put("/tmp/ready.waitpid", "");
	r = waitpid(k, &st, 0);
	if (r == k && WIFEXITED(st) && WEXITSTATUS(st) == 42)
		t_put("/tmp/res.waitpid", "PASS\n");
	else
		t_put("/tmp/res.waitpid", "FAIL waitpid %d status %#x\n", r,
		      st);
	_exit(0);
}

/* Keeps a zombie child (exit 7) across the migration, then reaps it. */
static void st_zombie(void)
{
	int st = 0, z = fork(), r;

	if (z == 0)
		_exit(7);
	msleep(200);
	t_put("/tmp/ready.zombie", "");
	t_wait_file("/tmp/go", 60000);
	r = waitpid(z, &st, WNOHANG);
	if (r == z && WIFEXITED(st) && WEXITSTATUS(st) == 7)
		t_put("/tmp/res.zombie", "PASS\n");
	else
		t_put("/tmp/res.zombie", "FAIL waitpid %d status %#x\n", r, st);
	_exit(0);
}

/* Reads all of fd until end of file. */
static int read_all(int fd, char *buf, int size)
{
	int got = 0, n;

	while (got < size - 1 && (n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	buf[got] = 0;
	return got;
}

/* A pipe with bytes in flight, and a reader blocked on an empty pipe. */
static void st_pipe(void)
{
	int p[2], q[2];
	char a[32] = "", b[32] = "";

	if (pipe(p) < 0 || pipe(q) < 0)
		_exit(1);
	if (fork() == 0) {
		close(p[0]);
		close(q[0]);
		write_all(p[1], "in-flight:", 10);
		t_put("/tmp/ready.pipew", "");
		t_wait_file("/tmp/go", 60000);
		write_all(p[1], "after", 5);
		write_all(q[1], "wake", 4);
		_exit(0);
	}
	close(p[1]);
	close(q[1]);
	t_put("/tmp/ready.piper", "");
	int n = (int)read(q[0], b, sizeof(b) - 1); /* blocked at checkpoint */
	b[n > 0 ? n : 0] = 0;
	read_all(p[0], a, sizeof(a));
	if (strcmp(a, "in-flight:after") == 0 && strcmp(b, "wake") == 0)
		t_put("/tmp/res.pipe", "PASS\n");
	else
		t_put("/tmp/res.pipe", "FAIL read '%s' and '%s'\n", a, b);
	_exit(t_reap_all());
}

static void nest_report(const char *tag)
{
	char path[64];

	snprintf(path, sizeof(path), "/tmp/ready.%s", tag);
	t_put(path, "%d %d\n", getpid(), getppid());
	t_wait_file("/tmp/go", 60000);
	snprintf(path, sizeof(path), "/tmp/res.%s", tag);
	t_put(path, "%d %d\n", getpid(), getppid());
	_exit(t_reap_all());
}

/* st > st1 > st2: an init in each, and a worker in st2. */
static void st_nested(void)
{
	t_enter("st1");
	if (fork() == 0) {
		t_enter("st2");
		if (fork() == 0)
			nest_report("n3");
		nest_report("n2");
	}
	nest_report("n1");
}

/* Writes NSpid of every task st's init can see, sorted, into path. */
static void dump_nspid(const char *path)
{
	char lines[40][64], text[512], val[48], out[2600] = "", tmp[64];
	struct cb_dirent *de;
	DIR *d = opendir("/proc");
	int n = 0;

	while (d && (de = readdir(d)) != NULL && n < 40) {
		char p[48];
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/status", de->d_name);
		if (get(p, text, sizeof(text)) >= 0 &&
		    status_field(text, "NSpid", val, sizeof(val)) == 0)
			strlcpy(lines[n++], val, sizeof(lines[0]));
	}
	if (d)
		closedir(d);
	for (int i = 1; i < n; i++) /* insertion sort */
		for (int j = i; j > 0 && strcmp(lines[j - 1], lines[j]) > 0;
		     j--) {
			strlcpy(tmp, lines[j], sizeof(tmp));
			strlcpy(lines[j], lines[j - 1], sizeof(tmp));
			strlcpy(lines[j - 1], tmp, sizeof(tmp));
		}
	for (int i = 0; i < n; i++) {
		strcat(out, lines[i]);
		strcat(out, "\n");
	}
	t_put(path, "%s", out);
}

static const char *const st_tags[] = {
    "heap", "sleep", "waitpid", "zombie", "pipew", "piper", "n1", "n2", "n3"};

static void st_init(void)
{
	void (*const workers[])(void) = {st_heap,   st_sleep, st_waitpid,
					 st_zombie, st_pipe,  st_nested};
	char path[48];

	for (unsigned i = 0; i < sizeof(workers) / sizeof(workers[0]); i++)
		if (fork() == 0)
			workers[i]();
	for (unsigned i = 0; i < sizeof(st_tags) / sizeof(st_tags[0]); i++) {
		snprintf(path, sizeof(path), "/tmp/ready.%s", st_tags[i]);
		t_wait_file(path, 20000);
	}
	dump_nspid("/tmp/nspid.before");
	t_put("/tmp/ready.init", "");
	t_wait_file("/tmp/dump", 60000);
	dump_nspid("/tmp/nspid.after");
	t_wait_file("/tmp/go", 60000);
	_exit(t_reap_all() ? 1 : 0);
}

/* The verdict a task left in /tmp/res.TAG. */
static void st_result(const char *name, const char *tag)
{
	char path[48], text[128];

	snprintf(path, sizeof(path), "/tmp/res.%s", tag);
	slurp(path, text, sizeof(text));
	if (strncmp(text, "PASS", 4) == 0)
		verdict(name, NULL);
	else
		verdict(name, "%s", text[0] ? text : "no result");
}

/* The sleeper must wake when its remaining time has passed after the
 * restore: not at once, and not a whole sleep late. */
static void st_sleep_result(uint32_t tc, uint32_t tr0, uint32_t tr1)
{
	char text[64];
	unsigned t0 = 0, t1 = 0;

	slurp("/tmp/res.sleep", text, sizeof(text));
	char *end;
	t0 = (unsigned)strtoul(text, &end, 10);
	t1 = (unsigned)strtoul(end, NULL, 10);
	long remaining = 3000 - (long)(tc - t0);
	long woke = (long)t1 - (long)tr0;
	printf("t_ckpt: sleep: %ld ms left at checkpoint, woke %ld ms after "
	       "restore began (restore took %u ms)\n",
	       remaining, woke, (unsigned)(tr1 - tr0));
	if (!t1 || woke < remaining - 50 ||
	    woke > remaining + (long)(tr1 - tr0) + 300)
		verdict("sleep-remaining", "left %ld, woke after %ld",
			remaining, woke);
	else
		verdict("sleep-remaining", NULL);
}

static void st_nest_result(void)
{
	char path[48];

	for (int i = 1; i <= 3; i++) {
		char x[32], y[32];
		snprintf(path, sizeof(path), "/tmp/ready.n%d", i);
		slurp(path, x, sizeof(x));
		snprintf(path, sizeof(path), "/tmp/res.n%d", i);
		slurp(path, y, sizeof(y));
		if (!x[0] || strcmp(x, y) != 0) {
			verdict("nested-getpid", "n%d was '%s', now '%s'", i, x,
				y);
			return;
		}
	}
	verdict("nested-getpid", NULL);
	char before[1024], after[1024];
	slurp("/tmp/nspid.before", before, sizeof(before));
	slurp("/tmp/nspid.after", after, sizeof(after));
	if (!before[0] || strcmp(before, after) != 0)
		verdict("nested-nspid", "before:\n%s\nafter:\n%s", before,
			after);
	else
		verdict("nested-nspid", NULL);
}

static void scenario_state(void)
{
	char *img = NULL;
	int c, st = 0;
	long n, r;

	cleanup_tmp();
	c = fork();
	if (c == 0) {
		t_enter("st");
		st_init();
	}
	if (t_wait_file("/tmp/ready.init", 30000)) {
		verdict("state-setup", "the tasks did not start");
		return;
	}
	msleep(1000);
	uint32_t tc = uptime();
	n = save("st", 0, &img);
	verdict("state-checkpoint", n > 0 ? NULL : "%s", errname(n));
	if (n <= 0)
		return;
	printf("t_ckpt: state: image %ld bytes\n", n);
	waitpid(c, &st, 0);
	if (WIFSIGNALED(st) && WTERMSIG(st) == CKPT_MIGRATED_SIG)
		verdict("migrated-init-status", NULL);
	else
		verdict("migrated-init-status", "status %#x", st);
	verdict("migrated-tree-gone",
		wait_ctr_gone("st", 3000) ? "st still listed" : NULL);
	msleep(1000);
	uint32_t tr0 = uptime();
	r = sys_restore(P(img), n, 0, 0);
	uint32_t tr1 = uptime();
	verdict("state-restore", r > 0 ? NULL : "%s", errname(r));
	if (r <= 0)
		return;
	t_put("/tmp/dump", "");
	t_wait_file("/tmp/nspid.after", 10000);
	t_put("/tmp/go", "");
	waitpid((int)r, &st, 0);
	verdict("state-tasks-exit", st == 0 ? NULL : "init status %#x", st);
	st_result("heap-8mib", "heap");
	st_result("waitpid-restart", "waitpid");
	st_result("zombie-status", "zombie");
	st_result("pipe-in-flight", "pipe");
	st_sleep_result(tc, tr0, tr1);
	st_nest_result();
	free(img);
}

/* ---- perm: who may checkpoint what -------------------------------------- */

/* Runs in container pa (with pa1 nested in it): the checks a task inside a
 * container makes, written to /tmp/res.perm. */
static void perm_inside(void)
{
	char why[200] = "";
	char *img = NULL;
	long r, n;
	int st = 0;

	t_enter("pa");
	if (fork() == 0) {
		t_enter("pa1");
		t_put("/tmp/ready.pa1", "");
		t_wait_file("/tmp/go", 60000);
		_exit(0);
	}
	t_wait_file("/tmp/ready.pa1", 10000);
	t_wait_file("/tmp/ready.pb", 10000);
	const char *names[] = {"pa", "system", "pb", "nope"};
	const long want[] = {-EPERM, -ESRCH, -ESRCH, -ESRCH};
	for (int i = 0; i < 4; i++) {
		r = sys_checkpoint(P(names[i]), 0, 0, CKPT_KEEP);
		if (r != want[i] && !why[0])
			snprintf(why, sizeof(why), "checkpoint(%s) gave %s",
				 names[i], errname(r));
	}
	n = save("pa1", CKPT_KEEP, &img);
	r = n > 0 ? sys_restore(P(img), n, P("pa1b"), 0) : n;
	if (r <= 0 && !why[0])
		snprintf(why, sizeof(why), "nested checkpoint/restore: %s",
			 errname(r));
	if (r > 0 &&
	    (kill((int)r, SIGKILL) < 0 || waitpid((int)r, &st, 0) != r ||
	     !WIFSIGNALED(st)) &&
	    !why[0])
		snprintf(why, sizeof(why), "restored copy: status %#x", st);
	t_put("/tmp/res.perm", "%s\n", why[0] ? why : "PASS");
	t_put("/tmp/ready.pa", "");
	t_wait_file("/tmp/go", 60000);
	_exit(t_reap_all());
}

/* Holds fd and waits for "go" inside container name. */
static void perm_holder(const char *name)
{
	char path[32];

	t_enter(name);
	snprintf(path, sizeof(path), "/tmp/ready.%s", name);
	t_put(path, "");
	t_wait_file("/tmp/go", 60000);
	_exit(0);
}

static void scenario_perm(void)
{
	int p[2];
	long r;

	cleanup_tmp();
	if (pipe(p) < 0)
		return;
	if (fork() == 0) {
		close(p[0]);
		close(p[1]);
		perm_inside();
	}
	if (fork() == 0) {
		close(p[0]);
		close(p[1]);
		perm_holder("pb");
	}
	if (fork() == 0) { /* keeps the write end; we keep the read end */
		close(p[0]);
		perm_holder("pe");
	}
	close(p[1]);
	if (t_wait_file("/tmp/ready.pa", 20000) ||
	    t_wait_file("/tmp/ready.pe", 5000)) {
		verdict("perm-setup", "the tasks did not start");
		return;
	}
	st_result("perm-inside", "perm");
	r = sys_checkpoint(P("system"), 0, 0, CKPT_KEEP);
	verdict("perm-own", r == -EPERM ? NULL : "%s", errname(r));
	r = sys_checkpoint(P("pe"), 0, 0, CKPT_KEEP);
	verdict("perm-shared-pipe", r == -EBUSY ? NULL : "%s", errname(r));
	close(p[0]);
	r = sys_checkpoint(P("pe"), 0, 0, CKPT_KEEP);
	verdict("perm-unshared", r > 0 ? NULL : "%s", errname(r));
	char small[16];
	r = sys_checkpoint(P("pb"), P(small), sizeof(small), CKPT_KEEP);
	verdict("perm-erange", r == -ERANGE ? NULL : "%s", errname(r));
	r = sys_checkpoint(P("pb"), 0, 0, 0x100);
	verdict("perm-flags", r == -EINVAL ? NULL : "%s", errname(r));
	r = sys_checkpoint(P("pb"), P(0x1000), 1 << 20, CKPT_KEEP);
	verdict("perm-efault", r == -EFAULT ? NULL : "%s", errname(r));
	r = sys_checkpoint(P("pb"), 0, 0, CKPT_KEEP);
	long r2 =
	    sys_checkpoint(P("a-name-that-is-far-too-long-for-any"), 0, 0, 0);
	verdict("perm-names", r > 0 && r2 == -EINVAL ? NULL : "%s %s",
		errname(r), errname(r2));
	t_put("/tmp/go", "");
	verdict("perm-exit", t_reap_all() ? "a task failed" : NULL);
}

/* ---- selfcheck: a migration never loses the container ------------------ */

static void scenario_selfcheck(void)
{
	char *img = NULL;
	int c, st = -1;
	long r;

	cleanup_tmp();
	c = fork();
	if (c == 0) {
		t_enter("sc");
		t_put("/tmp/ready.sc", "");
		t_wait_file("/tmp/go", 60000);
		t_put("/tmp/res.sc", "PASS\n");
		_exit(0);
	}
	if (t_wait_file("/tmp/ready.sc", 20000)) {
		verdict("selfcheck-setup", "the task did not start");
		return;
	}
	r = save("sc", 0, &img);
	verdict("selfcheck-refused", r == -EINVAL ? NULL : "%s", errname(r));
	free(img);
	img = NULL;
	verdict("selfcheck-kept", ctr_listed("sc") ? NULL : "sc is gone");
	r = save("sc", CKPT_KEEP, &img);
	r = r > 0 ? sys_restore(P(img), r, P("sc2"), 0) : r;
	verdict("selfcheck-restore-refuses", r == -EINVAL ? NULL : "%s",
		errname(r));
	free(img);
	t_put("/tmp/go", "");
	waitpid(c, &st, 0);
	if (st != 0)
		verdict("selfcheck-runs-on", "status %#x", st);
	else
		st_result("selfcheck-runs-on", "sc");
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
