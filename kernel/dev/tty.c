/*
 * Terminals: the console line discipline on COM1 and the raw COM2 port.
 * Behaviour is described in kern/tty.h.
 *
 * The console keeps one circular buffer with three free-running indices
 * (after xv6): [t_r, t_w) are finished lines a reader may take, [t_w, t_e)
 * is the line being edited.  tty_rx runs in the UART interrupt with
 * interrupts off; readers test the buffer with interrupts off too, so no
 * byte slips between their test and sleep_on.
 */
#include <kern/tty.h>
#include <kern/file.h>
#include <kern/sched.h>
#include <kern/uart.h>
#include <kern/irq.h>
#include <kern/panic.h>
#include <kern/string.h>
#include <kern/printk.h>
#include <uapi/errno.h>

#define TTY_BUF 4096u /* console: finished lines plus the line being edited */
#define RAW_BUF 4096u /* COM2 */

#define CTRL(c)	 ((c) - '@')
#define EOF_MARK CTRL('D') /* stored for ^D at the start of a line */

struct tty_console {
	char t_buf[TTY_BUF];
	uint32_t t_r; /* next byte a reader takes */
	uint32_t t_w; /* end of the finished lines */
	uint32_t t_e; /* end of the line being edited */
	bool t_held;  /* refused a byte: resume the UART after reading */
};

struct tty_raw {
	char r_buf[RAW_BUF];
	uint32_t r_head;
	uint32_t r_count;
	bool r_held;
};

static struct tty_console con;
static struct tty_raw ser1;

/* Writes one byte of console output (console_putc turns "\n" into
 * "\r\n"). */
static void con_out(char c)
{
	console_putc(c);
}

static void con_puts(const char *s)
{
	while (*s)
		con_out(*s++);
}

/* Removes the last byte of the line being edited, on screen too. */
static void con_erase(void)
{
	con.t_e--;
	con_puts("\b \b");
}

/* Makes the edited bytes readable. */
static void con_commit(void)
{
	con.t_w = con.t_e;
	wakeup(&con);
}

/* Console input (interrupts off): edits the line, returns false when the
 * buffer has no room for c. */
static bool con_rx(char c)
{
	if (c == '\r')
		c = '\n';
	switch (c) {
	case CTRL('C'):
		con_puts("^C\n");
		con.t_e = con.t_w;
		tty_fg_interrupt();
		return true;
	case CTRL('U'):
		while (con.t_e != con.t_w)
			con_erase();
		return true;
	case '\b':
	case 0x7f:
		if (con.t_e != con.t_w)
			con_erase();
		return true;
	}
	if (c == CTRL('D') && con.t_e != con.t_w) {
		con_commit(); /* hand over the partial line */
		return true;
	}
	if (con.t_e - con.t_r >= TTY_BUF) {
		/* A line as long as the buffer: let the reader have it. */
		if (con.t_w == con.t_r)
			con_commit();
		con.t_held = true;
		return false;
	}
	con.t_buf[con.t_e++ % TTY_BUF] = c;
	if (c == CTRL('D')) {
		con_commit();
	} else {
		con_out(c);
		if (c == '\n')
			con_commit();
	}
	return true;
}

/* COM2 input (interrupts off): stores c, or refuses it when full. */
static bool ser1_rx(char c)
{
	if (ser1.r_count == RAW_BUF) {
		ser1.r_held = true;
		return false;
	}
	ser1.r_buf[(ser1.r_head + ser1.r_count++) % RAW_BUF] = c;
	wakeup(&ser1);
	return true;
}

bool tty_rx(int port, char c)
{
	KASSERT(!irqs_enabled());
	if (port == TTY_CONSOLE)
		return con_rx(c);
	if (port == TTY_SERIAL1)
		return ser1_rx(c);
	return true; /* no such port: drop */
}

/* Takes up to n bytes of at most one finished line (interrupts off).
 * An end-of-file mark is consumed only when it comes first. */
