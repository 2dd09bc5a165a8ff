/*
 * The transfer protocol of xfer.h: a sliding window of DATA frames with
 * cumulative-plus-selective acknowledgements, retransmission on a timeout
 * measured with uptime(), and a CRC-32 over the whole buffer.  Both ends
 * poll a non-blocking /dev/eth0 and yield the CPU while idle, so one loop
 * can both send what is due and take what has come.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xfer.h>
#include <kern/crc32.h>

#define ETH_HLEN   14
#define XFER_HLEN  24
#define XFER_CHUNK (1500 - XFER_HLEN)
#define ACK_EVERY  8	/* in-order DATA frames per ACK */
#define LINGER_MS  1000 /* receiver: wait for FIN after the last piece */
#define FIN_TRIES  10

/* FINACK: the whole buffer is here and its CRC-32 matches; BADCRC: it is
 * here and does not. */
enum { XF_DATA = 1, XF_ACK, XF_FIN, XF_FINACK, XF_BADCRC };

struct xfer_frame {
	uint8_t dst[6], src[6];
	uint8_t type[2]; /* EtherType, big-endian */
	uint8_t kind;
	uint8_t pad;
	uint16_t plen;	  /* DATA: payload bytes */
	uint32_t session; /* chosen by the sender */
	uint32_t seq;	  /* DATA: piece number; ACK: next piece needed */
	uint32_t total;	  /* buffer length */
	uint32_t crc;	  /* CRC-32 of the whole buffer */
	uint32_t sack;	  /* ACK: bit k = piece seq+1+k is here */
	uint8_t data[XFER_CHUNK];
} __attribute__((packed));

_Static_assert(sizeof(struct xfer_frame) == ETH_HLEN + XFER_HLEN + XFER_CHUNK,
	       "frame layout");

uint32_t xfer_crc32(const void *buf, size_t len)
{
	return crc32_update(0, buf, len);
}

/* Fills the Ethernet and protocol header of f. */
static void header(struct xfer_frame *f, int kind, uint32_t session,
		   uint32_t seq, uint32_t total, uint32_t crc)
{
	memset(f->dst, 0xff, sizeof(f->dst)); /* one cable: broadcast */
	memset(f->src, 0, sizeof(f->src));
	f->src[0] = 0x02; /* locally administered */
	f->type[0] = XFER_ETHERTYPE >> 8;
	f->type[1] = XFER_ETHERTYPE & 0xff;
	f->kind = (uint8_t)kind;
	f->pad = 0;
	f->plen = 0;
	f->session = session;
	f->seq = seq;
	f->total = total;
	f->crc = crc;
	f->sack = 0;
}

/* Sends f with plen payload bytes: 0 or -1.  A full transmit ring
 * (EAGAIN) counts as sent: the frame is as good as lost on the cable, and
 * the protocol recovers from that. */
static int put(int fd, struct xfer_frame *f, size_t plen)
{
	f->plen = (uint16_t)plen;
	if (write(fd, f, ETH_HLEN + XFER_HLEN + plen) >= 0 || errno == EAGAIN)
		return 0;
	return -1;
}

/* Reads one frame of ours: its kind, 0 when none is waiting, -1 on error.
 * Frames of other EtherTypes, short ones and those whose payload length
 * does not fit are skipped. */
static int get(int fd, struct xfer_frame *f)
{
	for (;;) {
		ssize_t r = read(fd, f, sizeof(*f));
		if (r < 0)
			return errno == EAGAIN ? 0 : -1;
		if (r < ETH_HLEN + XFER_HLEN ||
		    f->type[0] != XFER_ETHERTYPE >> 8 ||
		    f->type[1] != (XFER_ETHERTYPE & 0xff) ||
		    f->plen > r - ETH_HLEN - XFER_HLEN)
			continue;
		return f->kind;
	}
}

/* Piece i's payload length in a buffer of len bytes. */
static uint32_t piece_len(uint32_t len, uint32_t i)
{
	uint32_t off = i * XFER_CHUNK;

	return len - off < XFER_CHUNK ? len - off : XFER_CHUNK;
}

