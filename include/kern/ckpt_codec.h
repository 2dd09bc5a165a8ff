/*
 * The checkpoint image codec (kernel/lib/ckpt_codec.c): writing, reading and
 * validating images in the format of uapi/ckpt_image.h.  Pure C with no
 * kernel state, compiled into the kernel and into the host tool
 * tools/ckptdump and the unit tests.
 *
 * Images can be large (16 MiB and more), bigger than anything the kernel
 * heap can hold in one piece, so the codec never needs the whole image in
 * memory: the encoder writes through a sink callback and the decoder reads
 * through a source callback, both addressed by byte offset (the kernel's
 * callbacks are copyout/copyin on the user's buffer).
 *
 * Writing: ckpt_enc_begin with the record counts, then every record in
 * section order (containers, tasks, files, pipes, pages), then ckpt_enc_end,
 * which checks the counts and writes the CRC.  Bytes go out strictly in
 * offset order, so the CRC is computed as they go.
 *
 * Validating (check, then commit): ckpt_check_header reads the header and
 * section table; ckpt_check_body then checks the CRC and every record and
 * every cross-reference, using caller-provided scratch memory sized by
 * ckpt_scratch_size.  Only an image that passed both may be decoded for
 * building; a wrong magic or version is -ENOEXEC, anything else -EINVAL.
 */
#ifndef KERN_CKPT_CODEC_H
#define KERN_CKPT_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kern/crc32.h>
#include <uapi/ckpt_image.h>

/* Writes len bytes at image offset off: 0 or a negative errno. */
typedef int (*ckpt_write_fn)(void *ctx, uint32_t off, const void *buf,
			     uint32_t len);
/* Reads len bytes at image offset off: 0 or a negative errno. */
typedef int (*ckpt_read_fn)(void *ctx, uint32_t off, void *buf, uint32_t len);

struct ckpt_source {
	ckpt_read_fn read;
	void *ctx;
	uint32_t len; /* bytes the caller has */
};

#define CKPT_WHY_LEN 96u

/* Where each section is; filled by ckpt_layout_plan or ckpt_check_header. */
struct ckpt_layout {
	uint32_t total_len;
	uint32_t off[CKPT_NSECT + 1];	/* indexed by CKPT_SEC_* */
	uint32_t count[CKPT_NSECT + 1]; /* records */
	uint32_t max_depth;		/* deepest container (after check) */
	uint32_t max_nr;		/* highest PID number (after check) */
	char why[CKPT_WHY_LEN];		/* why the validator refused it */
};

/* Size of one record of section type sec (0 for an unknown type). */
uint32_t ckpt_rec_size(uint32_t sec);
/* Lays out an image with these counts (count[CKPT_SEC_*]): 0, or -ERANGE
 * when it would not fit in 4 GiB. */
int ckpt_layout_plan(struct ckpt_layout *lay, const uint32_t *count);

/* ---- encoder ----------------------------------------------------------- */

struct ckpt_enc {
	ckpt_write_fn write;
	void *ctx;
	struct ckpt_layout lay;
	uint32_t pos;	       /* next byte offset to write */
	uint32_t crc;	       /* of bytes [0, pos) */
	uint32_t sec;	       /* section being written */
	uint32_t done;	       /* records written in it */
	int err;	       /* first error; later calls do nothing */
	uint32_t nzero, zeros; /* rounds: zero pages promised, written */
};

/* Starts an image with the given counts: writes the header and the section
 * table.  0 or a negative errno (also kept in e->err). */
int ckpt_enc_begin(struct ckpt_enc *e, ckpt_write_fn write, void *ctx,
		   const uint32_t *count);
int ckpt_enc_container(struct ckpt_enc *e, const struct ckpt_container *c);
int ckpt_enc_task(struct ckpt_enc *e, const struct ckpt_task *t);
int ckpt_enc_file(struct ckpt_enc *e, const struct ckpt_file *f);
/* A pipe holding data[0..count), count <= CKPT_PIPE_SIZE. */
int ckpt_enc_pipe(struct ckpt_enc *e, uint32_t count, const void *data);
/* One page: CKPT_PAGE_SIZE bytes of data at user address va. */
int ckpt_enc_page(struct ckpt_enc *e, uint32_t va, uint32_t flags,
		  const void *data);
/* Checks that every promised record was written, writes the CRC: the image
 * length, or a negative errno (-EINVAL if records are missing). */
int64_t ckpt_enc_end(struct ckpt_enc *e);
/* Writes the CRC of everything written into the header: the image's
 * length, or a negative errno.  For ckpt_enc_end and the round encoder,
 * once every byte is out. */
