/* The 8253/8254 PIT, channel 0 in rate-generator mode: the scheduler tick. */
#include <kern/arch.h>
#include <kern/irq.h>
#include <kern/sched.h>
#include "x86.h"

#define PIT_HZ 1193182u

static void pit_irq(void)
{
	sched_tick();
}

void arch_timer_init(unsigned hz)
{
	uint32_t div = PIT_HZ / hz;
	outb(0x43, 0x34); /* channel 0, lo/hi byte, mode 2 */
	outb(0x40, div & 0xff);
	outb(0x40, (div >> 8) & 0xff);
	irq_register(IRQ_TIMER, pit_irq);
}
