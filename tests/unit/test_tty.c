// SOURCES:
// CFLAGS: -Wno-unused-parameter
/*
 * Host tests for the terminal line discipline (kernel/dev/tty.c, included below
 * with host stand-ins for the privileged interrupt helpers): echo, erase,
 * kill line, end of file, ^C, one line per read, and back-pressure that
 * loses nothing; COM2 passes bytes through untouched.
 */
#include "fs_stubs.h"

#include <stdint.h>

/* Keep the real interrupt flag helpers (cli/sti) out; the tests run in
 * user mode. */
#define KERN_IRQ_H
#define MACHINE_IRQ_H
static int irq_off;
static inline uint32_t irq_save(void)
{
	int was = irq_off;

	irq_off = 1;
	return was ? 0 : 0x200;
}
static inline void irq_restore(uint32_t fl)
{
	if (fl & 0x200)
		irq_off = 0;
}
static inline void irq_enable(void)
{
	irq_off = 0;
}
static inline void irq_disable(void)
{
	irq_off = 1;
}
static inline bool irqs_enabled(void)
{
	return !irq_off;
}
static inline bool irq_flags_on(uint32_t fl)
{
	return fl & 0x200;
}
static inline void arch_idle(void)
{
	irq_off = 0;
}

#include "../../kernel/dev/tty.c"

/* ---- stand-ins -------------------------------------------------------- */

static char echo[8192];
static size_t echo_len;
static char com2_out[64];
static size_t com2_len;

void console_putc(char c)
{
	if (echo_len < sizeof(echo))
		echo[echo_len++] = c;
}

void uart_putc(int port, char c)
{
	if (port == 1 && com2_len < sizeof(com2_out))
		com2_out[com2_len++] = c;
}

/* Who gets SIGINT is kernel/dev/tty_fg.c's business: count the calls. */
static int interrupts;

void tty_fg_interrupt(void)
{
	CHECKF(irq_off, "tty_fg_interrupt called with interrupts on");
	interrupts++;
}

int sleep_on(const void *chan)
{
	CHECKF(irq_off, "sleep_on called with interrupts on");
	return -EINTR; /* "would block" */
}

void wakeup(const void *chan)
{
}

struct file *file_alloc(enum file_kind kind, int flags,
			const struct file_ops *ops)
{
	static struct file files[4];
	static int n;
	struct file *f = &files[n++ % 4];

	memset(f, 0, sizeof(*f));
	f->f_kind = kind;
	f->f_flags = flags;
	f->f_ops = ops;
	return f;
}

/* A UART: bytes wait in a queue; a refused byte is held until resume. */
static char queue[2][20000];
static size_t q_head[2], q_len[2];
static bool held[2];
static int resumes;

static void uart_pump(int port)
{
	while (!held[port] && q_head[port] < q_len[port]) {
		irq_off = 1;
		if (tty_rx(port, queue[port][q_head[port]]))
			q_head[port]++;
		else
			held[port] = true;
		irq_off = 0;
	}
}

void uart_rx_resume(int port)
{
	resumes++;
	held[port] = false;
	uart_pump(port);
}

static void type(int port, const char *s, size_t n)
{
	memcpy(queue[port] + q_len[port], s, n);
	q_len[port] += n;
	uart_pump(port);
}

static void types(const char *s)
{
	type(0, s, strlen(s));
}

/* Reads from the console: the count, with the bytes in buf. */
static int32_t con_rd(char *buf, size_t n)
{
	struct file f;

	memset(&f, 0, sizeof(f));
	return con_read(&f, buf, n, true);
}

#define EXPECT_LINE(want)                                                      \
	do {                                                                   \
		char b_[256];                                                  \
		int32_t r_ = con_rd(b_, sizeof(b_));                           \
		CHECKF(r_ == (int32_t)strlen(want) &&                          \
			   !memcmp(b_, want, strlen(want)),                    \
		       "read %d bytes \"%.*s\", wanted \"%s\"", r_,            \
		       r_ > 0 ? r_ : 0, b_, want);                             \
	} while (0)

static void test_lines(void)
{
	char b[8];

	echo_len = 0;
	types("ls -l\r");
	CHECKF(echo_len == 6 && !memcmp(echo, "ls -l\n", 6), "echo \"%.*s\"",
	       (int)echo_len, echo);
	EXPECT_LINE("ls -l\n");
	CHECKF(con_rd(b, 8) == -EINTR, "empty: blocks");

	types("one\ntwo\n");
	EXPECT_LINE("one\n");
	EXPECT_LINE("two\n");

	types("hello\n");
	CHECKF(con_rd(b, 2) == 2 && !memcmp(b, "he", 2), "short read");
	EXPECT_LINE("llo\n");

	types("partial");
	CHECKF(con_rd(b, 8) == -EINTR, "unfinished line is not readable");
	types("\n");
	EXPECT_LINE("partial\n");
	printf("PASS lines\n");
}

