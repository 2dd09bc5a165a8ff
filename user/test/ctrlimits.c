/*
 * ctrlimits: the errors and limits of containers (spec section 4.1).  Each
 * failed attempt must change nothing: the caller's container, its PID and
 * the list of containers stay as they were.
 *
 *   ctrlimits [--pid-max=N] [--max-tasks=N] [NAME...]
 *
 * The two options tell the tests what the kernel was booted with
 * (pid_max=, ctr_max_tasks=); "cap" and "wrap" need them.
 */
#include "ctrlib.h"

static unsigned long opt_pid_max = (1ul << PIDNR_BITS) - 1;
static long opt_max_tasks = CTR_MAX_TASKS_DEFAULT;

/* What a failed attempt must leave alone. */
struct snap {
	char ctr[CTR_NAME_MAX + 2];
	pid_t pid;
	int nctr;
};

static void take(struct snap *s)
{
	strlcpy(s->ctr, here(), sizeof(s->ctr));
	s->pid = getpid();
	s->nctr = ctr_count();
}

/* Checks that nothing changed since s; what says after which attempt. */
static void unchanged(const struct snap *s, const char *what)
{
	struct snap now;

	take(&now);
	if (strcmp(now.ctr, s->ctr) || now.pid != s->pid ||
	    now.nctr != s->nctr) {
		t_fail("after %s: container %s pid %d containers %d, expected "
		       "%s %d %d",
		       what, now.ctr, now.pid, now.nctr, s->ctr, s->pid,
		       s->nctr);
		bad++;
	}
}

/* Tries to enter name (len bytes) expecting -err, then checks nothing
 * changed. */
static void refused(const char *name, size_t len, int err)
{
	struct snap s;
	char what[80];

	take(&s);
	snprintf(what, sizeof(what), "entering \"%.*s\" (%u bytes)", (int)len,
		 name, (unsigned)len);
	CK(t_check_err(what, enter_raw(name, len), err));
	unchanged(&s, what);
}

/* Waits until container name is gone (its last task reaped). */
static void wait_gone(const char *name)
{
	int i;

	for (i = 0; i < 500 && ctr_col(name, 3) >= 0; i++)
		msleep(10);
	CK(ctr_col(name, 3) < 0 || t_fail("container %s still there", name));
}

/* ---- names ----------------------------------------------------------- */

static void test_names(void)
{
	static const struct {
		const char *s;
		size_t len;
	} badname[] = {
	    {"\n", 1},
	    {"abcdefghijklmnopqrstuvwxyz012345", 32},
	    {"abcdefghijklmnopqrstuvwxyz012345\n", 33},
	    {"a/b", 3},
	    {"/", 1},
	    {"a b", 3},
	    {" ab", 3},
	    {"caf\xc3\xa9", 5},
	    {"ab\x80", 3},
	    {"ab\n\n", 4},
	    {"\nab", 3},
	    {"a\0b", 3},
	    {"ab\t", 3},
	    {"ab\r\n", 4},
	    {"a:b", 3},
	};
	struct snap s;
	int i;
	pid_t c;

	for (i = 0; i < (int)(sizeof(badname) / sizeof(badname[0])); i++)
		refused(badname[i].s, badname[i].len, EINVAL);
	take(&s);
	EQ(enter_raw("", 0), 0); /* an empty write writes nothing */
	unchanged(&s, "an empty write");
	if ((c = fork()) == 0) { /* 31 characters is the longest */
		EQ(enter("abcdefghijklmnopqrstuvwxyz01234"), 0);
		STREQ(here(), "abcdefghijklmnopqrstuvwxyz01234");
		done();
	}
	reap_ok(c, "names");
	if ((c = fork()) == 0) { /* every allowed character, one newline */
		EQ(enter_raw("Az09._-\n", 8), 8);
		STREQ(here(), "Az09._-");
		done();
	}
	reap_ok(c, "names");
}

/* Names are global: in use at any level anywhere is EEXIST. */
static void test_duplicate(void)
{
	int ready[2], hold[2];
	pid_t x, y;

	if ((x = fork_held(ready, hold)) == 0) {
		EQ(enter("dupa"), 0);
		EQ(enter("dupb"), 0); /* init of both */
		refused("dupa", 4, EEXIST);
		refused("dupb", 4, EEXIST);
		refused("system", 6, EEXIST);
		put_byte(ready[1], 1);
		hold_on(hold[0]);
		done();
	}
	get_byte(ready[0]);
	if ((y = fork()) == 0) {
		refused("dupa", 4, EEXIST);
		refused("dupb\n", 5, EEXIST);
		EQ(enter("dupc"), 0);
		refused("dupa", 4, EEXIST); /* from a sibling container */
		refused("dupb", 4, EEXIST);
		refused("dupc", 4, EEXIST); /* its own name */
		done();
	}
	reap_ok(y, "test");
	close(hold[1]);
	reap_ok(x, "test");
}

