/*
 * /dev/eth0 on top of the e1000 driver; semantics in kern/eth.h.
 *
 * Received frames wait in the card's receive ring; a reader takes them in
 * order with interrupts off, so the receive interrupt's wakeup cannot slip
 * between the test and sleep_on (as in kernel/dev/tty.c).  A read that blocks
 * has taken nothing yet, so the system call can be issued again after a
 * checkpoint/restore.  A write waits (in 10 ms sleeps, killable) only when
 * the transmit ring is full.
 *
 * The net_drop test mode uses a small linear congruential generator; its
 * fixed seed makes a run repeatable.
 */
#include <kern/eth.h>
#include <kern/e1000.h>
#include <kern/file.h>
#include <kern/sched.h>
#include <kern/irq.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>

static struct {
	bool present;
	uint32_t drop_pct; /* [I] net_drop knob */
	uint32_t rng;
	uint8_t scratch[ETH_FRAME_MAX]; /* test mode: frame being judged */
	uint8_t held[ETH_FRAME_MAX];	/* test mode: frame held back */
	size_t held_len;		/* 0: none held */
	bool held_due;			/* a later frame went out: send it */
} eth;

static int tx_wait; /* sleep channel while the transmit ring is full */

/* The card has frames (interrupt context): wake the readers. */
static void eth_rx_notify(void)
{
	wakeup(&eth);
}

void eth_init(uint32_t drop_pct)
{
	eth.drop_pct = drop_pct;
	eth.rng = 12345;
	eth.present = e1000_init(eth_rx_notify) == 0;
	if (eth.present && drop_pct)
		printk("eth0: test mode: dropping and reordering about %u%% "
		       "of received frames each\n",
		       (unsigned)drop_pct);
}

bool eth_present(void)
{
	return eth.present;
}

/* A pseudo-random number in [0, 100). */
static uint32_t roll(void)
{
	eth.rng = eth.rng * 1103515245u + 12345u;
	return (eth.rng >> 16) % 100;
}

/* Copies frame (len bytes) to buf (room for n); returns len. */
static size_t deliver(void *buf, size_t n, const void *frame, size_t len)
{
	memcpy(buf, frame, MIN(n, len));
	return len;
}

/* Test mode take: drops, holds back or delivers the next frames. */
static size_t take_lossy(void *buf, size_t n)
{
	size_t len;

	if (eth.held_len && eth.held_due) {
		len = eth.held_len;
		eth.held_len = 0;
		return deliver(buf, n, eth.held, len);
	}
	while ((len = e1000_rx_take(eth.scratch, sizeof(eth.scratch)))) {
		len = MIN(len, sizeof(eth.scratch)); /* VLAN-sized: cut */
		if (roll() < eth.drop_pct)
			continue;
		if (!eth.held_len && roll() < eth.drop_pct) {
			memcpy(eth.held, eth.scratch, len);
			eth.held_len = len;
			eth.held_due = false;
			continue;
		}
		eth.held_due = eth.held_len != 0;
		return deliver(buf, n, eth.scratch, len);
	}
	return 0;
}

/* The next frame for a reader: its length, or 0 when none waits. */
static size_t take(void *buf, size_t n)
{
	return eth.drop_pct ? take_lossy(buf, n) : e1000_rx_take(buf, n);
}

/* One frame, cut to n bytes; blocks until one comes unless O_NONBLOCK. */
static int32_t eth_read(struct file *f, void *buf, size_t n, bool may_block)
{
	uint32_t fl = irq_save();
	size_t len;
	int r;

	while (!(len = take(buf, n))) {
		if (!may_block) {
			irq_restore(fl);
			return 0;
		}
		if (f->f_flags & O_NONBLOCK) {
			irq_restore(fl);
			return -EAGAIN;
		}
		r = sleep_on(&eth);
		if (r < 0) {
			irq_restore(fl);
			return r;
		}
	}
	irq_restore(fl);
	return (int32_t)MIN(n, len);
}

/* Sends buf as one frame: n, -EINVAL for a bad length, -EAGAIN. */
static int32_t eth_write(struct file *f, const void *buf, size_t n,
			 bool may_block)
{
	int r;

	if (n < ETH_HLEN || n > ETH_FRAME_MAX)
		return -EINVAL;
	for (;;) {
		r = e1000_tx(buf, n);
		if (r != -EAGAIN)
			return r < 0 ? r : (int32_t)n;
		if (!may_block || (f->f_flags & O_NONBLOCK))
			return -EAGAIN;
		r = sleep_on_until(&tx_wait, uptime_ms() + 10);
		if (r < 0)
			return r;
	}
}

static const struct file_ops eth_ops = {
    .read = eth_read,
    .write = eth_write,
    .stream = true,
    .whole_writes = true,
    .nonblock = true,
};

struct file *eth_open(int flags, int *err)
{
	struct file *f;

	if (!eth.present) {
		*err = -ENOENT;
		return NULL;
	}
	f = file_alloc(FILE_ETH0, flags, &eth_ops);
	if (!f)
		*err = -ENOMEM;
	return f;
}
