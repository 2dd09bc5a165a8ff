/*
 * ckpt: checkpoint and restore containers from the shell (spec section 5).
 *
 *   ckpt save NAME FILE [--keep]   freeze container NAME into FILE; without
 *                                  --keep the container then ends (migration)
 *   ckpt restore FILE [NEWNAME] [--wait]
 *                                  bring it back as a child of ckpt; prints
 *                                  the restored init's PID; --wait waits for it
 *   ckpt show FILE                 describe an image
 *   ckpt send NAME eth0            checkpoint NAME (it ends, as in a
 *                                  migration) and send the image through
 *                                  the network card (user/lib/xfer.c)
 *   ckpt receive eth0 [NEWNAME]    receive one image and restore it
 *
 * FILE may be a device: `ckpt save web /dev/ttyS1` sends the image out of
 * COM2 and `ckpt restore /dev/ttyS1` takes one in.  An image is its own
 * frame -- it starts with a magic, its total length and its CRC-32
 * (uapi/ckpt_image.h) -- so a stream reader reads the fixed-size header,
 * then exactly the rest, and restore checks the CRC.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/ckpt_image.h>
#include <procfs.h>
#include <xfer.h>

#define STREAM_MAX (256u << 20) /* largest image taken from a device */

static int fail(const char *what)
{
	fprintf(stderr, "ckpt: %s: %s\n", what, strerror(errno));
	return 1;
}

static const void *record(const char *buf, size_t len,
			  const struct ckpt_section *sect, uint32_t sec,
			  uint32_t i, uint32_t size);

/* Is a container called name listed in text (/proc/containers: one line
 * each, the name first)? */
static int listed(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *l = text; *l; l++) {
		if (strncmp(l, name, n) == 0 && l[n] == ' ')
			return 1;
		l = strchr(l, '\n');
		if (!l)
			break;
	}
	return 0;
}

/* The container name of image buf that restore (with newname) found in use:
 * one the caller can see in /proc/containers, or newname when a nested
 * container of the image has it too.  NULL when it is none of these (a
 * container the caller cannot see). */
static const char *name_in_use(const char *buf, size_t len, const char *newname)
{
	static char name[CKPT_NAME_LEN];
	const struct ckpt_section *s =
	    (const struct ckpt_section *)(buf + CKPT_HDR_WORDS * 4);
	const struct ckpt_container *c;
	const char *found = NULL;
	char *text = malloc(65536);

	if (!text || len < CKPT_HDR_SIZE ||
	    read_file("/proc/containers", text, 65536) < 0)
		goto out;
	for (uint32_t i = 0;
	     !found &&
	     (c = record(buf, len, s, CKPT_SEC_CONTAINERS, i, CKPT_CTR_SIZE));
	     i++) {
		snprintf(name, sizeof(name), "%.31s",
			 i == 0 && newname ? newname : c->c_name);
		if (listed(text, name) ||
		    (i > 0 && newname && strcmp(newname, name) == 0))
			found = name;
	}
out:
	free(text);
	return found;
}

/* restore() of image buf (from src) as newname: the init's PID, or -1 after
 * saying why on stderr -- for a name in use, which name. */
static pid_t restore_image(const char *buf, size_t len, const char *newname,
			   const char *src)
{
	pid_t pid = restore(buf, len, newname, 0);
	const char *name;

	if (pid >= 0)
		return pid;
	if (errno != EEXIST)
		fail(src);
	else if ((name = name_in_use(buf, len, newname)))
		fprintf(stderr,
			"ckpt: container name '%s' is in use (EEXIST)\n", name);
	else
		fprintf(stderr,
			"ckpt: %s: a container name of the image is in "
			"use (EEXIST)\n",
			src);
	return -1;
}

/* Reads exactly n bytes unless end of file or an error comes first. */
static size_t read_full(int fd, char *buf, size_t n)
{
	size_t got = 0;
	ssize_t r;

	while (got < n && (r = read(fd, buf + got, n - got)) > 0)
		got += (size_t)r;
	return got;
}

/* One image from a stream: the header says how long it is. */
static char *load_stream(int fd, size_t *len)
{
	struct ckpt_header h;
	char *buf;

	if (read_full(fd, (char *)&h, sizeof(h)) != sizeof(h) ||
	    h.h_magic[0] != CKPT_MAGIC0 || h.h_magic[1] != CKPT_MAGIC1 ||
	    h.h_total_len < sizeof(h) || h.h_total_len > STREAM_MAX) {
		errno = ENOEXEC;
		return NULL;
	}
	buf = malloc(h.h_total_len);
	if (!buf)
		return NULL;
	memcpy(buf, &h, sizeof(h));
	*len = sizeof(h) +
	       read_full(fd, buf + sizeof(h), h.h_total_len - sizeof(h));
	return buf;
}

