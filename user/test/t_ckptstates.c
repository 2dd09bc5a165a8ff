/*
 * t_ckptstates: a container in many states at once is migrated (checkpoint
 * without CKPT_KEEP, then restore) twice in a row in the same boot, and
 * every task then checks that its state came through intact.
 *
 * The container "cs" holds, each in its own task:
 *   - one open file per row of open_rows[] (every open flag that exists;
 *     a new flag is one more row), checked by what the descriptor still
 *     does: its offset, reading, writing, appending, and that O_TRUNC is
 *     not applied again;
 *   - a task blocked in a raw sleep call with the user-settable eflags
 *     NT, AC, DF, ID and all the arithmetic flags set by popf; after each
 *     call it reads them back with pushf (they must be exactly as set);
 *   - a task that sets TF the same way before a sleep: after the restores
 *     it still sleeps out its time and then dies of the single-step trap
 *     (SIGSEGV), exactly as it would have without a checkpoint;
 *   - a pipe with bytes in flight, a reader blocked on an empty pipe, a
 *     zombie, a parent blocked in waitpid, a sleeper;
 *   - nesting three deep below cs, where the deepest init has founded a
 *     container inside its own (the init of both).
 * Every task records getpid/getppid when ready and at the end; they must
 * not change.  Output: "t_ckptstates: NAME: PASS|FAIL ...", then
 * "t_ckptstates: N failed".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <procfs.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <testlib.h>
#include <unistd.h>
#include <uapi/ckpt_image.h>

static int failures;

/* One acceptance point's line; fmt NULL: PASS. */
#define verdict(name, ...)                                                     \
	(failures += t_verdict("t_ckptstates", name, __VA_ARGS__))

/* Says the task reached its state: /tmp/ready.TAG holds its pid and ppid. */
static void ready(const char *tag)
{
	char path[48];

	snprintf(path, sizeof(path), "/tmp/ready.%s", tag);
	t_put(path, "%d %d\n", getpid(), getppid());
}

/* The task's verdict (NULL: PASS) in /tmp/res.TAG, its pid and ppid now in
 * /tmp/ids.TAG. */
static void report(const char *tag, const char *why)
{
	char path[48];

	snprintf(path, sizeof(path), "/tmp/ids.%s", tag);
	t_put(path, "%d %d\n", getpid(), getppid());
	snprintf(path, sizeof(path), "/tmp/res.%s", tag);
	t_put(path, "%s\n", why ? why : "PASS");
}

/* ---- open flags: one row per flag combination ----------------------- */

static const struct open_row {
	const char *name;
	int flags;
} open_rows[] = {
    {"rdonly", O_RDONLY},
    {"wronly", O_WRONLY},
    {"rdwr", O_RDWR},
    {"wronly-append", O_WRONLY | O_APPEND},
    {"rdwr-append", O_RDWR | O_APPEND},
    {"rdwr-creat-trunc", O_RDWR | O_CREAT | O_TRUNC},
    {"wronly-creat-excl", O_WRONLY | O_CREAT | O_EXCL},
};
#define NROWS (sizeof(open_rows) / sizeof(open_rows[0]))

/* What the descriptor of row r does now: offset, read, write, append. */
static const char *check_row(const struct open_row *r, int fd, char *why,
			     size_t size)
{
	int acc = r->flags & O_ACCMODE;
	char path[48], got[32] = "", want[32];
	long off = lseek(fd, 0, SEEK_CUR), n;

	snprintf(path, sizeof(path), "/tmp/of.%s", r->name);
	if (off != 3)
		return snprintf(why, size, "offset %ld, not 3", off), why;
	n = read(fd, got, 3);
	if (acc == O_WRONLY ? n >= 0 : n != 3 || memcmp(got, "345", 3) != 0)
		return snprintf(why, size, "read gave %ld", n), why;
	n = write(fd, "X", 1);
	if (acc == O_RDONLY ? n >= 0 : n != 1)
		return snprintf(why, size, "write gave %ld", n), why;
	strcpy(want, "0123456789");
	if (acc != O_RDONLY && (r->flags & O_APPEND))
		strcat(want, "X");
	else if (acc != O_RDONLY)
		want[acc == O_RDWR ? 6 : 3] = 'X';
	memset(got, 0, sizeof(got));
	if (read_file(path, got, sizeof(got)) < 0 || strcmp(got, want) != 0)
		return snprintf(why, size, "file is '%s', not '%s'", got, want),
		       why;
	return NULL;
}

