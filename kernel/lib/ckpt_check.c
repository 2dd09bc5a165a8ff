/*
 * The checkpoint image validator: the wall between a user's bytes and the
 * restore code (API: kern/ckpt_codec.h; part of the codec, built into the
 * kernel, tools/ckptdump and the unit tests).  Restore builds only from an
 * image that passed every check here, and checkpoint runs it on the image
 * it has just written before it ends a migrated tree: whatever checkpoint
 * writes, restore accepts, and what it never writes is refused.
 *
 *   header    magic and version (-ENOEXEC), sizes, total length == len
 *   CRC-32    of the whole image with the crc field as zero
 *   sections  each type once, lengths == count * record size, counts within
 *             the limits, no overlap, tiling the image exactly
 *   containers  index 0 is the top (no parent) and its init is task 0;
 *             every other parent comes earlier with depth one less, stored
 *             by depth; valid, unique names; last_nr in 1..pid_max
 *   tasks     the family checkpoint makes: breadth-first order, task 0
 *             alone without a parent, parents earlier and alive; a task
 *             is the init of only its innermost containers, was born at
 *             the level above the first it founded (or its own), and its
 *             parent lives in the container of that level; PID numbers at
 *             exactly depth+1 levels, unique per container; registers as
 *             user mode leaves them (arch_ckpt_regs_check), flags, signals,
 *             exit statuses, restart info, brk and stack bounds; page
 *             ranges consecutive; descriptors name existing files (plus
 *             at most the CKPT_FD_CLOEXEC bit); zombies
 *             own no memory, files or cwd; strings NUL-terminated
 *   files     known kind, sane flags, pipe index valid for pipe ends and
 *             absent otherwise, absolute paths; each used by a descriptor
 *   pipes     count <= CKPT_PIPE_SIZE; each used by a file
 *   pages     user addresses, page aligned, increasing within a task (no
 *             duplicates), user flag set, no unknown flags
 * docs/checkpoint-format.md numbers every rule.  Anything else is -EINVAL,
 * and every refusal leaves a one-line reason in lay->why.  Arithmetic on
 * counts is done in 64 bits, so huge counts are rejected, not wrapped.
 */
#include <stdarg.h>
#include <kern/arch.h>
#include <kern/ckpt_codec.h>
#include <kern/ctrname.h>
#include <kern/sort.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>
#include <uapi/syscall.h>
#include "ckpt_wire.h"

#define STACK_BOTTOM (USER_TOP - USER_STACK_MAX)

/* Is the string in a field of size bytes NUL-terminated inside it, and
 * padded with NULs (as checkpoint writes every string)? */
static bool str_ok(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n >= size)
		return false;
	while (++n < size)
		if (s[n])
			return false;
	return true;
}

/* Are the n bytes at p all zero? */
static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* ---- validator: records ------------------------------------------------ */

/* Validator state; the arrays live in the caller's scratch memory. */
struct chk {
	const struct ckpt_source *src;
	const struct ckpt_limits *lim;
	struct ckpt_layout *lay;
	void *io;			       /* CKPT_IOBUF_SIZE bytes */
	uint32_t *c_parent, *c_depth, *c_init; /* per container */
	uint32_t *t_ctr, *t_state, *t_npages;  /* per task */
	uint32_t *keys; /* container << 23 | number, per level */
	uint32_t nkeys;
	uint32_t pages_seen;  /* page records claimed by tasks so far */
	uint32_t last_parent; /* parent of the task checked last */
	char (*c_name)[CKPT_NAME_LEN];
	uint8_t *c_has_one;	  /* per container: its number 1 was seen */
	uint8_t *f_used, *p_used; /* per file / pipe: something refers to it */
};

/* Carves the scratch arrays out of mem (or just sizes them if mem is
 * NULL): the byte count. */
