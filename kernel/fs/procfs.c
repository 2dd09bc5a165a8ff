/*
 * procfs: /proc, computed for each reader.
 *
 * Nothing here is stored.  A lookup makes a node on the spot and the node
 * dies with its last reference.  A PID directory node names its task by the
 * task's real PID -- a kernel-wide name that never changes while the task
 * lives -- so the node never pins the task; every use looks the task up
 * again (O(1)) and re-checks that the reader can see it.  Names at the user
 * boundary are always PIDs as the reader sees them.
 *
 * The files are a table of small generators (proc_files): each writes its
 * text into a growing buffer; a new /proc file is one more table entry.
 */
#include <kern/procfs.h>
#include <kern/vfs.h>
#include <kern/file.h>
#include <kern/task.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/pmm.h>
#include <kern/kheap.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>
#include <stdarg.h>

/* p_kind of a node: a directory, or an index into proc_files. */
#define PROC_ROOT   (-1)
#define PROC_PIDDIR (-2)

/* Text being generated. */
struct pbuf {
	char *pb_buf;
	size_t pb_size;
	size_t pb_len; /* may exceed pb_size: then the caller retries */
};

static void __printf(2, 3) pb_printf(struct pbuf *pb, const char *fmt, ...)
{
	size_t room = pb->pb_len < pb->pb_size ? pb->pb_size - pb->pb_len : 0;
	char none[1];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? pb->pb_buf + pb->pb_len : none, room, fmt, ap);
	va_end(ap);
	pb->pb_len += (size_t)n;
}

struct proc_file {
	const char *pf_name;
	bool pf_per_task; /* lives in /proc/<pid>/ */
	/* Generates the text (t: the task of a per-task file, else NULL). */
	void (*pf_show)(struct pbuf *pb, struct task *t);
	/* Handles one write of n bytes: 0 or -errno.  NULL: read-only. */
	int (*pf_write)(const char *buf, size_t n);
};

/* ---- generators ---------------------------------------------------------- */

static void show_meminfo(struct pbuf *pb, struct task *t)
{
	pb_printf(pb, "PagesTotal:\t%u\n", (unsigned)pmm_total_pages());
	pb_printf(pb, "PagesFree:\t%u\n", (unsigned)pmm_free_pages());
	pb_printf(pb, "HeapUsed:\t%u\n", (unsigned)kheap_used());
}

static void show_container(struct pbuf *pb, struct task *t)
{
	pb_printf(pb, "%s\n", current->tk_ctr->c_name);
}

static int write_container(const char *buf, size_t n)
{
	return ctr_create_and_enter(buf, n);
}

/* " tasks=U/L ctrs=U/L pages=U/L" for c: usage, then the cap, or "-" for
 * the system container (not capped). */
static void show_usage(struct pbuf *pb, const struct container *c)
{
	if (c->c_depth == 0) {
		pb_printf(pb, " tasks=%d/- ctrs=%d/- pages=%u/-", c->c_refs,
			  c->c_nctrs, (unsigned)c->c_pages);
		return;
	}
	pb_printf(pb, " tasks=%d/%d ctrs=%d/%d pages=%u/%u", c->c_refs,
		  ctr_get_max_tasks(), c->c_nctrs, ctr_get_max_ctrs(),
		  (unsigned)c->c_pages, (unsigned)ctr_get_max_pages());
}

/*
 * /proc/containers: for each container the reader can see (its own and
 * nested ones; newest first) one line
 *     NAME PARENT DEPTH TASKS[ PIDSPACE] tasks=U/L ctrs=U/L pages=U/L
 * PARENT is "-" for the system container, TASKS counts tasks in it and in
 * nested containers (live and zombie), PIDSPACE only for a reader in the
 * system container: nobody else may learn a pidspace number.  The named
 * fields give each count against its cap (show_usage).  See docs/pids.md.
 */
static void show_containers(struct pbuf *pb, struct task *t)
{
	const struct container *rd = current->tk_ctr;

	for (const struct container *c = ctr_list_head; c; c = c->c_next) {
		if (!ctr_is_within(c, rd))
			continue;
		pb_printf(pb, "%s %s %d %d", c->c_name,
			  c->c_parent ? c->c_parent->c_name : "-", c->c_depth,
			  c->c_refs);
		if (rd->c_depth == 0)
			pb_printf(pb, " %u", (unsigned)c->c_pidspace);
		show_usage(pb, c);
		pb_printf(pb, "\n");
	}
}

