/*
 * ctrviews: containers and PIDs seen from every level (spec section 4).
 * Run as init (init=/test/ctrviews) or from the shell of the system
 * container; each test runs in a forked child of the runner and builds its
 * containers below it.  Errors and limits are in ctrlimits.
 *
 *   ctrviews           run them all; last line "ctrviews: N passed, M failed"
 *   ctrviews NAME...   run only these;   ctrviews list   the names
 */
#include "ctrlib.h"

/* ---- founding -------------------------------------------------------- */

/* The founder keeps its old PID outside and is 1 inside with no parent. */
static void test_founder(void)
{
	int ready[2], hold[2];
	pid_t c, before;

	if ((c = fork_held(ready, hold)) == 0) {
		before = getpid();
		EQ(enter("f1"), 0);
		EQ(getpid(), 1);
		EQ(sys_getppid(), 0);
		STREQ(here(), "f1");
		check_field(1, "Pid", "1");
		check_field(1, "PPid", "0");
		check_field(1, "NSpid", "1");
		check_field(1, "Container", "f1");
		CK(T_EQ(has_field(1, "RealPid"), 0));
		ERR(sys_kill(before, 0),
		    ESRCH); /* the outside number is gone */
		put_byte(ready[1], 1);
		hold_on(hold[0]);
		exit(bad ? 1 : 7);
	}
	close(hold[0]);
	get_byte(ready[0]);
	char ns[32];
	snprintf(ns, sizeof(ns), "%d\t1", c);
	check_field_num(c, "Pid", c);
	check_field_num(c, "PPid", getpid());
	check_field(c, "Container", "f1");
	check_field(c, "NSpid", ns);
	check_field_num(c, "RealPid", c); /* founding keeps the real PID */
	check_field_num(c, "Pidspace", 0);
	EQ(sys_kill(c, 0), 0);
	close(hold[1]);
	int st;
	EQ(waitpid(c, &st, 0), c);
	EQ(exit_code(st), 7);
}

/* Children get 2, 3, 4 inside and (pidspace << 23) | n outside. */
static void test_children(void)
{
	int ready[2], hold[2], i;
	pid_t c, k;

	if ((c = fork_held(ready, hold)) == 0) {
		EQ(enter("kids"), 0);
		for (i = 0; i < 3; i++) {
			if ((k = fork()) == 0) {
				EQ(getpid(), i + 2);
				EQ(getppid(), 1);
				hold_on(hold[0]);
				done();
			}
			EQ(k, i + 2);
		}
		put_byte(ready[1], 1);
		hold_on(hold[0]);
		for (i = 2; i <= 4; i++)
			reap_ok(i, "kids init");
		done();
	}
	close(hold[0]);
	get_byte(ready[0]);
	long ps = ctr_col("kids", 4);
	CK(ps > 0 || t_fail("no pidspace for kids in /proc/containers"));
	for (i = 2; i <= 4; i++) {
		unsigned long real = RP(ps, i);
		char ns[32];
		snprintf(ns, sizeof(ns), "%lu\t%d", real, i);
		check_field_num(real, "Pid", real);
		check_field_num(real, "PPid", c);
		check_field(real, "NSpid", ns);
		check_field_num(real, "RealPid", real);
		check_field_num(real, "Pidspace", ps);
		check_field_num(real, "Vpid", i);
		check_field(real, "Container", "kids");
		EQ(sys_kill(real, 0), 0);
	}
	close(hold[1]);
	reap_ok(c, "test");
}

/* ---- NSpid from every level ------------------------------------------ */

/*
 * Four tasks in three nested containers, na > nb > nc:
 *   A  init of na       B  init of nb       C  init of nc     W  worker
 * nr[x][level] is x's PID at level 0 (system: the real PID), 1, 2, 3.
 */
enum { TA, TB, TC, TW, NTASK };
static const char *lv_ctr[4] = {"system", "na", "nb", "nc"};
static const int depth_of[NTASK] = {1, 2, 3, 3};
static const int parent_of[NTASK] = {-1, TA, TB, TC};
static unsigned long nr[NTASK][4] = {
    {0, 1, 0, 0},
    {0, 2, 1, 0},
    {0, 3, 2, 1},
    {0, 4, 3, 2},
};

