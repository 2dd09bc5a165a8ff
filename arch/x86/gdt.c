/*
 * Segmentation, reduced to what protected mode requires: flat 4 GiB code and
 * data segments for ring 0 and ring 3, and two TSSs.  The main one tells the
 * CPU which kernel stack to use when an interrupt arrives from user mode.
 * The second is the double-fault task: the IDT's vector 8 is a task gate to
 * it, so a double fault switches to a stack of its own.  That is the only
 * way i386 has to survive a kernel stack overflow: the page fault on the
 * guard page cannot push its frame on the stack that overflowed, which
 * makes it a double fault, and a handler reached through an interrupt gate
 * would have to push on that stack too (a triple fault: the machine resets).
 * The CPU saves the faulting context in the main TSS on the way.
 */
#include <kern/arch.h>
#include <kern/string.h>
#include "x86.h"

struct gdt_entry {
	uint16_t limit_lo, base_lo;
	uint8_t base_mid, access, gran, base_hi;
} __packed;

struct tss {
	uint32_t prev, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs, ldt;
	uint16_t trap, iomap;
} __packed;

static struct gdt_entry gdt[7];
static struct tss tss;
static struct tss df_tss;
static uint8_t df_stack[8192] __aligned(16);
extern char double_fault_entry[]; /* isr.asm */

static void gdt_set(int i, uint32_t base, uint32_t limit, uint8_t access,
		    uint8_t gran)
{
	gdt[i].limit_lo = limit & 0xffff;
	gdt[i].base_lo = base & 0xffff;
	gdt[i].base_mid = (base >> 16) & 0xff;
	gdt[i].access = access;
	gdt[i].gran = (uint8_t)(((limit >> 16) & 0x0f) | (gran & 0xf0));
	gdt[i].base_hi = (base >> 24) & 0xff;
}

/* The double-fault task starts at double_fault_entry on df_stack. */
static void fault_task_init(void)
{
	memset(&df_tss, 0, sizeof(df_tss));
	df_tss.eip = (uint32_t)double_fault_entry;
	df_tss.eflags = 0x2; /* interrupts off */
	df_tss.esp = (uint32_t)df_stack + sizeof(df_stack);
	df_tss.cs = SEG_KCODE;
	df_tss.ss = df_tss.ds = df_tss.es = SEG_KDATA;
	df_tss.fs = df_tss.gs = SEG_KDATA;
	df_tss.iomap = sizeof(df_tss);
}

/* Loads the GDT and TSS and reloads every segment register. */
void gdt_init(void)
{
	gdt_set(0, 0, 0, 0, 0);
	gdt_set(1, 0, 0xfffff, 0x9a, 0xc0); /* kernel code */
	gdt_set(2, 0, 0xfffff, 0x92, 0xc0); /* kernel data */
	gdt_set(3, 0, 0xfffff, 0xfa, 0xc0); /* user code */
	gdt_set(4, 0, 0xfffff, 0xf2, 0xc0); /* user data */
	memset(&tss, 0, sizeof(tss));
	tss.ss0 = SEG_KDATA;
	tss.iomap = sizeof(tss); /* no I/O bitmap: user port I/O faults */
	gdt_set(5, (uint32_t)&tss, sizeof(tss) - 1, 0x89, 0x00);
	fault_task_init();
	gdt_set(6, (uint32_t)&df_tss, sizeof(df_tss) - 1, 0x89, 0x00);

	struct {
		uint16_t limit;
		uint32_t base;
	} __packed gdtr = {sizeof(gdt) - 1, (uint32_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "movw %1, %%ax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs\n\t"
			 "movw %%ax, %%ss\n\t"
			 "ljmp %2, $1f\n"
			 "1:\n\t"
			 "movw %3, %%ax\n\t"
			 "ltr %%ax"
			 :
			 : "m"(gdtr), "i"(SEG_KDATA), "i"(SEG_KCODE),
			   "i"(SEG_TSS)
			 : "eax", "memory");
}

/* The stack the CPU switches to on a trap from user mode. */
void arch_set_kernel_stack(uintptr_t esp0)
{
	tss.esp0 = esp0;
}

void gdt_fault_task_paging(uint32_t pd)
{
	df_tss.cr3 = pd;
}

void gdt_fault_frame(struct trapframe *tf, uint32_t *esp)
{
	memset(tf, 0, sizeof(*tf));
	tf->eax = tss.eax;
	tf->ebx = tss.ebx;
	tf->ecx = tss.ecx;
	tf->edx = tss.edx;
	tf->esi = tss.esi;
	tf->edi = tss.edi;
	tf->ebp = tss.ebp;
	tf->eip = tss.eip;
	tf->cs = tss.cs;
	tf->eflags = tss.eflags;
	*esp = tss.esp;
}