/* Opens every row's file, each holding "0123456789", at offset 3. */
static void st_files(void)
{
	int fds[NROWS];
	char path[48], why[120] = "";

	for (unsigned i = 0; i < NROWS; i++) {
		snprintf(path, sizeof(path), "/tmp/of.%s", open_rows[i].name);
		if (!(open_rows[i].flags & O_EXCL))
			t_put(path, "0123456789");
		fds[i] = open(path, open_rows[i].flags);
		if (open_rows[i].flags & (O_EXCL | O_TRUNC))
			t_put(path, "0123456789");
		if (fds[i] < 0 || lseek(fds[i], 3, SEEK_SET) != 3)
			_exit(1);
	}
	ready("files");
	t_wait_file("/tmp/go", 60000);
	for (unsigned i = 0; i < NROWS && !why[0]; i++) {
		char one[100];
		const char *w =
		    check_row(&open_rows[i], fds[i], one, sizeof(one));
		if (w)
			snprintf(why, sizeof(why), "%s: %s", open_rows[i].name,
				 w);
	}
	report("files", why[0] ? why : NULL);
	_exit(0);
}

/* ---- eflags -------------------------------------------------------------- */

#define EF_TF	 0x100u
#define EF_USER	 0x00244ed7u /* CF PF AF ZF SF DF OF NT AC ID, IF, bit 1 */
#define EF_CHECK 0x00254fd7u /* every bit user mode can hold */
#define SLEEP_NR 13u	     /* SYS_sleep */

/* sleep(ms) made with eflags set to flags by popf; returns the eflags
 * pushf sees right after the call (DF is cleared again at once). */
static uint32_t sleep_with_flags(uint32_t flags, uint32_t ms)
{
	uint32_t out, nr = SLEEP_NR;

	__asm__ volatile("pushfl\n\t"
			 "pushl %2\n\t"
			 "popfl\n\t"
			 "int $0x80\n\t"
			 "pushfl\n\t"
			 "popl %0\n\t"
			 "popfl\n\t"
			 : "=r"(out), "+a"(nr)
			 : "r"(flags), "b"(ms)
			 : "memory", "cc");
	return out;
}

/* Sleeps in 100 ms calls with the user flags set until "go"; each call
 * must give them back unchanged. */
static void st_eflags(void)
{
	struct cb_stat st;
	char why[80] = "";

	ready("eflags");
	do {
		uint32_t got = sleep_with_flags(EF_USER, 100);
		if ((got & EF_CHECK) != EF_USER && !why[0])
			snprintf(why, sizeof(why), "eflags 0x%x, set 0x%x", got,
				 EF_USER);
	} while (stat("/tmp/go", &st) < 0);
	report("eflags", why[0] ? why : NULL);
	_exit(0);
}

/* Sets TF and sleeps 3 s: when the call returns, the single-step trap
 * ends the task (SIGSEGV).  TF is only safe because of that: the trap
 * comes from user mode, and the kernel enters its handlers with TF off. */
static void st_tf(void)
{
	t_put("/tmp/tf.t0", "%u\n", uptime());
	ready("tf");
	sleep_with_flags(EF_USER | EF_TF, 3000);
	_exit(0); /* not reached */
}

/* ---- pipes, zombie, waitpid, sleep --------------------------------------- */

static void st_pipes(void)
{
	int p[2], q[2], n;
	char a[32] = "", b[32] = "";

	if (pipe(p) < 0 || pipe(q) < 0)
		_exit(1);
	if (fork() == 0) {
		close(p[0]), close(q[0]);
		write_all(p[1], "in-flight:", 10);
		ready("pipew");
		t_wait_file("/tmp/go", 60000);
		write_all(p[1], "after", 5);
		write_all(q[1], "wake", 4);
		report("pipew", NULL);
		_exit(0);
	}
	close(p[1]), close(q[1]);
	ready("piper");
	n = (int)read(q[0], b, sizeof(b) - 1); /* blocked at checkpoint */
	b[n > 0 ? n : 0] = 0;
	for (int got = 0; (n = (int)read(p[0], a + got, 30 - got)) > 0;)
		got += n, a[got] = 0;
	report("piper", strcmp(a, "in-flight:after") || strcmp(b, "wake")
			    ? "pipe bytes lost"
			    : NULL);
	_exit(t_reap_all());
}

