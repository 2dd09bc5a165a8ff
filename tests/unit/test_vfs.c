// SOURCES: kernel/fs/vfs.c kernel/fs/ramfs.c kernel/fs/fsroot.c
// SOURCES: kernel/fs/file.c
// CFLAGS: -Wno-unused-parameter
/*
 * Host tests for the path walker (kernel/fs/vfs.c) and ramfs
 * (kernel/fs/ramfs.c):
 * names, ".", "..", slashes, errors, paths back from inodes, large and
 * sparse files, out of memory, and that removing everything frees
 * everything.
 */
#include "fs_stubs.h"
#include "fs_fakes.h"

#include <kern/vfs.h>
#include <kern/ramfs.h>
#include <kern/devfs.h>
#include <kern/procfs.h>
#include <kern/task.h>
#include <kern/file.h>
#include <uapi/errno.h>

struct task *current;
struct task *task_list_head;

static int exists(const char *path, enum inode_type type)
{
	struct inode *ino;
	int ok;

	if (vfs_lookup(vfs_root, path, &ino) < 0)
		return 0;
	ok = ino->i_type == type;
	inode_put(ino);
	return ok;
}

static int lookup_err(struct inode *cwd, const char *path)
{
	struct inode *ino;
	int r = vfs_lookup(cwd, path, &ino);

	if (r == 0)
		inode_put(ino);
	return r;
}

static struct inode *must_lookup(const char *path)
{
	struct inode *ino = NULL;
	int r = vfs_lookup(vfs_root, path, &ino);

	CHECKF(r == 0, "lookup %s gave %d", path, r);
	return ino;
}

static void test_init_layout(void)
{
	CHECKF(exists("/bin", INODE_DIR), "/bin missing");
	CHECKF(exists("/tmp", INODE_DIR), "/tmp missing");
	CHECKF(exists("/etc", INODE_DIR), "/etc missing");
	CHECKF(exists("/proc", INODE_DIR), "/proc missing");
	CHECKF(exists("/dev/console", INODE_DEV), "/dev/console missing");
	CHECKF(exists("/dev/ttyS1", INODE_DEV), "/dev/ttyS1 missing");
	printf("PASS init_layout\n");
}

static void test_walk(void)
{
	struct inode *ino, *tmp;
	char name[NAME_MAX + 1];
	char longname[NAME_MAX + 10];
	int r;

	CHECKF(vfs_mkdir(vfs_root, "/tmp/d1") == 0, "mkdir d1");
	CHECKF(vfs_mkdir(vfs_root, "tmp/d1/d2/") == 0, "mkdir d2 (trailing /)");
	CHECKF(vfs_mkdir(vfs_root, "/tmp/d1") == -EEXIST, "mkdir twice");
	CHECKF(vfs_mkdir(vfs_root, "/nope/x") == -ENOENT, "mkdir no parent");
	CHECKF(vfs_mkdir(vfs_root, "/") == -EEXIST, "mkdir /");
	CHECKF(vfs_create(vfs_root, "/tmp/f", true, &ino) == 0, "create f");
	inode_put(ino);
	CHECKF(vfs_create(vfs_root, "/tmp/f", true, &ino) == -EEXIST, "O_EXCL");
	CHECKF(vfs_create(vfs_root, "/tmp/f", false, &ino) == 0, "reopen f");
	inode_put(ino);

	CHECKF(exists("//tmp///d1//d2", INODE_DIR), "repeated slashes");
	CHECKF(exists("/tmp/./d1/../d1/d2/.", INODE_DIR), "dot and dotdot");
	CHECKF(exists("/../../tmp", INODE_DIR), "dotdot above the root");
	CHECKF(exists("/", INODE_DIR), "root");
	CHECKF(lookup_err(vfs_root, "") == -ENOENT, "empty path");
	CHECKF(lookup_err(vfs_root, "/tmp/f/") == -ENOTDIR, "file/");
	CHECKF(lookup_err(vfs_root, "/tmp/f/x") == -ENOTDIR, "file/x");
	CHECKF(lookup_err(vfs_root, "/tmp/f/..") == -ENOTDIR, "file/..");
	CHECKF(lookup_err(vfs_root, "/tmp/missing") == -ENOENT, "missing");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECKF(lookup_err(vfs_root, longname) == -ENAMETOOLONG, "long name");
	longname[NAME_MAX] = '\0';
	CHECKF(lookup_err(vfs_root, longname) == -ENOENT, "NAME_MAX name ok");

	/* relative to a cwd */
	tmp = must_lookup("/tmp/d1");
	CHECKF(lookup_err(tmp, "d2") == 0, "relative");
	CHECKF(lookup_err(tmp, "../f") == 0, "relative dotdot");
	CHECKF(lookup_err(tmp, "/tmp") == 0, "absolute ignores cwd");
	r = vfs_lookup_parent(tmp, "d2/newname", &ino, name);
	CHECKF(r == 0 && !strcmp(name, "newname"), "parent split: %d %s", r,
	       name);
	if (r == 0)
		inode_put(ino);
	inode_put(tmp);
	printf("PASS walk\n");
}