/* A task with children, alive or zombie, cannot found a container. */
static void test_ebusy(void)
{
	pid_t x, k;
	char st[8];
	int i;

	if ((x = fork()) == 0) {
		if ((k = fork()) == 0)
			for (;;)
				msleep(1000);
		refused("busy", 4, EBUSY);
		EQ(sys_kill(k, SIGKILL), 0);
		for (i = 0; i < 200; i++) {
			if (status_of(k, "State", st, sizeof(st)) == 0 &&
			    st[0] == 'Z')
				break;
			msleep(5);
		}
		STREQ(st, "Z");
		refused("busy", 4, EBUSY);
		EQ(waitpid(k, NULL, 0), k);
		EQ(enter("busy"), 0);
		EQ(getpid(), 1);
		done();
	}
	reap_ok(x, "test");
}

/* ---- pidspaces and depth --------------------------------------------- */

struct report {
	int made;
	long err;
};

/* Founder: nests containers f<i>.1, f<i>.2, ... until refused, checks the
 * refusal changed nothing, forks a child in the deepest one, reports. */
static void founder(int i, int rep, int hold)
{
	struct report r = {0, 0};
	char name[24];
	pid_t k;

	for (;;) {
		snprintf(name, sizeof(name), "f%d.%d", i, r.made + 1);
		if ((r.err = enter(name)) < 0)
			break;
		r.made++;
	}
	refused(name, strlen(name), (int)-r.err);
	if (r.err == -EAGAIN)
		EQ(ctr_col(here(), 2), CTR_DEPTH_MAX);
	if (r.made > 0 && (k = fork()) == 0) {
		hold_on(hold);
		done();
	}
	write(rep, &r, sizeof(r));
	hold_on(hold);
	if (r.made > 0)
		reap_ok(2, "founder");
	done();
}

/* Up to 32 levels deep (then EAGAIN), up to 511 pidspaces (then ENOSPC);
 * a pidspace is free again once its container is gone.  The system sees
 * every task under its real PID, bit 31 set or not. */
static void test_pidspaces(void)
{
	int rep[2], hold[2], nf = 0, total = 0, n0 = ctr_count() - 1, i,
			     big = 0;
	pid_t f[20], y;
	struct report r = {0, 0};
	unsigned long pids[128];
	char real[16];

	pipe(rep);
	pipe(hold);
	while (nf < 20 && r.err != -ENOSPC) {
		if ((f[nf] = fork()) == 0) {
			close(hold[1]);
			founder(nf, rep[1], hold[0]);
		}
		nf++;
		read_full(rep[0], &r, sizeof(r));
		CK(r.err == -ENOSPC ||
		   (r.err == -EAGAIN && r.made == CTR_DEPTH_MAX) ||
		   t_fail("founder %d: %d made, then %s", nf - 1, r.made,
			  t_errstr(r.err)));
		total += r.made;
	}
	EQ(total, 511 - n0);
	EQ(ctr_count(), 512);
	if ((y = fork()) == 0) {
		refused("one.more", 8, ENOSPC);
		done();
	}
	reap_ok(y, "test");
	int n = proc_pids(pids, 128);
	for (i = 0; i < n; i++) {
		EQ(sys_kill(pids[i], 0), 0);
		snprintf(real, sizeof(real), "%lu", pids[i]);
		check_field(pids[i], "RealPid", real);
		big += pids[i] >= 0x80000000ul;
	}
	CK(big > 0 ||
	   t_fail("no task with a real PID from pidspace 256 or above"));
	EQ(sys_kill(f[0], SIGKILL), 0); /* frees 32 pidspaces */
	EQ(waitpid(f[0], NULL, 0), f[0]);
	wait_gone("f0.1");
	if ((y = fork()) == 0) {
		EQ(enter("again"), 0);
		done();
	}
	reap_ok(y, "test");
	close(hold[1]);
	for (i = 1; i < nf; i++)
		reap_ok(f[i], "test");
	for (i = 0; i < 300 && ctr_count() != n0 + 1; i++)
		msleep(10);
	EQ(ctr_count(), n0 + 1);
}

/* ---- task cap and PID wraparound --------------------------------------- */

/* Forks children that hold until hold closes, until fork fails; returns
 * how many, and the error in *err. */
static int fork_until_refused(int hold, int max, long *err)
{
	int n = 0;
	long k;

	while (n < max) {
		k = sys_fork();
		if (k == 0) {
			hold_on(hold);
			_exit(0);
		}
		if (k < 0) {
			*err = k;
			break;
		}
		n++;
	}
	return n;
}

/* ctr_max_tasks counts nested containers too; beyond it fork is EAGAIN,
 * changes nothing, and the rest of the machine goes on. */
