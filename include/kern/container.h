/*
 * Containers (kernel/container.c): named groups of tasks, each with its own
 * pidspace, nested in a tree rooted at the system container.
 */
#ifndef KERN_CONTAINER_H
#define KERN_CONTAINER_H

#include <kern/task.h>

struct container {
	char c_name[CTR_NAME_MAX + 1];  /* [I] unique machine-wide */
	struct container *c_parent;     /* [I] NULL for system */
	int c_depth;                    /* [I] system is 0 */
	uint32_t c_pidspace;            /* [I] 0..511; system is 0 */
	uint32_t c_last_nr;             /* last number handed out */
	int c_ntasks;                   /* tasks here and in nested containers */
	struct task *c_init;            /* number 1 here, or NULL once gone */
	struct container *c_next;       /* list of all containers */
	int c_refs;                     /* tasks with a number here */
	bool c_dying;                   /* init exited: members are being killed */
};

extern struct container *ctr_system;

void ctr_init(void);
/* Is c equal to anc or nested inside it? */
bool ctr_is_within(const struct container *c, const struct container *anc);
struct container *ctr_find_by_name(const char *name);
/* Maximum tasks a container holds, nested included (ctr_max_tasks=). */
int ctr_max_tasks(void);

#endif
