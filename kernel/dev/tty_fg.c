/*
 * Who gets ^C: the console foreground, one slot per container.
 *
 * A slot is empty (0), names a task by its real PID, or holds ^C for
 * nobody (FG_NOBODY).  setfg from a task fills the slot of its own
 * container: with a live task it can see, with nobody (-1), or empties it
 * (0).  ^C starts at the system container's slot; when the task found
 * there lives in a nested container (it is a member or founded it) whose
 * slot is not empty, it goes on into that slot, and so on; SIGINT goes to
 * the innermost live task found, and nowhere when that slot holds nobody.
 * So a container can steer only the ^C that was handed to it (an inner
 * shell keeps ^C at its prompt from its own founder with -1), and a task
 * inside can never take ^C away from the system's shell.
 *
 * Slots hold numbers, never pointers: a task is looked up afresh at ^C
 * time, and an exiting task turns every slot naming it into "nobody"
 * before it becomes a zombie (setfg refuses zombies), so a freed task
 * cannot be reached and a reused number cannot inherit the foreground.
 */
#include <kern/tty.h>
#include <kern/container.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/irq.h>
#include <kern/panic.h>
#include <uapi/errno.h>

/* Task number 0 is never handed out, so no task has this real PID. */
#define FG_NOBODY    PID_MAKE(1, 0)
#define SETFG_NOBODY 0xffffffffu /* setfg(-1) */

/* Can t be (or stay) the foreground: neither half-built nor exited? */
static bool fg_eligible(const struct task *t)
{
	return t->tk_state != TASK_ZOMBIE && t->tk_state != TASK_NEW;
}

int tty_set_foreground(struct container *ctx, uint32_t vpid)
{
	uint32_t fl, slot = FG_NOBODY;
	struct task *t;

	if (vpid == 0) {
		slot = 0;
	} else if (vpid != SETFG_NOBODY) {
		t = find_task_by_vpid(ctx, vpid);
		if (!t || !fg_eligible(t))
			return -ESRCH;
		slot = tsk_pid(t);
	}
	fl = irq_save();
	ctx->c_fg_pid = slot;
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
			c->c_fg_pid = FG_NOBODY;
	}
	irq_restore(fl);
}

/* The live task a non-empty slot names; NULL for nobody. */
static struct task *fg_task(uint32_t slot)
{
	struct task *t;

	if (slot == FG_NOBODY)
		return NULL;
	t = find_task_by_pid(slot);
	return t && fg_eligible(t) ? t : NULL;
}

void tty_fg_interrupt(void)
{
	struct container *c = ctr_system;
	struct task *target = NULL;
	int steps;

	KASSERT(!irqs_enabled());
	/* Each step goes one container deeper: at most CTR_DEPTH_MAX. */
	for (steps = 0; steps <= CTR_DEPTH_MAX; steps++) {
		if (c->c_fg_pid == 0)
			break; /* empty: the task found above gets it */
		target = fg_task(c->c_fg_pid);
		if (!target || target->tk_ctr == c ||
		    !ctr_is_within(target->tk_ctr, c))
			break;
		c = target->tk_ctr;
	}
	if (target)
		sched_kill(target, SIGINT);
}
