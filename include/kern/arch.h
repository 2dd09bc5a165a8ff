/*
 * What portable kernel code asks of the architecture (arch/x86/).  Kernel
 * code outside arch/ includes this, never an arch header.
 */
#ifndef KERN_ARCH_H
#define KERN_ARCH_H

#include <kern/compiler.h>

struct multiboot_info;
struct context;

void arch_init(void);                 /* GDT, TSS, IDT, PIC, FPU */
void arch_timer_init(unsigned hz);    /* PIT */
/* Exits QEMU through isa-debug-exit: status code*2+1. */
__noreturn void arch_poweroff(int code);
__noreturn void arch_halt(void);
void arch_set_kernel_stack(uintptr_t esp0);
/* Saves the current context in *old and switches to new (switch.asm). */
void swtch(struct context **old, struct context *new);
void fpu_save(void *area);            /* fxsave; area 512 bytes, 16-aligned */
void fpu_restore(const void *area);
void fpu_init_state(void *area);      /* a clean FPU state for a new task */
uint32_t arch_read_cr2(void);

#endif
