/*
 * CPU set-up and the few privileged operations portable code needs: FPU/SSE
 * state (saved with fxsave on every task switch, so user code may use it),
 * powering off through QEMU's isa-debug-exit device, halting.
 */
#include <kern/arch.h>
#include <kern/string.h>
#include "x86.h"

#define CR0_MP 0x2
#define CR0_EM 0x4
#define CR0_TS 0x8
#define CR0_NE 0x20
#define CR4_PSE 0x10
#define CR4_OSFXSR 0x200
#define CR4_OSXMMEXCPT 0x400
#define DEBUG_EXIT_PORT 0xf4

static uint8_t fpu_clean[512] __aligned(16);

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
