/*
 * exit: a task ends.  It gives back its memory and files at once, hands its
 * children to the init of its container (or, if it was that init, to
 * nobody: the kernel reaps them), kills the rest of any container it was
 * init of, and stays a zombie holding its status until its parent reaps it.
 */
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/vfs.h>
#include <kern/file.h>
#include <kern/arch.h>
#include <kern/irq.h>
#include <kern/printk.h>
#include <kern/ckpt.h>

/* Who adopts the children of t: its container's live init, or NULL. */
static struct task *orphan_reaper(struct task *t)
{
	struct task *init = t->tk_ctr->c_init;
	if (!init || init == t || init->tk_state == TASK_ZOMBIE)
		return NULL;
	return init;
}

static void reparent_children(struct task *t)
{
	struct task *reaper = orphan_reaper(t);
	while (t->tk_children) {
		struct task *ch = t->tk_children;
		task_adopt(reaper, ch);
		if (ch->tk_state != TASK_ZOMBIE)
			continue;
		if (reaper)
			wakeup(reaper);
		else
			task_release(ch); /* nobody will wait for it */
	}
}

/* If t is init of some containers, the outermost one and everything in it
 * ends: all other members are killed. */
static void end_containers_of(struct task *t)
{
	struct container *top = NULL;
	for (int lvl = 1; lvl <= tsk_depth(t); lvl++) {
		struct container *c = tsk_ctr_at(t, lvl);
		if (c->c_init == t) {
			if (!top)
				top = c;
			c->c_init = NULL;
		}
	}
	if (top)
		ctr_kill_members(top);
}

static __noreturn void system_init_exit(int status)
{
	int code =
	    WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
	printk("cellblock: init exited with status %d; powering off\n", code);
	arch_poweroff(code);
}

__noreturn void do_exit(int status)
{
	struct task *t = current;
	if (t->tk_ctr == ctr_system && t == ctr_system->c_init)
		system_init_exit(status);
	/* From a trap (a fault, a kill seen on the way to user mode) this
	 * comes with interrupts off; freeing the memory gives the CPU away
	 * between pages (mm_free), which needs them on. */
	irq_enable();
	fs_task_exit(t);
	ckpt_stage_drop(t); /* a staged restore left behind */
	vm_activate(vm_kernel_pgdir());
	mm_free(t->tk_mm);
	t->tk_mm = NULL;
	end_containers_of(t);
	irq_disable();
	reparent_children(t);
	t->tk_exit_status = status;
	if (t->tk_parent)
		wakeup(t->tk_parent);
	sched_exit_switch(); /* the scheduler reaps it if it has no parent */
}
