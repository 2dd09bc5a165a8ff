/* Hardware IRQ lines.  The interrupt enable state (irq_save, irq_restore,
 * ...) is part of the architecture interface, kern/arch.h. */
#ifndef KERN_IRQ_H
#define KERN_IRQ_H

#include <kern/arch.h>

#define IRQ_TIMER 0
#define IRQ_COM2  3
#define IRQ_COM1  4

/* Routes IRQ line irq to handler and unmasks it (arch/x86/pic.c). */
void irq_register(int irq, void (*handler)(void));
/* Code that must run with interrupts off says so with
 * KASSERT(!irqs_enabled()) (kern/arch.h). */

#endif