/* Does the DATA frame in f agree with its own header? */
static int data_fits(const struct xfer_frame *f)
{
	uint32_t n = f->total ? (f->total + XFER_CHUNK - 1) / XFER_CHUNK : 1;

	return f->seq < n && f->plen == piece_len(f->total, f->seq);
}

/* ---- sender ------------------------------------------------------------ */

struct tx {
	int fd;
	const uint8_t *buf;
	uint32_t len, n, base, session, crc;
	uint32_t rto, srtt; /* ms; srtt 0: no round trip measured yet */
	uint32_t fast;	    /* piece to send again at once, or NO_PIECE */
	uint32_t fast_done; /* the last piece sent again that way */
	int answered;	    /* an ACK of this session has come */
	uint32_t *sent_at;  /* uptime of the last send, per piece */
	uint8_t *state;	    /* per piece: PIECE_* */
	struct xfer_frame f;
	struct xfer_stats *st;
};

enum { PIECE_UNSENT, PIECE_SENT, PIECE_ACKED, PIECE_RESENT };

#define NO_PIECE   0xffffffffu
#define FAST_AFTER 3 /* pieces seen past a hole that make it a loss */

/* Learns from a round trip of sample ms: a smoothed mean, and a timeout
 * of twice that plus a tick's slack. */
static void tx_rtt_sample(struct tx *t, uint32_t sample)
{
	uint32_t rto;

	t->srtt = t->srtt ? (7 * t->srtt + sample) / 8 : sample + 1;
	rto = 2 * t->srtt + 20;
	t->rto = rto < XFER_RTO_MIN_MS	 ? XFER_RTO_MIN_MS
		 : rto > XFER_RTO_MAX_MS ? XFER_RTO_MAX_MS
					 : rto;
}

/* Takes ACKs; returns whether the window moved, or -1 on error. */
static int tx_take_acks(struct tx *t, uint32_t now)
{
	int kind, moved = 0;

	while ((kind = get(t->fd, &t->f)) > 0) {
		uint32_t ack = t->f.seq, past = 0;
		if (kind != XF_ACK || t->f.session != t->session || ack > t->n)
			continue;
		t->answered = 1;
		for (uint32_t k = 0; k < 32 && ack + 1 + k < t->n; k++)
			if (t->f.sack & (1u << k)) {
				t->state[ack + 1 + k] = PIECE_ACKED;
				past++;
			}
		/* Fast retransmit: later pieces arrived, this one did not. */
		if (past >= FAST_AFTER && ack != t->fast_done)
			t->fast = ack;
		if (ack > t->base && t->state[ack - 1] == PIECE_SENT)
			tx_rtt_sample(t, now - t->sent_at[ack - 1]);
		while (t->base < ack) {
			t->state[t->base++] = PIECE_ACKED;
			moved = 1;
		}
	}
	return kind < 0 ? -1 : moved;
}

/* Sends every piece of the window that is new or overdue: how many, or
 * -1. */
static int tx_send_due(struct tx *t, uint32_t now)
{
	int sent = 0, late = 0;

	for (uint32_t i = t->base; i < t->n && i < t->base + XFER_WINDOW; i++) {
		uint32_t plen = piece_len(t->len, i);
		int again = t->state[i] != PIECE_UNSENT;
		if (t->state[i] == PIECE_ACKED ||
		    (again && i != t->fast && now - t->sent_at[i] < t->rto))
			continue;
		if (again) {
			t->st->retransmits++;
			late |= i != t->fast;
		}
		if (i == t->fast) {
			t->fast_done = i;
			t->fast = NO_PIECE;
		}
		header(&t->f, XF_DATA, t->session, i, t->len, t->crc);
		memcpy(t->f.data, t->buf + i * XFER_CHUNK, plen);
		if (put(t->fd, &t->f, plen) < 0)
			return -1;
		/* Karn: no round-trip sample from a piece sent twice. */
		t->state[i] = again ? PIECE_RESENT : PIECE_SENT;
		t->sent_at[i] = now;
		t->st->frames++;
		sent++;
	}
	if (late && t->rto < XFER_RTO_MAX_MS)
		t->rto *= 2; /* a timeout: the peer or the cable is slow */
	return sent;
}

