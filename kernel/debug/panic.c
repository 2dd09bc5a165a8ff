/*
 * panic(): the kernel found one of its own invariants broken.  It prints the
 * reason, the registers and a backtrace with symbol names (from the table
 * tools/mksyms.py links into .ksyms), then exits QEMU with PANIC_EXIT_CODE so
 * a test harness can tell a panic from a clean poweroff.  A kernel stack
 * overflow (a fault on the guard below a stack, arch/x86/kstack.c) is named
 * as such, with the task whose stack it was.
 */
#include <kern/panic.h>
#include <kern/printk.h>
#include <kern/arch.h>
#include <kern/arch.h>
#include <kern/irq.h>
#include <kern/task.h>
#include <kern/pid.h>
#include <kern/vm.h>
#include <kern/pmm.h>

extern const uint32_t ksym_count;
extern const uint32_t ksym_table[]; /* pairs: address, name offset */
extern const char ksym_names[];
extern char kernel_start[], kernel_end[];

const char *ksym_lookup(uintptr_t addr, uintptr_t *off)
{
	uint32_t lo = 0, hi = ksym_count;
	if (hi == 0 || addr < ksym_table[0] || addr >= (uintptr_t)kernel_end)
		return NULL;
	while (hi - lo > 1) { /* last symbol at or below addr */
		uint32_t mid = (lo + hi) / 2;
		if (ksym_table[2 * mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*off = addr - ksym_table[2 * lo];
	return &ksym_names[ksym_table[2 * lo + 1]];
}

static void print_addr(uintptr_t addr)
{
	uintptr_t off = 0;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		printk("  [%p] %s+0x%x\n", (void *)addr, name, (unsigned)off);
	else
		printk("  [%p] ?\n", (void *)addr);
}

/* Can the two words of a stack frame at fp be read without faulting? */
static bool frame_readable(uintptr_t fp)
{
	if (fp & 3)
		return false;
	if (fp >= (uintptr_t)kernel_start && fp < KERNEL_MAP_TOP - 8)
		return true;
	return kstack_mapped(fp) && kstack_mapped(fp + 4);
}

void backtrace_print(uintptr_t fp)
{
	printk("backtrace:\n");
	for (int depth = 0; depth < 20 && fp; depth++) {
		if (!frame_readable(fp))
			break;
		uintptr_t *frame = (uintptr_t *)fp;
		if (!frame[1])
			break; /* a new task's first frame */
		print_addr(frame[1]);
		fp = frame[0];
	}
}

static void print_task(void)
{
	if (current)
		printk("task: %s\n", current->tk_name);
}

__noreturn void panic(const char *fmt, ...)
{
	irq_disable();
	va_list ap;
	va_start(ap, fmt);
	printk("\nkernel panic: ");
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	uintptr_t fp = arch_frame_pointer();
	arch_print_regs(fp, arch_stack_pointer());
	print_task();
	backtrace_print(fp);
	arch_poweroff(PANIC_EXIT_CODE);
}

/* Prints the registers of a kernel-mode fault; sp is the stack pointer
 * at the fault. */
static void print_fault_regs(const struct trapframe *tf, uint32_t sp)
{
	arch_frame_print(tf, sp);
	print_addr(arch_frame_pc(tf));
	print_task();
	backtrace_print(arch_frame_fp(tf));
}

__noreturn void panic_fault_at(struct trapframe *tf, uint32_t sp,
			       const char *why)
{
	irq_disable();
	printk("\nkernel exception: %s (vector %u, error code 0x%x)\n", why,
	       (unsigned)arch_frame_vector(tf), (unsigned)arch_frame_error(tf));
	print_fault_regs(tf, sp);
	printk("kernel panic: %s in kernel mode\n", why);
	arch_poweroff(PANIC_EXIT_CODE);
}

__noreturn void panic_trap(struct trapframe *tf, const char *why)
{
	panic_fault_at(tf, arch_frame_kernel_sp(tf), why);
}

__noreturn void panic_stack_overflow(struct trapframe *tf, uint32_t sp,
				     const void *stack, const char *why)
{
	irq_disable();
	struct task *t = task_find_by_kstack(stack);
	char who[TASK_NAME_MAX + 32];
	if (t)
		snprintf(who, sizeof(who), "task %u (%s)", (unsigned)tsk_pid(t),
			 t->tk_name);
	else
		snprintf(who, sizeof(who), "a task not yet linked");
	printk("\nkernel stack overflow in %s: fault at %p, below its stack at "
	       "%p\n",
	       who, (void *)arch_fault_addr(), stack);
	printk("kernel exception: %s (vector %u, error code 0x%x)\n", why,
	       (unsigned)arch_frame_vector(tf), (unsigned)arch_frame_error(tf));
	print_fault_regs(tf, sp);
	printk("kernel panic: kernel stack overflow in %s\n", who);
	arch_poweroff(PANIC_EXIT_CODE);
}
