/*
 * Staged restore: the receiving half of a pre-copy migration.
 *
 * restore(buf, len, NULL, RESTORE_STAGE) takes one first or next round
 * (format version 2): it is validated whole (ckpt_round_check) and its
 * pages are copied into kernel pages in the caller's staging area, a table
 * sorted by (task index, address); a later round's copy of a page replaces
 * the earlier one.  Nothing is live: no task, container or mapping exists.
 * restore(buf, len, newname, RESTORE_COMMIT) takes the final round and the
 * version 1 state image after it: the final round is validated and tied to
 * the staged ones (same migration id, next round number, same task count),
 * its page list is resolved -- new data, a zero page, or a kept page that
 * must be staged -- and restore's usual check-then-commit then runs over a
 * version 1 image assembled on the fly (struct virt): the state image's
 * bytes with each task's page range filled in, and the page list as its
 * PAGES section.  Pieces were CRC-checked one by one (the rounds and the
 * state image), so the assembled image skips that one check and gets every
 * other.
 *
 * Any error at any round drops the whole staging area; so does the commit,
 * whatever its outcome, and so does the owner's exit (do_exit), so a
 * receiver that dies leaves nothing behind.  Staged pages count as used
 * memory (PagesFree) while they are held.
 */
#include <kern/ckpt.h>
#include <kern/task.h>
#include <kern/sched.h>
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>

struct sent { /* one staged page */
	uint32_t task, va, flags;
	void *page; /* NULL: all zeros */
};

struct ckpt_stage {
	uint32_t id, round, ntasks;
	struct sent *ent; /* sorted by (task, va) */
	uint32_t n, cap;
};

/* The codec's source: copyin from the user buffer at the image offset. */
static int stage_copyin(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	sched_cond_resched();
	return copyin(buf, UPTR_ADD(*(uptr_t *)ctx, off), len);
}

void ckpt_stage_drop(struct task *t)
{
	struct ckpt_stage *st = t->tk_stage;

	if (!st)
		return;
	for (uint32_t i = 0; i < st->n; i++)
		if (st->ent[i].page)
			page_free(st->ent[i].page);
	kfree(st->ent);
	kfree(st);
	t->tk_stage = NULL;
}

