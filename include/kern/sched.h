/*
 * Scheduler and blocking (kernel/sched.c).  One CPU; the kernel is not
 * preemptive: the timer switches tasks only when it interrupts user mode, so
 * kernel code runs until it returns to user or calls sleep_on()/sched_yield().
 * Interrupt handlers can run at any time while interrupts are on.
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include <kern/task.h>

void sched_init(void);
/* Starts scheduling; never returns. */
__noreturn void sched_start(void);
/* Puts t on the run queue (from TASK_NEW or TASK_SLEEPING). */
void sched_make_runnable(struct task *t);
/* Gives up the CPU; returns when the scheduler picks the caller again. */
void sched_yield(void);
/* Switches away from a task that is no longer runnable (zombie). */
__noreturn void sched_exit_switch(void);

/*
 * Blocks the caller until wakeup(chan) or until it is killed.  Returns 0, or
 * -EINTR when a kill is pending (the caller unwinds its system call).  Call it
 * in a loop that re-tests the condition.  If the condition is changed by an
 * interrupt handler, test it with interrupts disabled (irq_save) and keep
 * them disabled until sleep_on: it sleeps atomically and returns with the
 * interrupt state it was called with.
 */
int sleep_on(const void *chan) __must_check;
/* Same, but also wakes at uptime wake_at_ms (0: no deadline). */
int sleep_on_until(const void *chan, uint64_t wake_at_ms) __must_check;
/* Makes every task sleeping on chan runnable.  Safe in interrupt handlers. */
void wakeup(const void *chan);
/* Marks t killed with sig and wakes it if it sleeps. */
void sched_kill(struct task *t, int sig);

/* Freezes or thaws t: a frozen task is never picked to run (checkpoint). */
void sched_set_frozen(struct task *t, bool frozen);
/* Has the running task used up its time slice? */
bool sched_need_resched(void);

/* Milliseconds since boot (PIT driven). */
uint64_t uptime_ms(void);
/* Called by the timer interrupt once per tick. */
void sched_tick(void);

#endif
