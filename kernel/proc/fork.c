/*
 * fork: a new task that is a copy of the caller, born in the caller's
 * container.  Everything that can fail (the container's task cap, memory,
 * a PID in every pidspace up the tree) is done before the child becomes
 * visible; the error path unwinds in reverse.  Copying the address space
 * gives the CPU away between pages (sched_cond_resched), so what may have
 * changed meanwhile is checked again after it: the container may have begun
 * dying or filled up, and a caller killed meanwhile must not leave a child
 * its killer did not see (-EINTR; the caller dies on its way out).
 */
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/arch.h>
#include <kern/vfs.h>
#include <kern/file.h>
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <kern/arch.h>
#include <uapi/errno.h>

int do_fork(void)
{
	struct task *p = current;
	struct container *c = p->tk_ctr;
	int err = -EAGAIN;
	if (c->c_dying || !ctr_has_room(c, 1))
		return -EAGAIN;
	struct task *t = task_alloc(p->tk_name);
	if (!t)
		return -ENOMEM;
	t->tk_mm = mm_copy(p->tk_mm, c);
	if (!t->tk_mm) {
		err = -ENOMEM;
		goto out_task;
	}
	err = c->c_dying || !ctr_has_room(c, 1) ? -EAGAIN : 0;
	if (p->tk_killed)
		err = -EINTR;
	if (!err)
		err = fs_task_fork(t, p);
	if (err)
		goto out_mm;
	err = pid_attach(t, c);
	if (err)
		goto out_files;
	/* Commit. */
	*t->tk_tf = *p->tk_tf;
	arch_syscall_set_result(t->tk_tf, 0); /* the child's fork() returns 0 */
	fpu_save(t->tk_fpu);
	task_adopt(p, t);
	task_link(t);
	sched_make_runnable(t);
	return (int)tsk_vpid_ctx(t, c);
out_files:
	fs_task_exit(t);
out_mm:
	mm_free(t->tk_mm);
out_task:
	kstack_free(t->tk_kstack);
	kfree(t);
	return err;
}