static size_t carve(struct chk *k, const struct ckpt_layout *lay, uint8_t *mem)
{
	size_t nc = lay->count[CKPT_SEC_CONTAINERS],
	       nt = lay->count[CKPT_SEC_TASKS];
	size_t at = 0;
#define CARVE(field, bytes)                                                    \
	do {                                                                   \
		if (mem)                                                       \
			k->field = (void *)(mem + at);                         \
		at += ROUNDUP((size_t)(bytes), (size_t)4);                     \
	} while (0)
	CARVE(c_parent, nc * 4);
	CARVE(c_depth, nc * 4);
	CARVE(c_init, nc * 4);
	CARVE(t_ctr, nt * 4);
	CARVE(t_state, nt * 4);
	CARVE(t_npages, nt * 4);
	CARVE(keys, nt * CKPT_LEVELS * 4);
	CARVE(c_name, nc * CKPT_NAME_LEN);
	CARVE(c_has_one, nc);
	CARVE(f_used, lay->count[CKPT_SEC_FILES]);
	CARVE(p_used, lay->count[CKPT_SEC_PIPES]);
#undef CARVE
	return at;
}

size_t ckpt_scratch_size(const struct ckpt_layout *lay)
{
	struct chk k;

	return carve(&k, lay, NULL);
}

static int check_crc(struct chk *k)
{
	uint32_t total = k->lay->total_len, crc = 0, stored = 0, n;
	uint8_t *io = k->io;

	for (uint32_t off = 0; off < total; off += n) {
		n = MIN(total - off, CKPT_IOBUF_SIZE);
		int r = ckpt_src_read(k->src, off, io, n);
		if (r)
			return r;
		if (off == 0) { /* the header is smaller than one buffer */
			memcpy(&stored, io + CKPT_CRC_OFFSET, 4);
			memset(io + CKPT_CRC_OFFSET, 0, 4);
		}
		crc = crc32_update(crc, io, n);
	}
	if (crc != le32(stored))
		return ckpt_refuse(k->lay, -EINVAL,
				   "CRC 0x%x, the header says 0x%x", crc,
				   le32(stored));
	return 0;
}

/* Parent, depth (parents first, by depth), init and last number. */
static int ctr_shape(struct chk *k, uint32_t i, const struct ckpt_container *c)
{
	struct ckpt_layout *lay = k->lay;

	if (i == 0 && (c->c_parent != CKPT_NONE || c->c_depth != 0))
		return ckpt_refuse(lay, -EINVAL, "container 0: not the top");
	if (i == 0 && c->c_init != 0)
		return ckpt_refuse(
		    lay, -EINVAL,
		    "container 0: its init is task %u, not task 0", c->c_init);
	if (i > 0 && c->c_parent >= i)
		return ckpt_refuse(
		    lay, -EINVAL,
		    "container %u: parent %u is not an earlier one", i,
		    c->c_parent);
	if (i > 0 && c->c_depth != k->c_depth[c->c_parent] + 1)
		return ckpt_refuse(
		    lay, -EINVAL, "container %u: depth %u under a parent at %u",
		    i, c->c_depth, k->c_depth[c->c_parent]);
	if (i > 0 && c->c_depth < k->c_depth[i - 1])
		return ckpt_refuse(lay, -EINVAL,
				   "container %u: depth %u after depth %u (not "
				   "stored by depth)",
				   i, c->c_depth, k->c_depth[i - 1]);
	if (c->c_depth > k->lim->max_depth)
		return ckpt_refuse(lay, -EINVAL, "container %u: nested %u deep",
				   i, c->c_depth);
	if (c->c_last_nr < 1 || c->c_last_nr > k->lim->pid_max)
		return ckpt_refuse(lay, -EINVAL,
				   "container %u: last number %u outside 1..%u",
				   i, c->c_last_nr, k->lim->pid_max);
	if (c->c_init >= lay->count[CKPT_SEC_TASKS])
		return ckpt_refuse(lay, -EINVAL, "container %u: no task %u", i,
				   c->c_init);
	return 0;
}

