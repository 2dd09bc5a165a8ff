/*
 * The task: one process (Cellblock has no threads).  Inside the kernel tasks
 * refer to each other by pointer; PIDs exist only at the user boundary and
 * are reached through the accessors in kern/pid.h, never through a field.
 *
 * Field key: [I] set at creation, then immutable; [S] scheduler; [F] family
 * links, changed only by fork/exit/wait/reparent; [P] pid.c only.
 */
#ifndef KERN_TASK_H
#define KERN_TASK_H

#include <kern/arch.h>
#include <kern/list.h>
#include <uapi/cellblock.h>

#define KSTACK_SIZE   16384u /* below each: an unmapped guard (kern/vm.h) */
#define KSTACK_CANARY 0x57ac4c0du /* lowest word of every kernel stack */
#define NOFILE	      CB_NOFILE /* descriptors per task (bits of tk_cloexec) */
#define TASK_NAME_MAX 32

enum task_state {
	TASK_NEW,      /* being built; not yet on the run queue */
	TASK_RUNNABLE, /* running or ready */
	TASK_SLEEPING, /* blocked in sleep_on() */
	TASK_ZOMBIE,   /* exited; waits for its parent's waitpid */
};

/* A system call that blocked and must go on after a checkpoint/restore:
 * the remaining time of a sleep is kept here so the restarted call sleeps
 * only for what was left. */
struct restart {
	int rs_syscall;	 /* SYS_* being restarted, or 0 */
	uint32_t rs_arg; /* for SYS_sleep: milliseconds still to sleep */
};

/* One level of a task's PID: its number in one container. */
struct upid {
	struct container *u_ctr; /* [P] the container this number is in */
	uint32_t u_nr;		 /* [P] number; at level 0 the real PID */
	struct upid *u_hnext;	 /* [P] pid hash chain */
	struct task *u_task;	 /* [P] back pointer */
	bool u_hashed;		 /* [P] is on a hash chain */
};

struct mm;
struct ckpt_stage;
struct file;
struct inode;

struct task {
	/* scheduling */
	struct context *tk_ctx;	  /* [S] saved kernel context */
	void *tk_kstack;	  /* [I] base of KSTACK_SIZE bytes */
	struct trapframe *tk_tf;  /* [I] user registers, top of kstack */
	enum task_state tk_state; /* [S] */
	const void *tk_chan;	  /* [S] what a sleeping task waits on */
	uint64_t tk_wake_at;	  /* [S] uptime ms to wake at, 0 = never */
	struct list_node tk_rq;	  /* [S] run queue or parked list */
	struct list_node tk_wq;	  /* [S] wait-channel bucket */
	struct list_node tk_tq;	  /* [S] timed sleepers */
	int tk_slice;		  /* [S] ticks left in this time slice */
	uint32_t tk_load;	  /* [S] recent CPU use (kernel/proc/sched.c) */
	uint64_t tk_load_at;	  /* [S] tick tk_load was decayed to */
	bool tk_frozen;		  /* [S] checkpoint in progress: do not run */
	bool tk_in_syscall;	  /* [S] blocked inside a system call */
	bool tk_midcall;	  /* [S] switched away by sched_cond_resched */

	/* family: parent, first child, next sibling */
	struct task *tk_parent;	  /* [F] */
	struct task *tk_children; /* [F] */
	struct task *tk_sibling;  /* [F] */
	struct task *tk_all_next; /* [F] list of all tasks */
	struct task *tk_all_prev; /* [F] */

	/* identity: numbers at levels 0..depth; see kern/pid.h */
	struct upid tk_upid_priv_[CTR_DEPTH_MAX + 1]; /* [P] use tsk_* */
	int tk_pid_levels;	     /* [P] how many levels are valid */
	int tk_birth_level;	     /* [P] level whose pidspace made the
					real PID */
	struct container *tk_ctr;    /* [P] own container */
	char tk_name[TASK_NAME_MAX]; /* program name (for ps, status) */

	/* memory and files */
	struct mm *tk_mm;
	struct file *tk_files[NOFILE];
	uint32_t tk_cloexec; /* bit fd set: FD_CLOEXEC on fd */
	struct inode *tk_cwd;
	struct ckpt_stage *tk_stage; /* staged restore (kernel/ckpt) or NULL */

	/* ending */
	bool tk_killed;	    /* a kill is pending */
	int tk_killsig;	    /* the signal that kill brought */
	int tk_exit_status; /* waitpid status word, once a zombie */
	struct restart tk_restart;

	/* FPU state saved on every switch away (fpu_save) */
	uint8_t tk_fpu[ARCH_FPU_SIZE] __aligned(ARCH_FPU_ALIGN);
};

/* The running task.  Never NULL once the scheduler has started. */
extern struct task *current;

/* First task in the list of all tasks (for iteration: tk_all_next). */
extern struct task *task_list_head;

/* The task (current, or one on the list of all tasks) whose kernel stack
 * starts at stack, or NULL.  For reports: it takes no lock. */
struct task *task_find_by_kstack(const void *stack);

#endif