static void st_family(void)
{
	int z = fork(), st = 0;

	if (z == 0)
		_exit(7); /* stays a zombie across both migrations */
	int k = fork();
	if (k == 0) {
		ready("child");
		t_wait_file("/tmp/go", 60000);
		report("child", NULL);
		_exit(42);
	}
	msleep(100);
	ready("waiter");
	int r = waitpid(k, &st, 0), zst = 0; /* blocked at checkpoint */
	bool ok = r == k && WIFEXITED(st) && WEXITSTATUS(st) == 42;
	r = waitpid(z, &zst, 0);
	ok = ok && r == z && WIFEXITED(zst) && WEXITSTATUS(zst) == 7;
	report("waiter", ok ? NULL : "waitpid or zombie status wrong");
	_exit(0);
}

static void st_sleeper(void)
{
	uint32_t t0 = uptime();

	ready("sleeper");
	msleep(1500);
	report("sleeper", uptime() - t0 >= 1500 ? NULL : "woke early");
	_exit(0);
}

/* cs > cs1 > cs2 > cs3, where cs2's init founded cs3 itself. */
static void st_nested(void)
{
	t_enter("cs1");
	if (fork() == 0) {
		t_enter("cs2");
		t_enter("cs3"); /* cs2's init, childless, nests itself */
		if (fork() == 0) {
			ready("n4");
			t_wait_file("/tmp/go", 60000);
			report("n4", NULL);
			_exit(0);
		}
		ready("n3");
		t_wait_file("/tmp/go", 60000);
		report("n3", t_reap_all() ? "child failed" : NULL);
		_exit(0);
	}
	ready("n2");
	t_wait_file("/tmp/go", 60000);
	report("n2", t_reap_all() ? "child failed" : NULL);
	_exit(0);
}

static const char *const tags[] = {"files", "eflags", "tf",	"pipew",
				   "piper", "child",  "waiter", "sleeper",
				   "n2",    "n3",     "n4"};
#define NTAGS (sizeof(tags) / sizeof(tags[0]))

/* The top init: starts every state, waits for them all, then for "go". */
static void cs_init(void)
{
	void (*const workers[])(void) = {st_files, st_eflags, st_tf,
					 st_pipes, st_family, st_sleeper,
					 st_nested};
	char path[48];
	int tf = 0, st = 0;

	for (unsigned i = 0; i < sizeof(workers) / sizeof(workers[0]); i++) {
		int pid = fork();
		if (pid == 0)
			workers[i]();
		if (workers[i] == st_tf)
			tf = pid;
	}
	for (unsigned i = 0; i < NTAGS; i++) {
		snprintf(path, sizeof(path), "/tmp/ready.%s", tags[i]);
		t_wait_file(path, 20000);
	}
	t_put("/tmp/ready.init", "");
	waitpid(tf, &st, 0);
	t_put("/tmp/tf.end", "%u %d\n", uptime(), st);
	t_wait_file("/tmp/go", 60000);
	_exit(t_reap_all() ? 1 : 0);
}

/* ---- the test ------------------------------------------------------------ */

/* Does some task of the image have every bit of mask set in its saved
 * eflags? */
static int image_has_flags(const char *img, uint32_t mask)
{
	for (uint32_t k = 0; k < CKPT_NSECT; k++) {
		struct ckpt_section s;
		memcpy(&s, img + CKPT_HDR_WORDS * 4 + k * 16, sizeof(s));
		if (s.s_type != CKPT_SEC_TASKS)
			continue;
		for (uint32_t i = 0; i < s.s_count; i++) {
			struct ckpt_regs g;
			memcpy(&g,
			       img + s.s_offset + i * CKPT_TASK_SIZE +
				   offsetof(struct ckpt_task, t_regs),
			       sizeof(g));
			if ((g.eflags & mask) == mask)
				return 1;
		}
	}
	return 0;
}

