/*
 * checkpoint(): serialise a container tree into the caller's buffer.
 *
 *  1. find the container: nested strictly inside the caller's (its own is
 *     EPERM; anything it cannot see, outer and sibling containers included,
 *     is ESRCH exactly like a name nobody has);
 *  2. collect its containers (parents first) and its tasks in family order
 *     (breadth-first from the top init through the child lists, so every
 *     parent comes before its children and children keep their order);
 *  3. freeze every task (sched_set_frozen), wait until none is in the
 *     middle of a system call, and check that nothing is shared with the
 *     outside;
 *  4. stream the records into the user buffer through the codec, the
 *     buffer being written with copyout at each record's offset;
 *  5. thaw, or -- the default, migration -- check the image just written
 *     with restore's own validator (an image restore would refuse must
 *     not cost the container: then it keeps running and the call fails
 *     with a console line), and kill the whole tree: the top init ends
 *     with CKPT_MIGRATED_SIG, which its parent sees in waitpid, and the
 *     kernel reaps the rest as it does when any container's init dies.
 *
 * A task that is not running is either preempted in user mode, with its
 * trap frame complete, or inside a system call (blocked in sleep_on, or
 * woken and not yet run).  For the latter the saved registers are rewound
 * onto the trap instruction, with the call number still in place
 * (arch_ckpt_regs_restart_syscall), so the call is issued again after
 * restore; a sleep also saves the time it has left.
 *
 * Long system calls give the CPU away between chunks (sched_cond_resched),
 * and so does this one while it copies pages.  Hence:
 *   - one checkpoint at a time (ckpt_lock): only its holder freezes and
 *     thaws, so a frozen task stays frozen until the holder is done;
 *   - a task caught switched away in the middle of a long call (tk_midcall)
 *     is not parked: it finishes the call and parks on its way to user
 *     mode.  Stage 3 waits for that, collecting the tree afresh each time
 *     (a call that ends may have forked or exited), so no record shows a
 *     call half done;
 *   - a frozen task never runs, so nothing frees what is being read: a kill
 *     from outside only marks a task, and it dies once thawed; its zombie
 *     children can only be reaped by a parent that is frozen too.
 */
#include <kern/ckpt.h>
#include <kern/container.h>
#include <kern/pid.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/arch.h>
#include <kern/file.h>
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>
#include <uapi/syscall.h>

_Static_assert(VM_WRITE == CKPT_PG_WRITE && VM_USER == CKPT_PG_USER,
	       "page flags are stored as the kernel keeps them");

struct save {
	struct container *top;
	struct container **ctrs; /* parents first; ctrs[0] == top */
	uint32_t nctrs;
	struct task **tasks; /* family order; tasks[0] == top's init */
	uint32_t ntasks;
	uint32_t *npages; /* pages of each task */
	uint32_t total_pages;
	struct ckpt_ftab ft;
	struct ckpt_task *rec; /* scratch for one task record */
	void *page;	       /* scratch page */
};

/* The container the caller may checkpoint under name: 0 or -ESRCH/-EPERM. */
static int find_top(const char *name, struct container **out)
{
	struct container *me = current->tk_ctr;
	struct container *c = ctr_find_by_name(name);

	if (c == me)
		return -EPERM;
	if (!c || !ctr_is_within(c, me))
		return -ESRCH; /* outer and sibling containers are invisible */
	*out = c;
	return 0;
}

/* The containers of the tree, parents first; -EBUSY if one is dying. */
static int collect_ctrs(struct save *s)
{
	uint32_t n = 0;

	for (struct container *c = ctr_list_head; c; c = c->c_next)
		n += ctr_is_within(c, s->top);
	s->ctrs = kmalloc(n * sizeof(*s->ctrs));
	if (!s->ctrs)
		return -ENOMEM;
	for (int d = s->top->c_depth; s->nctrs < n; d++)
		for (struct container *c = ctr_list_head; c; c = c->c_next)
			if (c->c_depth == d && ctr_is_within(c, s->top))
				s->ctrs[s->nctrs++] = c;
	for (uint32_t i = 0; i < n; i++) {
		if (s->ctrs[i]->c_dying || !s->ctrs[i]->c_init) {
			printk("checkpoint: container %s is shutting down\n",
			       s->ctrs[i]->c_name);
			return -EBUSY;
		}
	}
	return 0;
}