/* Checks what a reader at level lv sees of the four; tpid is the PID of
 * A's parent at level 0. */
static void check_view(int lv, unsigned long tpid)
{
	unsigned long listed[64];
	int n = proc_pids(listed, 64), x, l, i, seen, want = 0;
	char s[160];

	for (x = 0; x < NTASK; x++) {
		if (depth_of[x] < lv)
			continue;
		unsigned long pid = nr[x][lv];
		int p = parent_of[x];
		want++;
		check_field_num(pid, "Pid", pid);
		check_field_num(pid, "PPid",
				p >= 0 && depth_of[p] >= lv ? nr[p][lv]
				: lv == 0		    ? tpid
							    : 0);
		check_field(pid, "Container", lv_ctr[depth_of[x]]);
		s[0] = 0;
		for (l = lv; l <= depth_of[x]; l++)
			snprintf(s + strlen(s), sizeof(s) - strlen(s), "%s%lu",
				 l > lv ? "\t" : "", nr[x][l]);
		check_field(pid, "NSpid", s);
		CK(T_EQ(has_field(pid, "RealPid"), lv == 0));
		CK(T_EQ(has_field(pid, "Pidspace"), lv == 0));
		EQ(sys_kill(pid, 0), 0);
		for (i = 0, seen = 0; i < n; i++)
			seen += listed[i] == pid;
		CK(seen == 1 || t_fail("level %d: %lu listed %d times in /proc",
				       lv, pid, seen));
	}
	if (lv > 0) /* inside, /proc lists exactly these */
		CK(n == want ||
		   t_fail("level %d: /proc lists %d tasks, expected %d", lv, n,
			  want));
	for (l = 1; l <= 3;
	     l++) /* containers: own and nested, pidspace only for system */
		CK(T_EQ(ctr_col(lv_ctr[l], 3) >= 0, l >= lv));
	CK(T_EQ(ctr_col(lv_ctr[lv > 0 ? lv : 1], 4) >= 0, lv == 0));
	if (lv > 0)
		EQ(ctr_count(), 4 - lv);
}

/* The chain below the test: each task enters the next container and
 * forks; the parent stays there as init, the child goes one level deeper;
 * in nc the child is the worker.  Each checks its view when told to. */
static void nest(int ready, int go, int fin, int hold)
{
	pid_t next;
	int lv;

	for (lv = 1;; lv++) {
		EQ(enter(lv_ctr[lv]), 0);
		next = fork();
		if (next != 0 || lv == 3)
			break;
	}
	if (next)
		EQ(next, 2);
	put_byte(ready, 1);
	get_byte(go);
	check_view(lv, 0);
	put_byte(fin, bad ? 'F' : 'P');
	hold_on(hold);
	if (next > 0)
		reap_ok(next, lv_ctr[lv]);
	done();
}

static void test_nspid_levels(void)
{
	int ready[2], go[2], fin[2], hold[2], i;
	pid_t a;

	pipe(ready);
	pipe(go);
	if ((a = fork_held(fin, hold)) == 0) {
		nest(ready[1], go[0], fin[1], hold[0]);
	}
	close(hold[0]);
	for (i = 0; i < NTASK; i++)
		get_byte(ready[0]);
	write(go[1], "gggg", NTASK);
	for (i = 0; i < NTASK; i++)
		CK(get_byte(fin[0]) == 'P' ||
		   t_fail("a reader inside saw a wrong view"));
	nr[TA][0] = (unsigned long)a;
	nr[TB][0] = RP(ctr_col("na", 4), 2);
	nr[TC][0] = RP(ctr_col("nb", 4), 2);
	nr[TW][0] = RP(ctr_col("nc", 4), 2);
	check_view(0, getpid());
	close(hold[1]);
	reap_ok(a, "test");
}

/* ---- isolation --------------------------------------------------------- */

/* What the test tells each sweeper: every number that must stay hidden. */
struct info {
	unsigned long hidden[16];
	int nhidden;
};

static const unsigned pattern[] = {0,	  1,	 2,	3,     0x55,
				   0xaa,  0xff,	 0x100, 0x101, 0x155,
				   0x1aa, 0x1fe, 0x1ff, 0x0f0};

