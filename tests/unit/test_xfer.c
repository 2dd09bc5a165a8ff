// SOURCES: user/lib/xfer.c
// SOURCES: kernel/lib/crc32.c
// CFLAGS: -include tests/unit/xfer_host.h -idirafter user/lib/include
// CFLAGS: -Dread=cable_read -Dwrite=cable_write
/*
 * The transfer protocol (user/lib/xfer.c) between two host processes on a
 * simulated cable: a SOCK_SEQPACKET socket pair (one message = one frame),
 * with faults injected on the way out of each end -- frames dropped,
 * duplicated, held back past the next one, or one payload byte flipped.
 * The fault generator has a fixed seed, so a run is repeatable.
 *
 * Each scenario runs the receiver and the sender in two child processes
 * and checks how each ended: the data arrives byte for byte through loss,
 * duplication and reordering; a flipped byte is caught by the CRC-32 and
 * both ends say EIO (the receiver tells the sender); a buffer larger than
 * the receiver's limit is EFBIG.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xfer.h>

/* The real calls, under the names the protocol code does not see. */
#undef read
#undef write
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);

enum { END_OK, END_FAIL, END_EIO, END_EFBIG, END_WRONG_DATA };

struct faults {
	unsigned drop, dup, hold; /* percent of frames */
	int corrupt;		  /* flip a byte of DATA piece 5, once */
};

struct scenario {
	const char *name;
	size_t len, max;
	struct faults out_a, out_b; /* sender's and receiver's way out */
	int want_recv, want_send;
};

static struct faults cable;
static uint32_t rng = 2463534242u;
static unsigned char held[2048];
static ssize_t held_len = -1;

/* Milliseconds, as the Cellblock call gives them. */
uint32_t uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint32_t)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int yield(void)
{
	return usleep(100);
}

int msleep(unsigned ms)
{
	return usleep(ms * 1000);
}

/* What xfer.c calls read: the real one. */
ssize_t cable_read(int fd, void *buf, size_t n)
{
	return read(fd, buf, n);
}

/* A pseudo-random number in [0, 100). */
static unsigned roll(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng % 100;
}

/* Puts one frame on the wire; a full socket loses it, like a full ring. */
static void wire(int fd, const void *buf, size_t n)
{
	if (write(fd, buf, n) < 0 && errno != EAGAIN)
		perror("cable write");
}

/* What xfer.c calls write: the frame, after the cable's faults. */
ssize_t cable_write(int fd, const void *buf, size_t n)
{
	static unsigned char copy[2048];
	uint32_t seq;

	memcpy(&seq, (const char *)buf + 22, 4);
	if (cable.corrupt && ((const char *)buf)[14] == 1 && seq == 5) {
		memcpy(copy, buf, n);
		copy[100] ^= 0x40;
		buf = copy;
		cable.corrupt = 0;
	}
	if (roll() < cable.drop)
		return (ssize_t)n;
	if (held_len < 0 && roll() < cable.hold) {
		memcpy(held, buf, n);
		held_len = (ssize_t)n;
		return (ssize_t)n;
	}
	wire(fd, buf, n);
	if (roll() < cable.dup)
		wire(fd, buf, n);
	if (held_len >= 0) {
		wire(fd, held, (size_t)held_len);
		held_len = -1;
	}
	return (ssize_t)n;
}

/* The test data: n bytes both ends can make. */
static unsigned char *pattern(size_t n)
{
	unsigned char *p = malloc(n ? n : 1);

	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 131 + (i >> 9));
	return p;
}

/* The receiving end: how it ended (END_*). */
static int receiver(int fd, const struct scenario *sc)
{
	struct xfer_stats st;
	unsigned char *want = pattern(sc->len), *got;
	size_t len = 0;

	got = xfer_recv(fd, sc->max, &len, &st);
	if (!got)
		return errno == EIO	? END_EIO
		       : errno == EFBIG ? END_EFBIG
					: END_FAIL;
	if (len != sc->len || memcmp(got, want, len) != 0)
		return END_WRONG_DATA;
	printf("  %s: received %zu bytes, %u duplicates, %u ms\n", sc->name,
	       len, st.duplicates, st.ms);
	return END_OK;
}

/* The sending end: how it ended (END_*). */
static int sender(int fd, const struct scenario *sc)
{
	struct xfer_stats st;

	if (xfer_send(fd, pattern(sc->len), sc->len, &st) < 0)
		return errno == EIO ? END_EIO : END_FAIL;
	printf("  %s: sent %u frames, %u retransmitted\n", sc->name, st.frames,
	       st.retransmits);
	return END_OK;
}

/* Runs one end in a child with its own faults and seed. */
static pid_t spawn(int fd, const struct scenario *sc, int is_sender)
{
	pid_t pid;
	int r;

	fflush(stdout); /* or the child prints it again */
	pid = fork();
	if (pid != 0)
		return pid;
	cable = is_sender ? sc->out_a : sc->out_b;
	rng += is_sender ? 7 : 13;
	r = is_sender ? sender(fd, sc) : receiver(fd, sc);
	fflush(stdout);
	_exit(r);
}

/* The exit status of child pid, or minus its signal. */
static int end_of(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

/* Runs one scenario: 1 if both ends ended as expected. */
static int run(const struct scenario *sc)
{
	int sv[2], size = 4 << 20, got_recv, got_send;
	pid_t rx, tx;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) < 0)
		return perror("socketpair"), 0;
	for (int i = 0; i < 2; i++) {
		setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
		fcntl(sv[i], F_SETFL, O_NONBLOCK);
	}
	rx = spawn(sv[1], sc, 0);
	tx = spawn(sv[0], sc, 1);
	got_recv = end_of(rx);
	if (got_recv == END_EFBIG)
		kill(tx, SIGKILL); /* it would only wait for an answer */
	got_send = end_of(tx);
	close(sv[0]);
	close(sv[1]);
	if (got_recv == sc->want_recv && got_send == sc->want_send)
		return printf("PASS %s\n", sc->name), 1;
	printf("FAIL %s: receiver ended %d (want %d), sender %d (want %d)\n",
	       sc->name, got_recv, sc->want_recv, got_send, sc->want_send);
	return 0;
}

static const struct scenario scenarios[] = {
    {"clean-1mib", 1 << 20, 1 << 20, {0}, {0}, END_OK, END_OK},
    {"empty", 0, 10, {0}, {0}, END_OK, END_OK},
    {"piece-boundary", 3 * 1476 + 1, 1 << 20, {0}, {0}, END_OK, END_OK},
    {"lossy-both-ways",
     200000,
     200000,
     {15, 5, 10, 0},
     {15, 5, 10, 0},
     END_OK,
     END_OK},
    {"flipped-byte", 100000, 100000, {0, 0, 0, 1}, {0}, END_EIO, END_EIO},
    {"too-big", 100000, 50000, {0}, {0}, END_EFBIG, -SIGKILL},
};

int main(void)
{
	int failed = 0;

	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		failed += !run(&scenarios[i]);
	printf("xfer: %d failed\n", failed);
	return failed != 0;
}
