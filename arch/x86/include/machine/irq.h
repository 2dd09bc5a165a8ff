/*
 * The x86 interrupt enable flag: the inline definitions of irq_save,
 * irq_restore and the others declared in kern/arch.h.  Kept apart from
 * machine/arch.h so host unit tests of interrupt-guarded code can replace them.
 */
#ifndef MACHINE_IRQ_H
#define MACHINE_IRQ_H

#include <kern/compiler.h>

#define EFLAGS_IF  0x200
#define EFLAGS_ONE 0x2	   /* bit 1: reserved, always reads as 1 */
#define EFLAGS_AC  0x40000 /* with SMAP: supervisor may touch user pages */

static inline uint32_t irq_save(void)
{
	uint32_t fl;
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(fl) : : "memory");
	return fl;
}

static inline void irq_restore(uint32_t fl)
{
	if (fl & EFLAGS_IF)
		__asm__ volatile("sti" : : : "memory");
}

static inline void irq_enable(void)
{
	__asm__ volatile("sti" : : : "memory");
}

static inline void irq_disable(void)
{
	__asm__ volatile("cli" : : : "memory");
}

static inline bool irq_flags_on(uint32_t fl)
{
	return fl & EFLAGS_IF;
}

static inline bool irqs_enabled(void)
{
	uint32_t fl;
	__asm__ volatile("pushfl; popl %0" : "=r"(fl));
	return fl & EFLAGS_IF;
}

static inline void arch_idle(void)
{
	/* sti takes effect after hlt starts: no lost wakeup */
	__asm__ volatile("sti; hlt" : : : "memory");
}

#endif
