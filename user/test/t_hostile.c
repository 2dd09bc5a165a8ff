/*
 * t_hostile: a container that tries to take all of something takes its
 * share only (spec section 4.1: ctr_max_tasks=, ctr_max_ctrs=,
 * ctr_max_pages=).
 *
 *   t_hostile [TEST...]     tests: charges hostile trust restore
 *
 * charges  In one container, sbrk up and down, a pipe, fork, exec and exit
 *          each move its pages= by exactly their pages; at the cap sbrk,
 *          pipe, fork and exec fail with ENOMEM, a stack that cannot grow
 *          kills only its task, and usage returns to where it started.
 * hostile  A container "hostile" founds nested containers from many tasks
 *          as fast as it can (chains until refused) and grows heaps, some
 *          of them in nested containers, until ENOMEM.  Meanwhile the
 *          system side founds a container, forks, makes a pipe and grows
 *          its heap, and /proc/containers shows hostile's ctrs= and pages=
 *          at their caps.  Once hostile is gone, PagesFree, HeapUsed, the
 *          container list and the system's usage fields are back at their
 *          baseline.
 * trust    The same, and hostile also takes the CPU (one task writes
 *          HOG_BYTES to a /tmp file over and over, another spins): the
 *          system side still founds a container and forks, and a 10 ms
 *          sleeper wakes within 30 ms every time (worst case printed).
 * restore  Needs a boot with ctr_max_ctrs=4.  A tree of five containers
 *          (at the cap) is checkpointed; restoring it inside a container
 *          with room for four is EAGAIN, and a one-container image inside
 *          a container whose pages are at the cap is ENOMEM, each with
 *          nothing left behind; the same images restore where they fit.
 *
 * The checks run in the system container; helpers report through pipes
 * (created before hostile is founded, so charged to the system).
 */
#include <procfs.h>
#include <stdbool.h>
#include <stddef.h>

#include "ctrlib.h"

#define NFOUNDERS 16
#define NGROWERS  4
#define HOG_BYTES (32u << 20)
#define SLEEPS	  30

/* What hostile's init reports once every helper is done. */
struct hreport {
	int forked;	 /* helpers that fork made */
	int made;	 /* containers the founders' chains made */
	int nested;	 /* containers the growers founded */
	int bad_errs;	 /* refusals that were not EAGAIN/ENOMEM */
	long pages;	 /* pages the growers got */
	int hog_started; /* the hog's first write went through */
};

/* One helper's result, to hostile's init. */
struct hres {
	int kind; /* 'f' founder, 'g' grower, 'h' hog */
	long n;	  /* containers made / pages got / bytes written */
	long err; /* the refusal, -errno */
};

/* Maps the stack a helper will ever use now, so that no stack growth
 * (which would fail once the container's pages are at the cap) is
 * needed later. */
static void __attribute__((noinline)) grow_stack(void)
{
	volatile char pad[32768];

	pad[0] = 0;
	pad[sizeof(pad) - 1] = 0;
}

/* Field "key=USED/CAP" of container name's /proc/containers line: 0 with
 * *used and *cap (-1 for "-"), or -1 when there is no such field. */
static int usage(const char *name, const char *key, long *used, long *cap)
{
	static char text[65536];
	char pat[24], *line, *end, *p;
	size_t len = strlen(name);

	if (read_file("/proc/containers", text, sizeof(text)) < 0)
		return -1;
	snprintf(pat, sizeof(pat), " %s=", key);
	for (line = text; *line; line = end + 1) {
		end = strchr(line, '\n');
		if (!end)
			return -1;
		*end = 0;
		if (strncmp(line, name, len) || line[len] != ' ')
			continue;
		p = strstr(line, pat);
		if (!p)
			return -1;
		*used = strtol(p + strlen(pat), &p, 10);
		if (*p++ != '/')
			return -1;
		*cap = *p == '-' ? -1 : strtol(p, NULL, 10);
		return 0;
	}
	return -1;
}

/* The counts that must come back once a test's containers are gone. */
struct base {
	long free, heap, tasks, ctrs, pages;
	char names[4096]; /* first word of every /proc/containers line */
};

