/*
 * restore(): bring a checkpointed container tree back to life as a child of
 * the caller's container.  Check, then commit, in four stages:
 *
 *  1. validate: the codec checks the whole image (ENOEXEC, EINVAL), and a
 *     refusal is one console line with its reason;
 *  2. check resources: depth, names, pidspaces (also whether they can hold
 *     the image's numbers), the caps on tasks, nested containers and pages
 *     (of the caller's container and those above it, and of the restored
 *     top), memory (EAGAIN, EEXIST, ENOSPC,
 *     ENOMEM) -- still nothing changed;
 *  3. build: containers (ctr_new), tasks (task_alloc, pid_attach_fixed with
 *     the image's numbers inside the tree and fresh ones above it, address
 *     spaces page by page, registers, FPU), pipes and files, descriptors and
 *     working directories.  Nothing built is visible yet: the tasks are not
 *     on the task list or a run queue and no container has an init.  Any
 *     error unwinds everything built so far (unwind()).
 *  4. commit, which cannot fail: container inits and counters, family links
 *     (the top init becomes the caller's child), the task list, zombies,
 *     run queues.
 *
 * Reading the image is a preemption point (sched_cond_resched in
 * src_copyin): the CRC pass, the validator and the page copies give the CPU
 * away when another task is due.  Meanwhile the containers built so far
 * hold their names and pidspaces (ctr_new puts them on the list, without an
 * init, so nobody can enter or checkpoint them), the built tasks are on no
 * list, and memory others take makes a page_alloc fail (ENOMEM, unwound).
 * What stage 2 checked that others can change -- the caller's container
 * dying or filling up to its task cap, the caller being killed -- is
 * checked again just before commit (recheck()).
 *
 * The image stays in the caller's memory and is read record by record with
 * copyin; the caller is inside this system call and no other task can
 * write its memory (no threads, no shared pages), so the bytes built from
 * are the bytes validated.  The decoder also re-terminates every string.
 */
#include <kern/ckpt.h>
#include <kern/container.h>
#include <kern/ctrname.h>
#include <kern/pid.h>
#include <kern/proc.h>
#include <kern/sched.h>
#include <kern/mm.h>
#include <kern/arch.h>
#include <kern/file.h>
#include <kern/vfs.h>
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>
#include <stdarg.h>

struct rst {
	struct ckpt_source src;
	bool own; /* the CRC was checked already (a staged restore) */
	struct ckpt_layout lay;
	struct container *parent; /* the caller's container */
	const char *newname;	  /* for the top container, or NULL */
	void *scratch;		  /* the validator's */
	void *page;		  /* I/O and pipe data */
	struct ckpt_task *rec;	  /* one task record */
	struct ckpt_file *frec;	  /* one file record */
	/* what has been built, by image index */
	struct container **ctrs;
	uint32_t nctrs;
	struct task **tasks;
	uint32_t ntasks;
	struct task **holder; /* per file: the first task holding it */
	struct ckpt_rfiles rf;
	/* what commit needs, gathered while building */
	uint32_t *ctr_init, *ctr_last_nr, *task_parent;
	uint8_t *task_zombie;
};

/* The codec's source: copyin from the user buffer at the image offset. */
static int src_copyin(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	sched_cond_resched(); /* nothing half made: see the top of the file */
	return copyin(buf, UPTR_ADD(*(uptr_t *)ctx, off), len);
}

int ckpt_validate(const struct ckpt_source *src, struct ckpt_layout *lay,
		  void *page, void **scratch, bool own)
{
	static const uint32_t max_tasks = 65536;
	struct ckpt_limits lim = {
	    .pid_max = pid_max(),
	    .max_ctrs = PIDSPACE_MAX,
	    .max_tasks = max_tasks,
	    .max_pages = 1u << 20, /* memory is checked later: ENOMEM */
	    .max_depth = CTR_DEPTH_MAX - 1,
	    .skip_crc = own,
	};
	int err = ckpt_check_header(src, &lim, lay);

	if (err)
		return err;
	*scratch = kmalloc(ckpt_scratch_size(lay) + 4);
	if (!*scratch)
		return -ENOMEM;
	return ckpt_check_body(src, &lim, lay, *scratch, page);
}