static void test_path_of(void)
{
	char buf[PATH_MAX];
	struct inode *ino = must_lookup("/tmp/d1/d2");
	int r;

	r = vfs_path_of(ino, buf, sizeof(buf));
	CHECKF(r == 10 && !strcmp(buf, "/tmp/d1/d2"), "got %d %s", r, buf);
	CHECKF(vfs_path_of(ino, buf, 10) == -ERANGE, "too small");
	CHECKF(vfs_path_of(ino, buf, 11) == 10, "exact fit");
	CHECKF(vfs_path_of(vfs_root, buf, 1) == -ERANGE, "root too small");
	CHECKF(vfs_path_of(vfs_root, buf, sizeof(buf)) == 1 &&
		   !strcmp(buf, "/"),
	       "root is /");
	inode_put(ino);
	ino = must_lookup("/proc");
	CHECKF(vfs_path_of(ino, buf, sizeof(buf)) == 5 && !strcmp(buf, "/proc"),
	       "proc path %s", buf);
	inode_put(ino);
	printf("PASS path_of\n");
}

static void test_unlink(void)
{
	struct inode *cwd, *ino;
	char buf[PATH_MAX];

	CHECKF(vfs_unlink(vfs_root, "/tmp/d1") == -ENOTEMPTY, "non-empty");
	CHECKF(vfs_unlink(vfs_root, "/proc") == -EBUSY, "/proc");
	CHECKF(vfs_unlink(vfs_root, "/") == -EBUSY, "root");
	CHECKF(vfs_unlink(vfs_root, "/tmp/.") == -EINVAL, "dot");
	CHECKF(vfs_unlink(vfs_root, "/tmp/nothing") == -ENOENT, "missing");

	/* A removed directory still works as a cwd, but takes no entries. */
	cwd = must_lookup("/tmp/d1/d2");
	CHECKF(vfs_unlink(vfs_root, "/tmp/d1/d2") == 0, "rmdir d2");
	CHECKF(vfs_path_of(cwd, buf, sizeof(buf)) == -ENOENT, "removed path");
	CHECKF(vfs_create(cwd, "x", false, &ino) == -ENOENT,
	       "create in removed");
	CHECKF(vfs_mkdir(cwd, "x") == -ENOENT, "mkdir in removed");
	CHECKF(lookup_err(cwd, "..") == 0, "dotdot from removed");
	CHECKF(vfs_unlink(vfs_root, "/tmp/d1") == 0, "rmdir d1 (now empty)");
	CHECKF(lookup_err(cwd, "../..") == 0, "dotdot twice from removed");
	inode_put(cwd);
	CHECKF(vfs_unlink(vfs_root, "/tmp/f") == 0, "unlink f");
	CHECKF(lookup_err(vfs_root, "/tmp/f") == -ENOENT, "f gone");
	printf("PASS unlink\n");
}

static void test_readdir_sorted(void)
{
	static const char *names[] = {"zeta", "alpha", "mid", "beta"};
	static const char *sorted[] = {"alpha", "beta", "mid", "zeta"};
	struct cb_dirent de;
	struct inode *dir, *ino;
	char path[64];
	size_t i;

	CHECKF(vfs_mkdir(vfs_root, "/tmp/ls") == 0, "mkdir");
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/tmp/ls/%s", names[i]);
		if (i == 2)
			CHECKF(vfs_mkdir(vfs_root, path) == 0, "mkdir %s",
			       path);
		else if (vfs_create(vfs_root, path, true, &ino) == 0)
			inode_put(ino);
	}
	dir = must_lookup("/tmp/ls");
	for (i = 0; i < 4; i++) {
		CHECKF(ramfs_readdir(dir, (uint32_t)i, &de) == 1, "entry %zu",
		       i);
		CHECKF(!strcmp(de.d_name, sorted[i]), "entry %zu is %s", i,
		       de.d_name);
		CHECKF(de.d_type == (i == 2 ? DT_DIR : DT_FILE), "type %u",
		       de.d_type);
	}
	CHECKF(ramfs_readdir(dir, 4, &de) == 0, "end");
	inode_put(dir);
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "/tmp/ls/%s", names[i]);
		CHECKF(vfs_unlink(vfs_root, path) == 0, "unlink %s", path);
	}
	CHECKF(vfs_unlink(vfs_root, "/tmp/ls") == 0, "rmdir");
	printf("PASS readdir_sorted\n");
}

