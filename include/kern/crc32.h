/*
 * CRC-32 (kernel/lib/crc32.c), shared by the kernel, the host tools and the
 * user library.
 */
#ifndef KERN_CRC32_H
#define KERN_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, reflected, as zlib): crc32_update(0, buf, len) starts
 * one; feeding pieces in order gives the CRC of their concatenation. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