/* The tasks of the tree in family order: -EBUSY if some task inside is not
 * a descendant of the top init (an orphan of a dying container). */
static int collect_tasks(struct save *s)
{
	uint32_t n = 0, k = 1;

	for (struct task *t = task_list_head; t; t = t->tk_all_next)
		n += tsk_visible_from(t, s->top);
	s->tasks = kmalloc(n * sizeof(*s->tasks));
	s->npages = kzalloc(n * sizeof(*s->npages));
	if (!s->tasks || !s->npages)
		return -ENOMEM;
	s->tasks[0] = s->top->c_init;
	for (uint32_t i = 0; i < k; i++) {
		for (struct task *ch = s->tasks[i]->tk_children; ch;
		     ch = ch->tk_sibling) {
			if (k == n || !tsk_visible_from(ch, s->top))
				return -EBUSY; /* cannot happen: nothing leaves
						*/
			s->tasks[k++] = ch;
		}
	}
	s->ntasks = k;
	if (k != n)
		printk("checkpoint: container %s has tasks its init's family "
		       "does not reach (it is shutting down)\n",
		       s->top->c_name);
	return k == n ? 0 : -EBUSY;
}

static bool ckpt_busy;	 /* a checkpoint holds the freezer */
static char ckpt_settle; /* channel of the wait in collect() */

/* Takes the one checkpoint slot, waiting for it: 0 or -EINTR. */
static int ckpt_lock(void)
{
	while (ckpt_busy) {
		int r = sleep_on(&ckpt_busy);
		if (r)
			return r;
	}
	ckpt_busy = true;
	return 0;
}

/* Thaws every frozen task (all are ours) and gives the slot back. */
static void ckpt_unlock(void)
{
	for (struct task *t = task_list_head; t; t = t->tk_all_next)
		if (t->tk_frozen)
			sched_set_frozen(t, false);
	ckpt_busy = false;
	wakeup(&ckpt_busy);
}

/* Freezes the collected tasks: true if none is in the middle of a system
 * call (those go on until they reach user mode or a sleep). */
static bool freeze(struct save *s)
{
	bool settled = true;

	for (uint32_t i = 0; i < s->ntasks; i++) {
		sched_set_frozen(s->tasks[i], true);
		settled &= !s->tasks[i]->tk_midcall;
	}
	return settled;
}

/* Forgets what collect() gathered, to gather it again. */
static void uncollect(struct save *s)
{
	kfree(s->ctrs);
	kfree(s->tasks);
	kfree(s->npages);
	s->ctrs = NULL, s->tasks = NULL, s->npages = NULL;
	s->nctrs = s->ntasks = 0;
}

/* Stages 1 to 3: the tree collected and frozen, with no task in the middle
 * of a system call.  0 or an error (the tree may stay partly frozen until
 * ckpt_unlock). */
static int collect(struct save *s, const char *name)
{
	for (;;) {
		int r = find_top(name, &s->top);
		if (!r)
			r = collect_ctrs(s);
		if (!r)
			r = collect_tasks(s);
		if (r || freeze(s))
			return r;
		uncollect(s);
		r = sleep_on_until(&ckpt_settle, uptime_ms() + 10);
		if (r)
			return r;
	}
}

static int count_page(void *arg, uintptr_t va, void *page, uint32_t flags)
{
	(*(uint32_t *)arg)++;
	return 0;
}

static void count_pages(struct save *s)
{
	for (uint32_t i = 0; i < s->ntasks; i++) {
		struct task *t = s->tasks[i];
		if (t->tk_mm && t->tk_state != TASK_ZOMBIE)
			(void)vm_walk(t->tk_mm->mm_pgdir, count_page,
				      &s->npages[i]);
		s->total_pages += s->npages[i];
	}
}

