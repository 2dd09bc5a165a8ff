/* x86 instructions and descriptor constants, private to arch/x86/. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <kern/compiler.h>

#define SEG_KCODE 0x08
#define SEG_KDATA 0x10
#define SEG_UCODE 0x1b /* 0x18 | RPL 3 */
#define SEG_UDATA 0x23 /* 0x20 | RPL 3 */
#define SEG_TSS 0x28

#define EFLAGS_IF 0x200

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;
	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline void lcr3(uint32_t v)
{
	__asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory");
}

static inline uint32_t rcr0(void)
{
	uint32_t v;
	__asm__ volatile("movl %%cr0, %0" : "=r"(v));
	return v;
}

static inline void lcr0(uint32_t v)
{
	__asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory");
}

static inline uint32_t rcr4(void)
{
	uint32_t v;
	__asm__ volatile("movl %%cr4, %0" : "=r"(v));
	return v;
}

static inline void lcr4(uint32_t v)
{
	__asm__ volatile("movl %0, %%cr4" : : "r"(v) : "memory");
}

void gdt_init(void);
void idt_init(void);
void pic_init(void);
void pic_eoi(int irq);
void fpu_init(void);
void irq_dispatch(int irq);
const char *trap_name(uint32_t vector);

#endif
