/*
 * CPU set-up and the few privileged operations portable code needs: FPU/SSE
 * state (saved with fxsave on every task switch, so user code may use it),
 * the SMEP/SMAP protections, powering off through QEMU's isa-debug-exit
 * device, halting.
 */
#include <kern/arch.h>
#include <kern/string.h>
#include <kern/printk.h>
#include "x86.h"

#define CR0_MP		0x2
#define CR0_EM		0x4
#define CR0_TS		0x8
#define CR0_NE		0x20
#define CR4_PSE		0x10
#define CR4_OSFXSR	0x200
#define CR4_OSXMMEXCPT	0x400
#define CR4_SMEP	(1u << 20)
#define CR4_SMAP	(1u << 21)
#define CPUID7_EBX_SMEP (1u << 7)
#define CPUID7_EBX_SMAP (1u << 20)
#define DEBUG_EXIT_PORT 0xf4

static uint8_t fpu_clean[ARCH_FPU_SIZE] __aligned(ARCH_FPU_ALIGN);
uint8_t x86_smap_on, x86_smep_on;

void fpu_init(void)
{
	lcr0((rcr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	lcr4(rcr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
	__asm__ volatile("fninit");
	fpu_save(fpu_clean);
}

void fpu_save(void *area)
{
	__asm__ volatile("fxsave (%0)" : : "r"(area) : "memory");
}

void fpu_restore(const void *area)
{
	__asm__ volatile("fxrstor (%0)" : : "r"(area) : "memory");
}

void fpu_init_state(void *area)
{
	memcpy(area, fpu_clean, sizeof(fpu_clean));
}

/*
 * SMEP: the kernel faults if it executes code on a user page.  SMAP: it
 * faults if it reads or writes a user page through a user address.  The
 * copy helpers (arch/x86/usercopy.c) never do that: they find the page
 * through the page tables and copy through the kernel's identity map, so no
 * kernel path needs the STAC/CLAC window and EFLAGS.AC stays clear (the
 * trap entry clears it, since user code may set it).  Needs paging on.
 */
void cpu_protect_init(void)
{
	uint32_t r[4];
	cpuid(0, 0, r);
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		x86_smep_on = (r[1] & CPUID7_EBX_SMEP) != 0;
		x86_smap_on = (r[1] & CPUID7_EBX_SMAP) != 0;
	}
	uint32_t cr4 = rcr4();
	if (x86_smep_on)
		cr4 |= CR4_SMEP;
	if (x86_smap_on)
		cr4 |= CR4_SMAP;
	lcr4(cr4);
	printk("cpu: SMEP %s, SMAP %s, kernel stack guard pages on\n",
	       x86_smep_on ? "on" : "off (not in this CPU)",
	       x86_smap_on ? "on" : "off (not in this CPU)");
}

void arch_init(void)
{
	gdt_init();
	idt_init();
	pic_init();
	fpu_init();
}

__noreturn void arch_poweroff(int code)
{
	__asm__ volatile("cli");
	outb(DEBUG_EXIT_PORT, (uint8_t)code);
	/* Not under QEMU with isa-debug-exit: try the ACPI port QEMU uses. */
	outw(0x604, 0x2000);
	arch_halt();
}

__noreturn void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}