static char task_state_letter(const struct task *t)
{
	switch (t->tk_state) {
	case TASK_SLEEPING:
		return 'S';
	case TASK_ZOMBIE:
		return 'Z';
	default:
		return 'R';
	}
}

/* /proc/<pid>/status, "Key:\tvalue" lines: Name, State (R S Z), Pid, PPid
 * (0 if hidden), Container, NSpid (tab-separated, from the reader's level
 * down to t's own), and for a reader in the system container only
 * RealPid, Pidspace, Vpid (the real PID decoded).  See docs/pids.md. */
static void show_status(struct pbuf *pb, struct task *t)
{
	const struct container *rd = current->tk_ctr;
	uint32_t ppid = t->tk_parent ? tsk_vpid_ctx(t->tk_parent, rd) : 0;
	int level;

	pb_printf(pb, "Name:\t%.*s\n", TASK_NAME_MAX, t->tk_name);
	pb_printf(pb, "State:\t%c\n", task_state_letter(t));
	pb_printf(pb, "Pid:\t%u\n", tsk_vpid_ctx(t, rd));
	pb_printf(pb, "PPid:\t%u\n", ppid);
	pb_printf(pb, "Container:\t%s\n", t->tk_ctr->c_name);
	pb_printf(pb, "NSpid:");
	for (level = rd->c_depth; level <= tsk_depth(t); level++)
		pb_printf(pb, "\t%u", tsk_nr_at(t, level));
	pb_printf(pb, "\n");
	if (rd->c_depth == 0) {
		pb_printf(pb, "RealPid:\t%u\n", tsk_pid(t));
		pb_printf(pb, "Pidspace:\t%u\n", PID_SPACE(tsk_pid(t)));
		pb_printf(pb, "Vpid:\t%u\n", PID_NR(tsk_pid(t)));
	}
}

static const struct proc_file proc_files[] = {
    {"meminfo", false, show_meminfo, NULL},
    {"container", false, show_container, write_container},
    {"containers", false, show_containers, NULL},
    {"status", true, show_status, NULL},
};

/* ---- nodes --------------------------------------------------------------- */

static int procfs_lookup(struct inode *dir, const char *name,
			 const struct task *viewer, struct inode **out);
static struct file *procfs_open(struct inode *ino, int flags,
				const struct task *viewer, int *err);

static const struct inode_ops procfs_ops = {
    .lookup = procfs_lookup,
    .open = procfs_open,
};

/* The task a lookup or open is done for: viewer, or the running task. */
static const struct task *reader_of(const struct task *viewer)
{
	return viewer ? viewer : current;
}

/* The task a node refers to, if task rd can still see it. */
static struct task *node_task_as(const struct inode *ino, const struct task *rd)
{
	struct task *t = find_task_by_pid(ino->i_proc.p_pid);

	if (!t || !tsk_visible_from(t, rd->tk_ctr))
		return NULL;
	return t;
}

/* The task a node refers to, if the running task can still see it. */
static struct task *node_task(const struct inode *ino)
{
	return node_task_as(ino, current);
}

static struct inode *node_new(struct inode *parent, const char *name,
			      enum inode_type type, int kind, uint32_t pid)
{
	struct inode *ino;

	ino = inode_alloc(FS_PROCFS, type, &procfs_ops, parent, name);
	if (ino) {
		ino->i_proc.p_kind = kind;
		ino->i_proc.p_pid = pid;
	}
	return ino;
}

/* Parses a canonical decimal number (no sign, no leading zero): 0 if name
 * is not one or overflows 32 bits. */
static uint32_t parse_pid(const char *name)
{
	uint64_t v = 0;

	if (name[0] < '1' || name[0] > '9')
		return 0;
	for (; *name; name++) {
		if (*name < '0' || *name > '9')
			return 0;
		v = v * 10 + (uint64_t)(*name - '0');
		if (v > 0xffffffffu)
			return 0;
	}
	return (uint32_t)v;
}

