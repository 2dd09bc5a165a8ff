/*
 * The two 8259 PICs, remapped so IRQ 0-15 arrive as vectors 32-47 (the
 * defaults collide with CPU exceptions).  Handlers are registered per line.
 */
#include <kern/irq.h>
#include "x86.h"

#define PIC1 0x20
#define PIC2 0xa0

static void (*handlers[16])(void);
static uint16_t mask = 0xffff & ~(1u << 2); /* cascade line stays open */

static void pic_write_mask(void)
{
	outb(PIC1 + 1, mask & 0xff);
	outb(PIC2 + 1, mask >> 8);
}

void pic_init(void)
{
	outb(PIC1, 0x11); /* ICW1: init, expect ICW4 */
	outb(PIC2, 0x11);
	outb(PIC1 + 1, 32); /* ICW2: vector base */
	outb(PIC2 + 1, 40);
	outb(PIC1 + 1, 4); /* ICW3: slave on IRQ2 */
	outb(PIC2 + 1, 2);
	outb(PIC1 + 1, 1); /* ICW4: 8086 mode */
	outb(PIC2 + 1, 1);
	pic_write_mask();
}

void pic_eoi(int irq)
{
	if (irq >= 8)
		outb(PIC2, 0x20);
	outb(PIC1, 0x20);
}

void irq_register(int irq, void (*handler)(void))
{
	handlers[irq] = handler;
	mask &= (uint16_t) ~(1u << irq);
	pic_write_mask();
}

/* Reads the in-service register to tell a real IRQ 7/15 from a spurious one. */
static bool pic_spurious(int irq)
{
	uint16_t port = irq == 7 ? PIC1 : PIC2;
	outb(port, 0x0b);
	if (inb(port) & 0x80)
		return false;
	if (irq == 15)
		outb(PIC1, 0x20); /* the master did see the cascade */
	return true;
}

void irq_dispatch(int irq)
{
	if ((irq == 7 || irq == 15) && pic_spurious(irq))
		return;
	pic_eoi(irq);
	if (handlers[irq])
		handlers[irq]();
}
