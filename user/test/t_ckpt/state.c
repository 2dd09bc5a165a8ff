/* t_ckpt state: everything a container holds survives a migration. */
#include "t_ckpt.h"

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

void scenario_state(void)
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