int64_t ckpt_enc_seal(struct ckpt_enc *e);

/* ---- validator --------------------------------------------------------- */

/* What the reader's machine allows; an image beyond these is -EINVAL. */
struct ckpt_limits {
	uint32_t pid_max;   /* highest PID number */
	uint32_t max_ctrs;  /* containers in one image */
	uint32_t max_tasks; /* tasks in one image */
	uint32_t max_pages; /* page records in one image */
	uint32_t max_depth; /* deepest relative container depth */
	bool skip_crc;	    /* the image was just written by this codec's
			       encoder, which computed its CRC as it went */
};

/* Checks magic, version, header, lengths and the section table (not yet
 * the CRC): 0 with *lay filled, -ENOEXEC, or -EINVAL.  On refusal
 * lay->why says why, in one line for people (both checks). */
int ckpt_check_header(const struct ckpt_source *src,
		      const struct ckpt_limits *lim, struct ckpt_layout *lay);
/* Bytes of scratch memory ckpt_check_body needs for this layout. */
size_t ckpt_scratch_size(const struct ckpt_layout *lay);
#define CKPT_IOBUF_SIZE 4096u
/* Checks the CRC and every record and cross-reference (see the file's
 * comment and docs/checkpoint-format.md for the list); sets
 * lay->max_depth and lay->max_nr.  scratch is
 * ckpt_scratch_size(lay) bytes (4-byte aligned), iobuf CKPT_IOBUF_SIZE
 * bytes.  0 or -EINVAL (or the source's own error). */
int ckpt_check_body(const struct ckpt_source *src,
		    const struct ckpt_limits *lim, struct ckpt_layout *lay,
		    void *scratch, void *iobuf);

/* ---- decoder: one record at a time, in host byte order ----------------- */

/* Record i of section sec into rec (ckpt_rec_size(sec) bytes, or for PIPES
 * and PAGES only the leading words when words_only).  Strings come back
 * NUL-terminated whatever the image holds.  0 or a negative errno. */
int ckpt_read_rec(const struct ckpt_source *src, const struct ckpt_layout *lay,
		  uint32_t sec, uint32_t i, void *rec, bool words_only);
/* The data of pipe i (CKPT_PIPE_SIZE bytes) or page i (CKPT_PAGE_SIZE
 * bytes) straight into buf. */
int ckpt_read_data(const struct ckpt_source *src, const struct ckpt_layout *lay,
		   uint32_t sec, uint32_t i, void *buf);

/* ---- version 2: incremental rounds (kernel/lib/ckpt_round.c) ----------- */

/* Is the page (CKPT_PAGE_SIZE bytes) all zeros? */
bool ckpt_page_is_zero(const void *data);
/* Bytes of a round of npages pages, nodata of them without data (zero or
 * kept); 0 if that cannot be (nodata > npages, or 4 GiB or more). */
uint32_t ckpt_round_size(uint32_t npages, uint32_t nodata);
/* Starts a round image: r (r_npages, r_nzero, r_nkept exact) gives its
 * length.
 * Writes the header and round record: 0 or a negative errno. */
int ckpt_round_begin(struct ckpt_enc *e, ckpt_write_fn write, void *ctx,
		     const struct ckpt_round *r);
/* One page of task index task; stored without data if all zeros, and as
 * CKPT_PG_KEPT (no data) if data is NULL. */
int ckpt_round_enc_page(struct ckpt_enc *e, uint32_t task, uint32_t va,
			uint32_t flags, const void *data);
/* Checks the promised counts, writes the CRC: the length or -errno. */
int64_t ckpt_round_end(struct ckpt_enc *e);
/* Checks a whole round: magic and version (-ENOEXEC), header, CRC, round
 * record and every page record (-EINVAL, lay->why says why); *r gets the
 * round record, lay->total_len its length.  iobuf: CKPT_IOBUF_SIZE bytes. */
int ckpt_round_check(const struct ckpt_source *src, struct ckpt_round *r,
		     struct ckpt_layout *lay, void *iobuf);
/* Reads the page record at *off (the first is at CKPT_ROUND_HDR_SIZE) and
 * its data into data (zeros for a zero page, untouched for a kept one;
 * skipped if data is NULL),
 * and moves *off to the next record.  Only on a round that passed
 * ckpt_round_check.  0 or a negative errno. */
int ckpt_round_page(const struct ckpt_source *src, uint32_t *off,
		    struct ckpt_rpage *p, void *data);

#endif
