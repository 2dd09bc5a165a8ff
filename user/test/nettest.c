/*
 * nettest: checks /dev/eth0 and the transfer protocol between two machines
 * on one cable (tests/cases/net.py boots them).
 *
 *   nettest local          one machine: length limits, O_NONBLOCK, the
 *                          card's registers out of reach of user code
 *   nettest nocard         a machine without a card: open is ENOENT
 *   nettest send N         N raw frames of varying length, numbered
 *   nettest recv N         takes N frames; checks order, length, contents;
 *                          prints the one-way throughput
 *   nettest ping N         N round trips; prints the mean round-trip time
 *   nettest pong N         answers N pings
 *   nettest xsend BYTES    sends BYTES of pseudo-random data with xfer
 *   nettest xrecv BYTES    receives them and compares with the same data
 *
 * Each mode ends with one line "nettest MODE: PASS ..." or
 * "nettest MODE: FAIL why" and exits 0 or 1.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xfer.h>

#define RAW_TYPE   0x88b6 /* not the protocol's: these are bare frames */
#define FRAME_MAX  1514
#define BURST	   64 /* raw frames per credit: half the receive ring */
#define SHORT_READ 20 /* buffer size of the first read in recv */

static const char *mode;

/* Prints "nettest MODE: PASS " and fmt; returns exit status 0. */
__attribute__((format(printf, 1, 2))) static int pass(const char *fmt, ...)
{
	va_list ap;

	printf("nettest %s: PASS ", mode);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	return 0;
}

/* Prints "nettest MODE: FAIL why (errno N)"; returns exit status 1. */
static int fail(const char *why)
{
	printf("nettest %s: FAIL %s (errno %d)\n", mode, why, errno);
	return 1;
}

/* Opens the card for reading and writing, with extra open flags. */
static int eth_open(int flags)
{
	return open("/dev/eth0", O_RDWR | flags);
}

/* Frame i of the raw test: its length and contents. */
static size_t raw_len(uint32_t i)
{
	return 60 + (i * 379u) % (FRAME_MAX - 60 + 1);
}

/* Fills f with raw test frame i (raw_len(i) bytes). */
static void raw_fill(uint8_t *f, uint32_t i)
{
	size_t len = raw_len(i);

	memset(f, 0xff, 6);
	memset(f + 6, 0x02, 6);
	f[12] = RAW_TYPE >> 8;
	f[13] = RAW_TYPE & 0xff;
	memcpy(f + 14, &i, 4);
	for (size_t k = 18; k < len; k++)
		f[k] = (uint8_t)(i * 7 + k);
}

/* Does reading the card's registers (BAR 0, which SeaBIOS puts at
 * 0xfebc0000 under QEMU 7.2) from user mode kill the reader? */
static int registers_protected(void)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		printf("nettest local: register read gave %x\n",
		       *(volatile uint32_t *)0xfebc0008u);
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st);
}

/* One machine, a card, no peer needed. */
static int local(void)
{
	uint8_t f[FRAME_MAX + 1];
	int fd = eth_open(O_NONBLOCK);

	if (fd < 0)
		return fail("open /dev/eth0");
	raw_fill(f, 0);
	if (write(fd, f, 13) != -1 || errno != EINVAL)
		return fail("13-byte write not EINVAL");
	if (write(fd, f, FRAME_MAX + 1) != -1 || errno != EINVAL)
		return fail("1515-byte write not EINVAL");
	if (write(fd, f, 14) != 14 || write(fd, f, FRAME_MAX) != FRAME_MAX)
		return fail("14- and 1514-byte writes");
	if (read(fd, f, sizeof(f)) != -1 || errno != EAGAIN)
		return fail("O_NONBLOCK read with nothing queued not EAGAIN");
	if (!registers_protected())
		return fail("user code reached the card's registers");
	close(fd);
	return pass("limits %u..%u, nonblocking read EAGAIN, registers "
		    "supervisor-only",
		    14, FRAME_MAX);
}

/* A machine booted without a card. */
static int nocard(void)
{
	if (eth_open(0) >= 0 || errno != ENOENT)
		return fail("open /dev/eth0 without a card not ENOENT");
	return pass("open is ENOENT");
}

/* Waits for a credit frame (RAW_TYPE + 1) from the receiver. */
static int wait_credit(int fd, uint8_t *f)
{
	ssize_t r;

	do {
		r = read(fd, f, FRAME_MAX);
		if (r < 0)
			return -1;
	} while (r < 14 || f[12] != RAW_TYPE >> 8 ||
		 f[13] != ((RAW_TYPE + 1) & 0xff));
	return 0;
}

/* Tells the sender that a burst has been taken. */
static int give_credit(int fd)
{
	uint8_t f[60];

	memset(f, 0, sizeof(f));
	memset(f, 0xff, 6);
	f[12] = RAW_TYPE >> 8;
	f[13] = (RAW_TYPE + 1) & 0xff;
	return write(fd, f, sizeof(f)) == sizeof(f) ? 0 : -1;
}