static void test_editing(void)
{
	echo_len = 0;
	types("lx\x7fs\n");
	EXPECT_LINE("ls\n");
	CHECKF(strstr(echo, "\b \b") != NULL, "erase echoed");
	types("\b\b\bok\n"); /* erase at line start does nothing */
	EXPECT_LINE("ok\n");
	types("garbage\x15"
	      "cat\n");
	EXPECT_LINE("cat\n");
	types("ab\ncd\x7f\x7f\x7f\x7f"
	      "e\n"); /* erase stops at the line */
	EXPECT_LINE("ab\n");
	EXPECT_LINE("e\n");
	printf("PASS editing\n");
}

static void test_eof(void)
{
	char b[8];

	types("\x04");
	CHECKF(con_rd(b, 8) == 0, "^D at line start is EOF");
	CHECKF(con_rd(b, 8) == -EINTR, "EOF consumed once");
	types("abc\x04");
	CHECKF(con_rd(b, 8) == 3 && !memcmp(b, "abc", 3), "^D flushes");
	CHECKF(con_rd(b, 8) == -EINTR, "no EOF after flush");
	types("x\n\x04");
	EXPECT_LINE("x\n");
	CHECKF(con_rd(b, 8) == 0, "EOF after a line");
	printf("PASS eof\n");
}

static void test_interrupt(void)
{
	char b[8];

	interrupts = 0;
	types("sleep 100\x03");
	CHECKF(interrupts == 1, "^C interrupts the foreground");
	CHECKF(con_rd(b, 8) == -EINTR, "^C discarded the line");
	echo_len = 0;
	types("abc\x03");
	CHECKF(interrupts == 2, "each ^C interrupts once");
	CHECKF(strstr(echo, "^C\n") != NULL, "^C echoed");
	types("after\n");
	EXPECT_LINE("after\n");
	printf("PASS interrupt\n");
}

static void test_backpressure(void)
{
	static char big[5000], got[6000];
	size_t n = 0, i;
	int32_t r;

	for (i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[sizeof(big) - 1] = '\n';
	resumes = 0;
	type(0, big, sizeof(big));
	CHECKF(held[0], "buffer full: UART holds input");
	while (n < sizeof(big)) {
		r = con_rd(got + n, sizeof(got) - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	CHECKF(n == sizeof(big) && !memcmp(got, big, n),
	       "all %zu bytes arrive in order (got %zu)", sizeof(big), n);
	CHECKF(resumes > 0 && !held[0], "resumed");
	printf("PASS backpressure\n");
}

static void test_serial1(void)
{
	static char big[10000], got[10000];
	const char raw[] = {3, '\r', 0x7f, 4, 0, '\n', (char)0xff};
	struct file f;
	size_t n = 0, i;
	int32_t r;

	memset(&f, 0, sizeof(f));
	echo_len = 0;
	type(1, raw, sizeof(raw));
	r = ser1_read(&f, got, sizeof(got), true);
	CHECKF(r == sizeof(raw) && !memcmp(got, raw, sizeof(raw)),
	       "raw bytes pass through (%d)", r);
	CHECKF(echo_len == 0, "no echo");
	CHECKF(ser1_read(&f, got, 1, false) == 0, "no-block read of empty");
	CHECKF(ser1_read(&f, got, 1, true) == -EINTR, "blocks when empty");

	for (i = 0; i < sizeof(big); i++)
		big[i] = (char)(i * 7);
	type(1, big, sizeof(big));
	while (n < sizeof(big)) {
		r = ser1_read(&f, got + n, sizeof(got) - n, true);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	CHECKF(n == sizeof(big) && !memcmp(got, big, n), "10000 bytes intact");
	CHECKF(ser1_write(&f, "a\nb", 3, true) == 3 && com2_len == 3 &&
		   !memcmp(com2_out, "a\nb", 3),
	       "writes untranslated");
	printf("PASS serial1\n");
}

int main(void)
{
	test_lines();
	test_editing();
	test_eof();
	test_interrupt();
	test_backpressure();
	test_serial1();
	return check_verdict("test_tty");
}
