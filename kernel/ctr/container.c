/*
 * Containers: named groups of tasks with their own pidspace, nested in a
 * tree under the system container.  A container is created by a task
 * writing a name to /proc/container: the task becomes its init (number 1)
 * and everything it forks afterwards is born inside.  The container lives
 * while any task has a number in it (c_refs: pid.c takes and gives back
 * numbers with ctr_get/ctr_put, and the last put frees it; the rule is in
 * kern/container.h); when its init exits, every other member is killed.  Names
 * are global; pidspace numbers are handed out round-robin so a freed one is not
 * reused at once.
 *
 * Caps: every container but the system one holds at most max_tasks tasks,
 * max_ctrs nested containers and max_pages pages, each counted over the
 * container and everything nested in it, so a container that tries to
 * take all of something takes its share only.  Counters are kept in every
 * container up to the system one (which shows the machine's total), and a
 * charge must find room in each capped one on the way up.
 */
#include <kern/container.h>
#include <kern/ctrname.h>
#include <kern/mm.h>
#include <kern/panic.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/kheap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>

static struct container system_ctr = {.c_name = "system"};
struct container *ctr_system = &system_ctr;
struct container *ctr_list_head = &system_ctr;
static uint32_t pidspace_used[(PIDSPACE_MAX + 1) / 32];
static uint32_t last_pidspace;
/* The caps; kmain sets them from the boot knobs (ctr_max_tasks=,
 * ctr_max_ctrs=, ctr_max_pages=). */
static int max_tasks = CTR_MAX_TASKS_DEFAULT;
static int max_ctrs = CTR_MAX_CTRS_DEFAULT;
static size_t max_pages = 16384;

void ctr_init(void)
{
	pidspace_used[0] = 1; /* pidspace 0 is the system's */
}

void ctr_set_max_tasks(int max)
{
	max_tasks = max;
}

int ctr_get_max_tasks(void)
{
	return max_tasks;
}

int ctr_get_max_ctrs(void)
{
	return max_ctrs;
}

size_t ctr_get_max_pages(void)
{
	return max_pages;
}

void ctr_set_max_ctrs(int max)
{
	max_ctrs = max;
}

void ctr_set_max_pages(size_t max)
{
	max_pages = max;
}

/* Is there room for n more pages in c and above it? */
static bool pages_room(const struct container *c, size_t n)
{
	for (; c && c->c_depth > 0; c = c->c_parent)
		if (n > max_pages || c->c_pages > max_pages - n)
			return false;
	return true;
}

int ctr_charge_pages(struct container *c, size_t n)
{
	if (!pages_room(c, n))
		return -ENOMEM;
	for (; c; c = c->c_parent)
		c->c_pages += n;
	return 0;
}

void ctr_uncharge_pages(struct container *c, size_t n)
{
	for (; c; c = c->c_parent) {
		KASSERT(c->c_pages >= n);
		c->c_pages -= n;
	}
}

/* Is there room for n more nested containers in c and above it? */
static bool ctrs_room(const struct container *c, int n)
{
	for (; c && c->c_depth > 0; c = c->c_parent)
		if (c->c_nctrs + n > max_ctrs)
			return false;
	return true;
}

int ctr_room_for_tree(const struct container *parent, int nctrs, int ntasks,
		      size_t npages, size_t extra_pages)
{
	if (nctrs - 1 > max_ctrs || !ctrs_room(parent, nctrs))
		return -EAGAIN;
	if (ntasks > max_tasks || !ctr_has_room(parent, ntasks))
		return -EAGAIN;
	if (npages > max_pages || !pages_room(parent, npages + extra_pages))
		return -ENOMEM;
	return 0;
}

bool ctr_is_within(const struct container *c, const struct container *anc)
{
	for (; c; c = c->c_parent)
		if (c == anc)
			return true;
	return false;
}

struct container *ctr_find_by_name(const char *name)
{
	for (struct container *c = ctr_list_head; c; c = c->c_next)
		if (strcmp(c->c_name, name) == 0)
			return c;
	return NULL;
}

bool ctr_has_room(const struct container *c, int n)
{
	for (; c && c->c_depth > 0; c = c->c_parent)
		if (c->c_dying || c->c_refs + n > max_tasks)
			return false;
	return true;
}

static bool pidspace_taken(uint32_t ps)
{
	return pidspace_used[ps / 32] & (1u << (ps % 32));
}

int ctr_pidspaces_free(void)
{
	int n = 0;
	for (uint32_t ps = 1; ps <= PIDSPACE_MAX; ps++)
		n += !pidspace_taken(ps);
	return n;
}