static int check_container(struct chk *k, uint32_t i)
{
	struct ckpt_container *c = k->io;
	int r = ckpt_read_raw(k->src, k->lay, CKPT_SEC_CONTAINERS, i, c,
			      CKPT_CTR_SIZE);

	if (!r)
		r = ctr_shape(k, i, c);
	if (r)
		return r;
	if (!str_ok(c->c_name, CKPT_NAME_LEN) ||
	    !ctr_name_ok(c->c_name, strlen(c->c_name)))
		return ckpt_refuse(k->lay, -EINVAL,
				   "container %u: invalid name", i);
	for (uint32_t j = 0; j < i; j++)
		if (strcmp(k->c_name[j], c->c_name) == 0)
			return ckpt_refuse(
			    k->lay, -EINVAL,
			    "containers %u and %u: both named %s", j, i,
			    c->c_name);
	memcpy(k->c_name[i], c->c_name, CKPT_NAME_LEN);
	k->c_parent[i] = c->c_parent;
	k->c_depth[i] = c->c_depth;
	k->c_init[i] = c->c_init;
	k->lay->max_depth = MAX(k->lay->max_depth, c->c_depth);
	return 0;
}

/* The container enclosing c at depth d (c itself at its own depth). */
static uint32_t ctr_at(const struct chk *k, uint32_t c, uint32_t d)
{
	while (k->c_depth[c] > d)
		c = k->c_parent[c];
	return c;
}

/* Container index, state, parent index and the breadth-first order. */
static int task_links(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	struct ckpt_layout *lay = k->lay;

	if (t->t_ctr >= lay->count[CKPT_SEC_CONTAINERS])
		return ckpt_refuse(lay, -EINVAL, "task %u: no container %u", i,
				   t->t_ctr);
	if (t->t_state < CKPT_TASK_RUNNABLE || t->t_state > CKPT_TASK_ZOMBIE)
		return ckpt_refuse(lay, -EINVAL, "task %u: unknown state %u", i,
				   t->t_state);
	if (i == 0)
		return t->t_parent == CKPT_NONE
			   ? 0
			   : ckpt_refuse(lay, -EINVAL, "task 0: has a parent");
	if (t->t_parent >= i)
		return ckpt_refuse(lay, -EINVAL,
				   "task %u: parent %u is not an earlier task",
				   i, t->t_parent);
	if (i > 1 && t->t_parent < k->last_parent)
		return ckpt_refuse(
		    lay, -EINVAL,
		    "task %u: child of %u after a child of %u (not "
		    "breadth-first)",
		    i, t->t_parent, k->last_parent);
	if (k->t_state[t->t_parent] == CKPT_TASK_ZOMBIE)
		return ckpt_refuse(lay, -EINVAL,
				   "task %u: parent %u is a zombie", i,
				   t->t_parent);
	k->last_parent = t->t_parent;
	return 0;
}

/* Which containers task i is the init of: only the innermost ones (a
 * container's init moves only by founding a nested container, and is its
 * init too), each named in c_init and not a zombie.  Returns how many. */
static int task_inits(struct chk *k, uint32_t i, const struct ckpt_task *t,
		      uint32_t *ninit)
{
	uint32_t c = t->t_ctr, n = 0;

	for (uint32_t l = t->t_nlevels; l-- > 0; c = k->c_parent[c]) {
		if (t->t_nrs[l] != 1)
			continue;
		if (n != t->t_nlevels - 1 - l)
			return ckpt_refuse(
			    k->lay, -EINVAL,
			    "task %u: init of container %u but not "
			    "of container %u inside it, where it "
			    "lives",
			    i, c, ctr_at(k, t->t_ctr, l + 1));
		if (k->c_init[c] != i)
			return ckpt_refuse(k->lay, -EINVAL,
					   "task %u: number 1 in container %u, "
					   "whose init is task %u",
					   i, c, k->c_init[c]);
		if (t->t_state == CKPT_TASK_ZOMBIE)
			return ckpt_refuse(k->lay, -EINVAL,
					   "task %u: init of container %u is a "
					   "zombie",
					   i, c);
		k->c_has_one[c] = 1;
		n++;
	}
	*ninit = n;
	return 0;
}

