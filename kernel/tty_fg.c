/*
 * Who gets ^C: the console foreground, one slot per container.
 *
 * setfg from a task fills the slot of the task's own container with the
 * real PID of a live task it can see (0 empties it).  ^C starts at the
 * system container's slot; when the task found there lives in a nested
 * container (it is a member or founded it) whose slot is set, it goes on
 * into that slot, and so on; SIGINT goes to the innermost live task found.
 * So a container can steer only the ^C that was handed to it, and a task
 * inside can never take ^C away from the system's shell.
 *
 * Slots hold numbers, never pointers: a task is looked up afresh at ^C
 * time, and an exiting task empties every slot naming it before it becomes
 * a zombie (setfg refuses zombies), so a freed task cannot be reached and
 * a reused number cannot inherit the foreground.
 */
#include <kern/tty.h>
#include <kern/container.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/irq.h>
#include <uapi/errno.h>

int tty_set_foreground(struct container *ctx, uint32_t vpid)
{
	uint32_t fl, pid = 0;
	struct task *t;

	if (vpid != 0) {
		t = find_task_by_vpid(ctx, vpid);
		if (!t || t->tk_state == TASK_ZOMBIE || t->tk_state == TASK_NEW)
			return -ESRCH;
		pid = tsk_pid(t);
	}
	fl = irq_save();
	ctx->c_fg_pid = pid;
	irq_restore(fl);
	return 0;
}

void tty_forget_task(struct task *t)
{
	uint32_t fl = irq_save();
	uint32_t pid = tsk_pid(t);
	struct container *c;
	int lvl;

	/* Only a container t is visible from can name it: those on its
	 * path from the system container down to its own. */
	for (lvl = 0; lvl <= tsk_depth(t); lvl++) {
		c = tsk_ctr_at(t, lvl);
		if (c->c_fg_pid == pid)
			c->c_fg_pid = 0;
	}
	irq_restore(fl);
}

/* The live task a container's slot names, or NULL. */
static struct task *fg_task(const struct container *c)
{
	struct task *t;

	if (c->c_fg_pid == 0)
		return NULL;
	t = find_task_by_pid(c->c_fg_pid);
	if (!t || t->tk_state == TASK_ZOMBIE || t->tk_state == TASK_NEW)
		return NULL;
	return t;
}

void tty_fg_interrupt(void)
{
	struct container *c = ctr_system;
	struct task *target = NULL, *t;
	int steps;

	/* Each step goes one container deeper: at most CTR_DEPTH_MAX. */
	for (steps = 0; steps <= CTR_DEPTH_MAX; steps++) {
		t = fg_task(c);
		if (!t)
			break;
		target = t;
		if (t->tk_ctr == c || !ctr_is_within(t->tk_ctr, c))
			break;
		c = t->tk_ctr;
	}
	if (target)
		sched_kill(target, SIGINT);
}
