/* panic(): a broken kernel invariant.  Prints the reason, the registers and a
 * symbolised backtrace, then exits QEMU with PANIC_EXIT_CODE.  Never for bad
 * user input or running out of memory. */
#ifndef KERN_PANIC_H
#define KERN_PANIC_H

#include <kern/compiler.h>

/* Value written to isa-debug-exit on panic: QEMU exits with 2*126+1 = 253. */
#define PANIC_EXIT_CODE 126

struct trapframe;
__noreturn void panic(const char *fmt, ...) __printf(1, 2);
/* Panic for an unexpected kernel-mode exception, with its saved registers. */
__noreturn void panic_trap(struct trapframe *tf, const char *why);
/* The same, with sp the stack pointer at the fault (when the frame does
 * not show it: the double-fault task builds tf from the saved TSS). */
__noreturn void panic_fault_at(struct trapframe *tf, uint32_t sp,
			       const char *why);
/* Panic for a fault on the guard below kernel stack `stack` (exception
 * `why`): names the task that owns the stack, then the registers. */
__noreturn void panic_stack_overflow(struct trapframe *tf, uint32_t sp,
				     const void *stack, const char *why);
/* Prints return addresses from frame pointer fp, with symbol names. */
void backtrace_print(uintptr_t fp);
/* Finds the symbol containing addr; returns its name and sets *off. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *off);

#define KASSERT(x)                                                             \
	do {                                                                   \
		if (!(x))                                                      \
			panic("assertion failed: %s at %s:%d", #x, __FILE__,   \
			      __LINE__);                                       \
	} while (0)

#endif