/* Family rules.  A task is born where its parent is and moves only by
 * founding a container, so a task that is the init of its n innermost
 * levels was born at level depth - n (-1: outside, task 0 only), and its
 * parent (or the init that adopted it) lives in the container at that
 * level. */
static int task_family(struct chk *k, uint32_t i, const struct ckpt_task *t,
		       uint32_t ninit)
{
	int32_t depth = (int32_t)t->t_nlevels - 1, birth = depth - (int)ninit;
	uint32_t pc;

	if ((int32_t)t->t_birth_level != birth)
		return ckpt_refuse(
		    k->lay, -EINVAL,
		    "task %u: born at level %d, but its numbers say "
		    "%d",
		    i, (int)(int32_t)t->t_birth_level, (int)birth);
	if (i == 0)
		return 0; /* its parent is outside; birth -1 made it init */
	pc = k->t_ctr[t->t_parent];
	if (pc != ctr_at(k, t->t_ctr, (uint32_t)birth))
		return ckpt_refuse(
		    k->lay, -EINVAL,
		    "task %u: its parent %u is in container %u, not "
		    "%u",
		    i, t->t_parent, pc, ctr_at(k, t->t_ctr, (uint32_t)birth));
	return 0;
}

/* PID numbers at every level, inits, birth level, parent's container;
 * records the (container, number) keys for the uniqueness check. */
static int task_pids(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	uint32_t c = t->t_ctr, max = MIN(k->lim->pid_max, 0x7fffffu), ninit = 0;
	int r;

	if (t->t_nlevels != k->c_depth[c] + 1)
		return ckpt_refuse(
		    k->lay, -EINVAL,
		    "task %u: %u PID levels in a container %u deep", i,
		    t->t_nlevels, k->c_depth[c]);
	for (uint32_t l = t->t_nlevels; l < CKPT_LEVELS; l++)
		if (t->t_nrs[l] != 0)
			return ckpt_refuse(
			    k->lay, -EINVAL,
			    "task %u: a number at level %u, below "
			    "its own",
			    i, l);
	for (uint32_t l = t->t_nlevels; l-- > 0; c = k->c_parent[c]) {
		uint32_t nr = t->t_nrs[l];
		if (nr < 1 || nr > max)
			return ckpt_refuse(
			    k->lay, -EINVAL,
			    "task %u: number %u at level %u outside "
			    "1..%u",
			    i, nr, l, max);
		k->keys[k->nkeys++] = c << 23 | nr;
		k->lay->max_nr = MAX(k->lay->max_nr, nr);
	}
	r = task_inits(k, i, t, &ninit);
	return r ? r : task_family(k, i, t, ninit);
}

/* The statuses waitpid can report: an exit code, or a signal that ends
 * a task (kill's, or a fault's). */
static bool status_ok(uint32_t s)
{
	switch (s & 0x7f) {
	case 0:
		return (s & ~0xff00u) == 0;
	case SIGINT:
	case SIGILL:
	case SIGFPE:
	case SIGKILL:
	case SIGSEGV:
	case SIGTERM:
		return (s & ~0x7fu) == 0;
	default:
		return false;
	}
}

/* The signals kill and the kernel leave pending. */
static bool killsig_ok(uint32_t sig)
{
	return sig == SIGINT || sig == SIGKILL || sig == SIGTERM;
}

/* A zombie keeps only its identity and exit status. */
static int task_zombie(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	if (!status_ok(t->t_exit_status))
		return ckpt_refuse(k->lay, -EINVAL, "task %u: exit status 0x%x",
				   i, t->t_exit_status);
	if (t->t_flags || t->t_killsig || t->t_restart_syscall ||
	    t->t_restart_arg || t->t_brk_start || t->t_brk || t->t_stack_low ||
	    t->t_npages || t->t_cwd[0] ||
	    !all_zero(&t->t_regs, sizeof(t->t_regs)) ||
	    !all_zero(t->t_fpu, sizeof(t->t_fpu)))
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: a zombie with memory, registers "
				   "or a pending call",
				   i);
	for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++)
		if (t->t_fds[fd] != CKPT_NONE)
			return ckpt_refuse(k->lay, -EINVAL,
					   "task %u: a zombie with descriptor "
					   "%u",
					   i, fd);
	return 0;
}