/* Reads all of path (a file, or one image from a device) into a new
 * buffer; NULL on error (errno set). */
static char *load(const char *path, size_t *len)
{
	struct cb_stat st;
	char *buf;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0)
		return NULL;
	if (st.st_type == S_IFCHR) {
		buf = load_stream(fd, len);
	} else {
		buf = malloc(st.st_size ? st.st_size : 1);
		*len = buf ? read_full(fd, buf, st.st_size) : 0;
	}
	close(fd);
	return buf;
}

/* Checkpoints name into a new buffer (*size bytes); the size may grow
 * between asking and saving, so try again with room to spare when the
 * kernel says ERANGE.  NULL on error (errno set). */
static char *take(const char *name, int flags, int *size)
{
	char *buf = NULL;
	int tries;

	for (tries = 0; tries < 4; tries++) {
		*size = checkpoint(name, NULL, 0, flags);
		if (*size < 0)
			break;
		*size += *size / 4 + 4096;
		free(buf);
		buf = malloc(*size);
		if (!buf)
			return NULL;
		*size = checkpoint(name, buf, *size, flags);
		if (*size >= 0 || errno != ERANGE)
			break;
	}
	if (*size >= 0)
		return buf;
	free(buf);
	return NULL;
}

/* Opens the network card named dev ("eth0" or "/dev/eth0") for xfer. */
static int open_net(const char *dev)
{
	if (strcmp(dev, "eth0") != 0 && strcmp(dev, "/dev/eth0") != 0) {
		errno = EINVAL;
		return -1;
	}
	return open("/dev/eth0", O_RDWR | O_NONBLOCK);
}

/* A send failed: the container must not be lost.  If the receiver never
 * acknowledged the first piece, or rejected the image's CRC-32, it cannot
 * have restored it, so bring it back here; otherwise it may have, so keep
 * the image in /tmp for the user to decide. */
