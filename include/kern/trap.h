/*
 * The trap frame: user (or kernel) registers saved on the kernel stack by the
 * interrupt entry stub (arch/x86/isr.asm).  Its layout is fixed by that stub.
 * A task's user registers live in the frame at the top of its kernel stack;
 * fork copies it, exec rewrites it, checkpoint saves it.
 */
#ifndef KERN_TRAP_H
#define KERN_TRAP_H

#include <kern/compiler.h>

struct trapframe {
	uint32_t edi, esi, ebp, esp_kernel, ebx, edx, ecx, eax; /* pusha */
	uint32_t gs, fs, es, ds;
	uint32_t vector, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss; /* only when the trap came from user mode */
};

#define TRAP_SYSCALL 0x80
#define IRQ_BASE 32

/* Is the frame from user mode (ring 3)? */
static inline bool trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

/* Common C entry for every vector (arch/x86/trap.c). */
void trap_dispatch(struct trapframe *tf);
/* Fills tf so that returning from it enters user mode at eip with stack esp. */
void trap_init_user(struct trapframe *tf, uint32_t eip, uint32_t esp);
/* Assembly: restores tf and irets.  A new task's first kernel context
 * "returns" here. */
void trap_return(void);
/* Assembly: a new task's first context resumes here: the return-to-user
 * checks (pending kill), then trap_return. */
void task_first_entry(void);

#endif
