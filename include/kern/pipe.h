/*
 * Pipes (kernel/fs/pipe.c): a one-page ring buffer between a read end and a
 * write end.
 *
 *   read   blocks until there is data or every write end is closed (then 0,
 *          end of file); returns what is there, up to the count asked.
 *   write  blocks until at least one byte fits, writes what fits and returns
 *          that count -- possibly short.  It never blocks again after making
 *          progress, so a blocked write has transferred nothing and can be
 *          restarted after a checkpoint.  No read end left: -EPIPE (there is
 *          no SIGPIPE).
 *
 * p_readers and p_writers count struct files, not descriptors: dup and fork
 * share a file, so they leave the counts alone.
 */
#ifndef KERN_PIPE_H
#define KERN_PIPE_H

#include <kern/compiler.h>

#define PIPE_SIZE 4096u

struct file;
struct container;

struct pipe {
	char *p_buf;		 /* PIPE_SIZE bytes (one page) */
	uint32_t p_head;	 /* index of the oldest byte */
	uint32_t p_count;	 /* bytes buffered */
	int p_readers;		 /* open read-end files */
	int p_writers;		 /* open write-end files */
	struct container *p_ctr; /* the buffer page is charged to it */
};

/* An empty pipe with no ends yet, its page charged to the caller's
 * container; NULL if memory or the container's page cap runs out. */
struct pipe *pipe_new(void) __must_check;
/* A pipe holding data[0..n) (n <= PIPE_SIZE), for restore; NULL if n is too
 * big or memory runs out. */
struct pipe *pipe_new_with_data(const void *data, size_t n) __must_check;
/* Frees a pipe that has no ends (restore's error path; closing the last
 * end frees a pipe by itself). */
void pipe_free(struct pipe *p);
/* A file for one end of p (counted in p_readers or p_writers), or NULL. */
struct file *pipe_file_new(struct pipe *p, bool write_end) __must_check;
/* Makes a pipe and both its files: 0 or -ENOMEM with nothing left over. */
int pipe_create(struct file **rd, struct file **wr) __must_check;

/* Copies the buffered bytes (at most n) into out without consuming them:
 * the count copied.  For checkpoint. */
size_t pipe_peek(const struct pipe *p, void *out, size_t n);

/* The ring buffer itself: pure, no blocking (host unit tests use these). */
/* Appends up to n bytes: the count stored. */
size_t pipe_ring_put(struct pipe *p, const void *data, size_t n);
/* Removes up to n bytes into out: the count removed. */
size_t pipe_ring_get(struct pipe *p, void *out, size_t n);

#endif
