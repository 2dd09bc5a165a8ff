/*
 * Where every interrupt, exception and system call lands (from isr.asm).
 * Exceptions in user mode become a fault of that task (kernel/fault.c); in
 * kernel mode they are a kernel bug and panic with the registers, named
 * where the cause is known: a kernel stack overflow (a fault on a stack's
 * guard page), or a SMEP or SMAP violation (the kernel ran code on a user
 * page, or touched a user page through a user address instead of the copy
 * helpers).  Double faults arrive in a task of their own (gdt.c).
 */
#include <kern/trap.h>
#include <kern/panic.h>
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/arch.h>
#include <kern/vm.h>
#include <uapi/cellblock.h>
#include "x86.h"

static const char *const exc_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range", "invalid opcode", "device not available",
	"double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FPU error", "alignment check",
	"machine check", "SIMD FP error", "virtualization", "control protection",
};

/* Name of exception vector v, for messages. */
const char *trap_name(uint32_t v)
{
	if (v < 32 && exc_names[v])
		return exc_names[v];
	return "reserved";
}

static int exception_signal(uint32_t v)
{
	switch (v) {
	case 0: /* divide error */
	case 16:
	case 19:
		return SIGFPE;
	case 6: /* invalid opcode */
		return SIGILL;
	default:
		return SIGSEGV;
	}
}

/* Panics for an exception in kernel mode, naming its cause if known. */
static __noreturn void kernel_exception(struct trapframe *tf, uint32_t addr)
{
	uint32_t err = tf->err;
	bool user_page = (err & PF_P) && !(err & PF_U) && addr >= USER_BASE &&
			 addr < USER_TOP;

	if (tf->vector == 14) {
		void *stack = kstack_guard_hit(addr);
		if (stack)
			panic_stack_overflow(tf, (uint32_t)&tf->esp, stack,
					     trap_name(14));
		if (user_page && (err & PF_I) && x86_smep_on)
			panic_trap(tf, "SMEP violation: the kernel executed "
				       "code on a user page");
		if (user_page && !(err & PF_I) && x86_smap_on)
			panic_trap(tf, "SMAP violation: the kernel accessed a "
				       "user page outside the copy helpers");
	}
	panic_trap(tf, trap_name(tf->vector));
}

/*
 * The double-fault task's C entry (isr.asm), on its own stack.  A page
 * fault on a kernel stack's guard page ends here: the CPU could not push
 * the page fault's frame on the overflowed stack.
 */
__noreturn void trap_double_fault(uint32_t err)
{
	struct trapframe tf;
	uint32_t esp;
	gdt_fault_frame(&tf, &esp);
	tf.vector = 8;
	tf.err = err;
	void *stack = kstack_guard_hit(arch_read_cr2());
	if (!stack)
		stack = kstack_guard_hit(esp);
	if (stack)
		panic_stack_overflow(&tf, esp, stack, trap_name(8));
	panic_fault_at(&tf, esp, trap_name(8));
}

static void exception(struct trapframe *tf)
{
	uint32_t addr = tf->vector == 14 ? arch_read_cr2() : 0;

	if (!trap_from_user(tf))
		kernel_exception(tf, addr);
	if (tf->vector == 14 && proc_user_page_fault(addr, tf->err) == 0)
		return;
	proc_user_fault(tf, exception_signal(tf->vector),
			trap_name(tf->vector), addr);
}

void trap_dispatch(struct trapframe *tf)
{
	/* isr.asm cleared it: with AC set, SMAP would not guard the kernel. */
	if (x86_smap_on && (read_eflags() & EFLAGS_AC))
		panic("EFLAGS.AC set in the kernel: SMAP is not in force");
	if (tf->vector == TRAP_SYSCALL)
		syscall_dispatch(tf);
	else if (tf->vector >= IRQ_BASE && tf->vector < IRQ_BASE + 16)
		irq_dispatch((int)tf->vector - IRQ_BASE);
	else
		exception(tf);
	if (trap_from_user(tf))
		proc_return_to_user(tf);
}

void trap_init_user(struct trapframe *tf, uint32_t eip, uint32_t esp)
{
	tf->cs = SEG_UCODE;
	tf->ds = tf->es = tf->fs = tf->gs = SEG_UDATA;
	tf->ss = SEG_UDATA;
	tf->eflags = EFLAGS_IF | 0x2; /* bit 1 always reads as 1 on the CPU */
	tf->eip = eip;
	tf->esp = esp;
}

uint32_t arch_read_cr2(void)
{
	uint32_t v;
	__asm__ volatile("movl %%cr2, %0" : "=r"(v));
	return v;
}
