/*
 * The x86 side of kern/arch.h: the register frame and switch context
 * layouts, and the inline definitions of the hot-path functions declared
 * there (interrupt state, system call registers).  Only arch/x86/ and
 * kern/arch.h include this file; portable code holds frames and contexts
 * by pointer and reaches their contents through kern/arch.h.
 */
#ifndef MACHINE_ARCH_H
#define MACHINE_ARCH_H

#include <kern/compiler.h>

/* Size and alignment of the fxsave area a task keeps its FPU state in. */
#define ARCH_FPU_SIZE  512
#define ARCH_FPU_ALIGN 16
/* What messages call the program counter. */
#define ARCH_PC_NAME "eip"
/* What messages call the register holding the system call number. */
#define ARCH_SYSCALL_NR_NAME "eax"

/* User (or kernel) registers saved on the kernel stack by the interrupt
 * entry stub (arch/x86/isr.asm); its layout is fixed by that stub. */
struct trapframe {
	uint32_t edi, esi, ebp, esp_kernel, ebx, edx, ecx, eax; /* pusha */
	uint32_t gs, fs, es, ds;
	uint32_t vector, err;
	uint32_t eip, cs, eflags;
	uint32_t esp, ss; /* only when the trap came from user mode */
};

/* Registers saved by swtch(): the callee-saved ones and the return
 * address (arch/x86/switch.asm). */
struct context {
	uint32_t edi, esi, ebx, ebp, eip;
};

#include <machine/irq.h>

static inline void arch_barrier(void)
{
	__asm__ volatile("" : : : "memory");
}

static inline uint32_t arch_syscall_nr(const struct trapframe *tf)
{
	return tf->eax;
}

static inline void arch_syscall_args(const struct trapframe *tf, uint32_t *a)
{
	a[0] = tf->ebx, a[1] = tf->ecx, a[2] = tf->edx;
	a[3] = tf->esi, a[4] = tf->edi;
}

static inline void arch_syscall_set_result(struct trapframe *tf, int32_t ret)
{
	tf->eax = (uint32_t)ret;
}

static inline bool trap_from_user(const struct trapframe *tf)
{
	return (tf->cs & 3) == 3;
}

static inline uint32_t arch_frame_pc(const struct trapframe *tf)
{
	return tf->eip;
}

static inline uint32_t arch_frame_vector(const struct trapframe *tf)
{
	return tf->vector;
}

static inline uint32_t arch_frame_error(const struct trapframe *tf)
{
	return tf->err;
}

static inline bool arch_frame_is_page_fault(const struct trapframe *tf)
{
	return tf->vector == 14;
}

static inline uintptr_t arch_frame_pointer(void)
{
	uintptr_t fp;
	__asm__ volatile("movl %%ebp, %0" : "=r"(fp));
	return fp;
}

static inline uintptr_t arch_stack_pointer(void)
{
	uintptr_t sp;
	__asm__ volatile("movl %%esp, %0" : "=r"(sp));
	return sp;
}

static inline void arch_context_set_pc(struct context *ctx, void (*pc)(void))
{
	ctx->eip = (uint32_t)(uintptr_t)pc;
}

/* Fills n/4 words at d with w (n and d word-aligned). */
static inline void arch_fill32(void *d, uint32_t w, size_t words)
{
	__asm__ volatile("rep stosl"
			 : "+D"(d), "+c"(words)
			 : "a"(w)
			 : "memory");
}

/* Copies words 32-bit words from s to d. */
static inline void arch_copy32(void *d, const void *s, size_t words)
{
	__asm__ volatile("rep movsl"
			 : "+D"(d), "+S"(s), "+c"(words)
			 :
			 : "memory");
}

#endif
