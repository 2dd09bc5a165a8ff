// SOURCES: kernel/fs/pipe.c
// CFLAGS: -Wno-unused-parameter
/*
 * Host tests for pipes (kernel/fs/pipe.c): the ring buffer wraps correctly,
 * peek does not consume, reads and writes block exactly when they should
 * (here sleep_on reports a kill, so "would block" shows as -EINTR with
 * nothing transferred), writes are short rather than blocking after
 * progress, EPIPE and end of file follow the ends, and closing both ends
 * frees everything.
 */
#include "fs_stubs.h"

#include <kern/pipe.h>
#include <kern/file.h>
#include <kern/sched.h>
#include <uapi/errno.h>

static int sleeps, wakeups;

/* The caller and its container's page charge (kernel/ctr/container.c). */
static struct task stub_task;
struct task *current = &stub_task;
static size_t charged, charge_room = 1000;

int ctr_charge_pages(struct container *c, size_t n)
{
	if (c != stub_task.tk_ctr || charged + n > charge_room)
		return -ENOMEM;
	charged += n;
	return 0;
}

void ctr_uncharge_pages(struct container *c, size_t n)
{
	CHECKF(c == stub_task.tk_ctr && charged >= n, "uncharge matches");
	charged -= n;
}

int sleep_on(const void *chan)
{
	sleeps++;
	return -EINTR;
}

void wakeup(const void *chan)
{
	wakeups++;
}

struct file *file_alloc(enum file_kind kind, int flags,
			const struct file_ops *ops)
{
	struct file *f = kzalloc(sizeof(*f));

	if (f) {
		f->f_refs = 1;
		f->f_kind = kind;
		f->f_flags = flags;
		f->f_ops = ops;
	}
	return f;
}

void file_put(struct file *f)
{
	if (--f->f_refs > 0)
		return;
	if (f->f_ops->release)
		f->f_ops->release(f);
	kfree(f);
}

static void test_ring_order(void)
{
	struct pipe *p = pipe_new();
	unsigned char seq_in = 0, seq_out = 0, buf[3000];
	size_t i, k, n;
	int bad = 0;

	for (i = 0; i < 500; i++) {
		n = 1 + (i * 37) % 3000;
		for (k = 0; k < n; k++)
			buf[k] = (unsigned char)(seq_in + k);
		n = pipe_ring_put(p, buf, n);
		seq_in = (unsigned char)(seq_in + n);
		n = pipe_ring_get(p, buf, 1 + (i * 53) % 2500);
		for (k = 0; k < n; k++)
			if (buf[k] != (unsigned char)(seq_out + k))
				bad++;
		seq_out = (unsigned char)(seq_out + n);
	}
	CHECKF(bad == 0, "%d bytes out of order", bad);
	CHECKF(pipe_peek(p, buf, sizeof(buf)) == p->p_count, "peek count");
	CHECKF(p->p_count == 0 || buf[0] == seq_out, "peek gives oldest byte");
	n = p->p_count;
	pipe_peek(p, buf, sizeof(buf));
	CHECKF(p->p_count == n, "peek does not consume");
	page_free(p->p_buf);
	kfree(p);
	printf("PASS ring_order\n");
}

static void test_blocking(void)
{
	long allocs = stub_live_allocs, pages = stub_live_pages;
	struct file *rd, *wr;
	char buf[PIPE_SIZE];
	struct pipe *p;

	CHECKF(pipe_create(&rd, &wr) == 0, "create");
	p = rd->f_pipe;
	CHECKF(p == wr->f_pipe && p->p_readers == 1 && p->p_writers == 1,
	       "ends");
	CHECKF(rd->f_ops->stream && wr->f_ops->stream, "streams");

	/* empty, writer open: read would block */
	sleeps = 0;
	CHECKF(rd->f_ops->read(rd, buf, 10, true) == -EINTR, "read blocks");
	CHECKF(sleeps == 1, "slept once");
	CHECKF(rd->f_ops->read(rd, buf, 10, false) == 0, "no-block read is 0");

	CHECKF(wr->f_ops->write(wr, "hello", 5, true) == 5, "write");
	CHECKF(rd->f_ops->read(rd, buf, 3, true) == 3 && !memcmp(buf, "hel", 3),
	       "partial read");
	CHECKF(rd->f_ops->read(rd, buf, 100, true) == 2 &&
		   !memcmp(buf, "lo", 2),
	       "read returns what is there");

	/* fill: the write that does not fit is short, never blocks */
	memset(buf, 'x', sizeof(buf));
	CHECKF(wr->f_ops->write(wr, buf, PIPE_SIZE - 10, true) ==
		   (int32_t)(PIPE_SIZE - 10),
	       "nearly full");
	sleeps = 0;
	CHECKF(wr->f_ops->write(wr, buf, 100, true) == 10, "short write");
	CHECKF(sleeps == 0, "short write did not sleep");
	CHECKF(wr->f_ops->write(wr, buf, 100, true) == -EINTR, "full blocks");
	CHECKF(wr->f_ops->write(wr, buf, 100, false) == 0, "full, no-block: 0");
	CHECKF(p->p_count == PIPE_SIZE, "still full");

	/* last reader gone: EPIPE */
	file_put(rd);
	CHECKF(wr->f_ops->write(wr, buf, 1, true) == -EPIPE, "EPIPE");
	file_put(wr);
	CHECKF(stub_live_allocs == allocs && stub_live_pages == pages,
	       "both ends closed frees the pipe");
	printf("PASS blocking\n");
}

