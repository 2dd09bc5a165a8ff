/*
 * Where every interrupt, exception and system call lands (from isr.asm).
 * Exceptions in user mode become a fault of that task (kernel/fault.c); in
 * kernel mode they are a kernel bug and panic with the registers.
 */
#include <kern/trap.h>
#include <kern/panic.h>
#include <kern/syscall.h>
#include <kern/proc.h>
#include <kern/arch.h>
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

static void exception(struct trapframe *tf)
{
	uint32_t addr = tf->vector == 14 ? arch_read_cr2() : 0;

	if (!trap_from_user(tf))
		panic_trap(tf, trap_name(tf->vector));
	if (tf->vector == 14 && proc_user_page_fault(addr, tf->err) == 0)
		return;
	proc_user_fault(tf, exception_signal(tf->vector),
			trap_name(tf->vector), addr);
}

void trap_dispatch(struct trapframe *tf)
{
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
