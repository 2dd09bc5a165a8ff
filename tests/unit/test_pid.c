// SOURCES: kernel/pid.c kernel/container.c kernel/string.c kernel/printk.c
/*
 * Host unit test of the PID arithmetic and allocators: real PID layout,
 * per-level numbering, founders, wraparound at pid_max without reusing a
 * live number, exhaustion, round-robin pidspaces, ENOSPC at 511, O(1)
 * lookups that reject foreign and stale numbers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <uapi/errno.h>

/* Stand-ins for the kernel services pid.c and container.c use. */
struct task *current;
struct task *task_list_head;
void *kmalloc(size_t n) { return malloc(n); }
void *kzalloc(size_t n) { return calloc(1, n); }
void kfree(void *p) { free(p); }
void sched_kill(struct task *t, int sig) { t->tk_killed = true; t->tk_killsig = sig; }
void panic(const char *fmt, ...) { fprintf(stderr, "panic: %s\n", fmt); abort(); }

static int failures;
#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond)) {                                             \
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                        \
		}                                                          \
	} while (0)

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
	CHECK(ctr_create_and_enter("x2345678901234567890123456789012", 32) == -EINVAL);
	free_task(x);
	CHECK(find_task_by_vpid(web, 4) == NULL);
	free_task(a);
	free_task(b); /* db and the 31-char container die with their last task */
	CHECK(ctr_find_by_name("db") == NULL);
	free_task(sh);
	CHECK(ctr_find_by_name("web") == NULL);
	free_task(init);
}

static void test_wrap_and_exhaustion(void)
{
	pid_init(64);
	ctr_system->c_last_nr = 0; /* start numbering from 1 again */
	struct task *t[64] = { 0 };
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

int main(void)
{
	pid_init(PIDNR_MAX);
	ctr_init();
	test_layout();
	test_system_and_nested();
	test_wrap_and_exhaustion();
	test_pidspaces();
	test_depth_limit();
	printf("test_pid: %s\n", failures ? "FAIL" : "PASS");
	return failures ? 1 : 0;
}
