/*
 * t_fs: system-call tests for the file system layer.  Each test checks one
 * behaviour through the raw system calls (so the exact -errno is visible)
 * and prints "t_fs: PASS name" or "t_fs: FAIL name: what"; the last line is
 * "t_fs: PASS" or "t_fs: FAIL", and the exit status is the failure count.
 * Run it as init (init=/test/t_fs) or from the shell; it works in /tmp/t_fs.
 */
#include <procfs.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <uapi/cellblock.h>

static int failures;
static int test_failed;

#define CHECK(cond, ...)                                                       \
	do {                                                                   \
		if (!(cond)) {                                                 \
			dprintf(1, "t_fs: FAIL %s: line %d: %s: ", cur_test,   \
				__LINE__, #cond);                              \
			dprintf(1, __VA_ARGS__);                               \
			dprintf(1, "\n");                                      \
			test_failed = 1;                                       \
		}                                                              \
	} while (0)

static const char *cur_test;

#define KADDR	((long)0xC0001000u) /* kernel space */
#define LOWADDR 0x1000L		    /* below user space */

static long sopen(const char *p, int flags)
{
	return sys_open((long)p, flags);
}
static long swrite(int fd, const void *b, long n)
{
	return sys_write(fd, (long)b, n);
}
static long sread(int fd, void *b, long n)
{
	return sys_read(fd, (long)b, n);
}

static void t_open_create(void)
{
	char buf[32];
	long fd;

	CHECK(sopen("nofile", O_RDONLY) == -ENOENT, "ENOENT");
	fd = sopen("f1", O_RDWR | O_CREAT | O_EXCL);
	CHECK(fd >= 3, "create gave %ld", fd);
	CHECK(sopen("f1", O_RDWR | O_CREAT | O_EXCL) == -EEXIST, "O_EXCL");
	CHECK(swrite((int)fd, "hello world", 11) == 11, "write");
	CHECK(sys_lseek(fd, 0, SEEK_CUR) == 11, "offset after write");
	CHECK(sys_lseek(fd, -5, SEEK_END) == 6, "SEEK_END");
	CHECK(sread((int)fd, buf, 32) == 5 && !memcmp(buf, "world", 5), "read");
	CHECK(sread((int)fd, buf, 32) == 0, "EOF");
	CHECK(sys_lseek(fd, -1, SEEK_SET) == -EINVAL, "negative seek");
	CHECK(sys_lseek(fd, 0, 7) == -EINVAL, "bad whence");
	CHECK(sys_lseek(fd, 100, SEEK_SET) == 100, "seek past end");
	CHECK(swrite((int)fd, "!", 1) == 1, "write past end");
	CHECK(sys_lseek(fd, 50, SEEK_SET) == 50, "seek into hole");
	CHECK(sread((int)fd, buf, 4) == 4 && !buf[0] && !buf[3], "hole is 0");
	sys_close(fd);
	fd = sopen("f1", O_WRONLY | O_APPEND);
	CHECK(swrite((int)fd, "+", 1) == 1, "append");
	CHECK(sys_lseek(fd, 0, SEEK_CUR) == 102, "append goes to the end");
	sys_close(fd);
	fd = sopen("f1", O_RDWR | O_TRUNC);
	CHECK(sys_lseek(fd, 0, SEEK_END) == 0, "O_TRUNC empties");
	CHECK(sread((int)fd, buf, 0) == 0 && swrite((int)fd, buf, 0) == 0,
	      "zero-length read/write");
	sys_close(fd);
	CHECK(sopen("f1", O_ACCMODE) == -EINVAL, "access mode 3");
	CHECK(sys_unlink((long)"f1") == 0, "unlink");
}

static void t_bad_fds(void)
{
	char buf[4];
	long fd;

	CHECK(sread(-1, buf, 1) == -EBADF, "-1");
	CHECK(sread(CB_NOFILE, buf, 1) == -EBADF, "CB_NOFILE");
	CHECK(sread(31, buf, 1) == -EBADF, "closed");
	CHECK(sys_close(31) == -EBADF, "close closed");
	CHECK(sys_lseek(-5, 0, 0) == -EBADF, "lseek");
	CHECK(sys_fstat(99, (long)buf) == -EBADF, "fstat");
	CHECK(sys_dup(-1) == -EBADF && sys_dup2(-1, 5) == -EBADF, "dup");
	fd = sopen("ro", O_RDONLY | O_CREAT);
	CHECK(swrite((int)fd, "x", 1) == -EBADF, "write to O_RDONLY");
	sys_close(fd);
	fd = sopen("ro", O_WRONLY);
	CHECK(sread((int)fd, buf, 1) == -EBADF, "read from O_WRONLY");
	sys_close(fd);
	sys_unlink((long)"ro");
}

static void t_efault(void)
{
	struct cb_stat st;
	long fd, fd2;
	char big[300];

	fd = sopen("ef", O_RDWR | O_CREAT);
	CHECK(swrite((int)fd, "data", 4) == 4, "write");
	sys_lseek(fd, 0, SEEK_SET);
	CHECK(sread((int)fd, NULL, 4) == -EFAULT, "read NULL");
	CHECK(sys_read(fd, KADDR, 4) == -EFAULT, "read kernel");
	CHECK(sys_read(fd, LOWADDR, 4) == -EFAULT, "read low");
	CHECK(sys_read(fd, (long)(USER_TOP - 2), 4) == -EFAULT,
	      "read straddling");
	CHECK(sys_lseek(fd, 0, SEEK_CUR) == 0, "failed read kept offset");
	CHECK(swrite((int)fd, NULL, 4) == -EFAULT, "write NULL");
	CHECK(sys_write(fd, KADDR, 4) == -EFAULT, "write kernel");
	CHECK(sys_write(fd, 0x7ff00000L, 4) == -EFAULT, "write unmapped");
	CHECK(sys_open(0, O_RDONLY) == -EFAULT, "open NULL");
	CHECK(sys_open(KADDR, O_RDONLY) == -EFAULT, "open kernel");
	CHECK(sys_stat((long)"ef", 0) == -EFAULT, "stat NULL buf");
	CHECK(sys_stat((long)"ef", KADDR) == -EFAULT, "stat kernel buf");
	CHECK(sys_fstat(fd, KADDR) == -EFAULT, "fstat kernel buf");
	CHECK(sys_getdents(fd, 0, 1000) == -ENOTDIR, "getdents on a file");
	CHECK(sys_getcwd(0, 100) == -EFAULT, "getcwd NULL");
	CHECK(sys_stat((long)"ef", (long)&st) == 0 && st.st_size == 4, "stat");
	/* pipe with a bad array leaves no descriptors behind */
	CHECK(sys_pipe(0) == -EFAULT, "pipe NULL");
	CHECK(sys_pipe(KADDR) == -EFAULT, "pipe kernel");
	fd2 = sys_dup(fd);
	CHECK(fd2 == fd + 1, "no descriptors leaked by pipe (dup gave %ld)",
	      fd2);
	sys_close(fd2);
	sys_close(fd);
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = 0;
	CHECK(sopen(big, O_RDONLY) == -ENAMETOOLONG, "path over PATH_MAX");
	big[70] = 0;
	CHECK(sopen(big, O_RDONLY) == -ENAMETOOLONG, "name over NAME_MAX");
	sys_unlink((long)"ef");
}

static void t_dirs(void)
{
	struct cb_dirent de[8];
	char cwd[PATH_MAX];
	long fd, n, i, found = 0;

	CHECK(sys_mkdir((long)"d") == 0, "mkdir");
	CHECK(sys_mkdir((long)"d") == -EEXIST, "mkdir twice");
	CHECK(sys_mkdir((long)"nodir/x") == -ENOENT, "mkdir no parent");
	sys_close(sopen("d/a", O_CREAT | O_WRONLY));
	sys_close(sopen("d/b", O_CREAT | O_WRONLY));
	CHECK(sys_mkdir((long)"d/sub") == 0, "mkdir sub");
	CHECK(sopen("d", O_WRONLY) == -EISDIR, "write a dir");
	CHECK(sopen("d", O_RDONLY | O_CREAT) == -EISDIR, "O_CREAT a dir");
	fd = sopen("d", O_RDONLY);
	CHECK(fd >= 0, "open dir");
	CHECK(sread((int)fd, de, 10) == -EISDIR, "read a dir");
	CHECK(sys_getdents(fd, (long)de, sizeof(de[0]) - 1) == -EINVAL,
	      "buffer under one record");
	n = sys_getdents(fd, (long)de, sizeof(de));
	CHECK(n == 3 * (long)sizeof(de[0]), "3 entries, got %ld bytes", n);
	for (i = 0; i < n / (long)sizeof(de[0]); i++) {
		if (!strcmp(de[i].d_name, "a") && de[i].d_type == DT_FILE)
			found++;
		if (!strcmp(de[i].d_name, "sub") && de[i].d_type == DT_DIR)
			found++;
	}
	CHECK(found == 2, "entries and types");
	CHECK(sys_getdents(fd, (long)de, sizeof(de)) == 0, "end");
	CHECK(sys_lseek(fd, 0, SEEK_SET) == 0, "rewind");
	CHECK(sys_getdents(fd, (long)de, sizeof(de[0])) == sizeof(de[0]),
	      "one at a time");
	CHECK(sys_getdents(fd, KADDR, sizeof(de)) == -EFAULT, "bad buffer");
	sys_close(fd);
	CHECK(sys_unlink((long)"d") == -ENOTEMPTY, "ENOTEMPTY");
	CHECK(sys_chdir((long)"d/sub") == 0, "chdir");
	CHECK(sys_getcwd((long)cwd, sizeof(cwd)) == 16 &&
		  !strcmp(cwd, "/tmp/t_fs/d/sub"),
	      "getcwd \"%s\"", cwd);
	CHECK(sys_getcwd((long)cwd, 5) == -ERANGE, "getcwd ERANGE");
	CHECK(sys_chdir((long)"../a") == -ENOTDIR, "chdir to a file");
	CHECK(sys_chdir((long)"../..") == 0, "chdir ..");
	CHECK(sys_unlink((long)"d/a") == 0 && sys_unlink((long)"d/b") == 0 &&
		  sys_unlink((long)"d/sub") == 0 && sys_unlink((long)"d") == 0,
	      "rmdir");
	CHECK(sys_unlink((long)".") == -EINVAL, "unlink .");
	CHECK(sys_unlink((long)"/") == -EBUSY, "unlink /");
}

static void t_big_file(void)
{
	static char buf[65536];
	const long size = (17L << 20) + 333;
	long before = meminfo("PagesFree"), fd, off, n, i, bad = 0;
	struct cb_stat st;

	fd = sopen("big", O_RDWR | O_CREAT | O_TRUNC);
	for (off = 0; off < size; off += n) {
		n = size - off < (long)sizeof(buf) ? size - off
						   : (long)sizeof(buf);
		for (i = 0; i < n; i++)
			buf[i] = (char)((off + i) % 251);
		if (swrite((int)fd, buf, n) != n)
			break;
	}
	CHECK(off >= size, "wrote %ld of %ld", off, size);
	CHECK(sys_fstat(fd, (long)&st) == 0 && st.st_size == size &&
		  st.st_type == S_IFREG,
	      "fstat size %u", st.st_size);
	sys_lseek(fd, 0, SEEK_SET);
	for (off = 0; off < size && !bad; off += n) {
		n = sread((int)fd, buf, sizeof(buf));
		if (n <= 0)
			break;
		for (i = 0; i < n; i++)
			if (buf[i] != (char)((off + i) % 251))
				bad++;
	}
	CHECK(off == size && !bad, "read back %ld bytes, %ld bad", off, bad);
	sys_close(fd);
	CHECK(sys_unlink((long)"big") == 0, "unlink");
	CHECK(meminfo("PagesFree") == before, "pages leaked: %ld -> %ld",
	      before, meminfo("PagesFree"));
}

static void t_unlink_open(void)
{
	char buf[8];
	long fd = sopen("gone", O_RDWR | O_CREAT);

	swrite((int)fd, "still", 5);
	CHECK(sys_unlink((long)"gone") == 0, "unlink");
	CHECK(sopen("gone", O_RDONLY) == -ENOENT, "name gone");
	sys_lseek(fd, 0, SEEK_SET);
	CHECK(sread((int)fd, buf, 8) == 5 && !memcmp(buf, "still", 5),
	      "data lives while open");
	sys_close(fd);
}

static void t_pipes(void)
{
	static char buf[10000];
	int fds[2];
	long r, got, i, pid, status = 0;
	unsigned sum_in = 0, sum_out = 0;
	struct cb_stat st;

	CHECK(sys_pipe((long)fds) == 0, "pipe");
	CHECK(swrite(fds[1], "abc", 3) == 3, "write");
	CHECK(sys_fstat(fds[0], (long)&st) == 0 && st.st_type == S_IFIFO &&
		  st.st_size == 3,
	      "fstat pipe");
	CHECK(sread(fds[0], buf, 100) == 3, "read returns what is there");
	CHECK(sys_lseek(fds[0], 0, SEEK_SET) == -ESPIPE, "ESPIPE");
	CHECK(sread(fds[1], buf, 1) == -EBADF, "read the write end");
	CHECK(swrite(fds[0], buf, 1) == -EBADF, "write the read end");
	memset(buf, 'x', sizeof(buf));
	r = swrite(fds[1], buf, sizeof(buf));
	CHECK(r == 4096, "write to an empty pipe is short: %ld", r);
	sys_close(fds[1]);
	for (got = 0; (r = sread(fds[0], buf, sizeof(buf))) > 0;)
		got += r;
	CHECK(r == 0 && got == 4096, "drained %ld, then EOF", got);
	sys_close(fds[0]);

	CHECK(sys_pipe((long)fds) == 0, "pipe 2");
	sys_close(fds[0]);
	CHECK(swrite(fds[1], "x", 1) == -EPIPE, "EPIPE, still alive");
	sys_close(fds[1]);

	/* a child writes 200 KB through the pipe; the parent checks it */
	CHECK(sys_pipe((long)fds) == 0, "pipe 3");
	pid = sys_fork();
	if (pid == 0) {
		sys_close(fds[0]);
		for (i = 0; i < (long)sizeof(buf); i++)
			buf[i] = (char)(i * 7);
		for (i = 0; i < 20; i++)
			write_all(fds[1], buf, sizeof(buf));
		_exit(0);
	}
	sys_close(fds[1]);
	for (i = 0; i < (long)sizeof(buf); i++)
		sum_in += (unsigned char)(i * 7);
	sum_in *= 20;
	for (got = 0; (r = sread(fds[0], buf, 3000)) > 0; got += r)
		for (i = 0; i < r; i++)
			sum_out += (unsigned char)buf[i];
	CHECK(got == 20 * (long)sizeof(buf) && sum_in == sum_out,
	      "got %ld bytes", got);
	sys_close(fds[0]);
	sys_waitpid(pid, (long)&status, 0);
}

static void t_dup(void)
{
	char buf[8];
	long fd = sopen("dup", O_RDWR | O_CREAT | O_TRUNC), fd2, pid, st;
	long fds[CB_NOFILE], n;

	swrite((int)fd, "0123456789", 10);
	sys_lseek(fd, 2, SEEK_SET);
	fd2 = sys_dup(fd);
	CHECK(fd2 > fd, "dup");
	CHECK(sread((int)fd2, buf, 2) == 2 && !memcmp(buf, "23", 2),
	      "shared offset");
	CHECK(sys_lseek(fd, 0, SEEK_CUR) == 4, "offset moved for both");
	CHECK(sys_dup2(fd, fd) == fd, "dup2 to itself");
	CHECK(sys_dup2(fd, CB_NOFILE) == -EBADF, "dup2 out of range");
	CHECK(sys_dup2(0, fd2) == fd2, "dup2 over an open fd");
	CHECK(sys_lseek(fd2, 0, SEEK_CUR) == -ESPIPE, "fd2 is the console");
	sys_close(fd2);
	/* fork shares the open file, offset included */
	pid = sys_fork();
	if (pid == 0) {
		sys_lseek(fd, 7, SEEK_SET);
		_exit(0);
	}
	sys_waitpid(pid, (long)&st, 0);
	CHECK(sys_lseek(fd, 0, SEEK_CUR) == 7, "child moved the offset");
	sys_close(fd);
	sys_unlink((long)"dup");
	/* run out of descriptors */
	for (n = 0; n < CB_NOFILE; n++) {
		fds[n] = sys_dup(0);
		if (fds[n] < 0)
			break;
	}
	CHECK(n < CB_NOFILE && fds[n] == -EMFILE, "EMFILE after %ld", n);
	CHECK(sopen("/", O_RDONLY) == -EMFILE, "open EMFILE");
	CHECK(sys_pipe((long)buf) == -EMFILE, "pipe EMFILE");
	while (n-- > 0)
		sys_close(fds[n]);
}

static void t_stat_devices_proc(void)
{
	struct cb_stat st;
	char buf[512];
	long fd, n;

	CHECK(sys_stat((long)"/dev/console", (long)&st) == 0 &&
		  st.st_type == S_IFCHR,
	      "console is a device");
	CHECK(sys_stat((long)"/tmp", (long)&st) == 0 && st.st_type == S_IFDIR,
	      "/tmp is a directory");
	CHECK(sys_stat((long)"/nothing", (long)&st) == -ENOENT, "ENOENT");
	CHECK(sys_stat((long)"/bin/sh/x", (long)&st) == -ENOTDIR, "ENOTDIR");
	CHECK(sopen("/proc/meminfo", O_WRONLY) == -EACCES, "meminfo read-only");
	CHECK(sopen("/proc/99999999/status", O_RDONLY) == -ENOENT,
	      "no such pid");
	CHECK(sopen("/proc/007/status", O_RDONLY) == -ENOENT, "leading zeros");
	CHECK(sopen("/proc/new", O_RDWR | O_CREAT) == -EPERM,
	      "create in /proc");
	CHECK(sys_mkdir((long)"/proc/x") == -EPERM, "mkdir in /proc");
	CHECK(sys_unlink((long)"/proc") == -EBUSY, "unlink /proc");
	CHECK(sys_unlink((long)"/proc/meminfo") == -EPERM, "unlink in /proc");
	fd = sopen("/proc/self/status", O_RDONLY);
	CHECK(fd >= 0, "open /proc/self/status");
	n = sread((int)fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	snprintf(buf + 400, 100, "\nPid:\t%d\n", getpid());
	CHECK(strstr(buf, buf + 401) != NULL, "Pid line for %d in:\n%s",
	      getpid(), buf);
	sys_lseek(fd, 0, SEEK_SET);
	CHECK(sread((int)fd, buf, 5) == 5 && !memcmp(buf, "Name:", 5),
	      "rewind regenerates");
	sys_close(fd);
	fd = sopen("/proc/container", O_WRONLY | O_CREAT | O_TRUNC);
	CHECK(fd >= 0, "shell-style open of /proc/container");
	CHECK(swrite((int)fd, "bad name!", 9) == -EINVAL, "bad name");
	sys_close(fd);
	fd = sopen("/proc", O_RDONLY);
	n = sys_getdents(fd, (long)buf, sizeof(buf));
	CHECK(n > 0 && n % sizeof(struct cb_dirent) == 0, "list /proc: %ld", n);
	sys_close(fd);
	CHECK(sys_setfg(99999999) == -ESRCH, "setfg unknown pid");
	CHECK(sys_setfg(0) == 0, "setfg 0");
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
    {"open_create", t_open_create},
    {"bad_fds", t_bad_fds},
    {"efault", t_efault},
    {"dirs", t_dirs},
    {"big_file", t_big_file},
    {"unlink_open", t_unlink_open},
    {"pipes", t_pipes},
    {"dup", t_dup},
    {"stat_devices_proc", t_stat_devices_proc},
};

int main(void)
{
	unsigned i;

	sys_mkdir((long)"/tmp");
	sys_mkdir((long)"/tmp/t_fs");
	if (sys_chdir((long)"/tmp/t_fs") < 0) {
		dprintf(1, "t_fs: FAIL cannot chdir to /tmp/t_fs\n");
		return 1;
	}
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		cur_test = tests[i].name;
		test_failed = 0;
		tests[i].fn();
		if (test_failed)
			failures++;
		else
			dprintf(1, "t_fs: PASS %s\n", cur_test);
	}
	dprintf(1, failures ? "t_fs: FAIL\n" : "t_fs: PASS\n");
	return failures;
}
