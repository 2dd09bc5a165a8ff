/*
 * Incremental checkpoint rounds (CKPT_INCR_FIRST, CKPT_INCR_NEXT,
 * CKPT_INCR_FINAL): the pre-copy half of live migration.  do_checkpoint has
 * collected and frozen the tree; a round copies pages into a version 2
 * image and the tree runs on when the call returns -- except after the
 * final round, which lists every page (data only for those written since
 * the round before) and after which do_checkpoint writes the rest of the
 * state and, unless CKPT_KEEP, ends the tree.  The receiving side is
 * kernel/ckpt/ckpt_stage.c.
 *
 * The first round copies every page and starts the tracking; each later
 * round copies only the pages written since the round before, which the
 * page tables' dirty bits tell (vm_dirty_test_clear: also pages mapped
 * since, so heap growth is never missed).  A page is looked at twice:
 * once to size the round (header first, the CRC streamed), once to copy
 * it and reset its state.  The tree is frozen in between, so both passes
 * see the same pages.
 *
 * The rounds of one migration are tied together in the top container: an
 * id, the last round number, and a signature of the tree's tasks (their
 * real PIDs in family order).  A later round with no first one is EINVAL;
 * one after a task was added or reaped is EAGAIN (start again with a first
 * round).  A round that fails after resetting dirty state ends the
 * migration (its id is dropped), since pages it did not deliver would
 * otherwise be missed by the next round; so does the final round.
 */
#include <kern/ckpt.h>
#include <kern/container.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/vm.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>

/* One round being taken. */
struct incr {
	struct ckpt_enc e;
	pde_t *pd;     /* address space of the task being walked */
	uint32_t ti;   /* its index */
	uint32_t kind; /* CKPT_ROUND_* */
	bool copying;  /* second pass: encode and reset */
	uint32_t npages, nzero, nkept;
};

static uint32_t last_mig_id; /* ids handed out so far */

/* FNV-1a over the tasks' real PIDs, in family order. */
static uint32_t tree_sig(struct task **tasks, uint32_t n)
{
	uint32_t h = 2166136261u ^ n;

	for (uint32_t i = 0; i < n; i++)
		h = (h ^ tsk_pid(tasks[i])) * 16777619u;
	return h;
}

/* One mapped page: counted (first pass) or copied (second pass). */
static int round_page(void *arg, uintptr_t va, void *page, uint32_t flags)
{
	struct incr *in = arg;
	int r = 0;

	if (!in->copying) {
		bool dirty = vm_dirty_test(in->pd, va);
		if (dirty || in->kind != CKPT_ROUND_NEXT)
			in->npages++;
		if (dirty || in->kind == CKPT_ROUND_FIRST)
			in->nzero += ckpt_page_is_zero(page);
		else if (in->kind == CKPT_ROUND_FINAL)
			in->nkept++;
		return 0;
	}
	/* FIRST: every page with its data; NEXT: written ones only; FINAL:
	 * every page, with data if written. */
	bool dirty = vm_dirty_test_clear(in->pd, va);
	if (dirty || in->kind != CKPT_ROUND_NEXT)
		r = ckpt_round_enc_page(
		    &in->e, in->ti, (uint32_t)va, flags & (VM_WRITE | VM_USER),
		    dirty || in->kind == CKPT_ROUND_FIRST ? page : NULL);
	sched_cond_resched(); /* the owner is frozen: its tables stay */
	return r;
}

/* Walks every live task's pages with round_page. */
static int walk(struct incr *in, struct task **tasks, uint32_t n)
{
	int r = 0;

	for (uint32_t i = 0; !r && i < n; i++) {
		struct task *t = tasks[i];
		if (!t->tk_mm || t->tk_state == TASK_ZOMBIE)
			continue;
		in->pd = t->tk_mm->mm_pgdir;
		in->ti = i;
		r = vm_walk(in->pd, round_page, in);
	}
	return r;
}

/* Is a NEXT round allowed on top with these tasks?  0, or -EINVAL (no
 * first round) or -EAGAIN (the tree changed), with a console line. */
static int check_link(struct container *top, uint32_t sig)
{
	if (!top->c_mig_id) {
		printk("checkpoint: %s: no first round to follow\n",
		       top->c_name);
		return -EINVAL;
	}
	if (top->c_mig_sig != sig) {
		printk("checkpoint: %s: tasks changed since the first round\n",
		       top->c_name);
		top->c_mig_id = 0;
		return -EAGAIN;
	}
	return 0;
}

/* The codec's sink: copyout into the user buffer at the image offset. */
static int sink_copyout(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	return copyout(UPTR_ADD(*(uptr_t *)ctx, off), buf, len);
}

/* Second pass: the round into buf.  Its length or an error. */
static int copy_round(struct incr *in, struct container *top,
		      struct task **tasks, uint32_t n, uptr_t buf)
{
	bool first = in->kind == CKPT_ROUND_FIRST;
	uint32_t next_id = last_mig_id + 1 ? last_mig_id + 1 : 1; /* never 0 */
	struct ckpt_round rec = {
	    .r_id = first ? next_id : top->c_mig_id,
	    .r_round = first ? 0 : top->c_mig_round + 1,
	    .r_kind = in->kind,
	    .r_ntasks = n,
	    .r_npages = in->npages,
	    .r_nzero = in->nzero,
	    .r_nkept = in->nkept,
	};
	int r = ckpt_round_begin(&in->e, sink_copyout, &buf, &rec);

	if (r)
		return r;
	in->copying = true;
	top->c_mig_id = 0; /* dirty state changes from here on */
	r = walk(in, tasks, n);
	int64_t len = r ? r : ckpt_round_end(&in->e);
	if (len < 0)
		return (int)len;
	if (first)
		last_mig_id = rec.r_id;
	top->c_mig_id = in->kind == CKPT_ROUND_FINAL ? 0 : rec.r_id; /* over */
	top->c_mig_round = rec.r_round;
	top->c_mig_sig = tree_sig(tasks, n);
	return (int)len;
}

int ckpt_incr_round(struct container *top, struct task **tasks, uint32_t n,
		    uptr_t buf, uint32_t len, uint32_t flags, uint32_t extra)
{
	struct incr in;
	uint32_t size;
	int r;

	memset(&in, 0, sizeof(in));
	in.kind = flags & CKPT_INCR_FIRST  ? CKPT_ROUND_FIRST
		  : flags & CKPT_INCR_NEXT ? CKPT_ROUND_NEXT
					   : CKPT_ROUND_FINAL;
	if (in.kind != CKPT_ROUND_FIRST) {
		r = check_link(top, tree_sig(tasks, n));
		if (r)
			return r;
	}
	r = walk(&in, tasks, n);
	size = ckpt_round_size(in.npages, in.nzero);
	if (r || !size || size > 0x7fffffffu - extra)
		return r ? r : -ENOMEM;
	if (len == 0)
		return (int)size;
	if (len < size + extra)
		return -ERANGE;
	return copy_round(&in, top, tasks, n, buf);
}
