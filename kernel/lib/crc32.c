/*
 * CRC-32 (IEEE 802.3, reflected, as zlib), in one place for everything that
 * checks bytes end to end: checkpoint images (kernel/lib/ckpt_codec.c and
 * the host tools) and the network transfer protocol (user/lib/xfer.c, whose
 * library builds this file too).  Pure C with no kernel state.
 */
#include <kern/crc32.h>

/* CRC-32 by "slicing by 4": four tables let the loop take a word at a time
 * (images are megabytes; this is several times faster than a byte at a
 * time).  table[0] is the classic byte table; table[k][b] is the CRC of
 * byte b followed by k zero bytes. */
static uint32_t crc_table[4][256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[0][i] = c;
	}
	for (uint32_t i = 0; i < 256; i++)
		for (int k = 1; k < 4; k++)
			crc_table[k][i] =
			    (crc_table[k - 1][i] >> 8) ^
			    crc_table[0][crc_table[k - 1][i] & 0xff];
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (!crc_table[0][1])
		crc_init();
	crc = ~crc;
	for (; len >= 4; len -= 4, p += 4) {
		crc ^= (uint32_t)p[0] | (uint32_t)p[1] << 8 |
		       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
		crc =
		    crc_table[3][crc & 0xff] ^ crc_table[2][(crc >> 8) & 0xff] ^
		    crc_table[1][(crc >> 16) & 0xff] ^ crc_table[0][crc >> 24];
	}
	while (len--)
		crc = crc_table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}
