/*
 * /dev/eth0: the network card as a raw Ethernet frame device
 * (kernel/dev/eth.c).
 *
 *   write: one call sends one frame of 14..1514 bytes (destination MAC,
 *          source MAC, EtherType, payload; no FCS) and returns its length;
 *          any other length is EINVAL.  The card pads frames shorter than
 *          60 bytes, so the receiver sees at least 60.
 *   read:  one call returns one received frame.  A buffer shorter than
 *          the frame gets its first bytes and the rest is dropped (like a
 *          packet socket); the return value is what was copied.  With no
 *          frame queued the read blocks like the console's, and a blocked
 *          read is restarted after checkpoint/restore; opened with
 *          O_NONBLOCK it returns EAGAIN instead.
 *   open:  the node exists only when a card was found at boot, so without
 *          one open gives ENOENT.
 *
 * Test mode: the boot knob net_drop=PERCENT (0-90) makes reads throw away
 * that share of received frames and hold back about as many others until
 * the next frame has been read (reordering), so the transfer protocol's
 * retransmission can be tested on a clean link.
 */
#ifndef KERN_ETH_H
#define KERN_ETH_H

#include <kern/compiler.h>

struct file;

/* Starts the card if there is one; drop_pct is the net_drop knob. */
void eth_init(uint32_t drop_pct);
/* Was a card found? (devfs makes /dev/eth0 only then.) */
bool eth_present(void);
/* A new /dev/eth0 file, or NULL with *err. */
struct file *eth_open(int flags, int *err) __must_check;

#endif