/* Is name one of the space-separated words of list? */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; (p = strstr(p, name)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
			return 1;
	return 0;
}

/* Checks one PID from the sweeper's view: visible (1..nvis) names a task
 * in one of the containers in mine, anything else is exactly a PID nobody
 * has. */
static void probe(unsigned long x, int nvis, int nkids, const char *mine,
		  int with_proc)
{
	char path[48], ctr[40];
	int vis = x >= 1 && x <= (unsigned long)nvis;
	long k = sys_kill((long)x, 0), w = sys_waitpid((long)x, 0, WNOHANG);

	if (x == 0 || x == 0xffffffffu)
		return; /* "any": not a PID */
	if (vis ? k != 0 : k != -ESRCH) {
		t_fail("kill(%lu, 0) = %s, visible %d", x, t_errstr(k), vis);
		bad++;
	}
	if ((x >= 2 && x <= (unsigned long)nkids + 1) ? w != 0 : w != -ECHILD) {
		t_fail("waitpid(%lu, WNOHANG) = %s", x, t_errstr(w));
		bad++;
	}
	if (!with_proc && !vis)
		return;
	snprintf(path, sizeof(path), "/proc/%lu/status", x);
	long fd = sys_open(P(path), O_RDONLY);
	if (fd >= 0)
		sys_close(fd);
	if (vis ? fd < 0 : fd != -ENOENT) {
		t_fail("open %s = %s, visible %d", path, t_errstr(fd), vis);
		bad++;
	}
	if (vis && (status_of(x, "Container", ctr, sizeof(ctr)) < 0 ||
		    !in_list(mine, ctr))) {
		t_fail("PID %lu reaches a task in container %s", x, ctr);
		bad++;
	}
}

/* From inside a container: every outside number, real PIDs of our own
 * tasks and 1..2000 in every pidspace pattern are hidden. */
static void sweep(const struct info *in, int nvis, int nkids, const char *mine)
{
	unsigned long x, listed[64];
	int i, p;

	for (i = 0; i < in->nhidden; i++)
		probe(in->hidden[i], nvis, nkids, mine, 1);
	for (p = 0; p < (int)(sizeof(pattern) / sizeof(pattern[0])); p++)
		for (x = 1; x <= 2000; x++)
			probe(RP(pattern[p], x), nvis, nkids, mine, p < 3);
	EQ(proc_pids(listed, 64), nvis);
	for (i = 1; i <= nvis; i++) /* nothing shows a real PID or pidspace */
		CK(T_EQ(has_field(i, "RealPid") || has_field(i, "Pidspace"),
			0));
	CK(T_EQ(ctr_col(here(), 4), -1));
}

/* Sweeper protocol: ready, read the info, sweep, report, hold. */
static void sweeper(int nvis, int nkids, const char *mine, int *fds)
{
	struct info in;

	put_byte(fds[0], 1);
	if (read_full(fds[1], &in, sizeof(in)) < 0)
		t_fail("no info"), bad++;
	sweep(&in, nvis, nkids, mine);
	put_byte(fds[2], bad ? 'F' : 'P');
	hold_on(fds[3]);
}

/* iso2: D (1) with D2 (2), who holds on; D sweeps.  Returns D's PID. */
static pid_t start_iso2(int *fds, int *hold)
{
	pid_t d = fork();

	if (d == 0) {
		close(hold[1]);
		EQ(enter("iso2"), 0);
		if (fork() == 0) {
			hold_on(hold[0]);
			done();
		}
		sweeper(2, 1, "iso2", fds);
		reap_ok(2, "iso2");
		done();
	}
	return d;
}

/* iso: C (1), K2 (2), K3 (3) who founds isoin (K3 is 1 there) with K4 (2
 * in isoin, 4 in iso); C, K2 and K4 sweep.  Returns C's PID. */
static pid_t start_iso(int *fds, int *hold)
{
	pid_t c = fork();

	if (c == 0) {
		close(hold[1]);
		EQ(enter("iso"), 0);
		if (fork() == 0) { /* K2 */
			sweeper(4, 0, "iso isoin", fds);
			done();
		}
		if (fork() == 0) { /* K3 */
			EQ(enter("isoin"), 0);
			if (fork() == 0) { /* K4 */
				sweeper(2, 0, "isoin", fds);
				done();
			}
			hold_on(hold[0]);
			reap_ok(2, "isoin");
			done();
		}
		sweeper(4, 2, "iso isoin", fds);
		reap_ok(2, "iso");
		reap_ok(3, "iso");
		done();
	}
	return c;
}