/* State flags, pending kill, registers, FPU and restart info. */
static int task_cpu(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	const struct ckpt_regs *g = &t->t_regs;
	uint32_t nr = arch_ckpt_regs_syscall_nr(g);
	int err;
	bool killed = t->t_flags & CKPT_TF_KILLED;

	if (t->t_exit_status ||
	    (t->t_flags & ~(CKPT_TF_IN_SYSCALL | CKPT_TF_KILLED)))
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: flags 0x%x, status 0x%x", i,
				   t->t_flags, t->t_exit_status);
	if (killed ? !killsig_ok(t->t_killsig) : t->t_killsig != 0)
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: pending signal %u", i,
				   t->t_killsig);
	if (t->t_state == CKPT_TASK_SLEEPING &&
	    !(t->t_flags & CKPT_TF_IN_SYSCALL))
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: blocked outside a system call", i);
	err = arch_ckpt_regs_check(k->lay, i, g, t->t_fpu);
	if (err)
		return err;
	/* A sleep is restarted exactly when one is in progress. */
	bool in_sleep = (t->t_flags & CKPT_TF_IN_SYSCALL) && nr == SYS_sleep;
	if (t->t_restart_syscall
		? t->t_restart_syscall != SYS_sleep || nr != SYS_sleep
		: t->t_restart_arg != 0 || in_sleep)
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: restart of call %u (arg %u) "
				   "with " ARCH_SYSCALL_NR_NAME " %u",
				   i, t->t_restart_syscall, t->t_restart_arg,
				   nr);
	return 0;
}

/* Memory bounds, working directory and descriptors. */
static int task_live(struct chk *k, uint32_t i, const struct ckpt_task *t)
{
	int r = task_cpu(k, i, t);

	if (r)
		return r;
	if ((t->t_brk_start & (CKPT_PAGE_SIZE - 1)) ||
	    t->t_brk_start < USER_BASE || t->t_brk < t->t_brk_start ||
	    t->t_brk > USER_HEAP_LIMIT)
		return ckpt_refuse(k->lay, -EINVAL, "task %u: heap 0x%x..0x%x",
				   i, t->t_brk_start, t->t_brk);
	if ((t->t_stack_low & (CKPT_PAGE_SIZE - 1)) ||
	    t->t_stack_low < STACK_BOTTOM || t->t_stack_low > USER_TOP)
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: stack bottom 0x%x", i,
				   t->t_stack_low);
	if (!str_ok(t->t_cwd, CKPT_PATH_LEN) || t->t_cwd[0] != '/')
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: working directory not an absolute "
				   "path",
				   i);
	for (uint32_t fd = 0; fd < CKPT_NOFILE; fd++) {
		uint32_t f = CKPT_FD_FILE(t->t_fds[fd]); /* FD_CLOEXEC: any */
		if (t->t_fds[fd] == CKPT_NONE)
			continue;
		if (f >= k->lay->count[CKPT_SEC_FILES])
			return ckpt_refuse(
			    k->lay, -EINVAL,
			    "task %u: descriptor %u names file %u of "
			    "%u",
			    i, fd, f, k->lay->count[CKPT_SEC_FILES]);
		k->f_used[f] = 1;
	}
	return 0;
}

static int check_task(struct chk *k, uint32_t i)
{
	struct ckpt_task *t = k->io;
	int r =
	    ckpt_read_raw(k->src, k->lay, CKPT_SEC_TASKS, i, t, CKPT_TASK_SIZE);

	if (!r)
		r = task_links(k, i, t);
	if (!r)
		r = task_pids(k, i, t);
	if (!r)
		r = t->t_state == CKPT_TASK_ZOMBIE ? task_zombie(k, i, t)
						   : task_live(k, i, t);
	if (r)
		return r;
	if (!str_ok(t->t_name, CKPT_NAME_LEN))
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: name not terminated", i);
	if (t->t_first_page != k->pages_seen ||
	    t->t_npages > k->lay->count[CKPT_SEC_PAGES] - k->pages_seen)
		return ckpt_refuse(k->lay, -EINVAL,
				   "task %u: pages %u+%u, expected from %u", i,
				   t->t_first_page, t->t_npages, k->pages_seen);
	k->pages_seen += t->t_npages;
	k->t_ctr[i] = t->t_ctr;
	k->t_state[i] = t->t_state;
	k->t_npages[i] = t->t_npages;
	return 0;
}