static size_t con_take(char *buf, size_t n)
{
	size_t got = 0;
	char c;

	KASSERT(!irqs_enabled());
	while (con.t_r != con.t_w && got < n) {
		c = con.t_buf[con.t_r % TTY_BUF];
		if (c == EOF_MARK) {
			if (got == 0)
				con.t_r++;
			break;
		}
		con.t_r++;
		buf[got++] = c;
		if (c == '\n')
			break;
	}
	return got;
}

/* One port as its readers and writers see it; ready and take run with
 * interrupts off. */
struct tty_port {
	const void *chan;		     /* readers sleep on it */
	bool (*ready)(void);		     /* is there something to take? */
	size_t (*take)(char *buf, size_t n); /* takes up to n bytes */
	bool *held;			     /* the port refused a byte */
	int port;
	void (*out)(char c); /* writes one byte */
};

/* Reads from port p: blocks (if may_block) until it is ready, takes what
 * there is, and resumes the UART if it had refused a byte. */
static int32_t port_read(const struct tty_port *p, void *buf, size_t n,
			 bool may_block)
{
	uint32_t fl = irq_save();
	bool resume;
	size_t got;
	int r;

	while (!p->ready()) {
		if (!may_block) {
			irq_restore(fl);
			return 0;
		}
		r = sleep_on(p->chan);
		if (r < 0) {
			irq_restore(fl);
			return r;
		}
	}
	got = p->take(buf, n);
	resume = *p->held;
	*p->held = false;
	irq_restore(fl);
	if (resume)
		uart_rx_resume(p->port);
	return (int32_t)got;
}

/* Writes all n bytes of buf to port p. */
static int32_t port_write(const struct tty_port *p, const void *buf, size_t n)
{
	const char *s = buf;

	for (size_t i = 0; i < n; i++)
		p->out(s[i]);
	return (int32_t)n;
}

static bool con_ready(void)
{
	return con.t_r != con.t_w;
}

static bool ser1_ready(void)
{
	return ser1.r_count != 0;
}

/* Takes up to n raw bytes from COM2's buffer (interrupts off). */
static size_t ser1_take(char *buf, size_t n)
{
	size_t got = 0;

	while (got < n && ser1.r_count) {
		buf[got++] = ser1.r_buf[ser1.r_head];
		ser1.r_head = (ser1.r_head + 1) % RAW_BUF;
		ser1.r_count--;
	}
	return got;
}

static void ser1_out(char c)
{
	uart_putc(TTY_SERIAL1, c);
}

/* The console gives whole lines (or end of file), COM2 raw bytes. */
static const struct tty_port con_port = {&con,	      con_ready,   con_take,
					 &con.t_held, TTY_CONSOLE, con_out};
static const struct tty_port ser1_port = {&ser1,	ser1_ready,  ser1_take,
					  &ser1.r_held, TTY_SERIAL1, ser1_out};

static int32_t con_read(struct file *f, void *buf, size_t n, bool may_block)
{
	return port_read(&con_port, buf, n, may_block);
}

static int32_t ser1_read(struct file *f, void *buf, size_t n, bool may_block)
{
	return port_read(&ser1_port, buf, n, may_block);
}

static int32_t con_write(struct file *f, const void *buf, size_t n,
			 bool may_block)
{
	return port_write(&con_port, buf, n);
}

static int32_t ser1_write(struct file *f, const void *buf, size_t n,
			  bool may_block)
{
	return port_write(&ser1_port, buf, n);
}

static const struct file_ops console_ops = {
    .read = con_read,
    .write = con_write,
    .stream = true,
};

static const struct file_ops serial1_ops = {
    .read = ser1_read,
    .write = ser1_write,
    .stream = true,
};

struct file *tty_open_console(int flags)
{
	return file_alloc(FILE_CONSOLE, flags, &console_ops);
}

struct file *tty_open_serial1(int flags)
{
	return file_alloc(FILE_TTYS1, flags, &serial1_ops);
}
