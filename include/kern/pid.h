/*
 * PIDs: real and virtual (kernel/ctr/pid.c has the full story and a diagram).
 *
 *   real PID  = (pidspace << 23) | number   -- kernel-wide, never changes
 *   virtual PID in container X = the task's number in X's pidspace
 *              (in the system container: the real PID)
 *
 * Naming, after Linux's pid_nr / pid_vnr / pid_nr_ns:
 *   tsk_pid(t)            real PID
 *   tsk_vpid(t)           PID in t's own container (what getpid returns)
 *   tsk_vpid_ctx(t, ctx)  PID of t as seen from container ctx; 0 if hidden
 *   find_task_by_pid(real)          task with that real PID, or NULL
 *   find_task_by_vpid(ctx, vpid)    task seen as vpid from ctx, or NULL
 * Every lookup is O(1): one hash probe, whatever the depth or task count.
 */
#ifndef KERN_PID_H
#define KERN_PID_H

#include <kern/task.h>

#define PIDSPACE_MAX	    ((1u << PIDSPACE_BITS) - 1) /* 511 */
#define PIDNR_MAX	    ((1u << PIDNR_BITS) - 1)	/* 8388607 */
#define PID_MAKE(space, nr) (((uint32_t)(space) << PIDNR_BITS) | (nr))
#define PID_SPACE(pid)	    ((uint32_t)(pid) >> PIDNR_BITS)
#define PID_NR(pid)	    ((uint32_t)(pid)&PIDNR_MAX)

struct container;

void pid_init(uint32_t pid_max);
/* Highest task number any pidspace hands out (pid_max= knob). */
uint32_t pid_max(void);
/* Highest number pidspace space hands out: pid_max, but pidspace 511
 * stops MAX_ERRNO short of 2^23 (kernel/ctr/pid.c says why). */
uint32_t pid_space_max(uint32_t space);

uint32_t tsk_pid(const struct task *t);
uint32_t tsk_vpid(const struct task *t);
uint32_t tsk_vpid_ctx(const struct task *t, const struct container *ctx);
struct task *find_task_by_pid(uint32_t real);
struct task *find_task_by_vpid(const struct container *ctx, uint32_t vpid);
/* Is t visible from ctx (t's container is ctx or nested in it)? */
bool tsk_visible_from(const struct task *t, const struct container *ctx);

/*
 * Gives t numbers in container c and every container above it: the next free
 * number in each pidspace.  Check-then-commit: 0, or -EAGAIN when some
 * pidspace is full, with nothing allocated.
 */
int pid_attach(struct task *t, struct container *c) __must_check;
/*
 * The same, with the numbers at the deepest levels given: nrs[i] is the
 * number at level (c->depth - nlevels + 1 + i).  For restore.  birth_level
 * is the level whose pidspace and number make the real PID.  -EEXIST if a
 * given number is taken, -EAGAIN if a pidspace above is full.
 */
int pid_attach_fixed(struct task *t, struct container *c, const uint32_t *nrs,
		     int nlevels, int birth_level) __must_check;
/* Founding: t gets number 1 in new container c (nested in t's container),
 * keeping every number it had.  -EEXIST if c's number 1 is taken. */
int pid_push_level(struct task *t, struct container *c) __must_check;
/* Frees all of t's numbers (at reap time). */
void pid_detach(struct task *t);
/* Number of t at level i (0 = system: the real PID), and that container. */
uint32_t tsk_nr_at(const struct task *t, int level);
struct container *tsk_ctr_at(const struct task *t, int level);
/* Levels t has numbers at, minus one: t's own container's depth. */
int tsk_depth(const struct task *t);
/* Level whose pidspace and number make t's real PID (checkpoint). */
int tsk_birth_level(const struct task *t);

/* Pure arithmetic, shared with host unit tests (no kernel state). */
/* Next number after last in [1, max] for which in_use(arg, n) is false, or
 * 0 when all are in use. */
uint32_t pidnr_next_free(uint32_t last, uint32_t max,
			 bool (*in_use)(void *arg, uint32_t nr), void *arg);

#endif
