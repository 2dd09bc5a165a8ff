/* The multiboot v1 information structure, as far as Cellblock reads it. */
#ifndef KERN_MULTIBOOT_H
#define KERN_MULTIBOOT_H

#include <kern/compiler.h>

#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002
#define MBI_MEM			   0x001
#define MBI_CMDLINE		   0x004
#define MBI_MODS		   0x008
#define MBI_MMAP		   0x040

struct multiboot_info {
	uint32_t flags;
	uint32_t mem_lower, mem_upper;
	uint32_t boot_device;
	uint32_t cmdline;
	uint32_t mods_count, mods_addr;
	uint32_t syms[4];
	uint32_t mmap_length, mmap_addr;
} __packed;

struct multiboot_mod {
	uint32_t mod_start, mod_end;
	uint32_t string;
	uint32_t reserved;
} __packed;

struct multiboot_mmap {
	uint32_t size; /* of the rest of this entry */
	uint64_t addr, len;
	uint32_t type; /* 1 = usable RAM */
} __packed;

#endif
