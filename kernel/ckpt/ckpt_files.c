/*
 * Checkpoint and restore of open files, pipes and working directories.
 *
 * Saving: the distinct struct files behind the descriptors of the saved
 * tasks become FILES records (descriptors that share a file share a record,
 * so dup'ed and inherited descriptors keep sharing one offset), and the
 * distinct pipes behind pipe ends become PIPES records with the bytes still
 * in them (read with pipe_peek, nothing consumed).  A file or pipe that a
 * task outside the container also holds cannot be moved: EBUSY, with a
 * console line naming the task and the descriptor.  Terminals are exempt:
 * /dev/console and /dev/ttyS1 files hold no state, every container shares
 * the console with the shell that started it, and restore simply opens
 * them again.  /dev/eth0 is treated the same way: its frames wait in the
 * card, not in the file.
 *
 * Restoring: pipes come back with their bytes, pipe ends are made on them
 * (so the reader and writer counts come out right), in-memory and /proc
 * files are opened again by path (without O_CREAT, O_TRUNC or O_EXCL) and
 * put back at their offsets.  /proc resolves PIDs and "self" for the task
 * that is looking, so those paths are resolved as the restored task that
 * holds the file sees them.
 */
#include <kern/ckpt.h>
#include <kern/file.h>
#include <kern/pipe.h>
#include <kern/vfs.h>
#include <kern/task.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/kheap.h>
#include <kern/printk.h>
#include <kern/sort.h>
#include <kern/string.h>
#include <uapi/errno.h>

/* Orders two object pointers by address. */
static bool addr_less(const void *a, const void *b)
{
	void *const *x = a, *const *y = b;

	return (uintptr_t)(*x) < (uintptr_t)(*y);
}

/* Sorts a[0..n) by address and drops duplicates: the new n. */
static uint32_t sort_unique(void **a, uint32_t n)
{
	sort_heap(a, n, sizeof(a[0]), addr_less);
	uint32_t m = 0;
	for (uint32_t i = 0; i < n; i++)
		if (m == 0 || a[m - 1] != a[i])
			a[m++] = a[i];
	return m;
}

