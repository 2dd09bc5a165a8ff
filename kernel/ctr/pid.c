/*
 * PID virtualization.
 *
 * What problem does this solve?  Processes inside a container must see
 * their own small PID space (init is 1, children are 2, 3, ...), and must
 * keep seeing the same numbers when the container is checkpointed and
 * restored elsewhere.  The rest of the machine must still be able to name
 * every task uniquely.
 *
 * Each container owns a pidspace: a 9-bit number, 0 for the system
 * container.  A task has a number in its own container and in every
 * container above it; each is one struct upid, indexed by nesting level:
 *
 *      level 0 (system)   level 1 ("web")   level 2 ("db")
 *      +---------------+  +-------------+   +------------+
 *      | real PID      |  | nr in web   |   | nr in db   |  <- tk_upid[]
 *      +---------------+  +-------------+   +------------+
 *
 * The real PID is built from the pidspace and number of the level the task
 * was born at:
 *
 *        31         23 22                               0
 *       +-------------+----------------------------------+
 *       |  pidspace   |        number in that pidspace   |
 *       +-------------+----------------------------------+
 *
 * so a task born in the system container has real PID = its number, and a
 * task born as number 3 in pidspace 5 has real PID (5 << 23) | 3.  What a
 * process calls its PID (getpid) is its number at its own, deepest level.
 * The founder of a container keeps all its numbers (and its real PID) and
 * adds number 1 at the new level.
 *
 * Lookup: one hash table keyed by (pidspace, number) holds every upid that
 * was allocated from a pidspace: levels >= 1, and level 0 for tasks born in
 * the system container.  A real PID decodes to such a key directly, so
 * find_task_by_pid and find_task_by_vpid are each one probe: O(1) however
 * deep the nesting or many the tasks.  The table doubles when it fills.
 */
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/kheap.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <uapi/errno.h>

#define UPID(t, lvl) (&(t)->tk_upid_priv_[lvl])

static struct upid **hash;
static uint32_t hash_size; /* buckets, a power of two */
static uint32_t hash_count;
static uint32_t max_nr = PIDNR_MAX;

static uint32_t hash_key(uint32_t space, uint32_t nr, uint32_t size)
{
	uint32_t h = (space * 0x9e3779b1u) ^ (nr * 0x85ebca6bu);
	h ^= h >> 15;
	return h & (size - 1);
}

static struct upid *hash_find(uint32_t space, uint32_t nr)
{
	struct upid *u = hash[hash_key(space, nr, hash_size)];
	for (; u; u = u->u_hnext)
		if (u->u_nr == nr && u->u_ctr->c_pidspace == space)
			return u;
	return NULL;
}

/* Doubles the table; keeps the old one if memory is short. */
static void hash_grow(void)
{
	uint32_t nsize = hash_size * 2;
	struct upid **nh = kzalloc(nsize * sizeof(*nh));
	if (!nh)
		return;
	for (uint32_t i = 0; i < hash_size; i++) {
		while (hash[i]) {
			struct upid *u = hash[i];
			hash[i] = u->u_hnext;
			uint32_t k =
			    hash_key(u->u_ctr->c_pidspace, u->u_nr, nsize);
			u->u_hnext = nh[k];
			nh[k] = u;
		}
	}
	kfree(hash);
	hash = nh;
	hash_size = nsize;
}

static void hash_insert(struct upid *u)
{
	if (hash_count >= hash_size)
		hash_grow();
	uint32_t k = hash_key(u->u_ctr->c_pidspace, u->u_nr, hash_size);
	u->u_hnext = hash[k];
	hash[k] = u;
	u->u_hashed = true;
	hash_count++;
}

static void hash_remove(struct upid *u)
{
	struct upid **pp =
	    &hash[hash_key(u->u_ctr->c_pidspace, u->u_nr, hash_size)];
	while (*pp && *pp != u)
		pp = &(*pp)->u_hnext;
	KASSERT(*pp == u);
	*pp = u->u_hnext;
	u->u_hashed = false;
	hash_count--;
}

