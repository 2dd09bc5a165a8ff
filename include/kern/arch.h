/*
 * The architecture interface: everything portable kernel code asks of the
 * CPU, and so everything a port must provide.  A port supplies, in
 * arch/<cpu>/:
 *   - struct trapframe (the registers a trap saves on the kernel stack; a
 *     task's user registers) and struct context (what swtch saves);
 *   - ARCH_FPU_SIZE and ARCH_FPU_ALIGN, the size and alignment of the FPU
 *     save area; ARCH_PC_NAME and ARCH_SYSCALL_NR_NAME, what messages call
 *     the program counter and the system call number register;
 *   - every function below.  Those marked "inline" sit on the system call,
 *     interrupt and context switch paths: the port defines them static
 *     inline in its include/machine/arch.h, which this header includes.
 * The conversion between the registers and the checkpoint image's register
 * record (include/uapi/ckpt_image.h) is the port's too: that record is the
 * only other place that knows the CPU.  Portable code includes this
 * header, never an arch one, and reaches frames and contexts only through
 * these functions.
 */
#ifndef KERN_ARCH_H
#define KERN_ARCH_H

#include <kern/compiler.h>

struct trapframe;
struct context;
struct ckpt_regs;
struct ckpt_layout;

/* ---- start-up and power ---- */
/* Sets up descriptor tables, interrupt controller and FPU. */
void arch_init(void);
/* Starts the periodic timer interrupt at hz per second. */
void arch_timer_init(unsigned hz);
/* Ends the machine (under QEMU: exits with status code*2+1). */
__noreturn void arch_poweroff(int code);
/* Stops the CPU for good, interrupts off. */
__noreturn void arch_halt(void);

/* ---- interrupts (inline) ---- */
/* Disables interrupts; returns the previous state for irq_restore. */
static inline uint32_t irq_save(void);
/* Enables interrupts again if fl (from irq_save) says they were on. */
static inline void irq_restore(uint32_t fl);
/* Enables interrupts. */
static inline void irq_enable(void);
/* Disables interrupts. */
static inline void irq_disable(void);
/* Are interrupts enabled?  (For assertions.) */
static inline bool irqs_enabled(void);
/* Did irq_save's result fl say interrupts were enabled? */
static inline bool irq_flags_on(uint32_t fl);
/* Enables interrupts and waits for one, with no window between the two. */
static inline void arch_idle(void);
/* A compiler barrier: memory accesses are not moved across it. */
static inline void arch_barrier(void);

/* ---- tasks: kernel stacks, switching, FPU ---- */
/* Makes top the kernel stack that traps from user mode land on. */
void arch_set_kernel_stack(uintptr_t top);
/* Saves the current context in *old and switches to new. */
void swtch(struct context **old, struct context *new);
/* Lays out a new task's kernel stack ending at top: a trap frame (stored
 * in *tf) at the top, and under it the context whose first swtch goes to
 * the return-to-user path (so a kill before the task runs still ends it). */
struct context *arch_kstack_init(void *top, struct trapframe **tf);
/* Makes the context's next swtch resume at pc (inline). */
static inline void arch_context_set_pc(struct context *ctx, void (*pc)(void));
/* Saves the FPU state in area (ARCH_FPU_SIZE bytes, ARCH_FPU_ALIGN). */
void fpu_save(void *area);
/* Loads the FPU state from area. */
void fpu_restore(const void *area);
/* Writes a clean FPU state (a new task's) to area. */
void fpu_init_state(void *area);
/* Copies the FPU state img into area (which holds a state of this CPU),
 * dropping control bits this CPU lacks, so loading it cannot fault. */
void arch_fpu_import(void *area, const void *img);

/* ---- traps and user registers ---- */
/* Did the trap that saved tf come from user mode?  (inline) */
static inline bool trap_from_user(const struct trapframe *tf);
/* The program counter saved in tf (inline). */
static inline uint32_t arch_frame_pc(const struct trapframe *tf);
/* Is tf the frame of a page fault?  (inline) */
static inline bool arch_frame_is_page_fault(const struct trapframe *tf);
/* The trap's vector and the error code the CPU pushed with it (inline). */
static inline uint32_t arch_frame_vector(const struct trapframe *tf);
static inline uint32_t arch_frame_error(const struct trapframe *tf);
/* The address the last page fault was at. */
uintptr_t arch_fault_addr(void);
/* Fills tf so that returning from it enters user mode at pc, stack sp. */
void trap_init_user(struct trapframe *tf, uint32_t pc, uint32_t sp);
/* Prints the registers in kernel-mode frame tf, sp the stack pointer at
 * the trap. */
void arch_frame_print(const struct trapframe *tf, uintptr_t sp);
/* The stack pointer at a kernel-mode trap whose frame is tf. */
uintptr_t arch_frame_kernel_sp(struct trapframe *tf);
/* The frame pointer of a kernel-mode frame (for backtraces). */
uintptr_t arch_frame_fp(const struct trapframe *tf);
/* Prints frame pointer fp, stack pointer sp and the fault address. */
void arch_print_regs(uintptr_t fp, uintptr_t sp);
/* The caller's frame pointer and stack pointer (inline). */
static inline uintptr_t arch_frame_pointer(void);
static inline uintptr_t arch_stack_pointer(void);

/* ---- system calls (inline) ---- */
/* The number of the system call tf made. */
static inline uint32_t arch_syscall_nr(const struct trapframe *tf);
/* Its five arguments, in order, into a[0..4]. */
static inline void arch_syscall_args(const struct trapframe *tf, uint32_t *a);
/* Sets the value the call returns to user mode. */
static inline void arch_syscall_set_result(struct trapframe *tf, int32_t ret);

/* ---- the checkpoint image's register record (x86: ckpt_regs.c) ---- */
/* Fills the image record r from frame tf. */
void arch_ckpt_regs_save(const struct trapframe *tf, struct ckpt_regs *r);
/* Rewinds r onto the trap instruction of the system call it is inside,
 * so that resuming from r makes the call again. */
void arch_ckpt_regs_restart_syscall(struct ckpt_regs *r);
/* Makes r a record no user task can have (fault injection for tests). */
void arch_ckpt_regs_spoil(struct ckpt_regs *r);
/* The system call number r would make (for a task inside a call). */
uint32_t arch_ckpt_regs_syscall_nr(const struct ckpt_regs *r);
/* 0 if task i's record r and FPU image fpu are what user mode can leave,
 * else the ckpt_refuse error naming why. */
int arch_ckpt_regs_check(struct ckpt_layout *lay, uint32_t i,
			 const struct ckpt_regs *r, const uint8_t *fpu);
/* Fills tf from a record that passed arch_ckpt_regs_check. */
void arch_ckpt_regs_load(struct trapframe *tf, const struct ckpt_regs *r);

/* ---- memory helpers (inline) ---- */
/* Fills words 32-bit words at d with w. */
static inline void arch_fill32(void *d, uint32_t w, size_t words);
/* Copies words 32-bit words from s to d. */
static inline void arch_copy32(void *d, const void *s, size_t words);

#include <machine/arch.h>

#endif