static int send_failed(const char *name, const char *dev, const char *buf,
		       int size, const struct xfer_stats *st)
{
	char path[CB_PATH_MAX];
	pid_t pid;
	int fd;

	fprintf(stderr, "ckpt: sending %s over %s failed: %s\n", name, dev,
		strerror(errno));
	if (st->acked == 0 || st->rejected) {
		pid = restore_image(buf, size, name, "restore");
		if (pid < 0)
			return 1;
		printf("ckpt: %s did not arrive; restored it here, its init "
		       "is pid %d\n",
		       name, pid);
		return 1;
	}
	snprintf(path, sizeof(path), "/tmp/%s.img", name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	if (fd < 0 || write_all(fd, buf, size) < 0)
		return fail(path);
	close(fd);
	printf("ckpt: the other side may have %s; its image is in %s\n", name,
	       path);
	return 1;
}

/* ckpt send: checkpoint name (it ends) and send the image over dev.  The
 * card is opened first, so a machine without one loses no container. */
static int send(const char *name, const char *dev)
{
	struct xfer_stats st;
	int size, fd = open_net(dev);
	char *buf;

	if (fd < 0)
		return fail(dev);
	buf = take(name, 0, &size);
	if (!buf)
		return fail(name);
	printf("ckpt: container %s stopped; sending %d bytes\n", name, size);
	fflush(stdout);
	if (xfer_send(fd, buf, size, &st) < 0)
		return send_failed(name, dev, buf, size, &st);
	printf("ckpt: sent container %s (%d bytes, %u frames, %u "
	       "retransmitted, %u ms)\n",
	       name, size, st.frames, st.retransmits, st.ms);
	return 0;
}

/* ckpt receive: take one image from dev and restore it. */
static int receive(const char *dev, const char *newname)
{
	struct xfer_stats st;
	int fd = open_net(dev);
	size_t len;
	char *buf;
	pid_t pid;

	if (fd < 0)
		return fail(dev);
	printf("ckpt: waiting for an image on %s\n", dev);
	fflush(stdout);
	buf = xfer_recv(fd, STREAM_MAX, &len, &st);
	if (!buf)
		return fail(dev);
	printf("ckpt: received %u bytes (CRC-32 %08x, %u frames, %u "
	       "duplicates, %u ms)\n",
	       (unsigned)len, xfer_crc32(buf, len), st.frames, st.duplicates,
	       st.ms);
	pid = restore_image(buf, len, newname, "restore");
	if (pid < 0)
		return 1;
	printf("ckpt: restored the image from %s; its init is pid %d\n", dev,
	       pid);
	return 0;
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
	printf("ckpt: saved container %s to %s (%d bytes)%s\n", name, file,
	       size,
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
	pid = restore_image(buf, len, newname, file);
	if (pid < 0)
		return 1;
	printf("ckpt: restored %s; its init is pid %d\n", file, pid);
	if (!wait)
		return 0;
	fflush(stdout);
	if (waitpid(pid, &st, 0) < 0)
		return fail("waitpid");
	if (WIFSIGNALED(st))
		printf("ckpt: container init %d killed by signal %d\n", pid,
		       WTERMSIG(st));
	else
		printf("ckpt: container init %d exited with status %d\n", pid,
		       WEXITSTATUS(st));
	return 0;
}

/* Record i of the section of type sec, or NULL if the image is too short
 * (show does not validate; restore does). */
static const void *record(const char *buf, size_t len,
			  const struct ckpt_section *sect, uint32_t sec,
			  uint32_t i, uint32_t size)
{
	for (uint32_t k = 0; k < CKPT_NSECT; k++) {
		const struct ckpt_section *s = &sect[k];
		if (s->s_type != sec || i >= s->s_count)
			continue;
		uint64_t off = (uint64_t)s->s_offset + (uint64_t)i * size;
		return off + size <= len ? buf + off : NULL;
	}
	return NULL;
}

static void show_task(const char *buf, size_t len, const struct ckpt_section *s,
		      uint32_t i)
{
	static const char states[] = "?RSZ";
	const struct ckpt_task *t =
	    record(buf, len, s, CKPT_SEC_TASKS, i, CKPT_TASK_SIZE);

	if (!t)
		return;
	printf("  task %u %-12.31s %c pids", i, t->t_name,
	       t->t_state < 4 ? states[t->t_state] : '?');
	for (uint32_t l = 0; l < t->t_nlevels && l < CKPT_LEVELS; l++)
		printf("%s%u", l ? "/" : " ", t->t_nrs[l]);
	if (t->t_parent == CKPT_NONE)
		printf("  parent outside");
	else
		printf("  parent task %u", t->t_parent);
	printf("  %u pages\n", t->t_npages);
}

static int show(const char *file)
{
	size_t len;
	char *buf = load(file, &len);
	const struct ckpt_header *h = (const struct ckpt_header *)buf;
	const struct ckpt_section *s;

	if (!buf)
		return fail(file);
	if (len < CKPT_HDR_SIZE || h->h_magic[0] != CKPT_MAGIC0 ||
	    h->h_magic[1] != CKPT_MAGIC1 || h->h_nsect != CKPT_NSECT) {
		printf("%s: not a Cellblock checkpoint image\n", file);
		return 1;
	}
	s = (const struct ckpt_section *)(buf + CKPT_HDR_WORDS * 4);
	printf("%s: image version %u, %u bytes (file %u), CRC %08x\n", file,
	       h->h_version, h->h_total_len, (unsigned)len, h->h_crc);
	for (uint32_t k = 0; k < CKPT_NSECT; k++)
		printf("  section %u: %u records at %u\n", s[k].s_type,
		       s[k].s_count, s[k].s_offset);
	for (uint32_t i = 0;; i++) {
		const struct ckpt_container *c =
		    record(buf, len, s, CKPT_SEC_CONTAINERS, i, CKPT_CTR_SIZE);
		if (!c)
			break;
		printf("  container %u %.31s depth +%u init task %u\n", i,
		       c->c_name, c->c_depth, c->c_init);
	}
	for (uint32_t i = 0;
	     record(buf, len, s, CKPT_SEC_TASKS, i, CKPT_TASK_SIZE); i++)
		show_task(buf, len, s, i);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: ckpt save NAME FILE [--keep]\n"
			"       ckpt restore FILE [NEWNAME] [--wait]\n"
			"       ckpt show FILE\n"
			"       ckpt send NAME eth0\n"
			"       ckpt receive eth0 [NEWNAME]\n");
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
	if (n == 3 && strcmp(pos[0], "send") == 0 && !opt_keep && !opt_wait)
		return send(pos[1], pos[2]);
	if ((n == 2 || n == 3) && strcmp(pos[0], "receive") == 0 && !opt_keep &&
	    !opt_wait)
		return receive(pos[1], n == 3 ? pos[2] : NULL);
	return usage();
}
