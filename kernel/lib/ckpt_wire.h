/*
 * What the two halves of the checkpoint codec share (kernel/lib/ckpt_codec.c
 * writes and reads images and checks their header, kernel/lib/ckpt_check.c
 * validates their records): record sizes, byte order, raw record reads and
 * the refusal reason.  Internal to those two files.
 */
#ifndef KERNEL_CKPT_WIRE_H
#define KERNEL_CKPT_WIRE_H

#include <kern/ckpt_codec.h>
#include <kern/compiler.h>

/* Record size and number of leading words, by section type. */
extern const uint32_t ckpt_rec_sizes[CKPT_NSECT + 1];
extern const uint32_t ckpt_rec_words[CKPT_NSECT + 1];

/* Converts a word between host and little-endian order (either way). */
static inline uint32_t le32(uint32_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return __builtin_bswap32(v);
#else
	return v;
#endif
}

/* Converts n words in place. */
static inline void words_le(uint32_t *w, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		w[i] = le32(w[i]);
}

/* Reads [off, off+len) of the image: -EINVAL past the caller's length. */
int ckpt_src_read(const struct ckpt_source *s, uint32_t off, void *buf,
		  uint32_t len) __must_check;
/* Reads record i of sec (its first n bytes) as stored, then converts its
 * words to host order. */
int ckpt_read_raw(const struct ckpt_source *src, const struct ckpt_layout *lay,
		  uint32_t sec, uint32_t i, void *rec, uint32_t n) __must_check;
/* Records in lay->why, for people, why the image is refused: returns err. */
int ckpt_refuse(struct ckpt_layout *lay, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