static void test_cap(void)
{
	long max = opt_max_tasks, err = 0;
	int n2i[2], ask[2], i2t[2], hold[2], half = (int)max / 2, n;
	pid_t i, y;

	pipe(n2i);
	pipe(ask);
	if ((i = fork_held(i2t, hold)) == 0) {
		EQ(enter("cap"), 0);
		if (fork() == 0) { /* 2: founds capin, forks half */
			EQ(enter("capin"), 0);
			EQ(fork_until_refused(hold[0], half, &err), half);
			put_byte(n2i[1], 1);
			get_byte(ask[0]);
			ERR(sys_fork(), EAGAIN); /* the outer cap counts */
			put_byte(n2i[1], 1);
			hold_on(hold[0]);
			while (waitpid(-1, NULL, 0) > 0)
				;
			done();
		}
		get_byte(n2i[0]);
		n = fork_until_refused(hold[0], (int)max, &err);
		EQ(n, max - 2 - half);
		EQ(err, -EAGAIN);
		EQ(ctr_col("cap", 3), max);
		ERR(sys_fork(), EAGAIN);
		EQ(ctr_col("cap", 3), max);
		put_byte(ask[1], 1);
		get_byte(n2i[0]);
		put_byte(i2t[1], 1);
		hold_on(hold[0]);
		while (waitpid(-1, NULL, 0) > 0)
			;
		done();
	}
	close(hold[0]);
	get_byte(i2t[0]);
	EQ(ctr_col("cap", 3), max);
	EQ(ctr_col("capin", 3), half + 1);
	if ((y = fork()) == 0) { /* the rest of the machine still works */
		EQ(enter("cap2"), 0);
		if (fork() == 0)
			_exit(0);
		EQ(waitpid(2, NULL, 0), 2);
		done();
	}
	reap_ok(y, "test");
	close(hold[1]);
	reap_ok(i, "test");
	wait_gone("cap");
}

/* Numbers wrap at pid_max and never reuse a live one; a full pidspace
 * refuses fork with EAGAIN and changes nothing. */
static void wrap_in(unsigned long max, int nlive, unsigned long *live)
{
	unsigned long prev = 0;
	int round, i, wraps = 0;
	long k;

	for (round = 0; round < 3 * (int)max; round++) {
		k = sys_fork();
		if (k == 0)
			_exit(0);
		if (k < 0 || (unsigned long)k > max) {
			t_fail("fork #%d: %s", round, t_errstr(k));
			bad++;
			return;
		}
		for (i = 0; i < nlive; i++)
			if (live[i] == (unsigned long)k)
				t_fail("fork #%d: reused live %ld", round, k),
				    bad++;
		wraps += (unsigned long)k < prev;
		prev = (unsigned long)k;
		EQ(waitpid(k, NULL, 0), k);
	}
	CK(wraps >= 2 ||
	   t_fail("only %d wraparounds in %d forks", wraps, 3 * (int)max));
}

static void test_wrap(void)
{
	unsigned long max = opt_pid_max, live[128];
	int hold[2], n, i;
	long err = 0;
	pid_t c;

	if (max > 100) {
		printf("wrap: needs a boot with pid_max=64 and --pid-max=64; "
		       "skipped\n");
		return;
	}
	pipe(hold);
	if ((c = fork()) == 0) {
		close(hold[1]);
		EQ(enter("wrap"), 0);
		EQ(fork_until_refused(hold[0], 5, &err), 5); /* 2..6 stay */
		for (i = 0; i < 6; i++)
			live[i] = (unsigned long)i + 1;
		wrap_in(max, 6, live);
		n = fork_until_refused(hold[0], 200, &err); /* fill it */
		EQ(n, (long)max - 6);
		EQ(err, -EAGAIN);
		EQ(ctr_col("wrap", 3), max);
		n = proc_pids(live, 128);
		EQ(n, max);
		close(hold[0]);
		while (waitpid(-1, NULL, 0) > 0)
			;
		done();
	}
	close(hold[0]);
	n = proc_pids(live, 128); /* the system container wraps too */
	wrap_in(max, n, live);
	close(hold[1]);
	reap_ok(c, "test");
}

static const struct t_case tests[] = {
    {"names", test_names}, {"duplicate", test_duplicate},
    {"ebusy", test_ebusy}, {"pidspaces", test_pidspaces},
    {"cap", test_cap},	   {"wrap", test_wrap},
};

int main(int argc, char **argv)
{
	while (argc > 1 && strncmp(argv[1], "--", 2) == 0) {
		if (strncmp(argv[1], "--pid-max=", 10) == 0)
			opt_pid_max = strtoul(argv[1] + 10, NULL, 10);
		else if (strncmp(argv[1], "--max-tasks=", 12) == 0)
			opt_max_tasks = strtol(argv[1] + 12, NULL, 10);
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	return t_main("ctrlimits", tests, sizeof(tests) / sizeof(tests[0]),
		      argc, argv);
}
