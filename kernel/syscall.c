/*
 * System call dispatch: the number in eax indexes one table generated from
 * include/uapi/syscalls.def; arguments come from ebx, ecx, edx, esi, edi;
 * the result goes back in eax.  Unknown numbers are -ENOSYS.  Handlers run
 * with interrupts on.  While a handler runs, eax still holds the call's
 * number, so a call that blocked can be re-issued after a restore.
 */
#include <kern/syscall.h>
#include <kern/trap.h>
#include <kern/task.h>
#include <kern/irq.h>

typedef int32_t (*syscall_fn)(const struct sysargs *args);

static const syscall_fn syscall_table[] = {
#define SYSCALL(nr, name, nargs) [nr] = sys_##name,
#include <uapi/syscalls.def>
#undef SYSCALL
};

void syscall_dispatch(struct trapframe *tf)
{
	uint32_t nr = tf->eax;
	struct sysargs args = { { tf->ebx, tf->ecx, tf->edx, tf->esi, tf->edi } };
	int32_t ret = -ENOSYS;
	irq_enable();
	if (nr < ARRAY_SIZE(syscall_table) && syscall_table[nr]) {
		current->tk_in_syscall = true;
		ret = syscall_table[nr](&args);
		current->tk_in_syscall = false;
	}
	irq_disable();
	tf->eax = (uint32_t)ret;
}
