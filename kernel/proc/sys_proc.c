/*
 * Process system calls: thin handlers that decode arguments and call the
 * do_* workers (fork.c, exec.c, exit.c, wait.c, kill.c) or read state.
 * Every PID crossing the boundary is translated for the caller's container.
 */
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/kheap.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/arch.h>

int32_t sys_exit(const struct sysargs *args)
{
	do_exit(W_EXITCODE(args->a[0]));
}

int32_t sys_fork(const struct sysargs *args)
{
	return do_fork();
}

int32_t sys_waitpid(const struct sysargs *args)
{
	return do_waitpid((int32_t)args->a[0], UPTR(args->a[1]), args->a[2]);
}

int32_t sys_getpid(const struct sysargs *args)
{
	return (int32_t)tsk_vpid(current);
}

int32_t sys_getppid(const struct sysargs *args)
{
	struct task *p = current->tk_parent;
	return p ? (int32_t)tsk_vpid_ctx(p, current->tk_ctr) : 0;
}

int32_t sys_kill(const struct sysargs *args)
{
	return do_kill((int32_t)args->a[0], (int)args->a[1]);
}

int32_t sys_yield(const struct sysargs *args)
{
	sched_yield();
	return 0;
}

/* sleep(ms).  After a restore, the remaining time comes from tk_restart. */
int32_t sys_sleep(const struct sysargs *args)
{
	struct task *t = current;
	uint32_t ms = args->a[0];
	if (t->tk_restart.rs_syscall == SYS_sleep) {
		ms = t->tk_restart.rs_arg;
		t->tk_restart.rs_syscall = 0;
	}
	uint64_t deadline = uptime_ms() + ms;
	while (uptime_ms() < deadline) {
		int err = sleep_on_until(&t->tk_wake_at, deadline);
		if (err)
			return err;
	}
	return 0;
}

int32_t sys_sbrk(const struct sysargs *args)
{
	return mm_sbrk(current->tk_mm, (int32_t)args->a[0]);
}

int32_t sys_uptime(const struct sysargs *args)
{
	return (int32_t)(uint32_t)uptime_ms();
}

int32_t sys_poweroff(const struct sysargs *args)
{
	uint32_t code = args->a[0];
	if (current->tk_ctr != ctr_system)
		return -EPERM;
	if (code >= PANIC_EXIT_CODE)
		return -EINVAL; /* PANIC_EXIT_CODE and up: the panic status */
	printk("cellblock: poweroff (status %u)\n", (unsigned)code);
	arch_poweroff((int)code);
}

/* Copies a NULL-terminated user string vector (argv or envp) into ea's
 * buffer; *count gets its length. */
static int copyin_vector(struct exec_args *ea, uptr_t uvec, char **vec,
			 int *count)
{
	*count = 0;
	for (; !UPTR_IS_NULL(uvec); (*count)++) {
		uint32_t p;
		if (copyin(&p, UPTR_ADD(uvec, (uint32_t)*count * 4u),
			   sizeof(p)))
			return -EFAULT;
		if (!p)
			break;
		if (*count == EXEC_ARGS_MAX)
			return -E2BIG;
		int n = copyinstr(ea->buf + ea->used, UPTR(p),
				  sizeof(ea->buf) - ea->used);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return n;
		vec[*count] = ea->buf + ea->used;
		ea->used += (size_t)n + 1;
	}
	vec[*count] = NULL;
	return 0;
}

int32_t sys_execve(const struct sysargs *args)
{
	struct exec_args *ea = kmalloc(sizeof(*ea));
	char *path = kmalloc(PATH_MAX);
	int err = -ENOMEM;
	if (!ea || !path)
		goto out;
	err = copyinstr(path, UPTR(args->a[0]), PATH_MAX);
	if (err < 0)
		goto out;
	ea->used = 0;
	err = copyin_vector(ea, UPTR(args->a[1]), ea->argv, &ea->argc);
	if (!err)
		err = copyin_vector(ea, UPTR(args->a[2]), ea->envp, &ea->envc);
	if (!err)
		err = exec_load(current, path, ea);
out:
	kfree(path);
	kfree(ea);
	return err;
}