static uint32_t ctr_index(const struct save *s, const struct container *c)
{
	for (uint32_t i = 0; i < s->nctrs; i++)
		if (s->ctrs[i] == c)
			return i;
	return CKPT_NONE;
}

static uint32_t task_index(const struct save *s, const struct task *t)
{
	for (uint32_t i = 0; i < s->ntasks; i++)
		if (s->tasks[i] == t)
			return i;
	return CKPT_NONE;
}

static int encode_ctrs(struct save *s, struct ckpt_enc *e)
{
	struct ckpt_container rec;
	int r = 0;

	for (uint32_t i = 0; !r && i < s->nctrs; i++) {
		struct container *c = s->ctrs[i];
		memset(&rec, 0, sizeof(rec));
		rec.c_parent = i ? ctr_index(s, c->c_parent) : CKPT_NONE;
		rec.c_depth = (uint32_t)(c->c_depth - s->top->c_depth);
		rec.c_last_nr = c->c_last_nr;
		rec.c_init = task_index(s, c->c_init);
		strlcpy(rec.c_name, c->c_name, sizeof(rec.c_name));
		r = ckpt_enc_container(e, &rec);
	}
	return r;
}

/* Registers, and for a task inside a system call the rewind that makes
 * the call run again, with a sleep's remaining time. */
static void save_regs(struct task *t, struct ckpt_task *rec)
{
	struct ckpt_regs *r = &rec->t_regs;

	arch_ckpt_regs_save(t->tk_tf, r);
	if (t->tk_restart.rs_syscall == SYS_sleep) { /* restored, not yet run */
		rec->t_restart_syscall = SYS_sleep;
		rec->t_restart_arg = t->tk_restart.rs_arg;
	}
	if (!t->tk_in_syscall)
		return;
	rec->t_flags |= CKPT_TF_IN_SYSCALL;
	arch_ckpt_regs_restart_syscall(r);
	if (arch_syscall_nr(t->tk_tf) == SYS_sleep) {
		uint64_t now = uptime_ms();
		rec->t_restart_syscall = SYS_sleep;
		rec->t_restart_arg =
		    t->tk_wake_at > now ? (uint32_t)(t->tk_wake_at - now) : 0;
	}
}

/* The TASKS record of task i, whose pages start at record first. */
static int task_record(struct save *s, uint32_t i, uint32_t first)
{
	struct task *t = s->tasks[i];
	struct ckpt_task *rec = s->rec;
	int top = s->top->c_depth, birth = tsk_birth_level(t) - top;

	memset(rec, 0, sizeof(*rec));
	rec->t_ctr = ctr_index(s, t->tk_ctr);
	rec->t_parent = i ? task_index(s, t->tk_parent) : CKPT_NONE;
	rec->t_nlevels = (uint32_t)(tsk_depth(t) - top + 1);
	for (uint32_t l = 0; l < rec->t_nlevels; l++)
		rec->t_nrs[l] = tsk_nr_at(t, top + (int)l);
	rec->t_birth_level = (uint32_t)(birth < 0 ? -1 : birth);
	rec->t_first_page = first;
	strlcpy(rec->t_name, t->tk_name, sizeof(rec->t_name));
	for (int fd = 0; fd < NOFILE; fd++)
		rec->t_fds[fd] =
		    t->tk_files[fd]
			? ckpt_ftab_file_index(&s->ft, t->tk_files[fd]) |
			      (fd_cloexec(t, fd) ? CKPT_FD_CLOEXEC : 0)
			: CKPT_NONE;
	if (t->tk_state == TASK_ZOMBIE) {
		rec->t_state = CKPT_TASK_ZOMBIE;
		rec->t_exit_status = (uint32_t)t->tk_exit_status;
		return 0;
	}
	rec->t_state = t->tk_state == TASK_SLEEPING ? CKPT_TASK_SLEEPING
						    : CKPT_TASK_RUNNABLE;
	save_regs(t, rec);
	if (ckpt_test_bad_image)
		arch_ckpt_regs_spoil(&rec->t_regs); /* restore refuses it */
	if (t->tk_killed) {
		rec->t_flags |= CKPT_TF_KILLED;
		rec->t_killsig = (uint32_t)t->tk_killsig;
	}
	memcpy(rec->t_fpu, t->tk_fpu, sizeof(rec->t_fpu));
	rec->t_brk_start = t->tk_mm->mm_brk_start;
	rec->t_brk = t->tk_mm->mm_brk;
	rec->t_stack_low = t->tk_mm->mm_stack_low;
	rec->t_npages = s->npages[i];
	return ckpt_cwd_path(t, rec->t_cwd) < 0 ? -EBUSY : 0;
}

