/*
 * The interrupt descriptor table: vectors 0-31 are CPU exceptions, 32-47 the
 * remapped 8259 IRQs, 0x80 the system call gate (callable from ring 3).  All
 * are interrupt gates, so every handler starts with interrupts off, except
 * the double fault (8): a task gate to the double-fault task (gdt.c), which
 * runs on a stack of its own even when the kernel stack has overflowed.
 */
#include "x86.h"

struct idt_gate {
	uint16_t off_lo, sel;
	uint8_t zero, type;
	uint16_t off_hi;
} __packed;

static struct idt_gate idt[256];
extern uint32_t isr_table[49];

static void idt_set(int v, uint32_t handler, int dpl)
{
	idt[v].off_lo = handler & 0xffff;
	idt[v].sel = SEG_KCODE;
	idt[v].zero = 0;
	idt[v].type =
	    (uint8_t)(0x8e | (dpl << 5)); /* present, 32-bit intr gate */
	idt[v].off_hi = handler >> 16;
}

/* Fills and loads the IDT. */
void idt_init(void)
{
	for (int v = 0; v < 48; v++)
		idt_set(v, isr_table[v], 0);
	idt_set(TRAP_SYSCALL, isr_table[48], 3);
	idt[8] = (struct idt_gate){.sel = SEG_TSS_DF, .type = 0x85};
	struct {
		uint16_t limit;
		uint32_t base;
	} __packed idtr = {sizeof(idt) - 1, (uint32_t)idt};
	__asm__ volatile("lidt %0" : : "m"(idtr));
}
