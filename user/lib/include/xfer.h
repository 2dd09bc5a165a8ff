/*
 * A reliable transfer of one buffer over /dev/eth0 (user/lib/xfer.c),
 * between two machines on one cable.  The protocol (docs/network.md):
 *
 *   Ethernet frames to the broadcast address with EtherType 0x88B5 (IEEE
 *   "local experimental"), each with a 24-byte header: type (DATA, ACK,
 *   FIN, FINACK), payload length, a session number, a sequence number,
 *   the total length and the CRC-32 of the whole buffer.
 *
 *   The sender cuts the buffer into 1476-byte pieces, DATA seq 0, 1, ...,
 *   and keeps up to XFER_WINDOW of them in flight.  The receiver answers
 *   with ACKs carrying the next sequence number it needs (cumulative) and
 *   a bitmap of the 32 after it that it already has (selective), so one
 *   lost frame costs one retransmission: sent at once when an ACK shows
 *   three later pieces but not this one (fast retransmit), else when the
 *   retransmission timeout (below) runs out.  When every piece
 *   is acknowledged the sender sends FIN until the receiver's verdict
 *   comes (or gives up after a few tries: the data is known to be there).
 *   The receiver checks the CRC-32 of the whole buffer when the last
 *   piece is in, and answers FIN with FINACK (it matches) or BADCRC.
 *
 * Both ends give up with EIO after XFER_STALL_MS without progress, the
 * sender already after XFER_ANSWER_MS when no ACK has come at all (nobody
 * is receiving); the receiver waits for the first frame as long as it
 * takes.
 */
#ifndef USER_XFER_H
#define USER_XFER_H

#include <sys/types.h>

#define XFER_ETHERTYPE 0x88b5
#define XFER_WINDOW    32 /* frames in flight (the card rings hold 128) */
/* Retransmission timeout (uptime() counts in 10 ms ticks): INIT until a
 * round trip has been measured, then twice the smoothed round trip plus
 * 20 ms, within [MIN, MAX]; doubled after each retransmission. */
#define XFER_RTO_INIT_MS 300
#define XFER_RTO_MIN_MS	 100
#define XFER_RTO_MAX_MS	 640
#define XFER_STALL_MS	 10000
#define XFER_ANSWER_MS	 5000

struct xfer_stats {
	uint32_t frames;      /* DATA frames sent or taken */
	uint32_t retransmits; /* DATA frames sent again (sender) */
	uint32_t duplicates;  /* DATA frames seen twice (receiver) */
	uint32_t ms;	      /* first DATA to last ACK / to complete */
	uint32_t acked;	      /* pieces acknowledged in order (sender) */
	uint32_t rejected;    /* receiver's CRC-32 did not match (sender) */
};

/* Sends buf[0..len) through fd (open /dev/eth0, O_RDWR|O_NONBLOCK):
 * 0, or -1 with errno (EIO: the peer stopped answering, never did, or
 * found a CRC-32 mismatch: st->rejected).  With st->acked 0 after a
 * failure the receiver cannot have the whole buffer (unless every one of
 * its ACKs was lost). */
int xfer_send(int fd, const void *buf, size_t len, struct xfer_stats *st);
/* Receives one buffer of at most max bytes through fd (same flags): a
 * malloc'd buffer and its length in *len, or NULL with errno (EIO: CRC
 * mismatch or the sender stopped; EFBIG: more than max bytes). */
void *xfer_recv(int fd, size_t max, size_t *len, struct xfer_stats *st);
/* CRC-32 (IEEE 802.3, as in the checkpoint image) of buf[0..len). */
uint32_t xfer_crc32(const void *buf, size_t len);

#endif