static void test_eof_and_restore(void)
{
	long allocs = stub_live_allocs, pages = stub_live_pages;
	struct file *rd, *wr;
	struct pipe *p;
	char buf[16];

	p = pipe_new_with_data("saved", 5);
	CHECKF(p && p->p_count == 5, "prefilled");
	CHECKF(pipe_new_with_data(buf, PIPE_SIZE + 1) == NULL, "too much");
	rd = pipe_file_new(p, false);
	wr = pipe_file_new(p, true);
	CHECKF(rd->f_kind == FILE_PIPE_READ && wr->f_kind == FILE_PIPE_WRITE,
	       "kinds");
	CHECKF((rd->f_flags & O_ACCMODE) == O_RDONLY &&
		   (wr->f_flags & O_ACCMODE) == O_WRONLY,
	       "modes");
	file_put(wr);
	CHECKF(rd->f_ops->read(rd, buf, 16, true) == 5 &&
		   !memcmp(buf, "saved", 5),
	       "data survives the writer");
	sleeps = 0;
	CHECKF(rd->f_ops->read(rd, buf, 16, true) == 0 && sleeps == 0,
	       "EOF without sleeping");
	file_put(rd);
	CHECKF(stub_live_allocs == allocs && stub_live_pages == pages, "freed");

	/* out of memory while creating: nothing left over */
	stub_fail_after = 2; /* pipe, page, then the read file fails */
	CHECKF(pipe_create(&rd, &wr) == -ENOMEM, "ENOMEM");
	stub_fail_after = 3; /* ... the write file fails */
	CHECKF(pipe_create(&rd, &wr) == -ENOMEM, "ENOMEM 2");
	stub_fail_after = -1;
	CHECKF(stub_live_allocs == allocs && stub_live_pages == pages,
	       "no leak on ENOMEM");
	printf("PASS eof_and_restore\n");
}

/* The buffer page is charged to the caller's container while the pipe
 * lives; with no room, creation is -ENOMEM and nothing is left over. */
static void test_charge(void)
{
	long allocs = stub_live_allocs, pages = stub_live_pages;
	size_t base = charged;
	struct file *rd, *wr;

	CHECKF(pipe_create(&rd, &wr) == 0, "create");
	CHECKF(charged == base + 1 && rd->f_pipe->p_ctr == stub_task.tk_ctr,
	       "one page charged to the caller's container");
	file_put(rd);
	file_put(wr);
	CHECKF(charged == base, "closing both ends returns the charge");
	charge_room = charged;
	CHECKF(pipe_create(&rd, &wr) == -ENOMEM, "no room: ENOMEM");
	CHECKF(pipe_new_with_data("x", 1) == NULL, "no room for restore");
	charge_room = 1000;
	stub_fail_after = 1; /* charged, then the page fails */
	CHECKF(pipe_create(&rd, &wr) == -ENOMEM, "ENOMEM after charging");
	stub_fail_after = -1;
	CHECKF(charged == base && stub_live_allocs == allocs &&
		   stub_live_pages == pages,
	       "no charge or memory left over");
	printf("PASS charge\n");
}

int main(void)
{
	stub_task.tk_ctr = (struct container *)&charge_room; /* any address */
	test_ring_order();
	test_blocking();
	test_eof_and_restore();
	test_charge();
	return check_verdict("test_pipe");
}
