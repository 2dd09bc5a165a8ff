/* t_ckpt perm and selfcheck: who may checkpoint what; a migration
 * whose image restore refuses never loses the container. */
#include "t_ckpt.h"

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

void scenario_perm(void)
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

void scenario_selfcheck(void)
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