void pid_init(uint32_t pidmax)
{
	max_nr = pidmax;
	hash_size = 1024;
	hash = kzalloc(hash_size * sizeof(*hash));
	if (!hash)
		panic("pid_init: no memory for the pid hash");
}

uint32_t pid_max(void)
{
	return max_nr;
}

uint32_t tsk_pid(const struct task *t)
{
	return t->tk_upid_priv_[0].u_nr;
}

uint32_t tsk_vpid(const struct task *t)
{
	return t->tk_upid_priv_[t->tk_pid_levels - 1].u_nr;
}

uint32_t tsk_vpid_ctx(const struct task *t, const struct container *ctx)
{
	int lvl = ctx->c_depth;
	if (lvl >= t->tk_pid_levels || t->tk_upid_priv_[lvl].u_ctr != ctx)
		return 0;
	return t->tk_upid_priv_[lvl].u_nr;
}

bool tsk_visible_from(const struct task *t, const struct container *ctx)
{
	return tsk_vpid_ctx(t, ctx) != 0;
}

struct task *find_task_by_pid(uint32_t real)
{
	if (PID_NR(real) == 0 || PID_NR(real) > max_nr)
		return NULL;
	struct upid *u = hash_find(PID_SPACE(real), PID_NR(real));
	if (!u || tsk_pid(u->u_task) != real)
		return NULL; /* e.g. a founder's number 1: not its real PID */
	return u->u_task;
}

struct task *find_task_by_vpid(const struct container *ctx, uint32_t vpid)
{
	if (ctx->c_depth == 0)
		return find_task_by_pid(vpid);
	if (vpid == 0 || vpid > max_nr)
		return NULL;
	struct upid *u = hash_find(ctx->c_pidspace, vpid);
	return u && u->u_ctr == ctx ? u->u_task : NULL;
}

uint32_t tsk_nr_at(const struct task *t, int level)
{
	return t->tk_upid_priv_[level].u_nr;
}

struct container *tsk_ctr_at(const struct task *t, int level)
{
	return t->tk_upid_priv_[level].u_ctr;
}

int tsk_depth(const struct task *t)
{
	return t->tk_pid_levels - 1;
}

int tsk_birth_level(const struct task *t)
{
	return t->tk_birth_level;
}

uint32_t pidnr_next_free(uint32_t last, uint32_t max,
			 bool (*in_use)(void *arg, uint32_t nr), void *arg)
{
	uint32_t nr = last;
	for (uint32_t i = 0; i < max; i++) {
		nr = nr >= max ? 1 : nr + 1;
		if (!in_use(arg, nr))
			return nr;
	}
	return 0;
}

/*
 * Highest number pidspace space hands out: pid_max, except in pidspace 511,
 * which stops short of its last MAX_ERRNO numbers.  A real PID there would
 * have all top bits set and read, as a system call result, like -errno (and
 * 0xffffffff is kill's and waitpid's -1).
 */
static uint32_t space_max(uint32_t space)
{
	uint32_t top = PIDNR_MAX - MAX_ERRNO;
	return space == PIDSPACE_MAX && max_nr > top ? top : max_nr;
}

uint32_t pid_space_max(uint32_t space)
{
	return space_max(space);
}

static bool nr_in_use(void *arg, uint32_t nr)
{
	return hash_find(((struct container *)arg)->c_pidspace, nr) != NULL;
}

/*
 * Fills ctrs[0..depth] with the containers from the system down to c and
 * nrs[] with a number at each level: given ones for the deepest nfixed
 * levels, fresh ones elsewhere.  Changes nothing.
 */