/*
 * system: test T, sleeper S.  iso: C (1), K2 (2), K3 (3) who founds isoin
 * (K3 is 1 there) with K4 (2 in isoin, 4 in iso).  iso2: D (1), D2 (2).
 * Sweepers: C, K2, K4, D.
 */
static void test_isolation(void)
{
	int ready[2], go[2], fin[2], hold[2], i;
	pid_t s, c, d;
	int fds[4];

	pipe(ready);
	pipe(go);
	pipe(fin);
	pipe(hold);
	fds[0] = ready[1], fds[1] = go[0], fds[2] = fin[1], fds[3] = hold[0];
	if ((s = fork()) == 0) {
		close(hold[1]);
		hold_on(hold[0]);
		done();
	}
	d = start_iso2(fds, hold);
	c = start_iso(fds, hold);
	close(hold[0]);
	for (i = 0; i < 4; i++)
		get_byte(ready[0]);
	long ps = ctr_col("iso", 4), ps2 = ctr_col("iso2", 4),
	     psin = ctr_col("isoin", 4);
	struct info in = {{(unsigned long)getpid(), s, c, d, RP(ps, 2),
			   RP(ps, 3), RP(psin, 2), RP(ps2, 2), ps, ps2, psin,
			   1},
			  12};
	/* the system sees them all under their real PIDs */
	for (i = 0; i < 8; i++) {
		EQ(sys_kill(in.hidden[i], 0), 0);
		CK(T_EQ(has_field(in.hidden[i], "RealPid"), 1));
	}
	in.hidden[11] =
	    RP(psin, 1); /* K3's number 1 in isoin: not a real PID */
	for (i = 0; i < 4; i++)
		write(go[1], &in, sizeof(in));
	for (i = 0; i < 4; i++)
		CK(get_byte(fin[0]) == 'P' ||
		   t_fail("a sweeper inside reached something"));
	EQ(sys_kill(RP(psin, 1), 0), -ESRCH);
	close(hold[1]);
	reap_ok(s, "test");
	reap_ok(c, "test");
	reap_ok(d, "test");
}

/* ---- life and death ------------------------------------------------------ */

/* Orphans inside are adopted by the container's init, which reaps them,
 * also one that founded a nested container (its new parent is hidden from
 * it there). */
static void test_orphans(void)
{
	pid_t c, a;
	int st, i, got = 0;

	if ((c = fork()) == 0) {
		EQ(enter("orph"), 0);
		if ((a = fork()) == 0) {
			if (fork() == 0) { /* 3: waits to be orphaned */
				for (i = 0; i < 200 && getppid() != 1; i++)
					msleep(10);
				EQ(getppid(), 1);
				exit(bad ? 1 : 3);
			}
			if (fork() ==
			    0) { /* 4: founds orphin, then is orphaned */
				EQ(enter("orphin"), 0);
				msleep(100);
				EQ(getppid(), 0);
				exit(bad ? 1 : 4);
			}
			exit(0); /* 2 */
		}
		EQ(a, 2);
		EQ(waitpid(2, &st, 0), 2);
		for (i = 0; i < 2; i++) {
			pid_t r = waitpid(-1, &st, 0);
			CK((r == 3 || r == 4) || t_fail("init reaped %d", r));
			EQ(exit_code(st), r);
			got |= 1 << r;
		}
		EQ(got, (1 << 3) | (1 << 4));
		ERR(sys_waitpid(-1, 0, 0), ECHILD);
		done();
	}
	reap_ok(c, "test");
}

/* Only init may not be killed from inside; kill(-1) spares it and the
 * caller. */
