/* x86 instructions and descriptor constants, private to arch/x86/. */
#ifndef ARCH_X86_X86_H
#define ARCH_X86_X86_H

#include <kern/compiler.h>
#include <kern/arch.h>
#include <kern/vm.h>

#define SEG_KCODE  0x08
#define SEG_KDATA  0x10
#define SEG_UCODE  0x1b /* 0x18 | RPL 3 */
#define SEG_UDATA  0x23 /* 0x20 | RPL 3 */
#define SEG_TSS	   0x28
#define SEG_TSS_DF 0x30 /* the double-fault task's TSS */

#define TRAP_SYSCALL	   0x80 /* the vector of `int 0x80` */
#define IRQ_BASE	   32	/* vector of IRQ line 0 */
#define TRAP_PAGE_FAULT	   14
#define MXCSR_MASK_OFF	   28	   /* in the fxsave area */
#define MXCSR_MASK_DEFAULT 0xffbfu /* when that field is 0 */

/* Page table entry bits (arch/x86/paging.c, kstack.c). */
#define PTE_P	    0x001
#define PTE_W	    0x002
#define PTE_U	    0x004
#define PTE_PWT	    0x008 /* write-through (device registers) */
#define PTE_PCD	    0x010 /* cache disabled (device registers) */
#define PTE_D	    0x040 /* written since the bit was last cleared */
#define PTE_PS	    0x080
#define PTE_G	    0x100
#define PTE_SENT    0x200 /* available bit: copied by a pre-copy round */
#define PTE_ADDR(e) ((e) & ~0xfffu)
#define PDX(va)	    ((va) >> 22)
#define PTX(va)	    (((va) >> 12) & 0x3ff)

/* Page-fault error code bits. */
#define PF_P 0x01 /* the page was present: a protection violation */
#define PF_W 0x02
#define PF_U 0x04 /* from user mode */
#define PF_I 0x10 /* an instruction fetch (reported with SMEP on) */

/* Port I/O of one width: outS(port, v) and inS(port) for the suffix S
 * (b, w, l) and value type T.  PCI configuration is the one user of l. */
#define X86_PORT_IO(S, T)                                                      \
	static inline void out##S(uint16_t port, T v)                          \
	{                                                                      \
		__asm__ volatile("out" #S " %0, %1" : : "a"(v), "Nd"(port));   \
	}                                                                      \
	static inline T in##S(uint16_t port)                                   \
	{                                                                      \
		T v;                                                           \
		__asm__ volatile("in" #S " %1, %0" : "=a"(v) : "Nd"(port));    \
		return v;                                                      \
	}
X86_PORT_IO(b, uint8_t)
X86_PORT_IO(w, uint16_t)
X86_PORT_IO(l, uint32_t)

/* rcrN() reads control register N, lcrN(v) loads it. */
#define X86_CR(N)                                                              \
	static inline uint32_t rcr##N(void)                                    \
	{                                                                      \
		uint32_t v;                                                    \
		__asm__ volatile("movl %%cr" #N ", %0" : "=r"(v));             \
		return v;                                                      \
	}                                                                      \
	static inline void lcr##N(uint32_t v)                                  \
	{                                                                      \
		__asm__ volatile("movl %0, %%cr" #N : : "r"(v) : "memory");    \
	}
X86_CR(0)
X86_CR(3)
X86_CR(4)

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline uint32_t read_eflags(void)
{
	uint32_t v;
	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

/* Set by cpu_protect_init(); read by isr.asm too (it clears EFLAGS.AC on
 * every entry when SMAP is on). */
extern uint8_t x86_smap_on, x86_smep_on;

void gdt_init(void);
/* Points the double-fault task at page directory pd (once paging is on). */
void gdt_fault_task_paging(uint32_t pd);
/* Fills tf (and *esp) from the main TSS, where the CPU saved the context
 * that faulted when it switched to the double-fault task. */
struct trapframe;
void gdt_fault_frame(struct trapframe *tf, uint32_t *esp);
/* The double-fault task's C entry (trap.c), called from isr.asm. */
__noreturn void trap_double_fault(uint32_t err);
/* Turns on SMEP and SMAP where the CPU has them (paging must be on). */
void cpu_protect_init(void);
/* Sets up the kernel stack area (arch/x86/kstack.c) in directory pd. */
void kstack_area_init(pde_t *pd);
/* Copies the kernel stack area's directory entries into pd. */
void kstack_area_share(pde_t *pd);
void idt_init(void);
void pic_init(void);
void pic_eoi(int irq);
void fpu_init(void);
void irq_dispatch(int irq);
const char *trap_name(uint32_t vector);
/* Common C entry for every vector, from isr.asm. */
void trap_dispatch(struct trapframe *tf);
/* Assembly: restores tf and irets. */
void trap_return(void);
/* Assembly: a new task's first context resumes here: the return-to-user
 * checks (pending kill), then trap_return. */
void task_first_entry(void);

#endif