/* Stage 1: the whole image, through the codec; a refusal is one console
 * line with the validator's reason. */
static int validate(struct rst *r)
{
	int err = ckpt_validate(&r->src, &r->lay, r->page, &r->scratch, r->own);

	if ((err == -EINVAL || err == -ENOEXEC) && r->lay.why[0])
		printk("restore: %s (%s)\n", r->lay.why,
		       err == -EINVAL ? "EINVAL" : "ENOEXEC");
	return err;
}

/* Can the pidspaces restore is about to take hand out the image's
 * numbers?  Pidspace 511 stops short of the top ones (kernel/ctr/pid.c). */
static bool pidspaces_fit(const struct rst *r)
{
	return r->lay.max_nr <= pid_space_max(PIDSPACE_MAX) ||
	       !ctr_pidspace_among_next(PIDSPACE_MAX,
					(int)r->lay.count[CKPT_SEC_CONTAINERS]);
}

/* The name container i of the image gets. */
static const char *ctr_name(const struct rst *r, uint32_t i,
			    const struct ckpt_container *c)
{
	return i == 0 && r->newname ? r->newname : c->c_name;
}

/* Refuses the restore: one console line "restore: <why> (<name>)", and err. */
static int __printf(3, 4)
    refuse(int err, const char *name, const char *fmt, ...)
{
	va_list ap;

	printk("restore: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk(" (%s)\n", name);
	return err;
}

/* Is every container name the restored tree would take free?  0 or
 * -EEXIST, said on the console. */
static int check_names(struct rst *r)
{
	uint32_t nc = r->lay.count[CKPT_SEC_CONTAINERS];
	struct ckpt_container c;
	const char *name;
	int err;

	for (uint32_t i = 0; i < nc; i++) {
		err = ckpt_read_rec(&r->src, &r->lay, CKPT_SEC_CONTAINERS, i,
				    &c, false);
		if (err)
			return err;
		name = ctr_name(r, i, &c);
		if (ctr_find_by_name(name))
			return refuse(-EEXIST, "EEXIST",
				      "container name '%s' is in use", name);
		if (i > 0 && r->newname && strcmp(r->newname, c.c_name) == 0)
			return refuse(-EEXIST, "EEXIST",
				      "container name '%s' is also a nested "
				      "container's",
				      name);
	}
	return 0;
}

/* Are there enough free pages for what building allocates: pages, kernel
 * stacks, page directories and tables, pipe buffers?  0 or -ENOMEM. */
static int check_memory(struct rst *r)
{
	uint32_t nt = r->lay.count[CKPT_SEC_TASKS];
	size_t need = (size_t)r->lay.count[CKPT_SEC_PAGES] * 1025 / 1024 +
		      nt * (KSTACK_SIZE / PAGE_SIZE + 3) +
		      r->lay.count[CKPT_SEC_PIPES] + 16;
	size_t have = pmm_free_pages();

	if (need > have)
		return refuse(-ENOMEM, "ENOMEM",
			      "needs %u free pages, %u are free",
			      (unsigned)need, (unsigned)have);
	return 0;
}

/* Stage 2: everything that could make building fail, checked first; each
 * refusal is one console line with its reason. */
static int check_resources(struct rst *r)
{
	uint32_t nc = r->lay.count[CKPT_SEC_CONTAINERS];
	uint32_t nt = r->lay.count[CKPT_SEC_TASKS];
	uint32_t np = r->lay.count[CKPT_SEC_PAGES];
	int err;

	if (r->parent->c_dying)
		return refuse(-EAGAIN, "EAGAIN", "container '%s' is ending",
			      r->parent->c_name);
	if (r->parent->c_depth + 1 + (int)r->lay.max_depth > CTR_DEPTH_MAX)
		return refuse(
		    -EAGAIN, "EAGAIN",
		    "the tree would nest %u deep, more than %u",
		    (unsigned)(r->parent->c_depth + 1 + r->lay.max_depth),
		    (unsigned)CTR_DEPTH_MAX);
	err = check_names(r);
	if (err)
		return err;
	if ((uint32_t)ctr_pidspaces_free() < nc)
		return refuse(-ENOSPC, "ENOSPC",
			      "%u containers need pidspaces, %u are free", nc,
			      (unsigned)ctr_pidspaces_free());
	if (!pidspaces_fit(r))
		return refuse(-ENOSPC, "ENOSPC",
			      "number %u does not fit pidspace %u, one of "
			      "those restore would take",
			      r->lay.max_nr, (unsigned)PIDSPACE_MAX);
	/* the caps of the caller's container and above, and of the top */
	err = ctr_room_for_tree(r->parent, (int)nc, (int)nt, np,
				r->lay.count[CKPT_SEC_PIPES]);
	if (err)
		return refuse(err, err == -ENOMEM ? "ENOMEM" : "EAGAIN",
			      "%u containers, %u tasks and %u pages are over "
			      "a container cap",
			      nc, nt, np);
	return check_memory(r);
}

/* The arrays that track what is built. */
static int alloc_tables(struct rst *r)
{
	uint32_t nc = r->lay.count[CKPT_SEC_CONTAINERS];
	uint32_t nt = r->lay.count[CKPT_SEC_TASKS];
	uint32_t nf = r->lay.count[CKPT_SEC_FILES];

	r->ctrs = kzalloc(nc * sizeof(*r->ctrs));
	r->tasks = kzalloc(nt * sizeof(*r->tasks));
	r->holder = kzalloc((nf ? nf : 1) * sizeof(*r->holder));
	r->ctr_init = kmalloc(nc * 4);
	r->ctr_last_nr = kmalloc(nc * 4);
	r->task_parent = kmalloc(nt * 4);
	r->task_zombie = kzalloc(nt);
	r->rec = kmalloc(sizeof(*r->rec));
	r->frec = kmalloc(sizeof(*r->frec));
	bool ok = r->ctrs && r->tasks && r->holder && r->ctr_init &&
		  r->ctr_last_nr && r->task_parent && r->task_zombie &&
		  r->rec && r->frec;
	return ok ? 0 : -ENOMEM;
}

/* Stage 3a: the containers, parents first. */
static int build_ctrs(struct rst *r)
{
	struct ckpt_container c;

	for (uint32_t i = 0; i < r->lay.count[CKPT_SEC_CONTAINERS]; i++) {
		int err = ckpt_read_rec(&r->src, &r->lay, CKPT_SEC_CONTAINERS,
					i, &c, false);
		if (err)
			return err;
		struct container *parent = i ? r->ctrs[c.c_parent] : r->parent;
		err = ctr_new(parent, ctr_name(r, i, &c), &r->ctrs[i]);
		if (err)
			return err;
		r->nctrs++;
		r->ctr_init[i] = c.c_init;
		r->ctr_last_nr[i] = c.c_last_nr;
	}
	return 0;
}

/* Maps the task's pages, read from the image straight into new pages. */
static int build_pages(struct rst *r, struct mm *mm,
		       const struct ckpt_task *rec)
{
	for (uint32_t p = rec->t_first_page;
	     p < rec->t_first_page + rec->t_npages; p++) {
		uint32_t w[CKPT_PAGE_WORDS];
		int err =
		    ckpt_read_rec(&r->src, &r->lay, CKPT_SEC_PAGES, p, w, true);
		if (err)
			return err;
		void *page = page_alloc();
		if (!page)
			return -ENOMEM;
		err = ckpt_read_data(&r->src, &r->lay, CKPT_SEC_PAGES, p, page);
		if (!err)
			err = mm_map_page(mm, w[0], page, w[1] | VM_USER);
		if (err) {
			page_free(page);
			return err;
		}
	}
	return 0;
}

/* Registers, FPU state, pending kill and restart info of a live task. */
static void build_cpu(struct task *t, const struct ckpt_task *rec)
{
	arch_ckpt_regs_load(t->tk_tf, &rec->t_regs); /* validated */
	arch_fpu_import(t->tk_fpu, rec->t_fpu);
	if (rec->t_flags & CKPT_TF_KILLED) {
		t->tk_killed = true;
		t->tk_killsig = (int)rec->t_killsig;
	}
	t->tk_restart.rs_syscall = (int)rec->t_restart_syscall;
	t->tk_restart.rs_arg = rec->t_restart_arg;
}

/* Stage 3b: task i with its numbers, memory and registers. */
static int build_task(struct rst *r, uint32_t i)
{
	struct ckpt_task *rec = r->rec;
	int err =
	    ckpt_read_rec(&r->src, &r->lay, CKPT_SEC_TASKS, i, rec, false);
	if (err)
		return err;
	struct task *t = task_alloc(rec->t_name);
	if (!t)
		return -ENOMEM;
	r->tasks[r->ntasks++] = t;
	struct container *c = r->ctrs[rec->t_ctr];
	int32_t birth = (int32_t)rec->t_birth_level;
	int top = r->parent->c_depth + 1;
	err = pid_attach_fixed(t, c, rec->t_nrs, (int)rec->t_nlevels,
			       birth < 0 ? r->parent->c_depth : top + birth);
	if (err)
		return err;
	r->task_parent[i] = rec->t_parent;
	for (int fd = 0; fd < NOFILE; fd++)
		if (rec->t_fds[fd] != CKPT_NONE &&
		    !r->holder[CKPT_FD_FILE(rec->t_fds[fd])])
			r->holder[CKPT_FD_FILE(rec->t_fds[fd])] = t;
	if (rec->t_state == CKPT_TASK_ZOMBIE) {
		r->task_zombie[i] = 1;
		t->tk_exit_status = (int)rec->t_exit_status;
		return 0;
	}
	t->tk_mm = mm_new(c);
	if (!t->tk_mm)
		return -ENOMEM;
	t->tk_mm->mm_brk_start = rec->t_brk_start;
	t->tk_mm->mm_brk = rec->t_brk;
	t->tk_mm->mm_stack_low = rec->t_stack_low;
	build_cpu(t, rec);
	return build_pages(r, t->tk_mm, rec);
}

/* Stage 3d: descriptors and working directory of task i. */
static int build_fds(struct rst *r, uint32_t i)
{
	struct ckpt_task *rec = r->rec;
	struct task *t = r->tasks[i];
	int err =
	    ckpt_read_rec(&r->src, &r->lay, CKPT_SEC_TASKS, i, rec, false);

	if (err || r->task_zombie[i])
		return err;
	for (int fd = 0; fd < NOFILE; fd++) {
		uint32_t v = rec->t_fds[fd];
		if (v == CKPT_NONE)
			continue;
		fd_install(t, fd, file_get(r->rf.rf_files[CKPT_FD_FILE(v)]));
		fd_set_cloexec(t, fd, v & CKPT_FD_CLOEXEC);
	}
	return vfs_chdir(t, rec->t_cwd); /* resolved as t sees it */
}

static int build(struct rst *r)
{
	uint32_t nt = r->lay.count[CKPT_SEC_TASKS];
	int err = alloc_tables(r);

	if (!err)
		err = build_ctrs(r);
	for (uint32_t i = 0; !err && i < nt; i++)
		err = build_task(r, i);
	if (!err)
		err = ckpt_rfiles_build(&r->rf, &r->src, &r->lay, r->holder,
					r->frec, r->page);
	for (uint32_t i = 0; !err && i < nt; i++)
		err = build_fds(r, i);
	return err;
}

/* What may have changed while building gave the CPU away: -EINTR if the
 * caller was killed, -EAGAIN if its container is dying or over its task
 * cap now that the built tasks count in it. */
static int recheck(const struct rst *r)
{
	if (current->tk_killed)
		return -EINTR;
	if (!ctr_has_room(r->parent, 0))
		return refuse(-EAGAIN, "EAGAIN",
			      "container '%s' ended or reached its task cap "
			      "during restore",
			      r->parent->c_name);
	return 0;
}

/* Stage 4: makes the built tree live.  Cannot fail. */
static void commit(struct rst *r)
{
	for (uint32_t i = 0; i < r->nctrs; i++) {
		r->ctrs[i]->c_init = r->tasks[r->ctr_init[i]];
		r->ctrs[i]->c_last_nr = r->ctr_last_nr[i];
		ctr_put_new(r->ctrs[i]); /* its init's number holds it */
	}
	/* Children in reverse, each put at the head of its parent's list:
	 * the lists come out in the order they were saved in. */
	for (uint32_t i = r->ntasks; i-- > 1;)
		task_adopt(r->tasks[r->task_parent[i]], r->tasks[i]);
	task_adopt(current, r->tasks[0]);
	for (uint32_t i = r->ntasks; i-- > 0;) {
		task_link(r->tasks[i]);
		if (r->task_zombie[i])
			r->tasks[i]->tk_state = TASK_ZOMBIE;
		else
			sched_make_runnable(r->tasks[i]);
	}
}

/* Undoes a partial build: no task, container, name, pidspace, file or page
 * is left. */
static void unwind(struct rst *r)
{
	/* Containers no task got a number in go now (nested ones first); the
	 * others when their last task's numbers are detached below. */
	for (uint32_t i = r->nctrs; i-- > 0;)
		ctr_put_new(r->ctrs[i]);
	for (uint32_t i = r->ntasks; i-- > 0;) {
		struct task *t = r->tasks[i];
		fs_task_exit(t);
		mm_free(t->tk_mm);
		t->tk_mm = NULL;
		task_release(t);
	}
}

static void rst_free(struct rst *r)
{
	ckpt_rfiles_free(&r->rf);
	kfree(r->scratch);
	kfree(r->ctrs);
	kfree(r->tasks);
	kfree(r->holder);
	kfree(r->ctr_init);
	kfree(r->ctr_last_nr);
	kfree(r->task_parent);
	kfree(r->task_zombie);
	kfree(r->rec);
	kfree(r->frec);
	if (r->page)
		page_free(r->page);
}

int do_restore(uptr_t buf, uint32_t len, const char *newname, uint32_t flags)
{
	uint32_t staged = flags & (RESTORE_STAGE | RESTORE_COMMIT);
	int err = 0;

	if (flags & ~staged || staged == (RESTORE_STAGE | RESTORE_COMMIT) ||
	    (newname && !ctr_name_ok(newname, strlen(newname))))
		err = -EINVAL;
	if (!err)
		err = uaccess_check(buf, len, false); /* the whole buffer */
	if (!err && staged)
		return flags & RESTORE_STAGE
			   ? ckpt_stage_round(buf, len)
			   : ckpt_stage_commit(buf, len, newname);
	if (err) {
		if (staged)
			ckpt_stage_drop(current);
		return err;
	}
	struct ckpt_source src = {src_copyin, &buf, len};
	return ckpt_restore_src(&src, newname, false);
}

int ckpt_restore_src(const struct ckpt_source *src, const char *newname,
		     bool own)
{
	struct rst r;
	int err;

	memset(&r, 0, sizeof(r));
	r.src = *src;
	r.own = own;
	r.parent = current->tk_ctr;
	r.newname = newname;
	r.page = page_alloc();
	if (!r.page)
		return -ENOMEM;
	err = validate(&r);
	if (err)
		goto out_free;
	err = check_resources(&r);
	if (err)
		goto out_free;
	err = build(&r);
	if (err)
		goto out_built;
	err = recheck(&r);
	if (err)
		goto out_built;
	commit(&r);
	err = (int)tsk_vpid_ctx(r.tasks[0], r.parent);
	goto out_free;
out_built:
	ckpt_rfiles_free(&r.rf); /* before the tasks' references */
	unwind(&r);
out_free:
	rst_free(&r);
	return err;
}
