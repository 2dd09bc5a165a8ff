/*
 * User-mode faults and the return path to user mode.  A fault the kernel
 * cannot fix (stack growth is the one it can) kills only the faulting task,
 * with one console line naming it by the PID its parent knows it by.
 */
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/arch.h>
#include <kern/printk.h>
#include <kern/container.h>

int proc_user_page_fault(uint32_t addr, uint32_t err)
{
	if (err & 1)
		return -1; /* protection violation on a present page */
	return mm_fault(current->tk_mm, addr);
}

/* The PID of t as its parent sees it (its own view if it has none). */
static uint32_t pid_for_parent(const struct task *t)
{
	if (t->tk_parent)
		return tsk_vpid_ctx(t, t->tk_parent->tk_ctr);
	return tsk_vpid(t);
}

void proc_user_fault(struct trapframe *tf, int sig, const char *what,
		     uint32_t addr)
{
	struct task *t = current;
	if (arch_frame_is_page_fault(tf))
		printk("pid %u (%s): %s at address 0x%x, " ARCH_PC_NAME
		       " 0x%x: killed\n",
		       (unsigned)pid_for_parent(t), t->tk_name, what,
		       (unsigned)addr, (unsigned)arch_frame_pc(tf));
	else
		printk("pid %u (%s): %s at " ARCH_PC_NAME " 0x%x: killed\n",
		       (unsigned)pid_for_parent(t), t->tk_name, what,
		       (unsigned)arch_frame_pc(tf));
	do_exit(W_SIGNALED(sig));
}

void proc_return_to_user(struct trapframe *tf)
{
	(void)tf;
	if (current->tk_killed)
		do_exit(W_SIGNALED(current->tk_killsig));
	if (sched_need_resched())
		sched_yield();
	if (current->tk_killed)
		do_exit(W_SIGNALED(current->tk_killsig));
}
