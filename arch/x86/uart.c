/*
 * 16550 UART: COM1 is the console, COM2 carries checkpoint images.  Output
 * polls the transmit-holding-register-empty bit.  Input is interrupt driven
 * and hands each byte to the tty; when the tty is full the byte is held here
 * and the receive interrupt masked, so the UART (and QEMU behind it) keeps
 * the rest until uart_rx_resume(): pasted input is never dropped.
 */
#include <kern/uart.h>
#include <kern/irq.h>
#include "x86.h"

#define UART_DATA 0
#define UART_IER 1
#define UART_FCR 2
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define LSR_DR 0x01
#define LSR_THRE 0x20
#define IER_RX 0x01

static const uint16_t uart_base[2] = { 0x3f8, 0x2f8 };

struct uart_rx {
	bool held;    /* a byte the tty refused is waiting */
	char held_c;
};
static struct uart_rx rx[2];

static void uart_setup(uint16_t base)
{
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, 0x80); /* DLAB: set divisor */
	outb(base + UART_DATA, 1);   /* 115200 baud */
	outb(base + UART_IER, 0);
	outb(base + UART_LCR, 0x03); /* 8N1 */
	outb(base + UART_FCR, 0x07); /* FIFO on, cleared, 1-byte trigger */
	outb(base + UART_MCR, 0x0b); /* DTR, RTS, OUT2 (IRQ enable) */
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
	while (inb(base + UART_LSR) & LSR_DR) {
		char c = (char)inb(base + UART_DATA);
		if (!tty_rx(port, c)) {
			rx[port].held = true;
			rx[port].held_c = c;
			outb(base + UART_IER, 0); /* back-pressure */
			return;
		}
	}
}

static void com1_irq(void) { uart_drain(0); }
static void com2_irq(void) { uart_drain(1); }

void uart_init(void)
{
	uart_setup(uart_base[0]);
	uart_setup(uart_base[1]);
}

/* Turns reception interrupts on; called once the tty exists. */
void uart_enable_rx(void)
{
	irq_register(IRQ_COM1, com1_irq);
	irq_register(IRQ_COM2, com2_irq);
	outb(uart_base[0] + UART_IER, IER_RX);
	outb(uart_base[1] + UART_IER, IER_RX);
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