static void test_kill_rules(void)
{
	pid_t c;
	int st;

	if ((c = fork()) == 0) {
		EQ(enter("kr"), 0);
		if (fork() == 0) { /* 2 */
			ERR(sys_kill(1, SIGKILL), EPERM);
			ERR(sys_kill(1, SIGTERM), EPERM);
			EQ(sys_kill(1, 0), 0);
			while (sys_kill(3, 0) != 0)
				msleep(5);
			EQ(sys_kill(-1, 0), 0);
			EQ(sys_kill(-1, SIGKILL), 0); /* ends 3 only */
			EQ(sys_kill(1, 0), 0);
			done();
		}
		if (fork() == 0) { /* 3 */
			for (;;)
				msleep(1000);
		}
		EQ(waitpid(3, &st, 0), 3);
		EQ(st, SIGKILL);
		reap_ok(2, "kr init");
		EQ(sys_kill(-1, 0), -ESRCH);
		done();
	}
	reap_ok(c, "test");
}

/* Free pages now (/proc/meminfo). */
static long pages_free(void)
{
	char text[256], v[32];

	if (read_file("/proc/meminfo", text, sizeof(text)) < 0 ||
	    status_field(text, "PagesFree", v, sizeof(v)) < 0)
		return -1;
	return (long)strtoul(v, NULL, 10);
}

/* Sleeps until killed. */
static void sleep_forever(void)
{
	for (;;)
		msleep(1000);
}

/*
 * Container name: init (1) with a sleeper (2), a zombie (3) and a child (4)
 * that founds name-in and forks a sleeper there.  Each of init and 4 writes
 * a byte to ready once in place.  Then init exits with 5 when a byte comes
 * on go (kill_it 0), or the test kills it from outside (kill_it 1).
 * Checks that everything inside dies, the container goes away, and the
 * free-page count is what it was.
 */
static void doom(const char *name, int kill_it)
{
	char inner[40], ctr[40];
	unsigned long pids[64], members[64];
	int ready[2], go[2], st, n, m = 0, i;
	pid_t init;

	snprintf(inner, sizeof(inner), "%s-in", name);
	pipe(ready);
	pipe(go);
	if ((init = fork()) == 0) {
		EQ(enter(name), 0);
		if (fork() == 0)
			sleep_forever();
		if (fork() == 0)
			exit(0);
		if (fork() == 0) {
			EQ(enter(inner), 0);
			if (fork() == 0)
				sleep_forever();
			put_byte(ready[1], 1);
			sleep_forever();
		}
		put_byte(ready[1], 1);
		get_byte(go[0]);
		exit(5);
	}
	get_byte(ready[0]);
	get_byte(ready[0]);
	n = proc_pids(pids, 64);
	for (i = 0; i < n; i++)
		if (status_of(pids[i], "Container", ctr, sizeof(ctr)) == 0 &&
		    strncmp(ctr, name, strlen(name)) == 0)
			members[m++] = pids[i];
	EQ(m, 5);
	EQ(ctr_col(name, 3), 5); /* task count, nested ones included */
	if (kill_it)
		EQ(sys_kill(init, SIGKILL), 0);
	else
		put_byte(go[1], 1);
	EQ(waitpid(init, &st, 0), init);
	EQ(st, kill_it ? SIGKILL : 5 << 8);
	for (i = 0;
	     i < 300 && (ctr_col(name, 3) >= 0 || ctr_col(inner, 3) >= 0); i++)
		msleep(10);
	EQ(ctr_col(name, 3), -1);
	EQ(ctr_col(inner, 3), -1);
	for (i = 0; i < m; i++)
		EQ(sys_kill(members[i], 0), -ESRCH);
	close(ready[0]), close(ready[1]), close(go[0]), close(go[1]);
}

/* When init exits (or is killed from outside) everything inside, nested
 * containers too, dies; no page is lost; the name can be used again. */
static void test_init_exit(void)
{
	long base;

	doom("doom", 0); /* warms up heaps and buffers */
	base = pages_free();
	doom("doom", 0);
	EQ(pages_free(), base);
	doom("doom", 1);
	EQ(pages_free(), base);
}

static const struct t_case tests[] = {
    {"founder", test_founder},		 {"children", test_children},
    {"nspid_levels", test_nspid_levels}, {"isolation", test_isolation},
    {"orphans", test_orphans},		 {"kill_rules", test_kill_rules},
    {"init_exit", test_init_exit},
};

int main(int argc, char **argv)
{
	return t_main("ctrviews", tests, sizeof(tests) / sizeof(tests[0]), argc,
		      argv);
}
