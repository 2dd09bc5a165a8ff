/*
 * Host build of user/lib/xfer.c (tests/unit/test_xfer.c): the few
 * Cellblock calls it makes beyond POSIX, and read/write renamed (-Dread=
 * -Dwrite= in the test's CFLAGS) so the test can put a faulty cable
 * between the two ends.
 */
#ifndef TESTS_UNIT_XFER_HOST_H
#define TESTS_UNIT_XFER_HOST_H

#include <stdint.h>
#include <sys/types.h>

uint32_t uptime(void);
int yield(void);
int msleep(unsigned ms);

#endif
