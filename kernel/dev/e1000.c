/*
 * Driver for the Intel 82540EM gigabit card (QEMU's `e1000`).  How the
 * rings work is in kern/e1000.h; register names and bits follow Intel's
 * "PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's
 * Manual" (8254x), sections 13 (registers) and 3 (descriptors).
 *
 * Bring-up: find 8086:100E on the PCI bus, map its registers (BAR 0, 128
 * KiB of memory space, uncached), enable memory decoding and bus
 * mastering, reset the card, read the MAC address from the EEPROM through
 * EERD and program it as receive address 0, clear the multicast table,
 * give the card both rings, then turn on receive, transmit and the
 * receive interrupt.  Transmit completion is polled: before reusing a
 * descriptor the driver checks its DD bit.
 */
#include <kern/e1000.h>
#include <kern/pci.h>
#include <kern/vm.h>
#include <kern/irq.h>
#include <kern/printk.h>
#include <kern/string.h>
#include <uapi/errno.h>

#define E1000_VENDOR   0x8086
#define E1000_DEVICE   0x100e /* 82540EM */
#define E1000_MMIO_LEN 0x20000

/* Registers (byte offsets into BAR 0). */
#define REG_CTRL  0x0000
#define REG_EERD  0x0014
#define REG_ICR	  0x00c0 /* read: pending causes, cleared by the read */
#define REG_IMS	  0x00d0 /* interrupt mask set */
#define REG_IMC	  0x00d8 /* interrupt mask clear */
#define REG_RCTL  0x0100
#define REG_TCTL  0x0400
#define REG_TIPG  0x0410
#define REG_RDBAL 0x2800
#define REG_RDBAH 0x2804
#define REG_RDLEN 0x2808
#define REG_RDH	  0x2810
#define REG_RDT	  0x2818
#define REG_TDBAL 0x3800
#define REG_TDBAH 0x3804
#define REG_TDLEN 0x3808
#define REG_TDH	  0x3810
#define REG_TDT	  0x3818
#define REG_MTA	  0x5200 /* multicast table, 128 words */
#define REG_RAL0  0x5400
#define REG_RAH0  0x5404

#define CTRL_ASDE  (1u << 5)
#define CTRL_SLU   (1u << 6) /* set link up */
#define CTRL_RST   (1u << 26)
#define EERD_START (1u << 0)
#define EERD_DONE  (1u << 4)
#define RAH_AV	   (1u << 31) /* address valid */
#define ICR_LSC	   (1u << 2)
#define ICR_RXDMT0 (1u << 4)
#define ICR_RXO	   (1u << 6)
#define ICR_RXT0   (1u << 7)
#define RCTL_EN	   (1u << 1)
#define RCTL_BAM   (1u << 15) /* accept broadcast */
#define RCTL_SECRC (1u << 26) /* strip the Ethernet CRC */
#define TCTL_EN	   (1u << 1)
#define TCTL_PSP   (1u << 3)	 /* pad short frames to 64 bytes */
#define TCTL_CT	   (0x10u << 4)	 /* collision threshold */
#define TCTL_COLD  (0x40u << 12) /* collision distance, full duplex */
#define TIPG_82540 (10u | 8u << 10 | 6u << 20)

/* Descriptor bits. */
#define RXD_DD	 0x01
#define RXD_EOP	 0x02
#define TXD_EOP	 0x01
#define TXD_IFCS 0x02 /* the card appends the CRC */
#define TXD_RS	 0x08 /* report status: set DD when sent */
#define TXD_DD	 RXD_DD

#define RX_RING	 128 /* a multiple of 8: RDLEN is in 128-byte units */
#define TX_RING	 32
#define BUF_SIZE 2048 /* RCTL.BSIZE 00 */

struct rx_desc {
	uint64_t addr;
	uint16_t length;
	uint16_t csum;
	uint8_t status;
	uint8_t errors;
	uint16_t special;
};

struct tx_desc {
	uint64_t addr;
	uint16_t length;
	uint8_t cso;
	uint8_t cmd;
	uint8_t status;
	uint8_t css;
	uint16_t special;
};

_Static_assert(sizeof(struct rx_desc) == 16 && sizeof(struct tx_desc) == 16,
	       "descriptors are 16 bytes");

