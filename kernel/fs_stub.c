/* TEMPORARY: weak stand-ins for the file system layer until it lands. */
#include <kern/fsif.h>
#include <kern/syscall.h>
#include <kern/usercopy.h>
#include <kern/kheap.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <kern/uart.h>

#define WEAK __attribute__((weak))
static char *archive;
static size_t archive_len;

WEAK void vfs_init(void) {}
WEAK int initrd_unpack(const void *data, size_t len)
{
	archive = kmalloc(len);
	if (!archive)
		return -ENOMEM;
	memcpy(archive, data, len);
	archive_len = len;
	return 0;
}
WEAK int fs_task_init_console(struct task *t) { return 0; }
WEAK int fs_task_fork(struct task *c, const struct task *p) { return 0; }
WEAK void fs_task_exit(struct task *t) {}
WEAK bool tty_rx(int port, char c) { return true; }

static uint32_t hex8(const char *p)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		v = v * 16 + (uint32_t)(c <= '9' ? c - '0' : (c | 32) - 'a' + 10);
	}
	return v;
}

WEAK int vfs_read_file(struct task *t, const char *path, void **data, size_t *len)
{
	size_t off = 0;
	while (off + 110 <= archive_len) {
		const char *h = archive + off;
		uint32_t fsize = hex8(h + 54), nsize = hex8(h + 94);
		const char *name = h + 110;
		size_t doff = ROUNDUP(off + 110 + nsize, 4);
		if (strcmp(name, "TRAILER!!!") == 0)
			break;
		if (strcmp(name, path[0] == '/' ? path + 1 : path) == 0) {
			*data = kmalloc(fsize ? fsize : 1);
			if (!*data)
				return -ENOMEM;
			memcpy(*data, archive + doff, fsize);
			*len = fsize;
			return 0;
		}
		off = ROUNDUP(doff + fsize, 4);
	}
	return -ENOENT;
}

WEAK int32_t sys_write(const struct sysargs *a)
{
	char buf[128];
	uint32_t n = a->a[2], done = 0;
	while (done < n) {
		uint32_t c = MIN(n - done, sizeof(buf));
		if (copyin(buf, UPTR(a->a[1] + done), c))
			return -EFAULT;
		for (uint32_t i = 0; i < c; i++)
			console_putc(buf[i]);
		done += c;
	}
	return (int32_t)n;
}
#define STUB(name) WEAK int32_t sys_##name(const struct sysargs *a) { return -ENOSYS; }
STUB(read) STUB(open) STUB(close) STUB(lseek) STUB(dup2) STUB(pipe)
STUB(getdents) STUB(chdir) STUB(getcwd) STUB(mkdir) STUB(unlink) STUB(stat)
STUB(fstat) STUB(dup) STUB(setfg)
