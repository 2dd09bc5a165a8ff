// SOURCES: kernel/ctr/pid.c kernel/ctr/container.c kernel/lib/string.c
// SOURCES: kernel/lib/printk.c
/*
 * Host unit test of the PID arithmetic and allocators: real PID layout,
 * per-level numbering, founders, wraparound at pid_max without reusing a
 * live number, exhaustion, round-robin pidspaces, ENOSPC at 511, O(1)
 * lookups that reject foreign and stale numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <uapi/errno.h>

/* Stand-ins for the kernel services pid.c and container.c use. */
struct task *current;
struct task *task_list_head;
void *kmalloc(size_t n)
{
	return malloc(n);
}
void kfree(void *p)
{
	free(p);
}
void sched_kill(struct task *t, int sig)
{
	t->tk_killed = true;
	t->tk_killsig = sig;
}
void panic(const char *fmt, ...)
{
	fprintf(stderr, "panic: %s\n", fmt);
	abort();
}

#include "check.h"

static struct task *new_task(struct container *c)
{
	struct task *t = calloc(1, sizeof(*t));
	if (pid_attach(t, c) != 0) {
		free(t);
		return NULL;
	}
	return t;
}

static void free_task(struct task *t)
{
	if (!t) /* new_task failed; the CHECK that saw it has reported it */
		return;
	pid_detach(t);
	free(t);
}

/* Creates container name under the current task's container and moves the
 * current task in as its init. */
static struct container *found(struct task *t, const char *name)
{
	current = t;
	int err = ctr_create_and_enter(name, __builtin_strlen(name));
	return err ? NULL : t->tk_ctr;
}

static void test_layout(void)
{
	CHECK(PID_MAKE(5, 3) == ((5u << 23) | 3));
	CHECK(PID_SPACE(PID_MAKE(511, 7)) == 511);
	CHECK(PID_NR(PID_MAKE(511, PIDNR_MAX)) == PIDNR_MAX);
}

static void test_system_and_nested(void)
{
	struct task *init = new_task(ctr_system);
	struct task *sh = new_task(ctr_system);
	CHECK(tsk_pid(init) == 1 && tsk_pid(sh) == 2);
	CHECK(tsk_vpid(sh) == 2);
	struct container *web = found(sh, "web");
	CHECK(web != NULL);
	/* founder keeps its real PID and is 1 inside */
	CHECK(tsk_pid(sh) == 2 && tsk_vpid(sh) == 1);
	CHECK(tsk_vpid_ctx(sh, ctr_system) == 2);
	CHECK(find_task_by_pid(2) == sh);
	CHECK(find_task_by_vpid(web, 1) == sh);
	/* founder's (pidspace, 1) is not a real PID */
	CHECK(find_task_by_pid(PID_MAKE(web->c_pidspace, 1)) == NULL);
	struct task *a = new_task(web), *b = new_task(web);
	CHECK(tsk_vpid(a) == 2 && tsk_vpid(b) == 3);
	CHECK(tsk_pid(a) == PID_MAKE(web->c_pidspace, 2));
	CHECK(find_task_by_pid(tsk_pid(b)) == b);
	CHECK(find_task_by_vpid(ctr_system, tsk_pid(b)) == b);
	CHECK(find_task_by_vpid(web, 3) == b);
	/* invisible from inside: outside tasks, real PIDs of own tasks */
	CHECK(find_task_by_vpid(web, 2) == a);
	CHECK(find_task_by_vpid(web, tsk_pid(a)) == NULL);
	CHECK(tsk_vpid_ctx(init, web) == 0);
	/* a second level */
	struct container *db = found(b, "db");
	CHECK(db && db->c_depth == 2);
	struct task *x = new_task(db);
	CHECK(tsk_depth(x) == 2 && tsk_vpid(x) == 2);
	CHECK(tsk_vpid_ctx(x, web) == 4); /* next free in web after 3 */
	CHECK(tsk_pid(x) == PID_MAKE(db->c_pidspace, 2));
	CHECK(find_task_by_vpid(web, 4) == x && find_task_by_vpid(db, 2) == x);
	CHECK(tsk_visible_from(x, web) && !tsk_visible_from(a, db));
	/* errors change nothing */
	current = a;
	CHECK(ctr_create_and_enter("db", 2) == -EEXIST);
	CHECK(ctr_create_and_enter("bad/name", 8) == -EINVAL);
	CHECK(ctr_create_and_enter("", 0) == -EINVAL);
	CHECK(ctr_create_and_enter("x234567890123456789012345678901", 31) == 0);
	CHECK(a->tk_ctr->c_depth == 2);
	current = b;
	CHECK(ctr_create_and_enter("x2345678901234567890123456789012", 32) ==
	      -EINVAL);
	free_task(x);
	CHECK(find_task_by_vpid(web, 4) == NULL);
	free_task(a);
	free_task(
	    b); /* db and the 31-char container die with their last task */
	CHECK(ctr_find_by_name("db") == NULL);
	free_task(sh);
	CHECK(ctr_find_by_name("web") == NULL);
	free_task(init);
}

