/*
 * waitpid: collect a child's exit status and free what is left of it.
 * Children are found by pointer through the family links; the PID the
 * caller passes is matched as the caller's container sees the child.
 */
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/container.h>
#include <uapi/errno.h>

/* The child matching pid (-1 any), whether any matched at all. */
static struct task *find_zombie(int32_t pid, bool *any)
{
	*any = false;
	for (struct task *c = current->tk_children; c; c = c->tk_sibling) {
		if (pid != -1 &&
		    tsk_vpid_ctx(c, current->tk_ctr) != (uint32_t)pid)
			continue;
		*any = true;
		if (c->tk_state == TASK_ZOMBIE)
			return c;
	}
	return NULL;
}

int do_waitpid(int32_t pid, uptr_t status, uint32_t options)
{
	if (options & ~(uint32_t)WNOHANG)
		return -EINVAL;
	if (pid == 0)
		return -EINVAL; /* no process groups in Cellblock */
	/* pid is -1 (any child) or a PID, unsigned: in the system container a
	 * real PID from pidspace 256 or above has bit 31 set. */
	for (;;) {
		bool any;
		struct task *z = find_zombie(pid, &any);
		if (!any)
			return -ECHILD;
		if (z) {
			int vpid = (int)tsk_vpid_ctx(z, current->tk_ctr);
			if (!UPTR_IS_NULL(status) &&
			    copyout(status, &z->tk_exit_status, sizeof(int)))
				return -EFAULT; /* the child stays collectable
						 */
			task_release(z);
			return vpid;
		}
		if (options & WNOHANG)
			return 0;
		int err = sleep_on(current);
		if (err)
			return err;
	}
}
