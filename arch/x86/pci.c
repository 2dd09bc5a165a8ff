/*
 * PCI configuration mechanism #1: an address written to port 0xCF8 selects
 * one 32-bit register of one function, port 0xCFC reads or writes it.  The
 * scan covers bus 0, every slot, and functions 1-7 only of devices whose
 * header says they have several (reading an absent function gives vendor
 * 0xffff).  Interface and fields: kern/pci.h.
 */
#include <kern/pci.h>
#include <kern/printk.h>
#include "x86.h"

#define PCI_ADDR_PORT 0xcf8
#define PCI_DATA_PORT 0xcfc
#define PCI_ENABLE    0x80000000u

static struct pci_dev devs[PCI_MAX_DEVS];
static int ndevs = -1; /* -1: not scanned yet */

/* The configuration address of register reg of bus/slot/func. */
static uint32_t cfg_addr(uint8_t bus, uint8_t slot, uint8_t func, uint8_t reg)
{
	return PCI_ENABLE | (uint32_t)bus << 16 | (uint32_t)(slot & 31) << 11 |
	       (uint32_t)(func & 7) << 8 | (reg & 0xfc);
}

/* Reads configuration register reg of bus:slot.func. */
static uint32_t cfg_read(uint8_t bus, uint8_t slot, uint8_t func, uint8_t reg)
{
	outl(PCI_ADDR_PORT, cfg_addr(bus, slot, func, reg));
	return inl(PCI_DATA_PORT);
}

uint32_t pci_read32(const struct pci_dev *d, uint8_t reg)
{
	return cfg_read(d->pd_bus, d->pd_slot, d->pd_func, reg);
}

void pci_write32(const struct pci_dev *d, uint8_t reg, uint32_t v)
{
	outl(PCI_ADDR_PORT, cfg_addr(d->pd_bus, d->pd_slot, d->pd_func, reg));
	outl(PCI_DATA_PORT, v);
}

void pci_command(const struct pci_dev *d, uint16_t set, uint16_t clear)
{
	uint32_t v = pci_read32(d, PCI_COMMAND) & 0xffff;

	/* The upper half is the status register: writing ones there clears
	 * its error bits, so write it as zeros. */
	pci_write32(d, PCI_COMMAND, (v & ~(uint32_t)clear) | set);
}

/* Records function bus:slot.func if it exists; returns its header type. */
static uint8_t probe(uint8_t bus, uint8_t slot, uint8_t func)
{
	uint32_t id = cfg_read(bus, slot, func, PCI_VENDOR);
	struct pci_dev *d;
	uint32_t line;

	if ((id & 0xffff) == 0xffff || ndevs >= PCI_MAX_DEVS)
		return 0;
	d = &devs[ndevs++];
	d->pd_bus = bus;
	d->pd_slot = slot;
	d->pd_func = func;
	d->pd_vendor = (uint16_t)id;
	d->pd_device = (uint16_t)(id >> 16);
	d->pd_class = cfg_read(bus, slot, func, PCI_CLASS) & 0xffffff00u;
	d->pd_bar0 = cfg_read(bus, slot, func, PCI_BAR0);
	line = cfg_read(bus, slot, func, PCI_INTR_LINE) & 0xff;
	d->pd_irq = line < 16 ? (uint8_t)line : 0xff;
	return (uint8_t)(cfg_read(bus, slot, func, PCI_HEADER & 0xfc) >> 16);
}

int pci_scan(void)
{
	if (ndevs >= 0)
		return ndevs;
	ndevs = 0;
	for (uint8_t slot = 0; slot < 32; slot++) {
		uint8_t hdr = probe(0, slot, 0);
		if (!(hdr & 0x80))
			continue;
		for (uint8_t func = 1; func < 8; func++)
			probe(0, slot, func);
	}
	return ndevs;
}

const struct pci_dev *pci_dev_at(int n)
{
	return n >= 0 && n < ndevs ? &devs[n] : NULL;
}

const struct pci_dev *pci_find(uint16_t vendor, uint16_t device)
{
	for (int i = 0; i < ndevs; i++)
		if (devs[i].pd_vendor == vendor && devs[i].pd_device == device)
			return &devs[i];
	return NULL;
}