static void test_big_file(void)
{
	const size_t size = (16u << 20) + 12345;
	long pages_before = stub_live_pages;
	unsigned char *chunk = malloc(65536), *back = malloc(65536);
	struct inode *ino;
	struct cb_stat st;
	size_t off, i;
	int32_t r;

	CHECKF(vfs_create(vfs_root, "/tmp/big", true, &ino) == 0, "create");
	for (off = 0; off < size; off += 65536) {
		size_t n = size - off < 65536 ? size - off : 65536;

		for (i = 0; i < n; i++)
			chunk[i] =
			    (unsigned char)((off + i) * 7 + (off + i) / 4096);
		r = ramfs_write(ino, (uint32_t)off, chunk, n);
		CHECKF(r == (int32_t)n, "write at %zu gave %d", off, r);
	}
	vfs_stat(ino, &st);
	CHECKF(st.st_size == size && st.st_type == S_IFREG, "size %u",
	       st.st_size);
	CHECKF(stub_live_pages - pages_before == (long)((size + 4095) / 4096),
	       "pages %ld", stub_live_pages - pages_before);
	/* read back across page boundaries */
	for (off = 4000; off < size; off += 1234567) {
		size_t n = 9000;

		r = ramfs_read(ino, (uint32_t)off, back, n);
		if (off + n > size)
			n = size - off;
		CHECKF(r == (int32_t)n, "read at %zu gave %d", off, r);
		for (i = 0; i < n; i++)
			if (back[i] !=
			    (unsigned char)((off + i) * 7 + (off + i) / 4096))
				break;
		CHECKF(i == n, "data differs at %zu", off + i);
	}
	CHECKF(ramfs_read(ino, (uint32_t)size, back, 10) == 0, "read at EOF");
	CHECKF(ramfs_read(ino, (uint32_t)size - 3, back, 10) == 3,
	       "read to EOF");
	ramfs_truncate(ino);
	CHECKF(stub_live_pages == pages_before, "truncate freed pages");
	inode_put(ino);
	CHECKF(vfs_unlink(vfs_root, "/tmp/big") == 0, "unlink");
	free(chunk);
	free(back);
	printf("PASS big_file\n");
}

static void test_sparse_and_limits(void)
{
	char buf[20000];
	struct inode *ino;
	size_t i;

	CHECKF(vfs_create(vfs_root, "/tmp/sparse", true, &ino) == 0, "create");
	CHECKF(ramfs_write(ino, 3 * PAGE_SIZE + 5, "xyz", 3) == 3, "write");
	CHECKF(stub_live_pages > 0, "a page");
	CHECKF(ino->i_ramfs.r_size == 3 * PAGE_SIZE + 8, "size");
	CHECKF(ramfs_read(ino, 0, buf, sizeof(buf)) == 3 * PAGE_SIZE + 8,
	       "read all");
	for (i = 0; i < 3 * PAGE_SIZE + 5; i++)
		if (buf[i])
			break;
	CHECKF(i == 3 * PAGE_SIZE + 5, "hole reads zero (byte %zu)", i);
	CHECKF(!memcmp(buf + 3 * PAGE_SIZE + 5, "xyz", 3), "data after hole");
	CHECKF(ramfs_write(ino, RAMFS_MAX_FILE, "a", 1) == -EFBIG, "EFBIG");
	CHECKF(ramfs_write(ino, RAMFS_MAX_FILE - 1, "ab", 2) == 1, "clipped");

	/* out of memory: nothing written is -ENOSPC, partial is short */
	ramfs_truncate(ino);
	stub_fail_after = 0;
	CHECKF(ramfs_write(ino, 0, buf, 10) == -ENOSPC, "no memory at all");
	stub_fail_after = 2; /* page array, then one page */
	CHECKF(ramfs_write(ino, 0, buf, 3 * PAGE_SIZE) == (int32_t)PAGE_SIZE,
	       "short write when pages run out");
	stub_fail_after = -1;
	CHECKF(ino->i_ramfs.r_size == PAGE_SIZE, "size after short write");
	inode_put(ino);
	CHECKF(vfs_unlink(vfs_root, "/tmp/sparse") == 0, "unlink");
	printf("PASS sparse_and_limits\n");
}

