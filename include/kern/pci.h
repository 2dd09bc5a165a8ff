/*
 * PCI configuration space (arch/x86/pci.c).
 *
 * The PC reaches configuration space through two I/O ports: 0xCF8 takes an
 * address (enable bit, bus, device, function, register) and 0xCFC then
 * reads or writes that 32-bit register.  pci_scan() walks every device and
 * function of bus 0 -- QEMU's PC machine puts every device there -- and
 * keeps what a driver needs to find and start its card: the IDs, the
 * class, BAR 0 and the interrupt line the firmware routed it to.
 */
#ifndef KERN_PCI_H
#define KERN_PCI_H

#include <kern/compiler.h>

/* Registers of the configuration header (type 0). */
#define PCI_VENDOR	 0x00 /* 16 bits; 0xffff: no device */
#define PCI_DEVICE	 0x02
#define PCI_COMMAND	 0x04
#define PCI_CLASS	 0x08 /* 32 bits: class, subclass, prog-if, revision */
#define PCI_HEADER	 0x0e /* bit 7: the device has several functions */
#define PCI_BAR0	 0x10
#define PCI_INTR_LINE	 0x3c	/* the 8259 line the firmware routed INTx to */
#define PCI_CMD_MEM	 0x0002 /* respond to memory-space accesses */
#define PCI_CMD_MASTER	 0x0004 /* may start DMA (bus mastering) */
#define PCI_CMD_INTX_OFF 0x0400

#define PCI_MAX_DEVS 32

struct pci_dev {
	uint8_t pd_bus, pd_slot, pd_func;
	uint16_t pd_vendor, pd_device;
	uint32_t pd_class; /* class << 24 | subclass << 16 | prog-if << 8 */
	uint32_t pd_bar0;  /* raw BAR 0 */
	uint8_t pd_irq;	   /* interrupt line, 0xff when none */
};

/* Scans bus 0 once (later calls return the same table); returns the number
 * of functions found, at most PCI_MAX_DEVS. */
int pci_scan(void);
/* The n-th function pci_scan found, or NULL. */
const struct pci_dev *pci_dev_at(int n);
/* The first function with these IDs, or NULL. */
const struct pci_dev *pci_find(uint16_t vendor, uint16_t device);
/* Reads / writes a 32-bit configuration register (reg 4-aligned). */
uint32_t pci_read32(const struct pci_dev *d, uint8_t reg);
void pci_write32(const struct pci_dev *d, uint8_t reg, uint32_t v);
/* Sets bits set and clears bits clear in the command register (e.g. set
 * PCI_CMD_MEM | PCI_CMD_MASTER, clear PCI_CMD_INTX_OFF). */
void pci_command(const struct pci_dev *d, uint16_t set, uint16_t clear);

#endif