static int encode_tasks(struct save *s, struct ckpt_enc *e)
{
	uint32_t first = 0;
	int r = 0;

	for (uint32_t i = 0; !r && i < s->ntasks; i++) {
		r = task_record(s, i, first);
		if (!r)
			r = ckpt_enc_task(e, s->rec);
		first += s->npages[i];
	}
	return r;
}

/* One page into the image; then a preemption point: its owner is frozen,
 * so its page tables stay as they are while others run. */
static int page_out(void *arg, uintptr_t va, void *page, uint32_t flags)
{
	int r = ckpt_enc_page(arg, (uint32_t)va, flags & (VM_WRITE | VM_USER),
			      page);

	sched_cond_resched();
	return r;
}

static int encode_pages(struct save *s, struct ckpt_enc *e)
{
	int r = 0;

	for (uint32_t i = 0; !r && i < s->ntasks; i++)
		if (s->npages[i])
			r = vm_walk(s->tasks[i]->tk_mm->mm_pgdir, page_out, e);
	return r;
}

bool ckpt_test_bad_image;

/* The codec's source: copyin from the user buffer at the image offset. */
static int src_copyin(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	return copyin(buf, UPTR_ADD(*(uptr_t *)ctx, off), len);
}

/* Migration ends the tree, so the image must be one restore accepts: it
 * goes through restore's validator first.  0, or the refusal, with a
 * console line. */
static int check_image(struct save *s, uptr_t buf, uint32_t len)
{
	struct ckpt_source src = {src_copyin, &buf, len};
	struct ckpt_layout lay;
	void *scratch = NULL;
	int r = ckpt_validate(&src, &lay, s->page, &scratch, true);

	kfree(scratch);
	if (r)
		printk("checkpoint: container %s keeps running: restore would "
		       "refuse its image: %s\n",
		       s->top->c_name, lay.why[0] ? lay.why : "no memory");
	return r;
}

/* The codec's sink: copyout into the user buffer at the image offset. */
static int sink_copyout(void *ctx, uint32_t off, const void *buf, uint32_t len)
{
	return copyout(UPTR_ADD(*(uptr_t *)ctx, off), buf, len);
}

/* Writes the whole image: its size or an error. */
static int encode(struct save *s, uptr_t buf)
{
	uint32_t count[CKPT_NSECT + 1] = {0};
	struct ckpt_enc e;

	count[CKPT_SEC_CONTAINERS] = s->nctrs;
	count[CKPT_SEC_TASKS] = s->ntasks;
	count[CKPT_SEC_FILES] = s->ft.ft_nfiles;
	count[CKPT_SEC_PIPES] = s->ft.ft_npipes;
	count[CKPT_SEC_PAGES] = s->total_pages;
	int r = ckpt_enc_begin(&e, sink_copyout, &buf, count);
	if (!r)
		r = encode_ctrs(s, &e);
	if (!r)
		r = encode_tasks(s, &e);
	if (!r)
		r = ckpt_ftab_encode(&s->ft, &e, s->page);
	if (!r)
		r = encode_pages(s, &e);
	int64_t len = r ? r : ckpt_enc_end(&e);
	return (int)len;
}

