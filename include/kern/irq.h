/* Interrupt enable state and hardware IRQ lines. */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

#include <kern/compiler.h>

/* Disables interrupts; returns the previous state for irq_restore. */
static inline uint32_t irq_save(void)
{
	uint32_t fl;
	__asm__ volatile("pushfl; popl %0; cli" : "=r"(fl) : : "memory");
	return fl;
}

static inline void irq_restore(uint32_t fl)
{
	if (fl & 0x200)
		__asm__ volatile("sti" : : : "memory");
}

static inline void irq_enable(void) { __asm__ volatile("sti" : : : "memory"); }
static inline void irq_disable(void) { __asm__ volatile("cli" : : : "memory"); }

#define IRQ_TIMER 0
#define IRQ_COM2 3
#define IRQ_COM1 4

/* Routes IRQ line irq to handler and unmasks it (arch/x86/pic.c). */
void irq_register(int irq, void (*handler)(void));
/* Are interrupts enabled on this CPU?  For assertions such as
 * KASSERT(!irq_enabled()) in code that must run with interrupts off. */
bool irq_enabled(void);

#endif
