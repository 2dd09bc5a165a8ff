/*
 * Intel 82540EM (e1000) network card, as QEMU emulates it (kernel/dev/e1000.c).
 *
 * The card moves frames by DMA through two rings of descriptors in kernel
 * memory.  Receive: the driver owns a ring of buffers, the card fills them
 * and sets each descriptor's DD (descriptor done) bit; the driver takes
 * the frame and hands the descriptor back by moving the tail register
 * RDT.  Transmit: the driver fills the descriptor at the tail TDT and
 * moves the tail; the card sends the frame and sets DD.  Memory here is
 * identity-mapped, so a buffer's virtual address is its bus address.
 *
 * One card at most.  The receive interrupt (PCI INTx, through the 8259
 * line the firmware chose) calls the notify function given to
 * e1000_init, in interrupt context.
 */
#ifndef KERN_E1000_H
#define KERN_E1000_H

#include <kern/compiler.h>

#define ETH_ALEN      6
#define ETH_HLEN      14   /* destination, source, EtherType */
#define ETH_FRAME_MAX 1514 /* header plus 1500 bytes, no FCS */

/* Finds and starts the card: 0, or -ENOENT when there is none (or it
 * cannot be used; a console line says why). */
int e1000_init(void (*rx_notify)(void)) __must_check;
/* Takes the oldest received frame: copies at most n bytes of it to buf and
 * returns the frame's full length, or 0 when none is waiting.  The
 * interrupt handler does not touch the rings, and kernel code is not
 * preempted, so the rings need no lock. */
size_t e1000_rx_take(void *buf, size_t n);
/* Queues one frame of n bytes (ETH_HLEN..ETH_FRAME_MAX) for sending: 0, or
 * -EAGAIN when the ring is full. */
int e1000_tx(const void *buf, size_t n) __must_check;

#endif