static struct rx_desc rx_ring[RX_RING] __aligned(128);
static struct tx_desc tx_ring[TX_RING] __aligned(128);
static uint8_t rx_buf[RX_RING][BUF_SIZE] __aligned(16);
static uint8_t tx_buf[TX_RING][BUF_SIZE] __aligned(16);

static struct {
	volatile uint32_t *regs; /* NULL: no card */
	uint32_t rx_next;	 /* next descriptor the card will fill */
	uint32_t tx_next;	 /* next descriptor to fill (= TDT) */
	uint8_t mac[ETH_ALEN];
	void (*notify)(void);
} nic;

/* The card reads and writes the rings behind the compiler's back: every
 * register access is also a compiler barrier, so descriptor stores are
 * not moved past the doorbell (x86 keeps stores in order itself), and
 * descriptor loads come after the DD test (see desc_done). */
#define barrier() arch_barrier()

/* Reads card register reg. */
static uint32_t rd(uint32_t reg)
{
	barrier();
	return nic.regs[reg / 4];
}

/* Writes v to card register reg. */
static void wr(uint32_t reg, uint32_t v)
{
	barrier();
	nic.regs[reg / 4] = v;
}

/* Has the card finished with a descriptor whose status byte is at s? */
static bool desc_done(const uint8_t *s)
{
	bool done = *(const volatile uint8_t *)s & RXD_DD; /* = TXD_DD */

	barrier();
	return done;
}

/* Reads 16-bit EEPROM word addr through EERD; 0 if the card never says
 * done (QEMU answers at once). */
static uint16_t eeprom_read(uint8_t addr)
{
	wr(REG_EERD, EERD_START | (uint32_t)addr << 8);
	for (int i = 0; i < 100000; i++) {
		uint32_t v = rd(REG_EERD);
		if (v & EERD_DONE)
			return (uint16_t)(v >> 16);
	}
	return 0;
}

/* Resets the card and leaves every interrupt masked. */
static void reset(void)
{
	wr(REG_IMC, 0xffffffffu);
	wr(REG_CTRL, rd(REG_CTRL) | CTRL_RST);
	for (int i = 0; i < 100000 && (rd(REG_CTRL) & CTRL_RST); i++)
		;
	wr(REG_IMC, 0xffffffffu);
	(void)rd(REG_ICR);
	wr(REG_CTRL, rd(REG_CTRL) | CTRL_SLU | CTRL_ASDE);
}

/* MAC address from EEPROM words 0-2, programmed as receive address 0. */
static void setup_mac(void)
{
	for (uint8_t i = 0; i < 3; i++) {
		uint16_t w = eeprom_read(i);
		nic.mac[2 * i] = (uint8_t)w;
		nic.mac[2 * i + 1] = (uint8_t)(w >> 8);
	}
	wr(REG_RAL0, (uint32_t)nic.mac[0] | (uint32_t)nic.mac[1] << 8 |
			 (uint32_t)nic.mac[2] << 16 |
			 (uint32_t)nic.mac[3] << 24);
	wr(REG_RAH0, (uint32_t)nic.mac[4] | (uint32_t)nic.mac[5] << 8 | RAH_AV);
	for (uint32_t i = 0; i < 128; i++)
		wr(REG_MTA + 4 * i, 0);
}

/* Gives the card the receive ring, every descriptor empty. */
static void setup_rx(void)
{
	for (uint32_t i = 0; i < RX_RING; i++) {
		memset(&rx_ring[i], 0, sizeof(rx_ring[i]));
		rx_ring[i].addr = (uintptr_t)rx_buf[i];
	}
	wr(REG_RDBAL, (uintptr_t)rx_ring);
	wr(REG_RDBAH, 0);
	wr(REG_RDLEN, sizeof(rx_ring));
	wr(REG_RDH, 0);
	wr(REG_RDT, RX_RING - 1); /* one slot stays empty: head != tail */
	nic.rx_next = 0;
	wr(REG_RCTL, RCTL_EN | RCTL_BAM | RCTL_SECRC);
}

