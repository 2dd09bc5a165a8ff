/*
 * kill: end a task, or (signal 0) ask whether it exists.  There are no
 * signal handlers; every signal but 0 ends the target, which exits the next
 * time it would return to user mode.  Only tasks visible from the caller's
 * container can be named, and a container's init is immune from inside.
 */
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/container.h>
#include <uapi/errno.h>

static bool signal_valid(int sig)
{
	return sig == 0 || sig == SIGINT || sig == SIGKILL || sig == SIGTERM;
}

static int kill_one(struct task *t, int sig)
{
	if (sig != 0 && t == current->tk_ctr->c_init && t != current)
		return -EPERM; /* signal 0 may still ask whether init exists */
	if (sig != 0 && t->tk_state != TASK_ZOMBIE)
		sched_kill(t, sig);
	return 0;
}

/* kill(-1, sig): everyone visible but the caller and its container's init. */
static int kill_all(int sig)
{
	struct container *ctx = current->tk_ctr;
	int found = 0;
	for (struct task *t = task_list_head; t; t = t->tk_all_next) {
		if (t == current || t == ctx->c_init ||
		    t->tk_state == TASK_ZOMBIE || !tsk_visible_from(t, ctx))
			continue;
		found++;
		if (sig != 0)
			sched_kill(t, sig);
	}
	return found ? 0 : -ESRCH;
}

int do_kill(int32_t pid, int sig)
{
	if (!signal_valid(sig))
		return -EINVAL;
	if (pid == -1)
		return kill_all(sig);
	if (pid == 0)
		return -EINVAL; /* no process groups in Cellblock */
	/* Any other value is a PID, unsigned: in the system container a real
	 * PID from pidspace 256 or above has bit 31 set. */
	struct task *t = find_task_by_vpid(current->tk_ctr, (uint32_t)pid);
	if (!t)
		return -ESRCH;
	return kill_one(t, sig);
}
