/*
 * kmain: from the boot loader to the first user task.  The order matters:
 * console first (so everything after can report), then the CPU tables,
 * memory, the command line, the PID and container tables, the file system
 * with the initrd, the scheduler, and finally init.
 */
#include <kern/compiler.h>
#include <kern/multiboot.h>
#include <kern/printk.h>
#include <kern/panic.h>
#include <kern/arch.h>
#include <kern/uart.h>
#include <kern/vga.h>
#include <kern/pmm.h>
#include <kern/vm.h>
#include <kern/cmdline.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/sched.h>
#include <kern/proc.h>
#include <kern/vfs.h>
#include <kern/file.h>
#include <kern/initrd.h>
#include <kern/selftest.h>
#include <kern/string.h>
#include <kern/eth.h>

#define CELLBLOCK_VERSION "0.1"

static struct cmdline cmdline;

static void com1_putc(char c)
{
	uart_putc(0, c);
}

static void cmdline_warn(const char *msg, const char *word)
{
	printk("cmdline: %s: %s\n", msg, word);
}

/* Finds the initrd: the first boot module. */
static bool find_initrd(struct multiboot_info *mbi, uintptr_t *start,
			uintptr_t *end)
{
	if (!(mbi->flags & MBI_MODS) || mbi->mods_count == 0)
		return false;
	struct multiboot_mod *mod = (void *)mbi->mods_addr;
	*start = mod->mod_start;
	*end = mod->mod_end;
	return *end > *start;
}

static void load_initrd(bool have, uintptr_t start, uintptr_t end)
{
	if (!have) {
		printk("initrd: no boot module; the file system is empty\n");
		return;
	}
	if (initrd_unpack((const void *)start, end - start) != 0)
		printk("initrd: archive rejected\n");
	pmm_release(start, end);
}

/* The knobs, after the memory map: the page cap's default is a quarter of
 * the pages free at boot, so no one container can take them all. */
static void apply_knobs(void)
{
	uint32_t tasks, ctrs, pages = (uint32_t)(pmm_free_pages() / 4);

	pid_init(cmdline_uint(&cmdline, "pid_max", PIDNR_MAX, 16, PIDNR_MAX));
	tasks = cmdline_uint(&cmdline, "ctr_max_tasks", CTR_MAX_TASKS_DEFAULT,
			     1, 100000);
	ctrs = cmdline_uint(&cmdline, "ctr_max_ctrs", CTR_MAX_CTRS_DEFAULT, 0,
			    PIDSPACE_MAX);
	pages = cmdline_uint(&cmdline, "ctr_max_pages", pages, 1, 1u << 20);
	ctr_set_max_tasks((int)tasks);
	ctr_set_max_ctrs((int)ctrs);
	ctr_set_max_pages(pages);
	printk("containers: each at most %u tasks, %u nested, %u pages\n",
	       (unsigned)tasks, (unsigned)ctrs, (unsigned)pages);
}

__noreturn void kmain(uint32_t magic, struct multiboot_info *mbi)
{
	uart_init();
	console_register_sink(com1_putc);
	vga_init();
	console_register_sink(vga_putc);
	printk("Cellblock %s booting\n", CELLBLOCK_VERSION);
	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		panic("not booted by a multiboot loader (magic %x)", magic);
	arch_init();
	const char *line =
	    (mbi->flags & MBI_CMDLINE) ? (const char *)mbi->cmdline : "";
	cmdline_parse(&cmdline, line, cmdline_warn);
	uintptr_t rd_start = 0, rd_end = 0;
	bool have_rd = find_initrd(mbi, &rd_start, &rd_end);
	pmm_init(mbi); /* mbi may be reused after this */
	vm_init();
	printk("memory: %u KiB free in %u pages\n",
	       (unsigned)(pmm_free_pages() * 4), (unsigned)pmm_total_pages());
	const char *ktest = cmdline_get(&cmdline, "ktest");
	if (ktest && strcmp(ktest, "mm") == 0)
		arch_poweroff(selftest_mm() ? 1 : 0);
	apply_knobs();
	ctr_init();
	/* Before vfs_init (devfs makes /dev/eth0 only for a card) and before
	 * the first page directory (which copies the card's register map). */
	eth_init(cmdline_uint(&cmdline, "net_drop", 0, 0, 90));
	if (ktest)
		selftest_run(ktest);
	vfs_init();
	load_initrd(have_rd, rd_start, rd_end);
	sched_init();
	uart_enable_rx();
	proc_spawn_init(cmdline.init_argv, cmdline.init_argc);
	sched_start();
}
