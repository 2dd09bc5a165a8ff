/*
 * A tiny test framework for the test programs that run inside Cellblock
 * (systest, forkloop, pipebig).  Like xv6's usertests: a table of tests,
 * each run in its own forked child so a crash or a hang (a watchdog kills
 * it) fails only that test.  Output, one line per test:
 *
 *     PASS name
 *     FAIL name: what: expected X got Y
 *
 * or "SKIP name: why", and a last line "SUITE: N passed, M failed" (before
 * it "SUITE: K skipped" when some were).
 */
#ifndef USER_TESTLIB_H
#define USER_TESTLIB_H

#include <sys/syscall.h>

struct t_case {
	const char *name;
	void (*fn)(void);
};

/* Runs the tests named on the command line (all when none; "list" lists
 * them); returns the exit status for main: 0 when all passed. */
int t_main(const char *suite, const struct t_case *tests, int n, int argc,
	   char **argv);

/* Milliseconds a test may run before the watchdog kills it. */
extern unsigned t_timeout_ms;

/* Checks, for use inside a test.  Each prints a FAIL line when it fails
 * and returns whether it passed; the test then counts as failed. */
int t_check_err(const char *what, long got, int err); /* got == -err */
int t_check_ok(const char *what, long got);	      /* got not -errno */
int t_check_eq(const char *what, long got, long want);
int t_check_str(const char *what, const char *got, const char *want);
/* Ends the test as skipped ("SKIP name: why"), e.g. when the kernel does
 * not have the feature yet.  Skips count neither as passed nor failed. */
void t_skip(const char *why) __attribute__((noreturn));
int t_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define T_ERR(call, err)    t_check_err(#call, (long)(call), (err))
#define T_OK(call)	    t_check_ok(#call, (long)(call))
#define T_EQ(expr, want)    t_check_eq(#expr, (long)(expr), (long)(want))
#define T_STREQ(expr, want) t_check_str(#expr, (expr), (want))

/* A pointer as a system call argument. */
#define P(x) ((long)(x))

/* Error name for a raw result ("EFAULT", "-123", or the number itself). */
const char *t_errstr(long r);

/*
 * For test programs that print their own verdict lines and coordinate
 * tasks through small files (t_ckpt, t_ckptstates, t_fdckpt, ...).
 */

/* Prints "PROG: NAME: PASS", or with fmt (printf-style reason)
 * "PROG: NAME: FAIL reason"; returns 1 for a FAIL, else 0. */
int t_verdict(const char *prog, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Runs argv with envp (may be NULL) in a child: its wait status (exit 126
 * when the exec failed). */
int t_run(char **argv, char **envp);
/* Writes a small file at once, created or truncated (printf-style; "" makes
 * an empty file, a signal between tasks). */
void t_put(const char *path, const char *fmt, ...);
/* Does path exist? */
int t_exists(const char *path);
/* Polls every 20 ms until path exists: 0, or -1 after timeout_ms. */
int t_wait_file(const char *path, unsigned timeout_ms);
/* Enters a new container nested in the caller's; _exit(99) on failure. */
void t_enter(const char *name);
/* Reaps every child: how many did not exit with status 0. */
int t_reap_all(void);
/* Forks a child that sleeps until killed: its PID (or -errno). */
pid_t t_sleeper(void);
/* "/tmp/BASE.PID", unique to the calling process; the last four results
 * stay valid. */
const char *t_tmpname(const char *base);
/* Forks the init of a new container ctr holding what a checkpoint test
 * saves: an open file PREFIXheld ("hello" written), a pipe holding "xyz",
 * a sleeping child whose working directory is PREFIXd, and a zombie (exit
 * 3).  Returns the init's PID once all that stands (PREFIXready exists),
 * or -1. */
pid_t t_ckpt_family(const char *ctr, const char *prefix);

#endif