static void test_wrap_and_exhaustion(void)
{
	pid_init(64);
	ctr_system->c_last_nr = 0; /* start numbering from 1 again */
	struct task *t[64] = {0};
	for (int i = 0; i < 64; i++)
		t[i] = new_task(ctr_system);
	CHECK(t[63] && tsk_pid(t[63]) == 64);
	CHECK(new_task(ctr_system) == NULL); /* full: -EAGAIN */
	free_task(t[9]);
	free_task(t[19]);
	struct task *n1 = new_task(ctr_system), *n2 = new_task(ctr_system);
	CHECK(n1 && tsk_pid(n1) == 10); /* wrapped, skipped live 1..9 */
	CHECK(n2 && tsk_pid(n2) == 20);
	free_task(n1);
	free_task(n2);
	for (int i = 0; i < 64; i++)
		if (i != 9 && i != 19)
			free_task(t[i]);
	pid_init(PIDNR_MAX);
}

static void test_pidspaces(void)
{
	struct task *root = new_task(ctr_system);
	static struct task *founders[512];
	uint32_t first = 0, prev = 0;
	int n = 0;
	for (; n < 511; n++) {
		char name[16];
		snprintf(name, sizeof(name), "c%d", n);
		founders[n] = new_task(ctr_system);
		if (!found(founders[n], name))
			break;
		uint32_t ps = founders[n]->tk_ctr->c_pidspace;
		if (n == 0)
			first = ps;
		else
			CHECK(ps != prev);
		prev = ps;
	}
	CHECK(n == 511);
	struct task *extra = new_task(ctr_system);
	current = extra;
	CHECK(ctr_create_and_enter("one-too-many", 12) == -ENOSPC);
	CHECK(extra->tk_ctr == ctr_system);
	uint32_t freed = founders[5]->tk_ctr->c_pidspace;
	free_task(founders[5]);
	CHECK(found(extra, "reuse") != NULL);
	CHECK(extra->tk_ctr->c_pidspace == freed); /* the only free one */
	(void)first;
	free_task(extra);
	for (int i = 0; i < 511; i++)
		if (i != 5)
			free_task(founders[i]);
	/* round robin: a freed pidspace is not reused at once */
	struct task *p = new_task(ctr_system), *q = new_task(ctr_system);
	found(p, "rr1");
	uint32_t ps1 = p->tk_ctr->c_pidspace;
	free_task(p);
	found(q, "rr2");
	CHECK(q->tk_ctr->c_pidspace != ps1);
	free_task(q);
	free_task(root);
}

static void test_depth_limit(void)
{
	struct task *t = new_task(ctr_system);
	int depth = 0;
	char name[16];
	for (;;) {
		snprintf(name, sizeof(name), "d%d", depth);
		current = t;
		if (ctr_create_and_enter(name, __builtin_strlen(name)) != 0)
			break;
		depth++;
	}
	CHECK(depth == CTR_DEPTH_MAX);
	current = t;
	CHECK(ctr_create_and_enter("deeper", 6) == -EAGAIN);
	/* O(1) lookup at depth 32 */
	struct task *leaf = new_task(t->tk_ctr);
	CHECK(find_task_by_vpid(t->tk_ctr, tsk_vpid(leaf)) == leaf);
	CHECK(find_task_by_pid(tsk_pid(leaf)) == leaf);
	free_task(leaf);
	free_task(t);
}

/* Pidspace 511 never hands out its last MAX_ERRNO numbers: a real PID
 * there would read like -errno (or like -1) at the user boundary. */