/* Runs the window until every piece is acknowledged: 0 or -1. */
static int tx_run(struct tx *t)
{
	uint32_t start = uptime(), progress = start;

	while (t->base < t->n) {
		uint32_t now = uptime();
		int moved = tx_take_acks(t, now);
		int sent = moved < 0 ? -1 : tx_send_due(t, now);
		if (sent < 0)
			return -1;
		t->st->acked = t->base;
		if (moved)
			progress = now;
		if (now - progress >
		    (t->answered ? XFER_STALL_MS : XFER_ANSWER_MS)) {
			errno = EIO;
			return -1;
		}
		if (!moved && !sent)
			yield();
	}
	t->st->acked = t->base;
	t->st->ms = uptime() - start;
	return 0;
}

/* FIN until the receiver's verdict, a few times at most: 0, or -1 with
 * EIO when the receiver's CRC-32 did not match.  No verdict at all counts
 * as success: every piece was acknowledged. */
static int tx_finish(struct tx *t)
{
	for (int i = 0; i < FIN_TRIES; i++) {
		uint32_t at = uptime();
		header(&t->f, XF_FIN, t->session, t->n, t->len, t->crc);
		if (put(t->fd, &t->f, 0) < 0)
			return 0;
		while (uptime() - at < t->rto) {
			int kind = get(t->fd, &t->f);
			if (kind < 0)
				return 0;
			if (kind == XF_BADCRC && t->f.session == t->session) {
				t->st->rejected = 1;
				errno = EIO;
				return -1;
			}
			if (kind == XF_FINACK && t->f.session == t->session)
				return 0;
			if (!kind)
				yield();
		}
	}
	return 0;
}

int xfer_send(int fd, const void *buf, size_t len, struct xfer_stats *st)
{
	struct xfer_stats dummy = {0};
	struct tx *t = calloc(1, sizeof(*t));
	int r = -1;

	if (!t)
		return -1;
	t->fd = fd;
	t->buf = buf;
	t->len = (uint32_t)len;
	t->n = len ? (t->len + XFER_CHUNK - 1) / XFER_CHUNK : 1;
	t->session = uptime() * 2654435761u ^ (uint32_t)getpid();
	t->crc = xfer_crc32(buf, len);
	t->rto = XFER_RTO_INIT_MS;
	t->fast = t->fast_done = NO_PIECE;
	t->st = st ? st : &dummy;
	memset(t->st, 0, sizeof(*t->st));
	t->sent_at = calloc(t->n, sizeof(uint32_t));
	t->state = calloc(t->n, 1);
	if (t->sent_at && t->state && tx_run(t) == 0)
		r = tx_finish(t);
	free(t->sent_at);
	free(t->state);
	free(t);
	return r;
}

/* ---- receiver ---------------------------------------------------------- */

struct rx {
	int fd;
	uint8_t *buf;
	uint8_t *have; /* per piece */
	uint32_t len, n, next, count, session, crc, pending;
	int crc_ok; /* set when the last piece arrives */
	struct xfer_frame f;
	struct xfer_stats *st;
};

/* Sends an ACK for what has arrived: 0 or -1. */
static int rx_ack(struct rx *r)
{
	header(&r->f, XF_ACK, r->session, r->next, r->len, r->crc);
	for (uint32_t k = 0; k < 32 && r->next + 1 + k < r->n; k++)
		if (r->have[r->next + 1 + k])
			r->f.sack |= 1u << k;
	r->pending = 0;
	return put(r->fd, &r->f, 0);
}