static void take_base(struct base *b)
{
	static char text[65536];
	char *p = text;
	long cap;

	b->free = meminfo("PagesFree");
	b->heap = meminfo("HeapUsed");
	b->tasks = b->ctrs = b->pages = -2;
	usage("system", "tasks", &b->tasks, &cap);
	usage("system", "ctrs", &b->ctrs, &cap);
	usage("system", "pages", &b->pages, &cap);
	b->names[0] = 0;
	if (read_file("/proc/containers", text, sizeof(text)) < 0)
		return;
	for (size_t n = 0; *p; p = strchr(p, '\n') + 1) {
		size_t k = strcspn(p, " \n");
		if (n + k + 2 > sizeof(b->names) || !strchr(p, '\n'))
			break;
		memcpy(b->names + n, p, k);
		n += k;
		b->names[n++] = ',';
		b->names[n] = 0;
	}
}

/* Waits until container name is gone (its last task reaped). */
static void wait_gone(const char *name)
{
	int i;

	for (i = 0; i < 1000 && ctr_col(name, 3) >= 0; i++)
		msleep(10);
	CK(ctr_col(name, 3) < 0 || t_fail("container %s still there", name));
}

/* Checks every count is back at b (the kernel may still be finishing off
 * killed tasks: waits up to 5 s). */
static void check_base(const struct base *b, const char *when)
{
	struct base now;
	int i;

	for (i = 0; i < 500; i++) {
		take_base(&now);
		if (!memcmp(&now, b, offsetof(struct base, names)) &&
		    !strcmp(now.names, b->names))
			return;
		msleep(10);
	}
	t_fail("%s: PagesFree %ld->%ld HeapUsed %ld->%ld system tasks "
	       "%ld->%ld ctrs %ld->%ld pages %ld->%ld containers %s->%s",
	       when, b->free, now.free, b->heap, now.heap, b->tasks, now.tasks,
	       b->ctrs, now.ctrs, b->pages, now.pages, b->names, now.names);
	bad++;
}

/* ---- inside hostile ---------------------------------------------------- */

static void report(int fd, int kind, long n, long err)
{
	struct hres r = {kind, n, err};

	write(fd, &r, sizeof(r));
}

/* Founds a chain h<i>.1, h<i>.2, ... as fast as it can until refused. */
static void founder(int i, int res, int hold)
{
	char name[24];
	long made = 0, err;

	for (;;) {
		snprintf(name, sizeof(name), "h%d.%ld", i, made + 1);
		if ((err = enter(name)) < 0)
			break;
		made++;
	}
	report(res, 'f', made, err);
	hold_on(hold);
	_exit(0);
}

/* Grows the heap until ENOMEM, 64 KiB at a time, then page by page. */
static void grower(int res, int hold)
{
	long pages = 0, step;

	for (step = 16; step > 0; step = step == 16 ? 1 : 0)
		while (sbrk(step * 4096) != (void *)-1)
			pages += step;
	report(res, 'g', pages, -errno);
	hold_on(hold);
	_exit(0);
}

/* Takes the CPU: one huge write to a /tmp file after another. */
static void hog(char *buf, int res)
{
	long fd = open("/tmp/hog", O_CREAT | O_WRONLY);
	long n = fd < 0 ? fd : write((int)fd, buf, HOG_BYTES);

	report(res, 'h', n, 0);
	close(res);
	for (;;) {
		lseek((int)fd, 0, SEEK_SET);
		write((int)fd, buf, HOG_BYTES);
	}
}

/* Forks one helper that waits on go (until every write end is closed),
 * then runs.  kind: 'f', 'g' (odd i: in a nested container), 'h', 's'. */
static int helper(int kind, int i, const int go[2], int res, int hold)
{
	char name[16], *buf = NULL;
	pid_t p;

	if (kind == 'h' && (buf = sbrk(HOG_BYTES)) == (void *)-1)
		return -1;
	p = fork();
	if (p != 0) {
		if (buf)
			sbrk(-(intptr_t)HOG_BYTES);
		return p < 0 ? -1 : 0;
	}
	close(go[1]);
	snprintf(name, sizeof(name), "hg%d", i);
	if (kind == 'g' && (i & 1) && enter(name) < 0)
		_exit(1);
	hold_on(go[0]);
	if (kind == 'f')
		founder(i, res, hold);
	if (kind == 'g')
		grower(res, hold);
	if (kind == 'h')
		hog(buf, res);
	for (;;) /* 's': spins */
		;
}

/* Collects one result per founder, grower and hog into r. */
static void collect(int res, int n, struct hreport *r)
{
	struct hres h;

	while (n-- > 0 && read_full(res, &h, sizeof(h)) == 0) {
		if (h.kind == 'f') {
			r->made += (int)h.n;
			r->bad_errs += h.err != -EAGAIN;
		} else if (h.kind == 'g') {
			r->pages += h.n;
			r->bad_errs += h.err != -ENOMEM;
		} else {
			r->hog_started = h.n == HOG_BYTES;
		}
	}
}