/* Index of (task, va) in st, or where it would go (*found false). */
static uint32_t stage_find(const struct ckpt_stage *st, uint32_t task,
			   uint32_t va, bool *found)
{
	uint64_t key = ((uint64_t)task << 32) | va;
	uint32_t lo = 0, hi = st->n;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		uint64_t k =
		    ((uint64_t)st->ent[mid].task << 32) | st->ent[mid].va;
		if (k < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < st->n && st->ent[lo].task == task && st->ent[lo].va == va;
	return lo;
}

/* Makes room for one more entry at index at: 0 or -ENOMEM. */
static int stage_insert(struct ckpt_stage *st, uint32_t at)
{
	if (st->n == st->cap) {
		uint32_t cap = st->cap ? st->cap * 2 : 64;
		struct sent *e = kmalloc(cap * sizeof(*e));
		if (!e)
			return -ENOMEM;
		memcpy(e, st->ent, st->n * sizeof(*e));
		kfree(st->ent);
		st->ent = e;
		st->cap = cap;
	}
	memmove(&st->ent[at + 1], &st->ent[at],
		(st->n - at) * sizeof(*st->ent));
	memset(&st->ent[at], 0, sizeof(*st->ent));
	st->n++;
	return 0;
}

/* Stores page record p (its data in data, unless a zero page). */
static int stage_page(struct ckpt_stage *st, const struct ckpt_rpage *p,
		      const void *data)
{
	bool found;
	uint32_t at = stage_find(st, p->p_task, p->p_va, &found);

	if (!found) {
		int r = stage_insert(st, at);
		if (r)
			return r;
		st->ent[at].task = p->p_task;
		st->ent[at].va = p->p_va;
	}
	struct sent *e = &st->ent[at];
	e->flags = p->p_flags & (CKPT_PG_WRITE | CKPT_PG_USER);
	if (p->p_flags & CKPT_PG_ZERO) {
		if (e->page)
			page_free(e->page);
		e->page = NULL;
		return 0;
	}
	if (!e->page && !(e->page = page_alloc()))
		return -ENOMEM;
	memcpy(e->page, data, CKPT_PAGE_SIZE);
	return 0;
}

/* Validates a round; a refusal is one console line.  0 or an error. */
static int check_round(const struct ckpt_source *src, struct ckpt_round *rd,
		       void *io)
{
	struct ckpt_layout lay;
	int err = ckpt_round_check(src, rd, &lay, io);

	if ((err == -EINVAL || err == -ENOEXEC) && lay.why[0])
		printk("restore: round: %s (%s)\n", lay.why,
		       err == -EINVAL ? "EINVAL" : "ENOEXEC");
	return err;
}

/* Does round rd follow what st holds (st NULL: nothing staged)? */
static bool follows(const struct ckpt_stage *st, const struct ckpt_round *rd)
{
	if (rd->r_kind == CKPT_ROUND_FIRST)
		return true; /* starts over */
	return st && rd->r_id == st->id && rd->r_round == st->round + 1 &&
	       rd->r_ntasks == st->ntasks;
}

/* Stages round src (already validated as rd) into current's area. */
static int stage_all(const struct ckpt_source *src, const struct ckpt_round *rd,
		     void *io)
{
	struct ckpt_stage *st = current->tk_stage;
	uint32_t off = CKPT_ROUND_HDR_SIZE;
	struct ckpt_rpage p;
	int err = 0;

	if (!st) {
		st = current->tk_stage = kzalloc(sizeof(*st));
		if (!st)
			return -ENOMEM;
		st->id = rd->r_id;
		st->ntasks = rd->r_ntasks;
	}
	st->round = rd->r_round;
	for (uint32_t k = 0; !err && k < rd->r_npages; k++) {
		err = ckpt_round_page(src, &off, &p, io);
		if (!err)
			err = stage_page(st, &p, io);
	}
	return err;
}

int ckpt_stage_round(uptr_t buf, uint32_t len)
{
	struct ckpt_source src = {stage_copyin, &buf, len};
	struct ckpt_round rd;
	void *io = page_alloc();
	int err = io ? check_round(&src, &rd, io) : -ENOMEM;

	if (!err && (rd.r_kind == CKPT_ROUND_FINAL ||
		     !follows(current->tk_stage, &rd))) {
		printk("restore: round %u of migration %u does not follow the "
		       "staged ones (EINVAL)\n",
		       rd.r_round, rd.r_id);
		err = -EINVAL;
	}
	if (!err && rd.r_kind == CKPT_ROUND_FIRST)
		ckpt_stage_drop(current); /* a new migration */
	if (!err)
		err = stage_all(&src, &rd, io);
	if (io)
		page_free(io);
	if (err)
		ckpt_stage_drop(current);
	return err;
}

/* ---- the final round: an assembled version 1 image ----------------------- */

struct fpage { /* one page of the final list */
	uint32_t va, flags;
	const void *data; /* NULL: all zeros */
	bool owned;	  /* data is a page of the final round's, ours */
};

struct virt {
	struct ckpt_source state; /* the state image, in the user buffer */
	uptr_t sbuf;		  /* where it starts there */
	struct ckpt_layout lay;	  /* of the assembled image */
	uint8_t hdr[CKPT_HDR_SIZE];
	struct fpage *pg;
	uint32_t npg, ntasks;
	uint32_t *range; /* per task: first page record, count */
};

/* Copies the bytes of [soff, soff + slen) that fall in [off, off + n)
 * from src into out (out holds [off, off + n)). */
static void overlay(uint8_t *out, uint32_t off, uint32_t n, const void *src,
		    uint32_t soff, uint32_t slen)
{
	uint32_t lo = MAX(off, soff), hi = MIN(off + n, soff + slen);

	if (lo < hi)
		memcpy(out + (lo - off), (const uint8_t *)src + (lo - soff),
		       hi - lo);
}

/* Sets each task's t_first_page and t_npages in the bytes just read. */
static void patch_tasks(const struct virt *v, uint32_t off, uint8_t *out,
			uint32_t n)
{
	uint32_t base = v->lay.off[CKPT_SEC_TASKS];
	uint32_t fo = (uint32_t)offsetof(struct ckpt_task, t_first_page);

	for (uint32_t i = 0; i < v->ntasks; i++) {
		uint32_t at = base + i * CKPT_TASK_SIZE + fo;
		if (at >= off + n)
			break;
		overlay(out, off, n, &v->range[2 * i], at, 8);
	}
}

/* Bytes [w, w + n) of PAGES record i. */
static void page_part(const struct virt *v, uint32_t i, uint32_t w,
		      uint8_t *out, uint32_t n)
{
	static const uint8_t zero[CKPT_PAGE_SIZE];
	const struct fpage *p = &v->pg[i];
	uint32_t words[2] = {p->va, p->flags};

	overlay(out, w, n, words, 0, 8);
	overlay(out, w, n, p->data ? p->data : zero, 8, CKPT_PAGE_SIZE);
}

/* The assembled image's source: header, the state's records, pages. */
static int virt_read(void *ctx, uint32_t off, void *buf, uint32_t len)
{
	const struct virt *v = ctx;
	uint32_t po = v->lay.off[CKPT_SEC_PAGES];
	uint8_t *out = buf;

	while (len) {
		uint32_t n;
		if (off < CKPT_HDR_SIZE) {
			n = MIN(len, CKPT_HDR_SIZE - off);
			memcpy(out, v->hdr + off, n);
		} else if (off < po) {
			n = MIN(len, po - off);
			int r = v->state.read(v->state.ctx, off, out, n);
			if (r)
				return r;
			patch_tasks(v, off, out, n);
		} else {
			uint32_t i = (off - po) / CKPT_PAGE_REC_SIZE;
			uint32_t w = (off - po) % CKPT_PAGE_REC_SIZE;
			n = MIN(len, CKPT_PAGE_REC_SIZE - w);
			page_part(v, i, w, out, n);
		}
		off += n, out += n, len -= n;
	}
	return 0;
}

/* One final page record p (its data read into a new page if it has any):
 * into v->pg[k]; a kept page must be staged. */
static int final_page(struct virt *v, const struct ckpt_stage *st,
		      const struct ckpt_source *src, uint32_t *off, uint32_t k)
{
	struct ckpt_rpage p;
	struct fpage *f = &v->pg[k];
	int err = ckpt_round_page(src, off, &p, NULL);
	bool found;

	if (err)
		return err;
	f->va = p.p_va;
	f->flags = p.p_flags & (CKPT_PG_WRITE | CKPT_PG_USER);
	v->range[2 * p.p_task + 1]++;
	if (p.p_flags & CKPT_PG_KEPT) {
		uint32_t at = stage_find(st, p.p_task, p.p_va, &found);
		if (!found) {
			printk("restore: final round keeps page 0x%x of task "
			       "%u, which no round carried (EINVAL)\n",
			       p.p_va, p.p_task);
			return -EINVAL;
		}
		f->data = st->ent[at].page;
		return 0;
	}
	if (p.p_flags & CKPT_PG_ZERO)
		return 0;
	void *page = page_alloc();
	if (!page)
		return -ENOMEM;
	f->data = page, f->owned = true;
	return src->read(src->ctx, *off - CKPT_PAGE_SIZE, page, CKPT_PAGE_SIZE);
}

/* The final round's page list into v (rd: its validated record). */
static int final_pages(struct virt *v, const struct ckpt_stage *st,
		       const struct ckpt_source *src,
		       const struct ckpt_round *rd)
{
	uint32_t off = CKPT_ROUND_HDR_SIZE, first = 0;
	int err = 0;

	v->ntasks = rd->r_ntasks;
	v->pg = kzalloc(MAX(rd->r_npages, 1u) * sizeof(*v->pg));
	v->range = kzalloc(rd->r_ntasks * 2 * sizeof(*v->range));
	if (!v->pg || !v->range)
		return -ENOMEM;
	for (; !err && v->npg < rd->r_npages; v->npg++)
		err = final_page(v, st, src, &off, v->npg);
	for (uint32_t i = 0; i < v->ntasks; i++) {
		v->range[2 * i] = first;
		first += v->range[2 * i + 1];
	}
	return err;
}

/* The assembled image's layout and header: the state's sections, whose
 * offsets must be those of the same counts with the final pages added.
 * 0 or -EINVAL. */
static int virt_layout(struct virt *v, const struct ckpt_layout *slay)
{
	uint32_t count[CKPT_NSECT + 1], *w = (uint32_t *)v->hdr;

	memcpy(count, slay->count, sizeof(count));
	count[CKPT_SEC_PAGES] = v->npg;
	if (slay->count[CKPT_SEC_PAGES] || count[CKPT_SEC_TASKS] != v->ntasks ||
	    ckpt_layout_plan(&v->lay, count) || v->lay.total_len > 0x7fffffffu)
		return -EINVAL;
	for (uint32_t s = 1; s < CKPT_SEC_PAGES; s++)
		if (v->lay.off[s] != slay->off[s])
			return -EINVAL;
	w[0] = CKPT_MAGIC0, w[1] = CKPT_MAGIC1, w[2] = CKPT_VERSION;
	w[3] = CKPT_HDR_SIZE, w[4] = v->lay.total_len, w[5] = 0;
	w[6] = CKPT_NSECT, w[7] = 0;
	for (uint32_t s = 1; s <= CKPT_NSECT; s++) {
		uint32_t *e = &w[CKPT_HDR_WORDS + (s - 1) * CKPT_SECT_WORDS];
		e[0] = s, e[1] = v->lay.off[s];
		e[2] = count[s] * ckpt_rec_size(s), e[3] = count[s];
	}
	return 0;
}

/* Validates the state image after the final round (page is scratch). */
static int check_state(struct virt *v, void *page)
{
	struct ckpt_layout slay;
	void *scratch = NULL;
	int err = ckpt_validate(&v->state, &slay, page, &scratch, false);

	kfree(scratch);
	if (!err && virt_layout(v, &slay)) {
		printk("restore: the state image does not match the final "
		       "round (EINVAL)\n");
		return -EINVAL;
	}
	if ((err == -EINVAL || err == -ENOEXEC) && slay.why[0])
		printk("restore: final state: %s (%s)\n", slay.why,
		       err == -EINVAL ? "EINVAL" : "ENOEXEC");
	return err;
}

static void virt_free(struct virt *v)
{
	for (uint32_t i = 0; v->pg && i < v->npg; i++)
		if (v->pg[i].owned)
			page_free((void *)v->pg[i].data);
	kfree(v->pg);
	kfree(v->range);
}

/* The final round's length from its header (0 if it cannot be one). */
static uint32_t final_len(uptr_t buf, uint32_t len)
{
	uint32_t n = 0;

	if (len < CKPT_ROUND_HDR_SIZE || copyin(&n, UPTR_ADD(buf, 16), 4) ||
	    n < CKPT_ROUND_HDR_SIZE || n > len)
		return 0;
	return n;
}

/* Checks the final round against the staged ones and gathers its pages
 * and the state into v: 0 or an error. */
static int final_gather(struct virt *v, uptr_t *buf, uint32_t len, void *io)
{
	struct ckpt_stage *st = current->tk_stage;
	uint32_t rl = final_len(*buf, len);
	struct ckpt_source src = {stage_copyin, buf, rl};
	struct ckpt_round rd;
	int err = rl ? check_round(&src, &rd, io) : -EINVAL;

	if (!err && (rd.r_kind != CKPT_ROUND_FINAL || !follows(st, &rd))) {
		printk("restore: final round does not follow the staged "
		       "rounds (EINVAL)\n");
		err = -EINVAL;
	} else if (!rl) {
		printk("restore: no final round (EINVAL)\n");
	}
	if (!err)
		err = final_pages(v, st, &src, &rd);
	v->sbuf = UPTR_ADD(*buf, rl);
	v->state = (struct ckpt_source){stage_copyin, &v->sbuf, len - rl};
	return err ? err : check_state(v, io);
}

int ckpt_stage_commit(uptr_t buf, uint32_t len, const char *newname)
{
	struct virt v;
	void *io = page_alloc();
	int err = io ? 0 : -ENOMEM;

	memset(&v, 0, sizeof(v));
	if (!current->tk_stage) {
		printk("restore: no staged rounds to commit (EINVAL)\n");
		err = -EINVAL;
	}
	if (!err)
		err = final_gather(&v, &buf, len, io);
	if (!err) {
		struct ckpt_source src = {virt_read, &v, v.lay.total_len};
		err = ckpt_restore_src(&src, newname, true);
	}
	virt_free(&v);
	if (io)
		page_free(io);
	ckpt_stage_drop(current);
	return err;
}
