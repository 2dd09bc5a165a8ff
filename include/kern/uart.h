/*
 * 16550 UART driver (arch/x86/uart.c).  Port 0 is COM1 (the console),
 * port 1 is COM2 (checkpoint images).  Output polls; input is interrupt
 * driven: each received byte goes to tty_rx(port, c).  When the tty has no
 * room it returns false: the driver holds that byte and masks the receive
 * interrupt, so QEMU stops sending (back-pressure, nothing lost) until the
 * tty calls uart_rx_resume().
 */
#ifndef KERN_UART_H
#define KERN_UART_H

#include <kern/compiler.h>

void uart_init(void);
/* Turns on receive interrupts (once the tty can take bytes). */
void uart_enable_rx(void);
void uart_putc(int port, char c);
/* Re-delivers a held byte and unmasks reception.  Any context. */
void uart_rx_resume(int port);
/* Implemented by the tty layer; called with interrupts off. */
bool tty_rx(int port, char c);

#endif