/* The size the image will have, or -ENOMEM if it cannot be represented. */
static int image_size(const struct save *s)
{
	uint32_t count[CKPT_NSECT + 1] = {0,
					  s->nctrs,
					  s->ntasks,
					  s->ft.ft_nfiles,
					  s->ft.ft_npipes,
					  s->total_pages};
	struct ckpt_layout lay;

	if (ckpt_layout_plan(&lay, count) || lay.total_len > 0x7fffffffu)
		return -ENOMEM;
	return (int)lay.total_len;
}

/* Migration: the tree ends; its parent sees the init killed by
 * CKPT_MIGRATED_SIG; the kernel reaps the members as for any dead init. */
static void end_tree(struct save *s)
{
	ctr_kill_members(s->top);
	sched_kill(s->top->c_init, CKPT_MIGRATED_SIG);
}

/* Migration, after the image of len bytes was written: the tree ends only
 * if restore would accept the image.  len, or the refusal. */
static int migrate(struct save *s, uptr_t buf, int len)
{
	int err = check_image(s, buf, (uint32_t)len);

	if (err)
		return err;
	end_tree(s);
	return len;
}

/*
 * The final incremental round: the round (every page, data for those
 * written since the round before), then at its end a version 1 image of
 * the tree with no pages, the rest of the state.  Unless CKPT_KEEP, the
 * tree then ends, once that image passed restore's validator.  The total
 * length, or an error.
 */
static int final_round(struct save *s, uptr_t buf, uint32_t len, uint32_t flags)
{
	int state = image_size(s); /* s->npages are all 0: no pages */

	if (state < 0)
		return state;
	int rl = ckpt_incr_round(s->top, s->tasks, s->ntasks, buf, len, flags,
				 (uint32_t)state);
	if (rl <= 0 || len == 0)
		return rl <= 0 ? rl : rl + state;
	uptr_t rest = UPTR_ADD(buf, (uint32_t)rl);
	int r = encode(s, rest);
	if (r > 0 && !(flags & CKPT_KEEP))
		r = migrate(s, rest, r);
	return r < 0 ? r : rl + r;
}

static void save_free(struct save *s)
{
	ckpt_ftab_free(&s->ft);
	kfree(s->ctrs);
	kfree(s->tasks);
	kfree(s->npages);
	kfree(s->rec);
	if (s->page)
		page_free(s->page);
}

int do_checkpoint(const char *name, uptr_t buf, uint32_t len, uint32_t flags)
{
	struct save s;
	int r;

	memset(&s, 0, sizeof(s));
	uint32_t incr =
	    flags & (CKPT_INCR_FIRST | CKPT_INCR_NEXT | CKPT_INCR_FINAL);
	if (flags & ~(uint32_t)(CKPT_KEEP | incr) || (incr & (incr - 1)))
		return -EINVAL; /* unknown flags, or two kinds of round */
	r = uaccess_check(buf, len, true); /* the whole buffer, up front */
	if (r)
		return r;
	r = ckpt_lock();
	if (r)
		return r;
	s.rec = kmalloc(sizeof(*s.rec));
	s.page = page_alloc();
	r = s.rec && s.page ? collect(&s, name) : -ENOMEM;
	if (r)
		goto out_thaw;
	if (flags & (CKPT_INCR_FIRST | CKPT_INCR_NEXT)) {
		r = ckpt_incr_round(s.top, s.tasks, s.ntasks, buf, len, flags,
				    0);
		goto out_thaw;
	}

	r = ckpt_ftab_build(&s.ft, s.tasks, s.ntasks);
	if (!r)
		r = ckpt_ftab_check(&s.ft, s.tasks, s.ntasks, s.top);
	if (r)
		goto out_thaw;
	if (flags & CKPT_INCR_FINAL) {
		r = final_round(&s, buf, len, flags);
		goto out_thaw;
	}
	count_pages(&s);
	r = image_size(&s);
	if (r < 0 || len == 0)
		goto out_thaw;
	if (len < (uint32_t)r) {
		r = -ERANGE;
		goto out_thaw;
	}
	r = encode(&s, buf);
	if (r > 0 && !(flags & CKPT_KEEP))
		r = migrate(&s, buf, r);
out_thaw:
	ckpt_unlock();
	save_free(&s);
	return r;
}
