/*
 * Scheduler and blocking (kernel/proc/sched.c).  One CPU; the kernel is not
 * preemptive: the timer switches tasks only when it interrupts user mode, so
 * kernel code runs until it returns to user or calls sleep_on()/sched_yield()
 * /sched_cond_resched().  Interrupt handlers can run at any time while
 * interrupts are on.
 */
#ifndef KERN_SCHED_H
#define KERN_SCHED_H

#include <kern/task.h>

void sched_init(void);
/* Starts scheduling; never returns. */
__noreturn void sched_start(void);
/* Makes t the running task (current), with its kernel stack and address
 * space active: the scheduler's own switch uses it, and the boot
 * self-tests before sched_start.  Nothing else assigns current. */
void sched_set_current(struct task *t);
/* Puts t on the run queue (from TASK_NEW or TASK_SLEEPING). */
void sched_make_runnable(struct task *t);
/* Gives up the CPU; returns when the scheduler picks the caller again. */
void sched_yield(void);
/*
 * A preemption point for long kernel loops: if the caller's time slice is
 * spent or a sleeper's deadline has come, and another task is runnable, the
 * caller switches away and comes back later; otherwise it returns at once.
 * A long system call calls it between chunks (a page, a 4 KiB block), so no
 * task holds the CPU for more than a chunk when another is due (SPEC 3).
 *
 * Before the scheduler starts (no current task) it does nothing.
 * Call it only where a switch to any other task is harmless:
 *   - interrupts on (asserted) and no irq_save section held;
 *   - nothing another task could see is half made: every shared structure
 *     the loop changes (file size, page lists, task lists, names) is
 *     consistent between chunks;
 *   - no pointer is kept across the call into anything another task could
 *     free or move meanwhile (a file's page array, a pipe buffer, another
 *     task's memory that is not frozen): re-derive it after the call, or
 *     hold a reference (file_get) that keeps it alive;
 *   - whatever was checked before the loop and can change meanwhile (a
 *     container's cap or death, free memory) is checked again, or its
 *     failure is handled, before it is committed.
 * A task frozen while switched away here (checkpoint in progress) is not
 * parked: it goes on with its call and parks on the way back to user mode
 * (or in sleep_on), so a checkpoint never sees a system call half done.
 */
void sched_cond_resched(void);
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
/* Must the running task give up the CPU on its way to user mode: its time
 * slice is spent, a sleeper is due, or it has been frozen? */
bool sched_need_resched(void);

/* Milliseconds since boot (PIT driven). */
uint64_t uptime_ms(void);
/* Called by the timer interrupt once per tick. */
void sched_tick(void);

#endif
