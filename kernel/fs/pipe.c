/*
 * Pipes: a one-page ring buffer, a count of open read-end and write-end
 * files, and two wait channels (readers wait on the pipe, writers on its
 * buffer).  The rules for blocking and short writes, which keep a blocked
 * call restartable after checkpoint, are in kern/pipe.h.  The buffer page
 * is charged to the creator's container (its holders all have a number
 * there, so it outlives the pipe) and returned when the pipe is freed.
 */
#include <kern/pipe.h>
#include <kern/container.h>
#include <kern/file.h>
#include <kern/sched.h>
#include <kern/kheap.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <kern/panic.h>
#include <uapi/errno.h>

/* Wait channels: data arrived / all writers gone, and room freed / all
 * readers gone. */
#define PIPE_RCHAN(p) ((const void *)(p))
#define PIPE_WCHAN(p) ((const void *)(p)->p_buf)

size_t pipe_ring_put(struct pipe *p, const void *data, size_t n)
{
	const char *src = data;
	size_t done = 0, tail, k;

	n = MIN(n, PIPE_SIZE - p->p_count);
	while (done < n) {
		tail = (p->p_head + p->p_count) % PIPE_SIZE;
		k = MIN(n - done, PIPE_SIZE - tail);
		memcpy(p->p_buf + tail, src + done, k);
		p->p_count += k;
		done += k;
	}
	return done;
}

/* Copies up to n buffered bytes to out, starting from the oldest. */
static size_t ring_copy_out(const struct pipe *p, void *out, size_t n)
{
	char *dst = out;
	size_t done = 0, pos, k;

	n = MIN(n, p->p_count);
	while (done < n) {
		pos = (p->p_head + done) % PIPE_SIZE;
		k = MIN(n - done, PIPE_SIZE - pos);
		memcpy(dst + done, p->p_buf + pos, k);
		done += k;
	}
	return done;
}

size_t pipe_ring_get(struct pipe *p, void *out, size_t n)
{
	size_t k = ring_copy_out(p, out, n);

	p->p_head = (p->p_head + k) % PIPE_SIZE;
	p->p_count -= k;
	return k;
}

size_t pipe_peek(const struct pipe *p, void *out, size_t n)
{
	return ring_copy_out(p, out, n);
}

struct pipe *pipe_new(void)
{
	struct pipe *p = kzalloc(sizeof(*p));

	if (!p)
		return NULL;
	p->p_ctr = current->tk_ctr;
	if (ctr_charge_pages(p->p_ctr, 1) != 0)
		goto out_pipe;
	p->p_buf = page_alloc();
	if (!p->p_buf)
		goto out_charge;
	return p;
out_charge:
	ctr_uncharge_pages(p->p_ctr, 1);
out_pipe:
	kfree(p);
	return NULL;
}

void pipe_free(struct pipe *p)
{
	KASSERT(p->p_readers == 0 && p->p_writers == 0);
	page_free(p->p_buf);
	ctr_uncharge_pages(p->p_ctr, 1);
	kfree(p);
}

struct pipe *pipe_new_with_data(const void *data, size_t n)
{
	struct pipe *p;

	if (n > PIPE_SIZE)
		return NULL;
	p = pipe_new();
	if (p)
		pipe_ring_put(p, data, n);
	return p;
}

/* Read end: waits for data or for the last writer to go (end of file). */
static int32_t pipe_read(struct file *f, void *buf, size_t n, bool may_block)
{
	struct pipe *p = f->f_pipe;
	size_t k;
	int r;

	while (p->p_count == 0) {
		if (p->p_writers == 0 || !may_block)
			return 0;
		r = sleep_on(PIPE_RCHAN(p));
		if (r < 0)
			return r;
	}
	k = pipe_ring_get(p, buf, n);
	wakeup(PIPE_WCHAN(p));
	return (int32_t)k;
}

/* Write end: waits until one byte fits, then writes what fits. */
static int32_t pipe_write(struct file *f, const void *buf, size_t n,
			  bool may_block)
{
	struct pipe *p = f->f_pipe;
	size_t k;
	int r;

	for (;;) {
		if (p->p_readers == 0)
			return -EPIPE;
		if (p->p_count < PIPE_SIZE)
			break;
		if (!may_block)
			return 0;
		r = sleep_on(PIPE_WCHAN(p));
		if (r < 0)
			return r;
	}
	k = pipe_ring_put(p, buf, n);
	wakeup(PIPE_RCHAN(p));
	return (int32_t)k;
}

static uint32_t pipe_size(struct file *f)
{
	return f->f_pipe->p_count;
}

/* Last reference to one end: wake the other side, free an orphan pipe. */
static void pipe_release(struct file *f)
{
	struct pipe *p = f->f_pipe;

	if (f->f_kind == FILE_PIPE_READ) {
		KASSERT(p->p_readers > 0);
		p->p_readers--;
		wakeup(PIPE_WCHAN(p));
	} else {
		KASSERT(p->p_writers > 0);
		p->p_writers--;
		wakeup(PIPE_RCHAN(p));
	}
	if (p->p_readers == 0 && p->p_writers == 0)
		pipe_free(p);
}

static const struct file_ops pipe_read_ops = {
    .read = pipe_read,
    .size = pipe_size,
    .release = pipe_release,
    .stream = true,
};

static const struct file_ops pipe_write_ops = {
    .write = pipe_write,
    .size = pipe_size,
    .release = pipe_release,
    .stream = true,
};

struct file *pipe_file_new(struct pipe *p, bool write_end)
{
	struct file *f;

	f = file_alloc(write_end ? FILE_PIPE_WRITE : FILE_PIPE_READ,
		       write_end ? O_WRONLY : O_RDONLY,
		       write_end ? &pipe_write_ops : &pipe_read_ops);
	if (!f)
		return NULL;
	f->f_pipe = p;
	if (write_end)
		p->p_writers++;
	else
		p->p_readers++;
	return f;
}

int pipe_create(struct file **rd, struct file **wr)
{
	struct pipe *p = pipe_new();

	if (!p)
		return -ENOMEM;
	*rd = pipe_file_new(p, false);
	if (!*rd)
		goto out_free;
	*wr = pipe_file_new(p, true);
	if (!*wr)
		goto out_put_rd;
	return 0;
out_put_rd:
	file_put(*rd); /* frees the pipe too: it has no ends left */
	return -ENOMEM;
out_free:
	pipe_free(p);
	return -ENOMEM;
}
