/*
 * Containers: named groups of tasks with their own pidspace, nested in a
 * tree under the system container.  A container is created by a task
 * writing a name to /proc/container: the task becomes its init (number 1)
 * and everything it forks afterwards is born inside.  The container lives
 * while any task has a number in it (c_refs, kept by pid.c); when its init
 * exits, every other member is killed.  Names are global; pidspace numbers
 * are handed out round-robin so a freed one is not reused at once.
 */
#include <kern/container.h>
#include <kern/ctrname.h>
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
static int max_tasks = 256;

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

bool ctr_name_valid(const char *name, size_t len)
{
	return ctr_name_ok(name, len);
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

struct container *ctr_new(struct container *parent, const char *name, int *err)
{
	*err = 0;
	if (parent->c_depth + 1 > CTR_DEPTH_MAX)
		*err = -EAGAIN;
	else if (ctr_find_by_name(name))
		*err = -EEXIST;
	uint32_t ps = pidspace_next();
	if (!*err && ps == 0)
		*err = -ENOSPC;
	struct container *c = *err ? NULL : kzalloc(sizeof(*c));
	if (!*err && !c)
		*err = -ENOMEM;
	if (*err)
		return NULL;
	strlcpy(c->c_name, name, sizeof(c->c_name));
	c->c_parent = parent;
	c->c_depth = parent->c_depth + 1;
	c->c_pidspace = ps;
	pidspace_used[ps / 32] |= 1u << (ps % 32);
	last_pidspace = ps;
	c->c_next = ctr_list_head;
	ctr_list_head = c;
	return c;
}

void ctr_destroy(struct container *c)
{
	struct container **pp = &ctr_list_head;
	while (*pp && *pp != c)
		pp = &(*pp)->c_next;
	if (*pp)
		*pp = c->c_next;
	pidspace_used[c->c_pidspace / 32] &= ~(1u << (c->c_pidspace % 32));
	kfree(c);
}

int ctr_create_and_enter(const char *name, size_t len)
{
	char buf[CTR_NAME_MAX + 1];
	if (len > 0 && name[len - 1] == '\n')
		len--;
	if (!ctr_name_valid(name, len))
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
	int err;
	struct container *c = ctr_new(t->tk_ctr, buf, &err);
	if (!c)
		return err;
	err = pid_push_level(t, c); /* cannot fail: c is new and empty */
	if (err) {
		ctr_destroy(c);
		return err;
	}
	c->c_init = t;
	return 0;
}

void ctr_kill_members(struct container *c)
{
	c->c_dying = true;
	for (struct task *t = task_list_head; t; t = t->tk_all_next)
		if (t != c->c_init && t != current &&
		    t->tk_state != TASK_ZOMBIE && tsk_visible_from(t, c))
			sched_kill(t, SIGKILL);
}

/*
 * The text of /proc/containers for reader: for each container it can see
 * (its own and nested ones; newest first) one line
 *     NAME PARENT DEPTH TASKS[ PIDSPACE]
 * PARENT is "-" for the system container, TASKS counts tasks in it and in
 * nested containers (live and zombie), PIDSPACE only for a reader in the
 * system container: nobody else may learn a pidspace number.
 */
int ctr_format_list(char *buf, size_t size, const struct container *reader)
{
	size_t len = 0;
	bool sys = reader->c_depth == 0;
	for (const struct container *c = ctr_list_head; c; c = c->c_next) {
		if (!ctr_is_within(c, reader))
			continue;
		const char *parent = c->c_parent ? c->c_parent->c_name : "-";
		char line[96];
		int n =
		    sys ? snprintf(line, sizeof(line), "%s %s %d %d %u\n",
				   c->c_name, parent, c->c_depth, c->c_refs,
				   (unsigned)c->c_pidspace)
			: snprintf(line, sizeof(line), "%s %s %d %d\n",
				   c->c_name, parent, c->c_depth, c->c_refs);
		if (len + (size_t)n < size)
			memcpy(buf + len, line, (size_t)n + 1);
		len += (size_t)n;
	}
	return (int)len;
}
