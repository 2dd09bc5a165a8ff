/*
 * System call dispatch: the call's number (arch_syscall_nr) indexes one
 * table generated from include/uapi/syscalls.def; the arguments and the
 * result go through the arch interface (kern/arch.h).  Unknown numbers are
 * -ENOSYS.  Handlers run with interrupts on.  While a handler runs, the
 * frame still holds the call's number, so a call that blocked can be
 * re-issued after a restore.
 */
#include <kern/syscall.h>
#include <kern/arch.h>
#include <kern/task.h>

typedef int32_t (*syscall_fn)(const struct sysargs *args);

static const syscall_fn syscall_table[] = {
#define SYSCALL(nr, name, nargs) [nr] = sys_##name,
#include <uapi/syscalls.def>
#undef SYSCALL
};

void syscall_dispatch(struct trapframe *tf)
{
	uint32_t nr = arch_syscall_nr(tf);
	struct sysargs args;
	int32_t ret = -ENOSYS;

	arch_syscall_args(tf, args.a);
	irq_enable();
	if (nr < ARRAY_SIZE(syscall_table) && syscall_table[nr]) {
		current->tk_in_syscall = true;
		ret = syscall_table[nr](&args);
		current->tk_in_syscall = false;
	}
	irq_disable();
	arch_syscall_set_result(tf, ret);
}