/* Gives the card the transmit ring; every descriptor starts done. */
static void setup_tx(void)
{
	for (uint32_t i = 0; i < TX_RING; i++) {
		memset(&tx_ring[i], 0, sizeof(tx_ring[i]));
		tx_ring[i].addr = (uintptr_t)tx_buf[i];
		tx_ring[i].status = TXD_DD;
	}
	wr(REG_TDBAL, (uintptr_t)tx_ring);
	wr(REG_TDBAH, 0);
	wr(REG_TDLEN, sizeof(tx_ring));
	wr(REG_TDH, 0);
	wr(REG_TDT, 0);
	nic.tx_next = 0;
	wr(REG_TIPG, TIPG_82540);
	wr(REG_TCTL, TCTL_EN | TCTL_PSP | TCTL_CT | TCTL_COLD);
}

/* The card's interrupt: reading ICR acknowledges every cause. */
static void e1000_irq(void)
{
	uint32_t icr;

	if (!nic.regs)
		return;
	icr = rd(REG_ICR);
	if ((icr & (ICR_RXT0 | ICR_RXO | ICR_RXDMT0)) && nic.notify)
		nic.notify();
}

/* Can the card's interrupt have line irq?  Not one the kernel's own
 * devices use (timer, cascade, serial ports), nor "none" (0xff). */
static bool irq_line_ok(uint8_t irq)
{
	return irq < 16 && irq != IRQ_TIMER && irq != 2 && irq != IRQ_COM1 &&
	       irq != IRQ_COM2;
}

int e1000_init(void (*rx_notify)(void))
{
	const struct pci_dev *d;

	pci_scan();
	d = pci_find(E1000_VENDOR, E1000_DEVICE);
	if (!d)
		return -ENOENT;
	if ((d->pd_bar0 & 1) || !irq_line_ok(d->pd_irq)) {
		printk("e1000: BAR 0 is not memory, or interrupt line %u "
		       "unusable\n",
		       d->pd_irq);
		return -ENOENT;
	}
	nic.regs = vm_map_mmio(d->pd_bar0 & ~0xfu, E1000_MMIO_LEN);
	if (!nic.regs) {
		printk("e1000: registers at %x cannot be mapped\n",
		       (unsigned)d->pd_bar0);
		return -ENOENT;
	}
	pci_command(d, PCI_CMD_MEM | PCI_CMD_MASTER, PCI_CMD_INTX_OFF);
	nic.notify = rx_notify;
	reset();
	setup_mac();
	setup_rx();
	setup_tx();
	irq_register(d->pd_irq, e1000_irq);
	wr(REG_IMS, ICR_RXT0 | ICR_RXO | ICR_RXDMT0 | ICR_LSC);
	printk(
	    "e1000: %02x:%02x:%02x:%02x:%02x:%02x, registers at %x, irq %u\n",
	    nic.mac[0], nic.mac[1], nic.mac[2], nic.mac[3], nic.mac[4],
	    nic.mac[5], (unsigned)d->pd_bar0, d->pd_irq);
	return 0;
}

size_t e1000_rx_take(void *buf, size_t n)
{
	struct rx_desc *d;
	size_t len = 0;

	if (!nic.regs)
		return 0;
	for (;;) {
		d = &rx_ring[nic.rx_next];
		if (!desc_done(&d->status))
			return 0;
		/* A frame larger than a buffer would span several
		 * descriptors; frames here fit one, so drop any other. */
		if ((d->status & RXD_EOP) && !d->errors) {
			len = d->length;
			memcpy(buf, rx_buf[nic.rx_next], MIN(n, len));
		}
		d->status = 0;
		wr(REG_RDT, nic.rx_next);
		nic.rx_next = (nic.rx_next + 1) % RX_RING;
		if (len)
			return len;
	}
}

int e1000_tx(const void *buf, size_t n)
{
	struct tx_desc *d = &tx_ring[nic.tx_next];

	if (!nic.regs)
		return -ENOENT;
	if (!desc_done(&d->status))
		return -EAGAIN; /* the card has not sent this one yet */
	memcpy(tx_buf[nic.tx_next], buf, n);
	d->length = (uint16_t)n;
	d->cmd = TXD_EOP | TXD_IFCS | TXD_RS;
	d->status = 0;
	nic.tx_next = (nic.tx_next + 1) % TX_RING;
	wr(REG_TDT, nic.tx_next);
	return 0;
}
