/*
 * Round-robin scheduling and blocking.  The scheduler loop runs on the boot
 * stack (it is the idle task): it picks the first runnable task, switches to
 * it, and gets control back whenever that task blocks, yields or exits.  A
 * task that blocks sleeps on a "channel" (any address) until wakeup(chan),
 * a deadline, or a kill.  Channels hash into buckets so wakeup is O(sleepers
 * on that bucket), not O(all tasks).
 *
 * Latency: each task has a recent CPU use (tk_load: ticks it was running
 * at, halving every LOAD_HALF_LIFE ticks).  A sleeper whose deadline passes
 * while its recent use is light goes to the front of the run queue and
 * asks for a switch; the running task gives way at its next preemption
 * point: the return to user mode, or sched_cond_resched() between the
 * chunks of a long system call.  A task that keeps waking and computing is
 * not light: it queues at the back like everyone else, so front places
 * cannot starve anyone.
 */
#include <kern/sched.h>
#include <kern/arch.h>
#include <kern/irq.h>
#include <kern/mm.h>
#include <kern/panic.h>
#include <kern/proc.h>
#include <uapi/errno.h>

#define HZ	       1000
#define SLICE_TICKS    (HZ / 20) /* 50 ms */
#define WQ_BUCKETS     64
#define LOAD_TICK      16	 /* tk_load per tick of CPU (fixed point) */
#define LOAD_HALF_LIFE (HZ / 10) /* ticks in which tk_load halves: 100 ms */
#define LOAD_LIGHT                                                             \
	(HZ / 25 * LOAD_TICK) /* 40 ms: below, a sleeper goes first */

struct task *current;
static struct context *sched_ctx;
static struct list_node runq = LIST_INIT(runq);
static struct list_node parked = LIST_INIT(parked); /* frozen tasks */
static struct list_node timers = LIST_INIT(timers);
static struct list_node waitq[WQ_BUCKETS];
static volatile uint64_t ticks;
static volatile bool need_resched;

static struct list_node *wq_bucket(const void *chan)
{
	uintptr_t h = (uintptr_t)chan;
	h ^= h >> 7;
	h ^= h >> 13;
	return &waitq[h % WQ_BUCKETS];
}

void sched_init(void)
{
	for (int i = 0; i < WQ_BUCKETS; i++)
		list_init(&waitq[i]);
	arch_timer_init(HZ);
}

uint64_t uptime_ms(void)
{
	return ticks * (1000 / HZ);
}

/* t's recent CPU use, decayed to now.  Interrupts off. */
static uint32_t recent_load(struct task *t)
{
	uint64_t elapsed = ticks - t->tk_load_at;

	KASSERT(!irqs_enabled());
	if (elapsed >= 32 * LOAD_HALF_LIFE) { /* halved to nothing */
		t->tk_load = 0;
		t->tk_load_at = ticks;
		return 0;
	}
	/* 32-bit from here: this runs on every tick */
	uint32_t halvings = (uint32_t)elapsed / LOAD_HALF_LIFE;
	t->tk_load >>= halvings;
	t->tk_load_at += halvings * LOAD_HALF_LIFE;
	return t->tk_load;
}

/* Must t stay off the CPU?  Frozen, unless it is in the middle of a system
 * call (switched away in sched_cond_resched): that one finishes the call
 * and parks on its way back to user mode.  Interrupts off. */
static bool parks(const struct task *t)
{
	KASSERT(!irqs_enabled());
	return t->tk_frozen && !t->tk_midcall;
}

/* Puts t at the back of the run queue (or on the parked list).  Interrupts
 * off. */
static void enqueue(struct task *t)
{
	KASSERT(!irqs_enabled());
	t->tk_state = TASK_RUNNABLE;
	list_add_tail(parks(t) ? &parked : &runq, &t->tk_rq);
}

/* Takes t off its wait lists and queues it; front: at the head of the run
 * queue.  Interrupts off. */
static void make_runnable(struct task *t, bool front)
{
	KASSERT(!irqs_enabled());
	if (list_linked(&t->tk_wq))
		list_del(&t->tk_wq);
	if (list_linked(&t->tk_tq))
		list_del(&t->tk_tq);
	t->tk_chan = NULL;
	if (list_linked(&t->tk_rq))
		return;
	if (front && !parks(t)) {
		t->tk_state = TASK_RUNNABLE;
		list_add_tail(runq.next, &t->tk_rq); /* before the head */
	} else {
		enqueue(t);
	}
}

void sched_make_runnable(struct task *t)
{
	uint32_t fl = irq_save();
	make_runnable(t, false);
	irq_restore(fl);
}

void sched_set_current(struct task *t)
{
	current = t;
	arch_set_kernel_stack((uintptr_t)t->tk_kstack + KSTACK_SIZE);
	vm_activate(t->tk_mm ? t->tk_mm->mm_pgdir : vm_kernel_pgdir());
}