static void test_top_pidspace(void)
{
	struct task *f = NULL;
	struct container *c = NULL;
	for (int i = 0; i < 600; i++) { /* round robin up to pidspace 511 */
		f = new_task(ctr_system);
		c = found(f, "top");
		if (!c || c->c_pidspace == PIDSPACE_MAX)
			break;
		free_task(f);
	}
	CHECK(c && c->c_pidspace == PIDSPACE_MAX);
	if (!c || c->c_pidspace != PIDSPACE_MAX)
		return;
	uint32_t top = PIDNR_MAX - MAX_ERRNO;
	struct task *t = calloc(1, sizeof(*t));
	uint32_t nr = top + 1;
	CHECK(pid_attach_fixed(t, c, &nr, 1, c->c_depth) == -EINVAL);
	nr = top;
	CHECK(pid_attach_fixed(t, c, &nr, 1, c->c_depth) == 0);
	CHECK(tsk_pid(t) == 0xfffff000u); /* -4096: not an error value */
	CHECK(find_task_by_pid(0xfffff000u) == t);
	struct task *u = new_task(c); /* after top comes 2, not top + 1 */
	CHECK(u && tsk_vpid(u) == 2);
	free_task(u);
	free_task(t);
	free_task(f);
}

/* Thousands of tasks at many depths: the table grows and every lookup
 * still finds exactly its task. */
static void test_many_tasks(void)
{
	static struct task *t[5000];
	struct task *f = new_task(ctr_system);
	for (int d = 0; d < 8; d++) {
		char name[8];
		snprintf(name, sizeof(name), "m%d", d);
		CHECK(found(f, name) != NULL);
	}
	for (int i = 0; i < 5000; i++)
		t[i] = new_task(i % 2 ? f->tk_ctr : ctr_system);
	for (int i = 0; i < 5000; i++) {
		CHECK(find_task_by_pid(tsk_pid(t[i])) == t[i]);
		CHECK(find_task_by_vpid(t[i]->tk_ctr, tsk_vpid(t[i])) == t[i]);
		for (int l = 0; l <= tsk_depth(t[i]); l++)
			CHECK(find_task_by_vpid(tsk_ctr_at(t[i], l),
						tsk_nr_at(t[i], l)) == t[i]);
	}
	for (int i = 0; i < 5000; i++)
		free_task(t[i]);
	free_task(f);
}

/* A dying container (its init exited) and everything below it take no
 * more births; the cap counts nested tasks up the tree. */
static void test_room(void)
{
	struct task *f = new_task(ctr_system), *g = new_task(ctr_system);
	struct container *a = found(f, "ra");
	current = new_task(a);
	struct task *inner = current;
	struct container *b = found(inner, "rb");
	CHECK(ctr_has_room(b, 1));
	ctr_set_max_tasks(3);
	CHECK(ctr_has_room(b, 1)); /* a holds f and inner: 2 of 3 */
	CHECK(!ctr_has_room(b, 2));
	ctr_set_max_tasks(256);
	a->c_dying = true;
	CHECK(!ctr_has_room(b, 1));
	CHECK(ctr_has_room(ctr_system, 1));
	a->c_dying = false;
	free_task(inner);
	free_task(f);
	free_task(g);
}

/* One owner: a container from ctr_new lives while its maker holds it or a
 * task has a number in it, and the last of those to let go frees it. */
static void test_lifetime(void)
{
	int sys_ctrs = ctr_system->c_nctrs;
	struct container *a = NULL;
	CHECK(ctr_new(ctr_system, "la", &a) == 0);
	if (!a)
		return;
	CHECK(ctr_find_by_name("la") == a);
	ctr_put_new(a); /* nobody entered: freed, name and count given back */
	CHECK(!ctr_find_by_name("la") && ctr_system->c_nctrs == sys_ctrs);
	a = NULL;
	CHECK(ctr_new(ctr_system, "lb", &a) == 0);
	if (!a)
		return;
	struct task *t = new_task(a);
	ctr_put_new(a); /* t's number holds it */
	CHECK(ctr_find_by_name("lb") == a && a->c_refs == 1);
	free_task(t);
	CHECK(!ctr_find_by_name("lb") && ctr_system->c_nctrs == sys_ctrs);
}

/* The counts and caps /proc/containers shows (procfs formats them): tasks,
 * nested containers and pages, each counted up the tree. */
