/*
 * Segmentation, reduced to what protected mode requires: flat 4 GiB code and
 * data segments for ring 0 and ring 3, and one TSS whose only job is to tell
 * the CPU which kernel stack to use when an interrupt arrives from user mode.
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

static struct gdt_entry gdt[6];
static struct tss tss;

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

	struct {
		uint16_t limit;
		uint32_t base;
	} __packed gdtr = { sizeof(gdt) - 1, (uint32_t)gdt };
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