static int pid_plan(struct container *c, struct container **ctrs, uint32_t *nrs,
		    const uint32_t *fixed, int nfixed, int birth_level)
{
	for (struct container *x = c; x; x = x->c_parent)
		ctrs[x->c_depth] = x;
	int first_fixed = c->c_depth - nfixed + 1;
	for (int lvl = 0; lvl <= c->c_depth; lvl++) {
		if (lvl >= first_fixed) {
			nrs[lvl] = fixed[lvl - first_fixed];
			if (nrs[lvl] == 0 ||
			    nrs[lvl] > space_max(ctrs[lvl]->c_pidspace))
				return -EINVAL;
			if (nr_in_use(ctrs[lvl], nrs[lvl]))
				return -EEXIST;
			continue;
		}
		if (lvl == 0 && birth_level > 0) {
			nrs[0] = 0; /* the real PID comes from birth_level */
			continue;
		}
		nrs[lvl] = pidnr_next_free(ctrs[lvl]->c_last_nr,
					   space_max(ctrs[lvl]->c_pidspace),
					   nr_in_use, ctrs[lvl]);
		if (nrs[lvl] == 0)
			return -EAGAIN;
	}
	return 0;
}

/* Commits a plan: t takes numbers nrs[] in ctrs[0..depth]. */
static void pid_commit(struct task *t, struct container **ctrs, uint32_t *nrs,
		       int depth, int birth_level, int nfixed)
{
	for (int lvl = 0; lvl <= depth; lvl++) {
		struct upid *u = UPID(t, lvl);
		u->u_ctr = ctrs[lvl];
		u->u_nr = nrs[lvl];
		u->u_task = t;
		if (lvl > depth - nfixed) {
			if (nrs[lvl] > ctrs[lvl]->c_last_nr)
				ctrs[lvl]->c_last_nr = nrs[lvl];
		} else if (lvl > 0 || birth_level == 0) {
			ctrs[lvl]->c_last_nr = nrs[lvl];
		}
		ctr_get(ctrs[lvl]);
		if (lvl > 0 || birth_level == 0)
			hash_insert(u);
	}
	if (birth_level > 0)
		UPID(t, 0)->u_nr =
		    PID_MAKE(ctrs[birth_level]->c_pidspace, nrs[birth_level]);
	t->tk_pid_levels = depth + 1;
	t->tk_birth_level = birth_level;
	t->tk_ctr = ctrs[depth];
}

int pid_attach(struct task *t, struct container *c)
{
	struct container *ctrs[CTR_DEPTH_MAX + 1];
	uint32_t nrs[CTR_DEPTH_MAX + 1];
	int err = pid_plan(c, ctrs, nrs, NULL, 0, c->c_depth);
	if (err)
		return err;
	pid_commit(t, ctrs, nrs, c->c_depth, c->c_depth, 0);
	return 0;
}

int pid_attach_fixed(struct task *t, struct container *c, const uint32_t *fixed,
		     int nfixed, int birth_level)
{
	struct container *ctrs[CTR_DEPTH_MAX + 1];
	uint32_t nrs[CTR_DEPTH_MAX + 1];
	if (nfixed < 1 || nfixed > c->c_depth || birth_level < 0 ||
	    birth_level > c->c_depth)
		return -EINVAL;
	int err = pid_plan(c, ctrs, nrs, fixed, nfixed, birth_level);
	if (err)
		return err;
	pid_commit(t, ctrs, nrs, c->c_depth, birth_level, nfixed);
	return 0;
}

int pid_push_level(struct task *t, struct container *c)
{
	int lvl = t->tk_pid_levels;
	if (c->c_parent != t->tk_ctr || c->c_depth != lvl)
		return -EINVAL;
	if (nr_in_use(c, 1))
		return -EEXIST;
	struct upid *u = UPID(t, lvl);
	u->u_ctr = c;
	u->u_nr = 1;
	u->u_task = t;
	c->c_last_nr = 1;
	ctr_get(c);
	hash_insert(u);
	t->tk_pid_levels = lvl + 1;
	t->tk_ctr = c;
	return 0;
}

void pid_detach(struct task *t)
{
	for (int lvl = t->tk_pid_levels - 1; lvl >= 0; lvl--) {
		struct upid *u = UPID(t, lvl);
		if (u->u_hashed)
			hash_remove(u);
		ctr_put(u->u_ctr);
	}
	t->tk_pid_levels = 0;
}