static void test_counts(void)
{
	struct task *f = new_task(ctr_system);
	int sys_refs = ctr_system->c_refs, sys_ctrs = ctr_system->c_nctrs;
	size_t sys_pages = ctr_system->c_pages;
	struct container *a = found(f, "fa");
	ctr_set_max_ctrs(7);
	ctr_set_max_pages(300);
	CHECK(ctr_charge_pages(a, 5) == 0);
	CHECK(a->c_refs == 1 && a->c_nctrs == 0 && a->c_pages == 5);
	CHECK(ctr_get_max_tasks() == 256 && ctr_get_max_ctrs() == 7 &&
	      ctr_get_max_pages() == 300);
	CHECK(ctr_system->c_refs == sys_refs &&
	      ctr_system->c_nctrs == sys_ctrs + 1 &&
	      ctr_system->c_pages == sys_pages + 5);
	ctr_uncharge_pages(a, 5);
	ctr_set_max_ctrs(64);
	ctr_set_max_pages(16384);
	free_task(f);
}

/* Nested containers and pages are capped per container, counted up the
 * tree; the system container is not capped; a refusal changes nothing
 * and every count returns to zero. */
static void test_caps(void)
{
	struct task *f = new_task(ctr_system);
	int sys_ctrs = ctr_system->c_nctrs;
	size_t sys_pages = ctr_system->c_pages;
	ctr_set_max_ctrs(2);
	ctr_set_max_pages(10);
	struct container *a = found(f, "ca");
	struct container *b = found(f, "cb");
	struct container *c = found(f, "cc");
	CHECK(a && b && c && a->c_nctrs == 2 && b->c_nctrs == 1);
	CHECK(ctr_create_and_enter("cd", 2) == -EAGAIN && f->tk_ctr == c);
	CHECK(a->c_nctrs == 2 && ctr_find_by_name("cd") == NULL);
	CHECK(ctr_system->c_nctrs == sys_ctrs + 3);
	CHECK(ctr_charge_pages(c, 6) == 0 && a->c_pages == 6);
	CHECK(ctr_charge_pages(b, 5) == -ENOMEM && a->c_pages == 6 &&
	      b->c_pages == 6 && c->c_pages == 6);
	CHECK(ctr_charge_pages(ctr_system, 100) == 0);
	CHECK(ctr_system->c_pages == sys_pages + 106);
	ctr_uncharge_pages(ctr_system, 100);
	CHECK(ctr_room_for_tree(b, 1, 1, 1, 0) == -EAGAIN); /* a is full */
	ctr_set_max_ctrs(3);
	CHECK(ctr_room_for_tree(b, 1, 1, 4, 0) == 0);
	CHECK(ctr_room_for_tree(b, 2, 1, 1, 0) == -EAGAIN);
	CHECK(ctr_room_for_tree(b, 1, 1, 4, 1) == -ENOMEM);
	CHECK(ctr_room_for_tree(b, 1, 1, 5, 0) == -ENOMEM);
	ctr_set_max_tasks(2);
	CHECK(ctr_room_for_tree(b, 1, 2, 1, 0) == -EAGAIN); /* b holds f */
	ctr_set_max_tasks(256);
	ctr_set_max_ctrs(2);
	CHECK(ctr_room_for_tree(ctr_system, 3, 1, 10, 0) == 0);
	CHECK(ctr_room_for_tree(ctr_system, 4, 1, 1, 0) == -EAGAIN);
	CHECK(ctr_room_for_tree(ctr_system, 1, 1, 11, 0) == -ENOMEM);
	ctr_uncharge_pages(c, 6);
	ctr_set_max_ctrs(64);
	ctr_set_max_pages(16384);
	free_task(f);
	CHECK(ctr_find_by_name("ca") == NULL);
	CHECK(ctr_system->c_nctrs == sys_ctrs &&
	      ctr_system->c_pages == sys_pages);
}

int main(void)
{
	pid_init(PIDNR_MAX);
	ctr_init();
	test_layout();
	test_system_and_nested();
	test_wrap_and_exhaustion();
	test_pidspaces();
	test_depth_limit();
	test_top_pidspace();
	test_many_tasks();
	test_room();
	test_counts();
	test_lifetime();
	test_caps();
	return check_verdict("test_pid");
}
