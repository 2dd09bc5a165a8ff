/*
 * Task structures: allocation with a kernel stack (in the kernel stack area,
 * with a guard page below it: kern/vm.h), the list of all tasks, family
 * links, and the final release once a task has been reaped.
 */
#include <kern/proc.h>
#include <kern/arch.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/kheap.h>
#include <kern/vm.h>
#include <kern/string.h>
#include <kern/irq.h>

struct task *task_list_head;

struct task *task_alloc(const char *name)
{
	struct task *t = kzalloc(sizeof(*t));
	if (!t)
		return NULL;
	t->tk_kstack = kstack_alloc();
	if (!t->tk_kstack) {
		kfree(t);
		return NULL;
	}
	*(uint32_t *)t->tk_kstack = KSTACK_CANARY;
	list_init(&t->tk_rq);
	list_init(&t->tk_wq);
	list_init(&t->tk_tq);
	t->tk_state = TASK_NEW;
	strlcpy(t->tk_name, name, sizeof(t->tk_name));
	fpu_init_state(t->tk_fpu);
	/* The first switch to t goes to the return-to-user path with tf on
	 * top: a kill that comes before t ever runs still ends it. */
	t->tk_ctx =
	    arch_kstack_init((char *)t->tk_kstack + KSTACK_SIZE, &t->tk_tf);
	return t;
}

void task_link(struct task *t)
{
	uint32_t fl = irq_save();
	t->tk_all_prev = NULL;
	t->tk_all_next = task_list_head;
	if (task_list_head)
		task_list_head->tk_all_prev = t;
	task_list_head = t;
	irq_restore(fl);
}

static void task_unlink(struct task *t)
{
	uint32_t fl = irq_save();
	if (t->tk_all_prev)
		t->tk_all_prev->tk_all_next = t->tk_all_next;
	else if (task_list_head == t)
		task_list_head = t->tk_all_next;
	if (t->tk_all_next)
		t->tk_all_next->tk_all_prev = t->tk_all_prev;
	t->tk_all_next = t->tk_all_prev = NULL;
	irq_restore(fl);
}

/* Removes child from its parent's list of children. */
static void task_orphan(struct task *child)
{
	struct task *p = child->tk_parent;
	if (!p)
		return;
	struct task **pp = &p->tk_children;
	while (*pp && *pp != child)
		pp = &(*pp)->tk_sibling;
	if (*pp)
		*pp = child->tk_sibling;
	child->tk_parent = NULL;
	child->tk_sibling = NULL;
}

void task_adopt(struct task *parent, struct task *child)
{
	task_orphan(child);
	child->tk_parent = parent;
	if (parent) {
		child->tk_sibling = parent->tk_children;
		parent->tk_children = child;
	}
}

void task_release(struct task *t)
{
	task_orphan(t);
	task_unlink(t);
	pid_detach(t);
	kstack_free(t->tk_kstack);
	kfree(t);
}

struct task *task_find_by_kstack(const void *stack)
{
	if (current && current->tk_kstack == stack)
		return current;
	for (struct task *t = task_list_head; t; t = t->tk_all_next)
		if (t->tk_kstack == stack)
			return t;
	return NULL;
}
