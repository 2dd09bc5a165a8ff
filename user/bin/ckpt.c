/*
 * ckpt: checkpoint and restore containers from the shell (spec section 5).
 *
 *   ckpt save NAME FILE [--keep]   freeze container NAME into FILE; without
 *                                  --keep the container then ends (migration)
 *   ckpt restore FILE [NEWNAME] [--wait]
 *                                  bring it back as a child of ckpt; prints
 *                                  the restored init's PID; --wait waits for it
 *   ckpt show FILE                 describe an image
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int fail(const char *what)
{
	fprintf(stderr, "ckpt: %s: %s\n", what, strerror(errno));
	return 1;
}

/* Reads all of path into a new buffer; NULL on error (errno set). */
static char *load(const char *path, size_t *len)
{
	struct cb_stat st;
	char *buf;
	int fd = open(path, O_RDONLY), n;
	size_t got = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	buf = malloc(st.st_size ? st.st_size : 1);
	while (buf && got < st.st_size &&
	       (n = read(fd, buf + got, st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	*len = got;
	return buf;
}

/* Checkpoints name; the size may grow between asking and saving, so try
 * again with room to spare when the kernel says ERANGE. */
static int save(const char *name, const char *file, int flags)
{
	char *buf = NULL;
	int size, tries, fd;

	for (tries = 0; tries < 4; tries++) {
		size = checkpoint(name, NULL, 0, flags);
		if (size < 0)
			return fail(name);
		size += size / 4 + 4096;
		free(buf);
		buf = malloc(size);
		if (!buf)
			return fail("malloc");
		size = checkpoint(name, buf, size, flags);
		if (size >= 0 || errno != ERANGE)
			break;
	}
	if (size < 0)
		return fail(name);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0 || write_all(fd, buf, size) < 0)
		return fail(file);
	close(fd);
	printf("ckpt: saved container %s to %s (%d bytes)%s\n", name, file, size,
	       flags & CKPT_KEEP ? "" : "; the container has been stopped");
	return 0;
}

static int do_restore(const char *file, const char *newname, int wait)
{
	size_t len;
	char *buf = load(file, &len);
	pid_t pid;
	int st;

	if (!buf)
		return fail(file);
	pid = restore(buf, len, newname, 0);
	if (pid < 0)
		return fail(file);
	printf("ckpt: restored %s; its init is pid %d\n", file, pid);
	if (!wait)
		return 0;
	fflush(stdout);
	if (waitpid(pid, &st, 0) < 0)
		return fail("waitpid");
	if (WIFSIGNALED(st))
		printf("ckpt: container init %d killed by signal %d\n", pid, WTERMSIG(st));
	else
		printf("ckpt: container init %d exited with status %d\n", pid,
		       WEXITSTATUS(st));
	return 0;
}

/* TODO: decode the header once include/uapi/ckpt_image.h exists; for now
 * show the size and the first bytes. */
static int show(const char *file)
{
	size_t len, i;
	unsigned char *buf = (unsigned char *)load(file, &len);

	if (!buf)
		return fail(file);
	printf("%s: %u bytes\n", file, (unsigned)len);
	for (i = 0; i < len && i < 32; i++)
		printf("%02x%s", buf[i], (i % 16 == 15 || i + 1 == len) ? "\n" : " ");
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ckpt save NAME FILE [--keep]\n"
			"       ckpt restore FILE [NEWNAME] [--wait]\n"
			"       ckpt show FILE\n");
	return 2;
}

int main(int argc, char **argv)
{
	int i, opt_keep = 0, opt_wait = 0, n = 0;
	char *pos[4];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--keep") == 0)
			opt_keep = 1;
		else if (strcmp(argv[i], "--wait") == 0)
			opt_wait = 1;
		else if (n < 4)
			pos[n++] = argv[i];
		else
			return usage();
	}
	if (n == 3 && strcmp(pos[0], "save") == 0)
		return save(pos[1], pos[2], opt_keep ? CKPT_KEEP : 0);
	if ((n == 2 || n == 3) && strcmp(pos[0], "restore") == 0)
		return do_restore(pos[1], n == 3 ? pos[2] : NULL, opt_wait);
	if (n == 2 && strcmp(pos[0], "show") == 0)
		return show(pos[1]);
	return usage();
}
