/*
 * Where every interrupt, exception and system call lands (from isr.asm).
 * Exceptions in user mode become a fault of that task (kernel/proc/fault.c); in
 * kernel mode they are a kernel bug and panic with the registers, named
 * where the cause is known: a kernel stack overflow (a fault on a stack's
 * guard page), or a SMEP or SMAP violation (the kernel ran code on a user
 * page, or touched a user page through a user address instead of the copy
 * helpers).  Double faults arrive in a task of their own (gdt.c).
 */
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/arch.h>
#include <kern/vm.h>
#include <uapi/cellblock.h>
#include "x86.h"

static const char *const exc_names[32] = {
    "divide error",
    "debug",
    "NMI",
    "breakpoint",
    "overflow",
    "bound range",
    "invalid opcode",
    "device not available",
    "double fault",
    "coprocessor overrun",
    "invalid TSS",
    "segment not present",
    "stack fault",
    "general protection",
    "page fault",
    "reserved",
    "x87 FPU error",
    "alignment check",
    "machine check",
    "SIMD FP error",
    "virtualization",
    "control protection",
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

	if (tf->vector == TRAP_PAGE_FAULT) {
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
	void *stack = kstack_guard_hit(arch_fault_addr());
	if (!stack)
		stack = kstack_guard_hit(esp);
	if (stack)
		panic_stack_overflow(&tf, esp, stack, trap_name(8));
	panic_fault_at(&tf, esp, trap_name(8));
}

static void exception(struct trapframe *tf)
{
	uint32_t addr = tf->vector == TRAP_PAGE_FAULT ? arch_fault_addr() : 0;

	if (!trap_from_user(tf))
		kernel_exception(tf, addr);
	if (tf->vector == TRAP_PAGE_FAULT &&
	    proc_user_page_fault(addr, tf->err) == 0)
		return;
	proc_user_fault(tf, exception_signal(tf->vector), trap_name(tf->vector),
			addr);
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

void trap_init_user(struct trapframe *tf, uint32_t pc, uint32_t sp)
{
	tf->cs = SEG_UCODE;
	tf->ds = tf->es = tf->fs = tf->gs = SEG_UDATA;
	tf->ss = SEG_UDATA;
	tf->eflags = EFLAGS_IF | EFLAGS_ONE; /* as the CPU would show them */
	tf->eip = pc;
	tf->esp = sp;
}

struct context *arch_kstack_init(void *top, struct trapframe **tfp)
{
	struct trapframe *tf = (struct trapframe *)top - 1;
	struct context *ctx = (struct context *)tf - 1;

	ctx->eip = (uint32_t)task_first_entry;
	*tfp = tf;
	return ctx;
}

void arch_frame_print(const struct trapframe *tf, uintptr_t sp)
{
	printk("EIP=%08x CS=%04x EFLAGS=%08x CR2=%08x\n", (unsigned)tf->eip,
	       (unsigned)tf->cs, (unsigned)tf->eflags,
	       (unsigned)arch_fault_addr());
	printk("EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n", (unsigned)tf->eax,
	       (unsigned)tf->ebx, (unsigned)tf->ecx, (unsigned)tf->edx);
	printk("ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n", (unsigned)tf->esi,
	       (unsigned)tf->edi, (unsigned)tf->ebp, (unsigned)sp);
}

void arch_print_regs(uintptr_t fp, uintptr_t sp)
{
	printk("ESP=%08x EBP=%08x CR2=%08x\n", (unsigned)sp, (unsigned)fp,
	       (unsigned)arch_fault_addr());
}

uintptr_t arch_frame_kernel_sp(struct trapframe *tf)
{
	/* A kernel-mode trap pushes no stack pointer: the one at the fault is
	 * just above the frame's flags. */
	return (uintptr_t)&tf->esp;
}

uintptr_t arch_frame_fp(const struct trapframe *tf)
{
	return tf->ebp;
}

uintptr_t arch_fault_addr(void)
{
	uint32_t v;
	__asm__ volatile("movl %%cr2, %0" : "=r"(v));
	return v;
}