/* Orders two uint32_t keys. */
static bool key_less(const void *a, const void *b)
{
	return *(const uint32_t *)a < *(const uint32_t *)b;
}

/* Every container has its number 1; no number is used twice in one. */
static int check_pid_sets(struct chk *k)
{
	for (uint32_t c = 0; c < k->lay->count[CKPT_SEC_CONTAINERS]; c++)
		if (!k->c_has_one[c])
			return ckpt_refuse(k->lay, -EINVAL,
					   "container %u: no task has number 1",
					   c);
	sort_heap(k->keys, k->nkeys, sizeof(k->keys[0]), key_less);
	for (uint32_t i = 1; i < k->nkeys; i++)
		if (k->keys[i] == k->keys[i - 1])
			return ckpt_refuse(k->lay, -EINVAL,
					   "container %u: number %u used twice",
					   k->keys[i] >> 23,
					   k->keys[i] & 0x7fffffu);
	return 0;
}

/* Kind-specific rules of file record i. */
static int file_kind(struct chk *k, uint32_t i, const struct ckpt_file *f)
{
	switch (f->f_kind) {
	case CKPT_FILE_PIPE_READ:
	case CKPT_FILE_PIPE_WRITE:
		if (f->f_pipe >= k->lay->count[CKPT_SEC_PIPES] || f->f_offset ||
		    f->f_path[0] ||
		    f->f_flags != (f->f_kind == CKPT_FILE_PIPE_READ ? O_RDONLY
								    : O_WRONLY))
			break;
		k->p_used[f->f_pipe] = 1;
		return 0;
	case CKPT_FILE_CONSOLE:
	case CKPT_FILE_TTYS1:
	case CKPT_FILE_ETH0:
		if (f->f_pipe == CKPT_NONE && !f->f_offset && !f->f_path[0])
			return 0;
		break;
	case CKPT_FILE_RAMFS:
	case CKPT_FILE_PROC:
		if (f->f_pipe == CKPT_NONE && f->f_path[0] == '/')
			return 0;
		break;
	default:
		return ckpt_refuse(k->lay, -EINVAL, "file %u: unknown kind %u",
				   i, f->f_kind);
	}
	return ckpt_refuse(
	    k->lay, -EINVAL,
	    "file %u: kind %u with pipe %u, offset %u, path '%.32s'", i,
	    f->f_kind, f->f_pipe, f->f_offset, f->f_path);
}

static int check_file(struct chk *k, uint32_t i)
{
	struct ckpt_file *f = k->io;
	int r =
	    ckpt_read_raw(k->src, k->lay, CKPT_SEC_FILES, i, f, CKPT_FILE_SIZE);

	if (r)
		return r;
	if (!k->f_used[i])
		return ckpt_refuse(k->lay, -EINVAL,
				   "file %u: no descriptor refers to it", i);
	uint32_t ok = O_KEPT_FLAGS;
	if (f->f_kind == CKPT_FILE_ETH0)
		ok |= O_NONBLOCK; /* the one kind that honours it */
	if ((f->f_flags & ~ok) || (f->f_flags & O_ACCMODE) == O_ACCMODE)
		return ckpt_refuse(k->lay, -EINVAL, "file %u: open flags 0x%x",
				   i, f->f_flags);
	if (!str_ok(f->f_path, CKPT_PATH_LEN))
		return ckpt_refuse(k->lay, -EINVAL,
				   "file %u: path not terminated", i);
	return file_kind(k, i, f);
}

