// SOURCES: kernel/fs/initrd.c kernel/fs/vfs.c kernel/fs/ramfs.c
// SOURCES: kernel/fs/fsroot.c kernel/fs/file.c
// CFLAGS: -Wno-unused-parameter
/*
 * Host tests for the cpio newc unpacker (kernel/fs/initrd.c): a good archive
 * unpacks; every kind of corruption -- bad magic, bad digits, bad sizes,
 * truncation at every byte, random damage -- is refused with -EINVAL and
 * creates nothing, and never crashes.
 */
#include "fs_stubs.h"
#include "fs_fakes.h"

#include <kern/initrd.h>
#include <kern/task.h>

struct task *current;
struct task *task_list_head;

static unsigned char arc[65536];
static size_t arc_len;

/* Appends one member with the given header fields. */
static void add_raw(const char *magic, const char *name, uint32_t namesize,
		    uint32_t mode, const void *data, uint32_t filesize,
		    uint32_t data_len)
{
	char hdr[111];

	snprintf(hdr, sizeof(hdr),
		 "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 1u, mode, 0u, 0u, 1u, 0u, filesize, 0u, 0u, 0u, 0u,
		 namesize, 0u);
	memcpy(arc + arc_len, hdr, 110);
	arc_len += 110;
	memcpy(arc + arc_len, name, strlen(name) + 1);
	arc_len += strlen(name) + 1;
	while (arc_len % 4)
		arc[arc_len++] = 0;
	if (data_len)
		memcpy(arc + arc_len, data, data_len);
	arc_len += data_len;
	while (arc_len % 4)
		arc[arc_len++] = 0;
}

static void add(const char *name, uint32_t mode, const char *data)
{
	uint32_t n = data ? (uint32_t)strlen(data) : 0;

	add_raw("070701", name, (uint32_t)strlen(name) + 1, mode, data, n, n);
}

static void trailer(void)
{
	add("TRAILER!!!", 0, NULL);
}

/* The archive `find . | cpio -o -H newc` would make for a small tree. */
static void build_good(void)
{
	arc_len = 0;
	add(".", 040755, NULL);
	add("bin", 040755, NULL);
	add("bin/hello", 0100755, "hello, world\n");
	add("./etc/motd", 0100644, "welcome");
	add("deep/er/file", 0100644, "x"); /* parents not listed */
	add("bin/link", 0120777, "hello"); /* symlink: skipped */
	add("empty", 0100644, "");
	trailer();
}

static int file_is(const char *path, const char *want)
{
	struct inode *ino;
	char buf[256];
	int32_t n;

	if (vfs_lookup(vfs_root, path, &ino) < 0)
		return 0;
	n = ramfs_read(ino, 0, buf, sizeof(buf));
	inode_put(ino);
	return n == (int32_t)strlen(want) && !memcmp(buf, want, (size_t)n);
}

static int path_exists(const char *path)
{
	struct inode *ino;

	if (vfs_lookup(vfs_root, path, &ino) < 0)
		return 0;
	inode_put(ino);
	return 1;
}

static void test_good(void)
{
	build_good();
	CHECKF(initrd_unpack(arc, arc_len) == 0, "good archive: %s",
	       stub_last_printk);
	CHECKF(file_is("/bin/hello", "hello, world\n"), "bin/hello");
	CHECKF(file_is("/etc/motd", "welcome"), "etc/motd (./ prefix)");
	CHECKF(file_is("/deep/er/file", "x"), "parents made");
	CHECKF(file_is("/empty", ""), "empty file");
	CHECKF(!path_exists("/bin/link"), "symlink skipped");
	/* unpacking again replaces, does not append */
	CHECKF(initrd_unpack(arc, arc_len) == 0, "twice");
	CHECKF(file_is("/bin/hello", "hello, world\n"), "bin/hello again");
	printf("PASS good_archive\n");
}

/* Expects -EINVAL and that "/marker" (the first member) was not created. */
static void expect_bad(const char *what)
{
	int r = initrd_unpack(arc, arc_len);

	CHECKF(r == -EINVAL, "%s: got %d", what, r);
	CHECKF(!path_exists("/marker"), "%s: created something", what);
	CHECKF(strstr(stub_last_printk, "initrd") != NULL, "%s: no message",
	       what);
}