/* Index of p in sorted a[0..n), or -1. */
static int32_t find_sorted(void *const *a, uint32_t n, const void *p)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (a[mid] == p)
			return (int32_t)mid;
		if ((uintptr_t)a[mid] < (uintptr_t)p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static bool is_pipe(const struct file *f)
{
	return f->f_kind == FILE_PIPE_READ || f->f_kind == FILE_PIPE_WRITE;
}

static bool is_terminal(const struct file *f)
{
	return f->f_kind == FILE_CONSOLE || f->f_kind == FILE_TTYS1 ||
	       f->f_kind == FILE_ETH0;
}

int ckpt_ftab_build(struct ckpt_ftab *ft, struct task **tasks, uint32_t n)
{
	uint32_t nf = 0, np = 0;

	memset(ft, 0, sizeof(*ft));
	for (uint32_t i = 0; i < n; i++)
		for (int fd = 0; fd < NOFILE; fd++)
			nf += tasks[i]->tk_files[fd] != NULL;
	ft->ft_files = kmalloc((nf ? nf : 1) * sizeof(void *));
	ft->ft_pipes = kmalloc((nf ? nf : 1) * sizeof(void *));
	if (!ft->ft_files || !ft->ft_pipes) {
		ckpt_ftab_free(ft);
		return -ENOMEM;
	}
	nf = 0;
	for (uint32_t i = 0; i < n; i++)
		for (int fd = 0; fd < NOFILE; fd++)
			if (tasks[i]->tk_files[fd])
				ft->ft_files[nf++] = tasks[i]->tk_files[fd];
	ft->ft_nfiles = sort_unique((void **)ft->ft_files, nf);
	for (uint32_t i = 0; i < ft->ft_nfiles; i++)
		if (is_pipe(ft->ft_files[i]))
			ft->ft_pipes[np++] = ft->ft_files[i]->f_pipe;
	ft->ft_npipes = sort_unique((void **)ft->ft_pipes, np);
	return 0;
}

void ckpt_ftab_free(struct ckpt_ftab *ft)
{
	kfree(ft->ft_files);
	kfree(ft->ft_pipes);
	memset(ft, 0, sizeof(*ft));
}

uint32_t ckpt_ftab_file_index(const struct ckpt_ftab *ft, struct file *f)
{
	return (uint32_t)find_sorted((void *const *)ft->ft_files, ft->ft_nfiles,
				     f);
}

/* Does outside file g clash with what ft saves (same file, same pipe)? */
static bool clashes(const struct ckpt_ftab *ft, const struct file *g)
{
	if (is_terminal(g))
		return false;
	if (find_sorted((void *const *)ft->ft_files, ft->ft_nfiles, g) >= 0)
		return true;
	return is_pipe(g) && find_sorted((void *const *)ft->ft_pipes,
					 ft->ft_npipes, g->f_pipe) >= 0;
}

/* Prints which saved task holds g (or its pipe) and which outside task
 * shares it, with PIDs as the caller sees them. */
static void report_shared(struct task **tasks, uint32_t n, const struct file *g,
			  const struct task *out, const struct container *top)
{
	const struct container *me = current->tk_ctr;
	for (uint32_t i = 0; i < n; i++) {
		for (int fd = 0; fd < NOFILE; fd++) {
			struct file *f = tasks[i]->tk_files[fd];
			if (!f || (f != g && !(is_pipe(f) && is_pipe(g) &&
					       f->f_pipe == g->f_pipe)))
				continue;
			printk("checkpoint: task %u (%s) fd %d: %s shared with "
			       "task %u outside container %s\n",
			       (unsigned)tsk_vpid_ctx(tasks[i], me),
			       tasks[i]->tk_name, fd,
			       is_pipe(f) ? "pipe" : "file",
			       (unsigned)tsk_vpid_ctx(out, me), top->c_name);
			return;
		}
	}
}

/* Can every saved file be named by a path? */
static int check_paths(const struct ckpt_ftab *ft, struct task **tasks,
		       uint32_t n)
{
	char *path = kmalloc(CKPT_PATH_LEN);
	int r = path ? 0 : -ENOMEM;

	for (uint32_t i = 0; !r && i < n; i++) {
		struct task *t = tasks[i];
		if (t->tk_state != TASK_ZOMBIE && ckpt_cwd_path(t, path) < 0) {
			printk("checkpoint: task %u (%s): working directory "
			       "has no path\n",
			       (unsigned)tsk_vpid_ctx(t, current->tk_ctr),
			       t->tk_name);
			r = -EBUSY;
		}
		for (int fd = 0; !r && fd < NOFILE; fd++) {
			struct file *f = t->tk_files[fd];
			if (!f || f->f_kind != FILE_RAMFS ||
			    vfs_path_of(f->f_inode, path, CKPT_PATH_LEN) >= 0)
				continue;
			printk(
			    "checkpoint: task %u (%s) fd %d: file has no path "
			    "(removed)\n",
			    (unsigned)tsk_vpid_ctx(t, current->tk_ctr),
			    t->tk_name, fd);
			r = -EBUSY;
		}
	}
	kfree(path);
	return r;
}

int ckpt_ftab_check(const struct ckpt_ftab *ft, struct task **tasks, uint32_t n,
		    const struct container *top)
{
	for (struct task *o = task_list_head; o; o = o->tk_all_next) {
		if (tsk_visible_from(o, top))
			continue;
		for (int fd = 0; fd < NOFILE; fd++) {
			struct file *g = o->tk_files[fd];
			if (g && clashes(ft, g)) {
				report_shared(tasks, n, g, o, top);
				return -EBUSY;
			}
		}
	}
	return check_paths(ft, tasks, n);
}

int ckpt_cwd_path(const struct task *t, char *out)
{
	if (!t->tk_cwd) {
		strlcpy(out, "/", CKPT_PATH_LEN);
		return 0;
	}
	int r = vfs_path_of(t->tk_cwd, out, CKPT_PATH_LEN);
	return r < 0 ? r : 0;
}

/* Each kind of file with its code in the image: the one map, both ways. */
static const struct {
	enum file_kind kind;
	uint32_t image;
} kind_codes[] = {
    {FILE_CONSOLE, CKPT_FILE_CONSOLE},
    {FILE_TTYS1, CKPT_FILE_TTYS1},
    {FILE_PIPE_READ, CKPT_FILE_PIPE_READ},
    {FILE_PIPE_WRITE, CKPT_FILE_PIPE_WRITE},
    {FILE_RAMFS, CKPT_FILE_RAMFS},
    {FILE_PROC, CKPT_FILE_PROC},
    {FILE_ETH0, CKPT_FILE_ETH0},
};

/* The image code of file kind k (0 for a kind that has none). */
static uint32_t kind_to_image(enum file_kind k)
{
	for (size_t i = 0; i < ARRAY_SIZE(kind_codes); i++)
		if (kind_codes[i].kind == k)
			return kind_codes[i].image;
	return 0;
}

/* The file kind of image code c (0 for a code that has none). */
static enum file_kind image_to_kind(uint32_t c)
{
	for (size_t i = 0; i < ARRAY_SIZE(kind_codes); i++)
		if (kind_codes[i].image == c)
			return kind_codes[i].kind;
	return 0;
}

/* The FILES record of f. */
static int file_record(const struct ckpt_ftab *ft, struct file *f,
		       struct ckpt_file *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->f_kind = kind_to_image(f->f_kind);
	rec->f_flags = (uint32_t)f->f_flags;
	rec->f_pipe = CKPT_NONE;
	if (is_pipe(f)) {
		rec->f_pipe = (uint32_t)find_sorted((void *const *)ft->ft_pipes,
						    ft->ft_npipes, f->f_pipe);
		rec->f_flags =
		    f->f_kind == FILE_PIPE_READ ? O_RDONLY : O_WRONLY;
	} else if (f->f_kind == FILE_RAMFS) {
		rec->f_offset = f->f_off;
		if (vfs_path_of(f->f_inode, rec->f_path, CKPT_PATH_LEN) < 0)
			return -EBUSY; /* removed since ckpt_ftab_check */
	} else if (f->f_kind == FILE_PROC) {
		rec->f_offset = f->f_off;
		strlcpy(rec->f_path, f->f_path, CKPT_PATH_LEN);
	}
	return 0;
}

int ckpt_ftab_encode(const struct ckpt_ftab *ft, struct ckpt_enc *e, void *page)
{
	struct ckpt_file *rec = kmalloc(sizeof(*rec));
	int r = rec ? 0 : -ENOMEM;

	for (uint32_t i = 0; !r && i < ft->ft_nfiles; i++) {
		r = file_record(ft, ft->ft_files[i], rec);
		if (!r)
			r = ckpt_enc_file(e, rec);
	}
	for (uint32_t i = 0; !r && i < ft->ft_npipes; i++) {
		size_t n = pipe_peek(ft->ft_pipes[i], page, PIPE_SIZE);
		r = ckpt_enc_pipe(e, (uint32_t)n, page);
	}
	kfree(rec);
	return r;
}

/* ---- restore ------------------------------------------------------------- */

static const char *const tty_paths[] = {
    [CKPT_FILE_CONSOLE] = "/dev/console",
    [CKPT_FILE_TTYS1] = "/dev/ttyS1",
    [CKPT_FILE_ETH0] = "/dev/eth0",
};

/* Makes the file of one (validated) FILES record. */
static struct file *file_rebuild(struct ckpt_rfiles *rf,
				 const struct ckpt_file *rec,
				 struct task *holder, int *err)
{
	int flags = (int)rec->f_flags & ~(O_CREAT | O_EXCL | O_TRUNC);
	struct file *f;

	*err = -ENOMEM;
	switch (rec->f_kind) {
	case CKPT_FILE_PIPE_READ:
	case CKPT_FILE_PIPE_WRITE:
		return pipe_file_new(rf->rf_pipes[rec->f_pipe],
				     rec->f_kind == CKPT_FILE_PIPE_WRITE);
	case CKPT_FILE_CONSOLE:
	case CKPT_FILE_TTYS1:
	case CKPT_FILE_ETH0:
		return file_open_path(holder, tty_paths[rec->f_kind], flags,
				      err);
	default:
		/* As the holder sees the tree: /proc/N is its N. */
		f = file_open_path(holder, rec->f_path, flags, err);
		break;
	}
	if (f && f->f_kind != image_to_kind(rec->f_kind)) {
		file_put(f); /* the path names something else now */
		*err = -ENOENT;
		return NULL;
	}
	if (f)
		f->f_off = rec->f_offset;
	return f;
}

int ckpt_rfiles_build(struct ckpt_rfiles *rf, const struct ckpt_source *src,
		      const struct ckpt_layout *lay, struct task **holder,
		      struct ckpt_file *rec, void *page)
{
	uint32_t nf = lay->count[CKPT_SEC_FILES],
		 np = lay->count[CKPT_SEC_PIPES];
	int r;

	rf->rf_files = kzalloc((nf ? nf : 1) * sizeof(void *));
	rf->rf_pipes = kzalloc((np ? np : 1) * sizeof(void *));
	if (!rf->rf_files || !rf->rf_pipes)
		return -ENOMEM;
	for (uint32_t i = 0; i < np; i++, rf->rf_npipes++) {
		uint32_t w[CKPT_PIPE_WORDS];
		r = ckpt_read_rec(src, lay, CKPT_SEC_PIPES, i, w, true);
		if (!r)
			r = ckpt_read_data(src, lay, CKPT_SEC_PIPES, i, page);
		if (r)
			return r;
		rf->rf_pipes[i] = pipe_new_with_data(page, w[0]);
		if (!rf->rf_pipes[i])
			return -ENOMEM;
	}
	for (uint32_t i = 0; i < nf; i++, rf->rf_nfiles++) {
		r = ckpt_read_rec(src, lay, CKPT_SEC_FILES, i, rec, false);
		if (r)
			return r;
		rf->rf_files[i] = file_rebuild(rf, rec, holder[i], &r);
		if (!rf->rf_files[i])
			return r;
	}
	return 0;
}

void ckpt_rfiles_free(struct ckpt_rfiles *rf)
{
	/* A pipe that got no end is still ours; the others go with their
	 * last end. */
	for (uint32_t i = 0; rf->rf_pipes && i < rf->rf_npipes; i++) {
		struct pipe *p = rf->rf_pipes[i];
		if (p && p->p_readers == 0 && p->p_writers == 0)
			pipe_free(p);
	}
	for (uint32_t i = 0; rf->rf_files && i < rf->rf_nfiles; i++)
		if (rf->rf_files[i])
			file_put(rf->rf_files[i]);
	kfree(rf->rf_files);
	kfree(rf->rf_pipes);
	memset(rf, 0, sizeof(*rf));
}