/* Runs t until it gives the CPU back.  Interrupts off. */
static void run_task(struct task *t)
{
	KASSERT(!irqs_enabled());
	t->tk_slice = SLICE_TICKS;
	sched_set_current(t);
	fpu_restore(t->tk_fpu);
	swtch(&sched_ctx, t->tk_ctx);
	if (*(uint32_t *)t->tk_kstack != KSTACK_CANARY)
		panic("kernel stack overflow in task %s", t->tk_name);
	current = NULL;
	if (t->tk_state != TASK_ZOMBIE)
		fpu_save(t->tk_fpu);
	else if (!t->tk_parent)
		task_release(t); /* an orphan nobody will wait for */
}

__noreturn void sched_start(void)
{
	for (;;) {
		irq_disable();
		if (list_empty(&runq)) {
			arch_idle(); /* no lost wakeup */
			continue;
		}
		struct list_node *n = runq.next;
		list_del(n);
		run_task(list_entry(n, struct task, tk_rq));
	}
}

/* Switches to the scheduler; interrupts must be off. */
static void sched_switch(void)
{
	need_resched = false;
	swtch(&current->tk_ctx, sched_ctx);
}

void sched_yield(void)
{
	uint32_t fl = irq_save();
	enqueue(current);
	sched_switch();
	irq_restore(fl);
}

void sched_cond_resched(void)
{
	struct task *t = current;
	uint32_t fl;

	if (!t)
		return; /* boot: the scheduler has not started yet */
	fl = irq_save();
	KASSERT(irq_flags_on(fl)); /* never with interrupts off */
	if (!need_resched) {
		/* nothing due */
	} else if (list_empty(&runq)) {
		need_resched = false; /* nobody else wants the CPU */
		t->tk_slice = SLICE_TICKS;
	} else {
		t->tk_midcall = true;
		enqueue(t);
		sched_switch();
		t->tk_midcall = false;
	}
	irq_restore(fl);
}

__noreturn void sched_exit_switch(void)
{
	irq_disable();
	current->tk_state = TASK_ZOMBIE;
	sched_switch();
	panic("zombie %s was scheduled", current->tk_name);
}

int sleep_on_until(const void *chan, uint64_t wake_at_ms)
{
	uint32_t fl = irq_save();
	struct task *t = current;
	if (t->tk_killed) {
		irq_restore(fl);
		return -EINTR;
	}
	t->tk_state = TASK_SLEEPING;
	t->tk_chan = chan;
	t->tk_wake_at = wake_at_ms;
	list_add_tail(wq_bucket(chan), &t->tk_wq);
	if (wake_at_ms)
		list_add_tail(&timers, &t->tk_tq);
	sched_switch();
	irq_restore(fl);
	return t->tk_killed ? -EINTR : 0;
}

int sleep_on(const void *chan)
{
	return sleep_on_until(chan, 0);
}

void wakeup(const void *chan)
{
	uint32_t fl = irq_save();
	struct list_node *head = wq_bucket(chan), *n, *tmp;
	list_for_each_safe(n, tmp, head)
	{
		struct task *t = list_entry(n, struct task, tk_wq);
		if (t->tk_chan == chan)
			sched_make_runnable(t);
	}
	irq_restore(fl);
}

void sched_kill(struct task *t, int sig)
{
	uint32_t fl = irq_save();
	if (!t->tk_killed) {
		t->tk_killed = true;
		t->tk_killsig = sig;
	}
	if (t->tk_state == TASK_SLEEPING)
		sched_make_runnable(t);
	irq_restore(fl);
}

/* Freezes or thaws t: a frozen task stays off the CPU (checkpoint). */
void sched_set_frozen(struct task *t, bool frozen)
{
	uint32_t fl = irq_save();
	t->tk_frozen = frozen;
	if (list_linked(&t->tk_rq)) {
		list_del(&t->tk_rq);
		list_add_tail(parks(t) ? &parked : &runq, &t->tk_rq);
	}
	irq_restore(fl);
}

/* Timer interrupt: time, deadlines, time slices, CPU use.  A sleeper whose
 * deadline has come goes first if its recent CPU use is light, and the
 * running task is asked to give way to it. */
void sched_tick(void)
{
	ticks++;
	uint64_t now = uptime_ms();
	struct list_node *n, *tmp;
	list_for_each_safe(n, tmp, &timers)
	{
		struct task *t = list_entry(n, struct task, tk_tq);
		if (t->tk_wake_at > now)
			continue;
		bool light = recent_load(t) < LOAD_LIGHT;
		make_runnable(t, light);
		if (light && current)
			need_resched = true;
	}
	if (!current)
		return;
	recent_load(current);
	current->tk_load += LOAD_TICK;
	if (--current->tk_slice <= 0)
		need_resched = true;
}

bool sched_need_resched(void)
{
	return need_resched || (current && current->tk_frozen);
}