static void start_bad(void)
{
	arc_len = 0;
	add("marker", 0100644, "m");
}

/* Malformed cpio headers: magic, digits, name and file sizes. */
static void test_bad_headers(void)
{
	size_t pos;

	start_bad();
	expect_bad("no trailer");

	start_bad();
	add_raw("070707", "x", 2, 0100644, "", 0, 0);
	trailer();
	expect_bad("old binary magic");

	start_bad();
	pos = arc_len;
	add("y", 0100644, "abc");
	arc[pos + 6 + 8 * 6 + 3] = 'g'; /* a digit of y's file size */
	trailer();
	expect_bad("bad hex digit");

	start_bad();
	add_raw("070701", "x", 0, 0100644, "", 0, 0);
	trailer();
	expect_bad("name size 0");

	start_bad();
	add_raw("070701", "x", 0x7fffffff, 0100644, "", 0, 0);
	trailer();
	expect_bad("huge name size");

	start_bad();
	add_raw("070701", "abc", 2, 0100644, "", 0, 0); /* NUL not at size */
	trailer();
	expect_bad("name not terminated");

	start_bad();
	add_raw("070701", "f", 2, 0100644, "data", 0xfffffff0u, 4);
	trailer();
	expect_bad("file size past the end");

	CHECKF(initrd_unpack(arc, 0) == -EINVAL, "empty archive");
	CHECKF(initrd_unpack(arc, 50) == -EINVAL, "short archive");
	printf("PASS bad_headers\n");
}

/* Well-formed headers whose entries the file system must refuse. */
static void test_bad_entries(void)
{
	char name300[300];

	start_bad();
	add("d", 040755, "x");
	trailer();
	expect_bad("directory with data");

	start_bad();
	add("a/../../etc/x", 0100644, "x");
	trailer();
	expect_bad("dotdot in name");

	memset(name300, 'n', sizeof(name300) - 1);
	name300[sizeof(name300) - 1] = '\0';
	start_bad();
	add(name300, 0100644, "x");
	trailer();
	expect_bad("name over PATH_MAX");

	memset(name300, 'n', 70);
	name300[70] = '\0';
	start_bad();
	add(name300, 0100644, "x");
	trailer();
	expect_bad("component over NAME_MAX");
	printf("PASS bad_entries\n");
}

static void test_truncations(void)
{
	size_t full, cut, trailer_start;
	int r, bad = 0;

	arc_len = 0;
	add("marker", 0100644, "m");
	add("dir", 040755, NULL);
	add("dir/file", 0100644, "some file data");
	trailer_start = arc_len;
	trailer();
	full = arc_len;
	/* Anything shorter than the trailer's header and name must fail. */
	for (cut = 0; cut < trailer_start + 110 + 11; cut++) {
		r = initrd_unpack(arc, cut);
		if (r != -EINVAL)
			bad++;
	}
	CHECKF(bad == 0, "%d truncated archives were accepted", bad);
	CHECKF(!path_exists("/marker"), "truncated archive created files");
	for (; cut <= full; cut++)
		CHECKF(initrd_unpack(arc, cut) == 0,
		       "cut at %zu (padding only)", cut);
	printf("PASS truncations\n");
}

static void test_random_damage(void)
{
	static unsigned char copy[sizeof(arc)];
	unsigned seed = 12345;
	int i, k, r, odd = 0;

	build_good();
	for (i = 0; i < 3000; i++) {
		memcpy(copy, arc, arc_len);
		for (k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			copy[(seed >> 8) % arc_len] =
			    (unsigned char)(seed >> 3);
		}
		r = initrd_unpack(copy, arc_len);
		if (r != 0 && r != -EINVAL)
			odd++;
	}
	CHECKF(odd == 0, "%d damaged archives gave neither 0 nor -EINVAL", odd);
	printf("PASS random_damage\n");
}

int main(void)
{
	vfs_init();
	test_bad_headers();
	test_bad_entries();
	test_truncations();
	test_good();
	test_random_damage();
	return check_verdict("test_initrd");
}