/* One migration of cs: checkpoint (ends it), restore.  The new init's
 * pid, or 0 after a FAIL verdict. */
static int migrate(int round, int init)
{
	char name[32];
	long n = sys_checkpoint(P("cs"), 0, 0, 0), r;
	char *img = n > 0 ? malloc((size_t)n) : NULL;

	snprintf(name, sizeof(name), "round%d-checkpoint", round);
	if (img)
		n = sys_checkpoint(P("cs"), P(img), n, 0);
	if (n <= 0 || !img) {
		verdict(name, "%s", strerrorname((int)-n));
		return 0;
	}
	verdict(name, NULL);
	int st = 0;
	waitpid(init, &st, 0); /* the old tree is gone */
	snprintf(name, sizeof(name), "round%d-flags-saved", round);
	verdict(name, image_has_flags(img, EF_USER)
			  ? NULL
			  : "no task had NT, AC, DF...");
	snprintf(name, sizeof(name), "round%d-tf-saved", round);
	verdict(name, image_has_flags(img, EF_TF) ? NULL : "no task had TF");
	r = sys_restore(P(img), n, 0, 0);
	snprintf(name, sizeof(name), "round%d-restore", round);
	verdict(name, r > 0 ? NULL : "%s", strerrorname((int)-r));
	free(img);
	return r > 0 ? (int)r : 0;
}

/* The verdict and the unchanged ids of each task. */
static void results(void)
{
	char path[48], res[160], a[32], b[32];

	for (unsigned i = 0; i < NTAGS; i++) {
		if (strcmp(tags[i], "tf") == 0)
			continue;
		snprintf(path, sizeof(path), "/tmp/res.%s", tags[i]);
		if (read_file(path, res, sizeof(res)) < 0)
			strcpy(res, "no result");
		snprintf(path, sizeof(path), "/tmp/ready.%s", tags[i]);
		if (read_file(path, a, sizeof(a)) < 0)
			a[0] = 0;
		snprintf(path, sizeof(path), "/tmp/ids.%s", tags[i]);
		if (read_file(path, b, sizeof(b)) < 0)
			b[0] = 0;
		res[strcspn(res, "\n")] = 0;
		if (strcmp(res, "PASS") != 0)
			verdict(tags[i], "%s", res);
		else if (!a[0] || strcmp(a, b) != 0)
			verdict(tags[i], "pid ppid were %s, now %s", a, b);
		else
			verdict(tags[i], NULL);
	}
}

/* The TF task slept its 3 s out, then died of the trap. */
static void tf_result(void)
{
	char a[32] = "", b[32] = "", *end;
	unsigned t0, t1;
	int st;

	read_file("/tmp/tf.t0", a, sizeof(a));
	read_file("/tmp/tf.end", b, sizeof(b));
	t0 = (unsigned)strtoul(a, NULL, 10);
	t1 = (unsigned)strtoul(b, &end, 10);
	st = (int)strtol(end, NULL, 10);
	if (!b[0])
		verdict("tf", "no end recorded");
	else if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSEGV || t1 - t0 < 3000)
		verdict("tf", "status 0x%x after %u ms", st, t1 - t0);
	else
		verdict("tf", NULL);
}

int main(void)
{
	int init = fork(), st = -1;

	if (init == 0) {
		t_enter("cs");
		cs_init();
	}
	if (t_wait_file("/tmp/ready.init", 30000)) {
		verdict("setup", "the tasks did not start");
		return 1;
	}
	msleep(300);
	for (int round = 1; round <= 2 && init > 0; round++)
		init = migrate(round, init);
	if (init <= 0) {
		printf("t_ckptstates: %d failed\n", failures);
		return failures;
	}
	t_wait_file("/tmp/tf.end", 10000);
	t_put("/tmp/go", "");
	waitpid(init, &st, 0);
	verdict("init-exit", st == 0 ? NULL : "status 0x%x", st);
	results();
	tf_result();
	printf("t_ckptstates: %d failed\n", failures);
	return failures;
}