static void test_read_file(void)
{
	struct task t;
	struct inode *ino, *got;

	memset(&t, 0, sizeof(t));
	t.tk_cwd = must_lookup("/bin");
	CHECKF(vfs_create(vfs_root, "/bin/prog", true, &ino) == 0, "create");
	CHECKF(ramfs_write(ino, 0, "\177ELF....", 8) == 8, "write");
	CHECKF(vfs_open_exec(&t, "prog", &got) == 0 && got == ino,
	       "relative open_exec");
	inode_put(got);
	inode_put(ino);
	CHECKF(vfs_open_exec(&t, "/bin", &got) == -EISDIR, "EISDIR");
	CHECKF(vfs_open_exec(&t, "/dev/console", &got) == -EACCES, "device");
	CHECKF(vfs_open_exec(&t, "nope", &got) == -ENOENT, "ENOENT");
	CHECKF(vfs_chdir(&t, "/tmp") == 0, "chdir");
	CHECKF(vfs_chdir(&t, "/bin/prog") == -ENOTDIR, "chdir file");
	CHECKF(vfs_open_exec(&t, "../bin/prog", &got) == 0, "after cd");
	inode_put(got);
	CHECKF(vfs_unlink(vfs_root, "/bin/prog") == 0, "unlink");
	inode_put(t.tk_cwd);
	printf("PASS read_file\n");
}

/* Opening asks the node's file system (i_ops->open): a device node its
 * devfs, a ramfs file or directory ramfs (O_TRUNC cuts the file); the
 * viewer given reaches the file system's lookup. */
static void test_open_ops(void)
{
	struct task v;
	struct inode *ino;
	struct file *f;
	char buf[8];
	int err = 0, opens = fake_dev_opens;

	f = file_open_path(NULL, "/dev/console", O_RDWR, &err);
	CHECKF(f && f->f_kind == FILE_CONSOLE && fake_dev_opens == opens + 1,
	       "device open");
	CHECKF(f && f->f_inode && !strcmp(f->f_inode->i_name, "console"),
	       "device inode");
	if (f)
		file_put(f);
	CHECKF(vfs_create(vfs_root, "/tmp/o", true, &ino) == 0, "create");
	CHECKF(ramfs_write(ino, 0, "abc", 3) == 3, "write");
	f = file_open_path(NULL, "/tmp/o", O_RDONLY, &err);
	CHECKF(f && f->f_kind == FILE_RAMFS && f->f_ops->size(f) == 3 &&
		   f->f_ops->read(f, buf, sizeof(buf), false) == 3 &&
		   !memcmp(buf, "abc", 3),
	       "ramfs read");
	if (f)
		file_put(f);
	f = file_open_path(NULL, "/tmp/o", O_WRONLY | O_TRUNC, &err);
	CHECKF(f && ino->i_ramfs.r_size == 0, "O_TRUNC");
	if (f)
		file_put(f);
	f = file_open_path(NULL, "/tmp", O_RDONLY, &err);
	CHECKF(f && f->f_kind == FILE_RAMFS && f->f_ops->getdents &&
		   f->f_ops->getdents(f, &(struct cb_dirent){0}, 1) == 1,
	       "ramfs directory");
	if (f)
		file_put(f);
	inode_put(ino);
	CHECKF(vfs_unlink(vfs_root, "/tmp/o") == 0, "unlink");
	memset(&v, 0, sizeof(v));
	f = file_open_path(&v, "/proc/5/status", O_RDONLY, &err);
	CHECKF(!f && err == -ENOENT && fake_proc_viewer == &v, "viewer: open");
	CHECKF(vfs_chdir(&v, "/proc/7") == -ENOENT && fake_proc_viewer == &v,
	       "viewer: chdir");
	CHECKF(vfs_lookup(vfs_root, "/proc/7", &ino) == -ENOENT &&
		   fake_proc_viewer == NULL,
	       "no viewer: the running task");
	printf("PASS open_ops\n");
}

int main(void)
{
	long allocs, pages;

	vfs_init();
	allocs = stub_live_allocs;
	pages = stub_live_pages;
	test_init_layout();
	test_walk();
	test_path_of();
	test_unlink();
	test_readdir_sorted();
	test_big_file();
	test_sparse_and_limits();
	test_read_file();
	test_open_ops();
	CHECKF(stub_live_allocs == allocs, "heap blocks leaked: %ld",
	       stub_live_allocs - allocs);
	CHECKF(stub_live_pages == pages, "pages leaked: %ld",
	       stub_live_pages - pages);
	return check_verdict("test_vfs");
}