/* The PID directory of t, named as task rd sees it. */
static int piddir_new(struct inode *root, const struct task *t,
		      const struct task *rd, struct inode **out)
{
	char name[12];

	snprintf(name, sizeof(name), "%u", tsk_vpid_ctx(t, rd->tk_ctr));
	*out = node_new(root, name, INODE_DIR, PROC_PIDDIR, tsk_pid(t));
	return *out ? 0 : -ENOMEM;
}

static int procfs_lookup(struct inode *dir, const char *name,
			 const struct task *viewer, struct inode **out)
{
	bool in_root = dir->i_proc.p_kind == PROC_ROOT;
	const struct task *rd = reader_of(viewer);
	const struct task *t = NULL;
	uint32_t pid;
	size_t i;

	if (!in_root && !node_task_as(dir, rd))
		return -ENOENT;
	for (i = 0; i < ARRAY_SIZE(proc_files); i++) {
		if (proc_files[i].pf_per_task == in_root ||
		    strcmp(proc_files[i].pf_name, name))
			continue;
		*out =
		    node_new(dir, name, INODE_REG, (int)i, dir->i_proc.p_pid);
		return *out ? 0 : -ENOMEM;
	}
	if (!in_root)
		return -ENOENT;
	if (!strcmp(name, "self"))
		t = rd;
	else if ((pid = parse_pid(name)) != 0)
		t = find_task_by_vpid(rd->tk_ctr, pid);
	if (!t)
		return -ENOENT;
	return piddir_new(dir, t, rd, out);
}

struct inode *procfs_init(struct inode *parent)
{
	return node_new(parent, "proc", INODE_DIR, PROC_ROOT, 0);
}

/* ---- open files ---------------------------------------------------------- */

/* A generator of an open file's text: t is the task of a per-task file. */
typedef void (*gen_fn)(struct pbuf *pb, struct file *f, struct task *t);

/* Runs gen into a buffer grown until its output fits (first try: size
 * bytes) and puts the text in f_data: 0, or -ENOMEM. */
static int generate(struct file *f, size_t size, gen_fn gen, struct task *t)
{
	struct pbuf pb = {.pb_size = size};

	for (;;) {
		pb.pb_buf = kmalloc(pb.pb_size);
		if (!pb.pb_buf)
			return -ENOMEM;
		pb.pb_len = 0;
		gen(&pb, f, t);
		if (pb.pb_len < pb.pb_size)
			break;
		pb.pb_size = pb.pb_len + 1;
		kfree(pb.pb_buf);
	}
	kfree(f->f_data);
	f->f_data = pb.pb_buf;
	f->f_dlen = (uint32_t)pb.pb_len;
	return 0;
}

/* The text of a proc_files entry. */
static void show_file(struct pbuf *pb, struct file *f, struct task *t)
{
	proc_files[f->f_inode->i_proc.p_kind].pf_show(pb, t);
}

/* Runs a file's generator: the text in f_data, or -ENOMEM / -ESRCH (the
 * task is gone). */
static int file_generate(struct file *f)
{
	const struct proc_file *pf = &proc_files[f->f_inode->i_proc.p_kind];
	struct task *t = NULL;

	if (pf->pf_per_task && !(t = node_task(f->f_inode)))
		return -ESRCH;
	return generate(f, 512, show_file, t);
}

/* Reading at offset 0 (re)generates the text; later reads continue in it. */
static int32_t procfs_read(struct file *f, void *buf, size_t n, bool may_block)
{
	size_t k;
	int r;

	if (f->f_off == 0 || !f->f_data) {
		r = file_generate(f);
		if (r < 0)
			return r;
	}
	if (f->f_off >= f->f_dlen)
		return 0;
	k = MIN(n, (size_t)(f->f_dlen - f->f_off));
	memcpy(buf, f->f_data + f->f_off, k);
	f->f_off += (uint32_t)k;
	return (int32_t)k;
}

static int32_t procfs_write(struct file *f, const void *buf, size_t n,
			    bool may_block)
{
	const struct proc_file *pf = &proc_files[f->f_inode->i_proc.p_kind];
	int r = pf->pf_write(buf, n);

	return r < 0 ? r : (int32_t)n;
}

static uint32_t procfs_size(struct file *f)
{
	return f->f_dlen;
}