/* hostile's init: starts every helper, lets them go at once, reports
 * when they are done and holds until hold is closed.  Its exit ends
 * everything inside. */
static void hostile(bool cpu, int rep, int hold)
{
	int go[2], res[2], n = 0, i;
	struct hreport r = {0};

	pipe(go);
	pipe(res);
	EQ(enter("hostile"), 0);
	for (i = 0; i < NGROWERS; i++)
		n += helper('g', i, go, res[1], hold) == 0;
	r.nested = NGROWERS / 2;
	for (i = 0; i < NFOUNDERS; i++)
		n += helper('f', i, go, res[1], hold) == 0;
	if (cpu) {
		n += helper('h', 0, go, res[1], hold) == 0;
		helper('s', 0, go, res[1], hold);
	}
	r.forked = n;
	close(go[0]);
	close(go[1]); /* go */
	collect(res[0], n, &r);
	write(rep, &r, sizeof(r));
	hold_on(hold);
	_exit(bad ? 1 : 0);
}

/* ---- the system side --------------------------------------------------- */

/* The rest of the machine still works: a fork, a container with a fork
 * inside, a pipe, a megabyte of heap. */
static void system_works(void)
{
	int fds[2], st = -1;
	pid_t c;
	char *p;

	c = fork();
	if (c == 0) {
		if (enter("sys.side") < 0 || fork() < 0)
			_exit(1);
		_exit(wait(NULL) == 2 ? 7 : 1);
	}
	CK(c > 0 || t_fail("system fork: %s", t_errstr(c)));
	EQ(c > 0 ? waitpid(c, &st, 0) : -1, c);
	CK(exit_code(st) == 7 ||
	   t_fail("founding a container and forking in it: status 0x%x", st));
	OK(pipe(fds));
	close(fds[0]);
	close(fds[1]);
	p = sbrk(1 << 20);
	CK(p != (void *)-1 || t_fail("system sbrk: %s", strerror(errno)));
	if (p != (void *)-1) {
		p[(1 << 20) - 1] = 1;
		sbrk(-(1 << 20));
	}
}

/* hostile's ctrs= and pages= at their caps, matching what it reported. */
static void check_caps(const struct hreport *r, int helpers)
{
	long used = -1, cap = -1;

	EQ(r->forked, helpers);
	EQ(r->bad_errs, 0);
	CK(usage("hostile", "ctrs", &used, &cap) == 0 ||
	   t_fail("no ctrs= field for hostile in /proc/containers"));
	CK(cap > 0 || t_fail("hostile ctrs cap %ld", cap));
	EQ(used, cap);
	EQ(r->made + r->nested, cap);
	CK(usage("hostile", "pages", &used, &cap) == 0 ||
	   t_fail("no pages= field for hostile in /proc/containers"));
	CK(cap > 0 || t_fail("hostile pages cap %ld", cap));
	EQ(used, cap);
	CK(r->pages > cap / 2 ||
	   t_fail("growers got %ld pages of %ld", r->pages, cap));
	CK(meminfo("PagesFree") > meminfo("PagesTotal") / 4 ||
	   t_fail("PagesFree %ld of %ld", meminfo("PagesFree"),
		  meminfo("PagesTotal")));
}

/* A 10 ms sleeper's worst wake-up over SLEEPS sleeps, in ms. */
static long sleeper_worst(void)
{
	long worst = 0, dt;
	uint32_t t0;
	int i;

	for (i = 0; i < SLEEPS; i++) {
		t0 = uptime();
		msleep(10);
		dt = (long)(uptime() - t0);
		worst = dt > worst ? dt : worst;
	}
	return worst;
}

