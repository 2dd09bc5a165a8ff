/*
 * 16550 UART: COM1 is the console, COM2 carries checkpoint images.  Output
 * polls the transmit-holding-register-empty bit.  Input is interrupt driven
 * and hands each byte to the tty; when the tty is full the byte is held here
 * and the receive interrupt masked, so the UART (and QEMU behind it) keeps
 * the rest until uart_rx_resume(): pasted input is never dropped.
 *
 * Input can arrive before the kernel (piped into QEMU, pasted while GRUB
 * runs).  QEMU hands the UART one byte at a time and the next one only when
 * the guest reads the data register; everything else waits in QEMU.  So
 * set-up never turns the FIFO on or off (either clears it, losing bytes and
 * data-ready with them), and enabling reception reads what is already
 * there instead of waiting for an interrupt that may never come.
 */
#include <kern/uart.h>
#include <kern/irq.h>
#include "x86.h"

#define UART_DATA    0
#define UART_IER     1
#define UART_FCR     2
#define UART_IIR     2 /* read side of UART_FCR */
#define UART_LCR     3
#define UART_MCR     4
#define UART_LSR     5
#define LSR_DR	     0x01
#define LSR_THRE     0x20
#define IER_RX	     0x01
#define IIR_FIFO_ON  0xc0
#define FCR_TRIGGER1 0x01 /* FIFO stays on, 1-byte trigger, nothing cleared */

static const uint16_t uart_base[2] = {0x3f8, 0x2f8};

struct uart_rx {
	bool held; /* a byte the tty refused is waiting */
	char held_c;
};
static struct uart_rx rx[2];

/* Programs 115200 8N1 without clearing anything already received: a FIFO
 * left on (by GRUB) keeps its bytes and gets a 1-byte trigger; a UART with
 * the FIFO off (reset state, -kernel boot) stays a one-byte 16450. */
static void uart_setup(uint16_t base)
{
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, 0x80); /* DLAB: set divisor */
	outb(base + UART_DATA, 1);   /* 115200 baud */
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, 0x03); /* 8N1 */
	if ((inb(base + UART_IIR) & IIR_FIFO_ON) == IIR_FIFO_ON)
		outb(base + UART_FCR, FCR_TRIGGER1);
	outb(base + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (IRQ enable) */
}

/* Hands c to the tty; when it refuses, holds c and masks reception.
 * Returns whether c was taken. */
static bool uart_give(int port, char c)
{
	if (tty_rx(port, c))
		return true;
	rx[port].held = true;
	rx[port].held_c = c;
	outb(uart_base[port] + UART_IER, 0); /* back-pressure */
	return false;
}

/* Moves received bytes to the tty until it refuses one or none are left. */
static void uart_drain(int port)
{
	uint16_t base = uart_base[port];

	if (rx[port].held) {
		if (!tty_rx(port, rx[port].held_c))
			return;
		rx[port].held = false;
	}
	while (inb(base + UART_LSR) & LSR_DR)
		if (!uart_give(port, (char)inb(base + UART_DATA)))
			return;
}

/* Asks QEMU for input that a FIFO reset before the kernel (GRUB's set-up)
 * stranded: data-ready is clear, yet more bytes wait, and QEMU sends them
 * only after a read of the data register.  A read of an empty FIFO yields
 * 0; anything else is a byte that arrived meanwhile and is kept. */
static void uart_kick(int port)
{
	uint16_t base = uart_base[port];
	char c;

	if ((inb(base + UART_IIR) & IIR_FIFO_ON) != IIR_FIFO_ON ||
	    (inb(base + UART_LSR) & LSR_DR))
		return;
	c = (char)inb(base + UART_DATA);
	if (c)
		uart_give(port, c);
}

static void com1_irq(void)
{
	uart_drain(0);
}
static void com2_irq(void)
{
	uart_drain(1);
}

void uart_init(void)
{
	uart_setup(uart_base[0]);
	uart_setup(uart_base[1]);
}

/* Turns reception interrupts on, then takes what arrived before: its
 * interrupt may have come and gone while nobody listened. */
void uart_enable_rx(void)
{
	uint32_t fl = irq_save();
	int port;

	irq_register(IRQ_COM1, com1_irq);
	irq_register(IRQ_COM2, com2_irq);
	for (port = 0; port < 2; port++) {
		outb(uart_base[port] + UART_IER, IER_RX);
		uart_kick(port);
		uart_drain(port);
	}
	irq_restore(fl);
}

void uart_rx_resume(int port)
{
	uint32_t fl = irq_save();
	if (rx[port].held) {
		uart_drain(port);
		if (!rx[port].held)
			outb(uart_base[port] + UART_IER, IER_RX);
	}
	irq_restore(fl);
}

void uart_putc(int port, char c)
{
	uint16_t base = uart_base[port];
	while (!(inb(base + UART_LSR) & LSR_THRE))
		;
	outb(base + UART_DATA, (uint8_t)c);
}