/* Sends n raw frames, waiting for a credit after each burst. */
static int send_raw(uint32_t n)
{
	uint8_t f[FRAME_MAX];
	int fd = eth_open(0);

	if (fd < 0)
		return fail("open /dev/eth0");
	for (uint32_t i = 0; i < n; i++) {
		raw_fill(f, i);
		if (write(fd, f, raw_len(i)) != (ssize_t)raw_len(i))
			return fail("write");
		/* The card drops what its full ring cannot take: wait for
		 * the receiver's credit after each burst. */
		if (i % BURST == BURST - 1 && i + 1 < n)
			if (wait_credit(fd, f) < 0)
				return fail("read");
	}
	return pass("sent %u frames", (unsigned)n);
}

/* Takes n raw frames and checks each; credits the sender per burst. */
static int recv_raw(uint32_t n)
{
	static uint8_t f[FRAME_MAX], want[FRAME_MAX];
	uint32_t start = 0, ms;
	int fd = eth_open(0);
	ssize_t r;

	if (fd < 0)
		return fail("open /dev/eth0");
	for (uint32_t i = 0; i < n;) {
		/* The first read has room for SHORT_READ bytes only: it gets
		 * them, and the rest of that frame is dropped. */
		size_t room = i == 0 ? SHORT_READ : sizeof(f);
		size_t want_len = i == 0 ? SHORT_READ : raw_len(i);
		r = read(fd, f, room);
		if (r < 0)
			return fail("read");
		if (r < 18 || f[12] != RAW_TYPE >> 8 ||
		    f[13] != (RAW_TYPE & 0xff))
			continue; /* someone else's frame */
		if (i == 0)
			start = uptime();
		raw_fill(want, i);
		if ((size_t)r != want_len || memcmp(f, want, r) != 0) {
			uint32_t seq;
			memcpy(&seq, f + 14, 4);
			printf("nettest recv: frame %u: got frame %u (%d "
			       "bytes), wanted %u bytes\n",
			       i, seq, (int)r, (unsigned)raw_len(i));
			return fail("frame lost, reordered or damaged");
		}
		i++;
		if (i % BURST == 0 && give_credit(fd) < 0)
			return fail("write");
	}
	ms = uptime() - start;
	return pass("%u frames in order (the first cut to %u bytes), %u ms", n,
		    SHORT_READ, ms);
}

/* Ping (initiator) or pong (answerer) n times. */
static int ping(uint32_t n, int initiator)
{
	uint8_t f[64], g[FRAME_MAX];
	uint32_t start = uptime();
	int fd = eth_open(0);

	if (fd < 0)
		return fail("open /dev/eth0");
	for (uint32_t i = 0; i < n; i++) {
		raw_fill(f, i);
		if (initiator && write(fd, f, 60) != 60)
			return fail("write");
		do {
			if (read(fd, g, sizeof(g)) < 18)
				return fail("read");
		} while (memcmp(g + 12, f + 12, 6) != 0);
		if (!initiator && write(fd, f, 60) != 60)
			return fail("write");
	}
	if (!initiator)
		return pass("answered %u", (unsigned)n);
	return pass("%u round trips in %u ms (%u us each)", n, uptime() - start,
		    (uptime() - start) * 1000 / n);
}

/* The test data: a simple pseudo-random sequence. */
static uint8_t *pattern(size_t n)
{
	uint8_t *p = malloc(n ? n : 1);
	uint32_t x = 2463534242u;

	for (size_t i = 0; p && i < n; i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		p[i] = (uint8_t)x;
	}
	return p;
}

/* Sends or receives n bytes of test data with the transfer protocol. */
static int xfer(size_t n, int sender)
{
	struct xfer_stats st;
	uint8_t *want = pattern(n), *got;
	int fd = eth_open(O_NONBLOCK);
	size_t len;

	if (fd < 0 || !want)
		return fail("open /dev/eth0 or malloc");
	if (sender) {
		if (xfer_send(fd, want, n, &st) < 0)
			return fail("xfer_send");
		return pass("%u frames, %u retransmitted, %u ms", st.frames,
			    st.retransmits, st.ms);
	}
	got = xfer_recv(fd, n, &len, &st);
	if (!got)
		return fail("xfer_recv");
	if (len != n || memcmp(got, want, n) != 0)
		return fail("data differs");
	printf("nettest xrecv: crc %08x\n", xfer_crc32(got, len));
	return pass("%u bytes, %u duplicates, %u ms", (unsigned)len,
		    st.duplicates, st.ms);
}

int main(int argc, char **argv)
{
	uint32_t n = argc > 2 ? (uint32_t)atoi(argv[2]) : 0;

	mode = argc > 1 ? argv[1] : "";
	if (!strcmp(mode, "local"))
		return local();
	if (!strcmp(mode, "nocard"))
		return nocard();
	if (n && !strcmp(mode, "send"))
		return send_raw(n);
	if (n && !strcmp(mode, "recv"))
		return recv_raw(n);
	if (n && (!strcmp(mode, "ping") || !strcmp(mode, "pong")))
		return ping(n, mode[1] == 'i');
	if (!strcmp(mode, "xsend") || !strcmp(mode, "xrecv"))
		return xfer(n, mode[1] == 's');
	fprintf(stderr, "usage: nettest local|nocard|send N|recv N|ping N|"
			"pong N|xsend BYTES|xrecv BYTES\n");
	return 2;
}
