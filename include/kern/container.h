/*
 * Containers (kernel/ctr/container.c): named groups of tasks, each with its own
 * pidspace, nested in a tree rooted at the system container.
 *
 * Lifetime: container.c alone frees a container, and only in ctr_put.  A
 * container lives while it is held:
 *   - by every task number in it: pid.c calls ctr_get when a task takes a
 *     number here (its own container's or, nested deeper, one above) and
 *     ctr_put when the number is given back.  c_refs counts these holds; it
 *     is also the TASKS figure and what the task cap counts;
 *   - by its maker, from ctr_new until the maker calls ctr_put_new (restore
 *     builds containers before any task has a number in them).
 * The put that leaves a container unheld frees it; a nested container holds
 * no reference on its parent, since every task number in it has one in the
 * parent too.  The system container is never freed.
 */
#ifndef KERN_CONTAINER_H
#define KERN_CONTAINER_H

#include <kern/task.h>

struct container {
	char c_name[CTR_NAME_MAX + 1]; /* [I] unique machine-wide */
	struct container *c_parent;    /* [I] NULL for system */
	int c_depth;		       /* [I] system is 0 */
	uint32_t c_pidspace;	       /* [I] 0..511; system is 0 */
	uint32_t c_last_nr;	       /* last number handed out */
	struct task *c_init;	       /* number 1 here, or NULL once gone */
	struct container *c_next;      /* list of all containers */
	int c_refs;		       /* tasks with a number here: its own
					  and those of nested containers */
	bool c_new;		       /* held by its maker (ctr_put_new) */
	bool c_dying;	      /* init exited: members are being killed */
	int c_nctrs;	      /* containers nested in it, at any depth */
	size_t c_pages;	      /* pages charged to it and nested ones */
	uint32_t c_fg_pid;    /* console foreground set from inside
				 (setfg): a real PID, 0 (empty) or
				 nobody; see kernel/dev/tty_fg.c */
	uint32_t c_mig_id;    /* incremental checkpoint under way: its id
				 (0: none; kernel/ckpt/ckpt_incr.c) */
	uint32_t c_mig_round; /* the last round taken */
	uint32_t c_mig_sig;   /* the tree's tasks at the first round */
};

extern struct container *ctr_system;

void ctr_init(void);
/* Is c equal to anc or nested inside it? */
bool ctr_is_within(const struct container *c, const struct container *anc);
struct container *ctr_find_by_name(const char *name);
/* Sets the per-container task cap (ctr_max_tasks=). */
void ctr_set_max_tasks(int max);
/* The per-container task cap (restore checks room before building). */
int ctr_get_max_tasks(void);
/* Sets the caps on nested containers (ctr_max_ctrs=) and on pages
 * (ctr_max_pages=) of every container but the system one. */
void ctr_set_max_ctrs(int max);
void ctr_set_max_pages(size_t max);
/* The caps on nested containers and on pages (/proc/containers shows
 * them beside the counts c_nctrs and c_pages). */
int ctr_get_max_ctrs(void);
size_t ctr_get_max_pages(void);
/*
 * Charges n pages to c and every container above it: 0, or -ENOMEM with
 * nothing charged if any of them but the system container would pass
 * ctr_max_pages.  The charge must be returned to the same c (which the
 * holder of the pages keeps alive: a task with a number in it).
 */
int ctr_charge_pages(struct container *c, size_t n) __must_check;
void ctr_uncharge_pages(struct container *c, size_t n);
/*
 * Restore's resource check: is there room under parent for a tree of nctrs
 * containers holding ntasks tasks and npages pages (charged to the tree),
 * plus extra_pages charged to parent itself (pipe buffers)?  0, or -EAGAIN
 * (containers, tasks) or -ENOMEM (pages).  Checks the tree's top container
 * against the caps too; nested ones hold no more than it.
 */
int ctr_room_for_tree(const struct container *parent, int nctrs, int ntasks,
		      size_t npages, size_t extra_pages) __must_check;
/* How many pidspaces are free, i.e. how many containers ctr_new can still
 * make (restore checks before building). */
int ctr_pidspaces_free(void);
/* Would pidspace ps be one of those the next n ctr_new calls hand out?
 * Changes nothing (restore asks before building). */
bool ctr_pidspace_among_next(uint32_t ps, int n);
/* Can n more tasks be born in c: no container on the way up is dying
 * (its init has exited) or would pass the cap? */
bool ctr_has_room(const struct container *c, int n);
/*
 * write("/proc/container", NAME): creates a container nested in the
 * caller's and moves the caller in as its init.  name is a kernel buffer of
 * len bytes (one trailing newline allowed).  0, or -EINVAL, -EEXIST,
 * -ENOSPC, -EAGAIN, -EBUSY, -ENOMEM with nothing changed.
 */
int ctr_create_and_enter(const char *name, size_t len) __must_check;
/* A new container under parent, with a fresh pidspace, into *out, held by
 * the caller until ctr_put_new; for founding and restore.  0, or -ENOSPC,
 * -ENOMEM, -EEXIST, -EAGAIN (too deep, or a container above would pass
 * ctr_max_ctrs) with nothing made. */
int ctr_new(struct container *parent, const char *name,
	    struct container **out) __must_check;
/* Ends the hold ctr_new gave its caller: frees c if no task has a number
 * in it. */
void ctr_put_new(struct container *c);
/* A task takes a number in c (pid.c). */
void ctr_get(struct container *c);
/* A task gives its number in c back (pid.c): the last put frees c. */
void ctr_put(struct container *c);
/* c's init is gone: kill every other task in c and nested in it (but
 * not the caller, which is that init on its way out). */
void ctr_kill_members(struct container *c);
/* First container in the list of all (for iteration: c_next). */
extern struct container *ctr_list_head;

#endif