static void run_hostile(bool cpu)
{
	int rep[2], hold[2];
	struct hreport r = {0};
	struct base b;
	long worst;
	pid_t h;

	grow_stack();
	take_base(&b);
	pipe(rep);
	pipe(hold);
	if ((h = fork()) == 0) {
		close(rep[0]);
		close(hold[1]);
		hostile(cpu, rep[1], hold[0]);
	}
	close(rep[1]);
	close(hold[0]);
	CK(read_full(rep[0], &r, sizeof(r)) == 0 ||
	   t_fail("no report from hostile"));
	check_caps(&r, NFOUNDERS + NGROWERS + (cpu ? 1 : 0));
	if (cpu)
		CK(r.hog_started || t_fail("the hog's write did not complete"));
	system_works();
	worst = sleeper_worst();
	printf("t_hostile: %s: 10 ms sleeper woke after at most %ld ms\n",
	       cpu ? "trust" : "hostile", worst);
	CK(worst <= 30 ||
	   t_fail("sleeper woke after %ld ms (limit 30)", worst));
	system_works();
	close(hold[1]);
	close(rep[0]);
	reap_ok(h, "hostile");
	wait_gone("hostile");
	unlink("/tmp/hog");
	check_base(&b, "after hostile");
}

static void test_hostile(void)
{
	run_hostile(false);
}

static void test_trust(void)
{
	run_hostile(true);
}

/* ---- restore ----------------------------------------------------------- */

/* A task that founds containers names[0..n-1], each inside the last, and
 * sleeps there; the parent waits until the last one is there. */
static pid_t sleeping_tree(const char *const *names, int n)
{
	pid_t p = fork();
	int i;

	if (p == 0) {
		for (i = 3; i < 32; i++)
			close(i);
		for (i = 0; i < n; i++)
			if (enter(names[i]) < 0)
				_exit(1);
		for (;;)
			msleep(100);
	}
	for (i = 0; i < 500 && ctr_col(names[n - 1], 3) < 0; i++)
		msleep(10);
	return p;
}

/* Checkpoints (and so ends) the tree of names: the image, or NULL. */
static char *migrate_out(const char *const *names, int n, long *size)
{
	pid_t p = sleeping_tree(names, n);
	char *img;

	*size = checkpoint(names[0], NULL, 0, 0);
	img = *size > 0 ? malloc((size_t)*size) : NULL;
	if (!img || checkpoint(names[0], img, (size_t)*size, 0) != *size) {
		t_fail("checkpoint %s: %s", names[0], strerror(errno));
		bad++;
		return NULL;
	}
	waitpid(p, NULL, 0);
	wait_gone(names[0]);
	return img;
}

/* restore in the caller must fail with err and leave nothing behind. */
static void refused_restore(const char *img, long size, int err,
			    const char *what)
{
	struct base before, after;

	take_base(&before);
	CK(t_check_err(
	    what, restore(img, (size_t)size, NULL, 0) < 0 ? -errno : 0, err));
	take_base(&after);
	CK((!memcmp(&before, &after, offsetof(struct base, names)) &&
	    !strcmp(before.names, after.names)) ||
	   t_fail("%s: something left behind: PagesFree %ld->%ld HeapUsed "
		  "%ld->%ld containers %s->%s",
		  what, before.free, after.free, before.heap, after.heap,
		  before.names, after.names));
}

/* Restores img in the caller, checks the top container's ctrs=, ends it. */
static void restores(const char *img, long size, const char *top, long ctrs)
{
	long used = -1, cap;
	int pid = restore(img, (size_t)size, NULL, 0), st;

	CK(pid > 0 || t_fail("restore %s: %s", top, strerror(errno)));
	if (pid <= 0)
		return;
	CK((usage(top, "ctrs", &used, &cap) == 0 && used == ctrs) ||
	   t_fail("restored %s: ctrs=%ld, expected %ld", top, used, ctrs));
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	wait_gone(top);
}

static void test_restore(void)
{
	static const char *const tree[] = {"rt0", "rt1", "rt2", "rt3", "rt4"};
	static const char *const one[] = {"rp0"};
	long size, size1, used = -1, cap = -1;
	char *img, *img1;
	struct base b;
	pid_t x;

	grow_stack();
	img = migrate_out(tree, 5, &size);
	img1 = migrate_out(one, 1, &size1);
	if (!img || !img1)
		return;
	take_base(&b);
	if ((x = fork()) == 0) {
		EQ(enter("rx"), 0);
		EQ(usage("rx", "ctrs", &used, &cap), 0);
		CK(cap == 4 || t_fail("needs a boot with ctr_max_ctrs=4"));
		refused_restore(img, size, EAGAIN, "five containers in rx");
		restores(img1, size1, "rp0", 0);
		while (sbrk(4096) != (void *)-1)
			;
		refused_restore(img1, size1, ENOMEM, "rp0 in a full rx");
		done();
	}
	reap_ok(x, "rx");
	wait_gone("rx");
	restores(img, size, "rt0", 4); /* at the cap, in the system: fits */
	check_base(&b, "after restore");
}