/* Adds one directory entry to the listing being built. */
static void list_add(struct pbuf *pb, const char *name, uint32_t type)
{
	struct cb_dirent de;

	memset(&de, 0, sizeof(de));
	de.d_type = type;
	strlcpy(de.d_name, name, sizeof(de.d_name));
	if (pb->pb_len + sizeof(de) <= pb->pb_size)
		memcpy(pb->pb_buf + pb->pb_len, &de, sizeof(de));
	pb->pb_len += sizeof(de);
}

/* The entries of directory node dir, as cb_dirent records. */
static void list_dir(struct pbuf *pb, struct inode *dir)
{
	bool in_root = dir->i_proc.p_kind == PROC_ROOT;
	const struct container *rd = current->tk_ctr;
	char name[12];
	struct task *t;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(proc_files); i++)
		if (proc_files[i].pf_per_task != in_root)
			list_add(pb, proc_files[i].pf_name, DT_FILE);
	if (!in_root)
		return;
	list_add(pb, "self", DT_DIR);
	for (t = task_list_head; t; t = t->tk_all_next) {
		if (!tsk_visible_from(t, rd))
			continue;
		snprintf(name, sizeof(name), "%u", tsk_vpid_ctx(t, rd));
		list_add(pb, name, DT_DIR);
	}
}

/* The listing of the directory open as f. */
static void show_dir(struct pbuf *pb, struct file *f, struct task *t)
{
	(void)t;
	list_dir(pb, f->f_inode);
}

/* Snapshot of a directory listing into f_data. */
static int dir_generate(struct file *f)
{
	if (f->f_inode->i_proc.p_kind == PROC_PIDDIR && !node_task(f->f_inode))
		return -ESRCH;
	return generate(f, 32 * sizeof(struct cb_dirent), show_dir, NULL);
}

static int32_t procfs_getdents(struct file *f, struct cb_dirent *de, size_t max)
{
	size_t total, n;
	int r;

	if (f->f_off == 0 || !f->f_data) {
		r = dir_generate(f);
		if (r < 0)
			return r;
	}
	total = f->f_dlen / sizeof(*de);
	if (f->f_off >= total)
		return 0;
	n = MIN(max, total - f->f_off);
	memcpy(de, f->f_data + f->f_off * sizeof(*de), n * sizeof(*de));
	f->f_off += (uint32_t)n;
	return (int32_t)n;
}

static const struct file_ops procfs_file_ops = {
    .read = procfs_read,
    .write = procfs_write,
    .size = procfs_size,
    .whole_writes = true,
};

static const struct file_ops procfs_dir_ops = {
    .getdents = procfs_getdents,
};

/* Does node ino still name something task rd can see? */
static bool node_exists(struct inode *ino, const struct task *rd)
{
	int kind = ino->i_proc.p_kind;

	if (kind == PROC_ROOT)
		return true;
	if (kind == PROC_PIDDIR || proc_files[kind].pf_per_task)
		return node_task_as(ino, rd) != NULL;
	return true;
}

/* i_ops->open: a procfs file or directory, if viewer can see its node and
 * (for writing) the file takes writes: NULL with -ENOENT, -EACCES,
 * -ENOMEM otherwise. */
static struct file *procfs_open(struct inode *ino, int flags,
				const struct task *viewer, int *err)
{
	bool dir = ino->i_type == INODE_DIR;
	struct file *f;
	int r;

	if (!node_exists(ino, reader_of(viewer))) {
		*err = -ENOENT;
		return NULL;
	}
	if (!dir && (flags & O_ACCMODE) != O_RDONLY &&
	    !proc_files[ino->i_proc.p_kind].pf_write) {
		*err = -EACCES;
		return NULL;
	}
	f = file_alloc(FILE_PROC, flags,
		       dir ? &procfs_dir_ops : &procfs_file_ops);
	if (!f) {
		*err = -ENOMEM;
		return NULL;
	}
	f->f_path = kmalloc(PATH_MAX);
	r = f->f_path ? vfs_path_of(ino, f->f_path, PATH_MAX) : -ENOMEM;
	if (r < 0) {
		file_put(f);
		*err = r;
		return NULL;
	}
	f->f_inode = inode_get(ino);
	return f;
}