/* Next free pidspace after the last one handed out, or 0 if none. */
static uint32_t pidspace_next(void)
{
	uint32_t ps = last_pidspace;
	for (uint32_t i = 0; i < PIDSPACE_MAX; i++) {
		ps = ps >= PIDSPACE_MAX ? 1 : ps + 1;
		if (!pidspace_taken(ps))
			return ps;
	}
	return 0;
}

bool ctr_pidspace_among_next(uint32_t ps, int n)
{
	uint32_t p = last_pidspace;

	for (uint32_t i = 0; i < PIDSPACE_MAX && n > 0; i++) {
		p = p >= PIDSPACE_MAX ? 1 : p + 1;
		if (pidspace_taken(p))
			continue;
		if (p == ps)
			return true;
		n--;
	}
	return false;
}

int ctr_new(struct container *parent, const char *name, struct container **out)
{
	struct container *c;
	uint32_t ps;

	if (parent->c_depth + 1 > CTR_DEPTH_MAX || !ctrs_room(parent, 1))
		return -EAGAIN;
	if (ctr_find_by_name(name))
		return -EEXIST;
	ps = pidspace_next();
	if (ps == 0)
		return -ENOSPC;
	c = kzalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	strlcpy(c->c_name, name, sizeof(c->c_name));
	c->c_parent = parent;
	c->c_depth = parent->c_depth + 1;
	c->c_pidspace = ps;
	pidspace_used[ps / 32] |= 1u << (ps % 32);
	last_pidspace = ps;
	for (struct container *a = parent; a; a = a->c_parent)
		a->c_nctrs++;
	c->c_next = ctr_list_head;
	ctr_list_head = c;
	c->c_new = true;
	*out = c;
	return 0;
}

/* Frees c, which nothing holds any more: off the list, its pidspace
 * free, the containers above count one nested container less. */
static void ctr_destroy(struct container *c)
{
	struct container **pp = &ctr_list_head;
	while (*pp && *pp != c)
		pp = &(*pp)->c_next;
	if (*pp)
		*pp = c->c_next;
	KASSERT(c->c_pages == 0 && c->c_nctrs == 0);
	for (struct container *a = c->c_parent; a; a = a->c_parent)
		a->c_nctrs--;
	pidspace_used[c->c_pidspace / 32] &= ~(1u << (c->c_pidspace % 32));
	kfree(c);
}

/* Frees c if nothing holds it (never the system container). */
static void ctr_free_if_unheld(struct container *c)
{
	if (c->c_refs == 0 && !c->c_new && c->c_depth > 0)
		ctr_destroy(c);
}

void ctr_put_new(struct container *c)
{
	KASSERT(c->c_new);
	c->c_new = false;
	ctr_free_if_unheld(c);
}

void ctr_get(struct container *c)
{
	c->c_refs++;
}

void ctr_put(struct container *c)
{
	KASSERT(c->c_refs > 0);
	c->c_refs--;
	ctr_free_if_unheld(c);
}

/* The founder's pages move with it into c, its new container (c is
 * nested in the old one, so only c's own count grows). */
static void move_charge(struct task *t, struct container *c)
{
	struct mm *mm = t->tk_mm;
	if (!mm)
		return;
	KASSERT(mm->mm_ctr == c->c_parent);
	mm->mm_ctr = c;
	c->c_pages += mm->mm_pages;
}

int ctr_create_and_enter(const char *name, size_t len)
{
	char buf[CTR_NAME_MAX + 1];
	if (len > 0 && name[len - 1] == '\n')
		len--;
	if (!ctr_name_ok(name, len))
		return -EINVAL;
	memcpy(buf, name, len);
	buf[len] = 0;
	struct task *t = current;
	if (t->tk_ctr->c_depth + 1 > CTR_DEPTH_MAX)
		return -EAGAIN;
	if (ctr_find_by_name(buf))
		return -EEXIST;
	if (t->tk_children)
		return -EBUSY;
	size_t pages = t->tk_mm ? t->tk_mm->mm_pages : 0;
	if (pages > max_pages)
		return -ENOMEM; /* the founder alone would pass the new cap */
	struct container *c;
	int err = ctr_new(t->tk_ctr, buf, &c);
	if (err)
		return err;
	err = pid_push_level(t, c); /* cannot fail: c is new and empty */
	if (!err) {
		c->c_init = t;
		move_charge(t, c);
	}
	ctr_put_new(c); /* the founder's number holds it now */
	return err;
}

void ctr_kill_members(struct container *c)
{
	c->c_dying = true;
	for (struct task *t = task_list_head; t; t = t->tk_all_next)
		if (t != c->c_init && t != current &&
		    t->tk_state != TASK_ZOMBIE && tsk_visible_from(t, c))
			sched_kill(t, SIGKILL);
}