/* ---- every charge comes back -------------------------------------------- */

/* This container's pages= usage, or -1. */
static long my_pages(void)
{
	long used = -1, cap;

	return usage(here(), "pages", &used, &cap) == 0 ? used : -1;
}

/* Needs this many KiB of stack: more than was ever mapped. */
static int __attribute__((noinline)) deep(int kib)
{
	volatile char pad[1024];

	pad[0] = (char)kib;
	return kib > 0 ? deep(kib - 1) + pad[0] : 0;
}

/* A child that waits until go's writers are gone (it keeps no other
 * descriptor but the console), then runs what: 'x' exec /bin/true, 's'
 * grow its stack by 256 KiB.  It exits with 0 if exec failed with ENOMEM
 * and it went on, 1 otherwise; it is killed if its stack cannot grow. */
static pid_t waiting_child(int what, int go)
{
	static char *const argv[] = {"true", NULL};
	pid_t p = fork();
	int fd;

	if (p != 0)
		return p;
	for (fd = 3; fd < 32; fd++)
		if (fd != go)
			close(fd);
	hold_on(go);
	if (what == 'x')
		_exit(execv("/bin/true", argv) < 0 && errno == ENOMEM ? 0 : 1);
	_exit(deep(256) ? 1 : 2);
}

/* Grows the heap page by page until refused: the error (ENOMEM). */
static int fill(void)
{
	while (sbrk(4096) != (void *)-1)
		;
	return errno;
}

/* Inside container "uc": sbrk, pipes, fork, exec and exit each charge and
 * return exactly their pages; at the cap, sbrk, pipe, fork and exec fail
 * with ENOMEM, a stack that cannot grow kills only its task, and the
 * container goes on. */
static void charges_inside(void)
{
	long u0, used = -1, cap = -1;
	int gx[2], gs[2], fds[2], st;
	char *brk0;
	pid_t x, s, c;

	EQ(enter("uc"), 0);
	u0 = my_pages();
	brk0 = sbrk(0);
	CK(u0 > 0 || t_fail("pages= of uc: %ld", u0));
	CK(sbrk(64 << 10) != (void *)-1);
	EQ(my_pages(), u0 + 16);
	sbrk(-(64 << 10));
	EQ(my_pages(), u0);
	OK(pipe(fds));
	EQ(my_pages(), u0 + 1);
	close(fds[0]);
	close(fds[1]);
	EQ(my_pages(), u0);
	c = fork();
	if (c == 0)
		_exit(execv("/bin/true", (char *const[]){"true", NULL}));
	EQ(waitpid(c, &st, 0), c);
	EQ(exit_code(st), 0);
	EQ(my_pages(), u0); /* fork, exec and exit gave every page back */
	OK(pipe(gx));
	x = waiting_child('x', gx[0]);
	OK(pipe(gs));
	s = waiting_child('s', gs[0]);
	EQ(my_pages(), 3 * u0 + 2); /* two copies of this task, two pipes */
	EQ(fill(), ENOMEM);
	EQ(usage("uc", "pages", &used, &cap), 0);
	EQ(used, cap);
	ERR(sys_fork(), ENOMEM);
	ERR(sys_pipe(P(fds)), ENOMEM);
	EQ(my_pages(), cap);
	close(gx[0]);
	close(gx[1]);
	EQ(waitpid(x, &st, 0), x);
	CK(exit_code(st) == 0 || t_fail("exec at the cap: status 0x%x", st));
	EQ(fill(), ENOMEM); /* x's pages were given back: take them */
	close(gs[0]);
	close(gs[1]);
	EQ(waitpid(s, &st, 0), s);
	CK(WIFSIGNALED(st) ||
	   t_fail("stack growth at the cap: status 0x%x, not killed", st));
	sbrk(brk0 - (char *)sbrk(0));
	EQ(my_pages(), u0);
	done();
}

static void test_charges(void)
{
	struct base b;
	pid_t c;

	grow_stack();
	take_base(&b);
	if ((c = fork()) == 0)
		charges_inside();
	reap_ok(c, "uc");
	wait_gone("uc");
	check_base(&b, "after uc");
}

static const struct t_case tests[] = {
    {"charges", test_charges},
    {"hostile", test_hostile},
    {"trust", test_trust},
    {"restore", test_restore},
};

int main(int argc, char **argv)
{
	t_timeout_ms = 120000;
	return t_main("t_hostile", tests, sizeof(tests) / sizeof(tests[0]),
		      argc, argv);
}