/* Sets up r from the first DATA frame (in r->f): 0 or -1. */
static int rx_start(struct rx *r, size_t max)
{
	r->session = r->f.session;
	r->len = r->f.total;
	r->crc = r->f.crc;
	r->n = r->len ? (r->len + XFER_CHUNK - 1) / XFER_CHUNK : 1;
	if (r->len > max) {
		errno = EFBIG;
		return -1;
	}
	r->buf = malloc(r->len ? r->len : 1);
	r->have = calloc(r->n, 1);
	return r->buf && r->have ? 0 : -1;
}

/* Stores the DATA frame in r->f if it belongs: ACK now (1), later (0),
 * ignore (-1). */
static int rx_data(struct rx *r)
{
	uint32_t seq = r->f.seq;

	if (r->f.session != r->session || r->f.total != r->len ||
	    !data_fits(&r->f))
		return -1;
	if (r->have[seq]) {
		r->st->duplicates++;
		return 1; /* our ACK was lost or late: say it again */
	}
	memcpy(r->buf + seq * XFER_CHUNK, r->f.data, r->f.plen);
	r->have[seq] = 1;
	r->count++;
	r->st->frames++;
	if (seq != r->next) {
		r->pending++;
		return 1; /* a gap: tell the sender at once */
	}
	while (r->next < r->n && r->have[r->next])
		r->next++;
	return ++r->pending >= ACK_EVERY || r->next == r->n;
}

/* Every piece is here: 0 if the CRC-32 matches, else -1 with EIO. */
static int rx_verdict(const struct rx *r)
{
	if (r->crc_ok)
		return 0;
	errno = EIO;
	return -1;
}

/* Answers the sender's FIN with the verdict: 0 or -1. */
static int rx_finish(struct rx *r)
{
	header(&r->f, r->crc_ok ? XF_FINACK : XF_BADCRC, r->session, r->n,
	       r->len, r->crc);
	if (put(r->fd, &r->f, 0) < 0)
		return -1;
	return rx_verdict(r);
}

/* Takes DATA until every piece is here and the sender says FIN (or
 * lingers LINGER_MS), then checks the CRC-32: 0 or -1. */
static int rx_run(struct rx *r)
{
	uint32_t start = uptime(), last = start, done_at = 0;

	for (;;) {
		uint32_t now = uptime();
		int kind = get(r->fd, &r->f), act = -1;
		if (kind < 0)
			return -1;
		if (kind == XF_DATA)
			act = rx_data(r);
		if (kind == XF_FIN && r->f.session == r->session && done_at)
			return rx_finish(r);
		if (act >= 0)
			last = now;
		if (act > 0 || (!kind && r->pending))
			if (rx_ack(r) < 0)
				return -1;
		if (r->count == r->n && !done_at) {
			done_at = now ? now : 1;
			r->st->ms = now - start;
			r->crc_ok = xfer_crc32(r->buf, r->len) == r->crc;
		}
		if (done_at && now - done_at > LINGER_MS)
			return rx_verdict(r);
		if (!done_at && now - last > XFER_STALL_MS) {
			errno = EIO;
			return -1;
		}
		if (!kind)
			yield();
	}
}

/* Waits for the first DATA frame that fits its header (as long as it
 * takes): 0 or -1. */
static int rx_wait_first(struct rx *r)
{
	int kind;

	while ((kind = get(r->fd, &r->f)) != XF_DATA || !data_fits(&r->f)) {
		if (kind < 0)
			return -1;
		if (kind == 0)
			msleep(10);
	}
	return 0;
}

void *xfer_recv(int fd, size_t max, size_t *len, struct xfer_stats *st)
{
	struct xfer_stats dummy = {0};
	struct rx *r = calloc(1, sizeof(*r));
	void *out = NULL;

	if (!r)
		return NULL;
	r->fd = fd;
	r->st = st ? st : &dummy;
	memset(r->st, 0, sizeof(*r->st));
	if (rx_wait_first(r) == 0 && rx_start(r, max) == 0 && rx_data(r) >= 0 &&
	    rx_ack(r) == 0 && rx_run(r) == 0) {
		out = r->buf;
		r->buf = NULL;
		*len = r->len;
	}
	free(r->buf);
	free(r->have);
	free(r);
	return out;
}