static int check_pipe(struct chk *k, uint32_t i)
{
	uint32_t *w = k->io;
	int r = ckpt_read_raw(k->src, k->lay, CKPT_SEC_PIPES, i, w,
			      CKPT_PIPE_WORDS * 4);

	if (r)
		return r;
	if (!k->p_used[i])
		return ckpt_refuse(k->lay, -EINVAL,
				   "pipe %u: no file refers to it", i);
	if (w[0] > CKPT_PIPE_SIZE || w[1] != 0)
		return ckpt_refuse(k->lay, -EINVAL, "pipe %u: holds %u bytes",
				   i, w[0]);
	uint32_t count = w[0];
	uint32_t data = k->lay->off[CKPT_SEC_PIPES] + i * CKPT_PIPE_REC_SIZE +
			CKPT_PIPE_WORDS * 4;
	r = ckpt_src_read(k->src, data + count, k->io, CKPT_PIPE_SIZE - count);
	if (r)
		return r;
	if (!all_zero(k->io, CKPT_PIPE_SIZE - count))
		return ckpt_refuse(k->lay, -EINVAL,
				   "pipe %u: bytes after the %u buffered", i,
				   count);
	return 0;
}

/* The pages of task i: user addresses in increasing order. */
static int check_pages(struct chk *k, uint32_t i, uint32_t *next)
{
	uint32_t *w = k->io, last = 0;

	for (uint32_t n = 0; n < k->t_npages[i]; n++, (*next)++) {
		int r = ckpt_read_raw(k->src, k->lay, CKPT_SEC_PAGES, *next, w,
				      CKPT_PAGE_WORDS * 4);
		if (r)
			return r;
		uint32_t va = w[0], fl = w[1];
		if ((va & (CKPT_PAGE_SIZE - 1)) || va < USER_BASE ||
		    va >= USER_TOP || (n > 0 && va <= last))
			return ckpt_refuse(k->lay, -EINVAL,
					   "task %u: page at 0x%x misplaced", i,
					   va);
		if (!(fl & CKPT_PG_USER) ||
		    (fl & ~(CKPT_PG_USER | CKPT_PG_WRITE)))
			return ckpt_refuse(
			    k->lay, -EINVAL,
			    "task %u: page at 0x%x has flags 0x%x", i, va, fl);
		last = va;
	}
	return 0;
}

/* Runs fn over records 0..n-1, stopping at the first error. */
static int each(struct chk *k, int (*fn)(struct chk *, uint32_t), uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		int r = fn(k, i);
		if (r)
			return r;
	}
	return 0;
}

int ckpt_check_body(const struct ckpt_source *src,
		    const struct ckpt_limits *lim, struct ckpt_layout *lay,
		    void *scratch, void *iobuf)
{
	struct chk k = {.src = src, .lim = lim, .lay = lay, .io = iobuf};
	const uint32_t *n = lay->count;
	size_t size = carve(&k, lay, scratch);
	uint32_t next_page = 0;
	int r;

	memset(scratch, 0, size);
	lay->max_depth = lay->max_nr = 0;
	r = lim->skip_crc ? 0 : check_crc(&k);
	if (!r)
		r = each(&k, check_container, n[CKPT_SEC_CONTAINERS]);
	if (!r)
		r = each(&k, check_task, n[CKPT_SEC_TASKS]);
	if (!r && k.pages_seen != n[CKPT_SEC_PAGES])
		r = ckpt_refuse(lay, -EINVAL, "tasks own %u of %u pages",
				k.pages_seen, n[CKPT_SEC_PAGES]);
	if (!r)
		r = check_pid_sets(&k);
	if (!r)
		r = each(&k, check_file, n[CKPT_SEC_FILES]);
	if (!r)
		r = each(&k, check_pipe, n[CKPT_SEC_PIPES]);
	for (uint32_t i = 0; !r && i < n[CKPT_SEC_TASKS]; i++)
		r = check_pages(&k, i, &next_page);
	if (r && !lay->why[0])
		ckpt_refuse(lay, r, "cannot read the image (error %d)", r);
	return r;
}
