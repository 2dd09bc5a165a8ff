/*
 * faulttest KIND: makes a user-mode fault of the given kind so the kernel
 * kills the process (spec section 3).  Used as
 *     sh -c 'faulttest null; echo status $?'
 * If the fault does not happen, it says so and exits with status 1.
 */
#include <stdio.h>
#include <string.h>

static volatile int zero;

static void null_write(void)
{
	*(volatile int *)0 = 1;
}
static void null_read(void)
{
	zero = *(volatile int *)0;
}
static void kernel_write(void)
{
	*(volatile int *)0xC0000000u = 1;
}
static void kernel_read(void)
{
	zero = *(volatile int *)0xC0100000u;
}
static void unmapped(void)
{
	zero = *(volatile int *)0x70000000;
}
static void code_write(void)
{
	*(volatile unsigned char *)null_write = 0xc3;
}
static void privileged(void)
{
	__asm__ volatile("cli");
}
static void halt(void)
{
	__asm__ volatile("hlt");
}
static void port_io(void)
{
	__asm__ volatile("outb %%al, $0x80" : : "a"(0));
}
static void bad_selector(void)
{
	__asm__ volatile("mov %0, %%ds" : : "r"(0x1234));
}
static void undefined(void)
{
	__asm__ volatile("ud2");
}
/* In asm: the compiler would rewrite 1 / x as a comparison. */
static void divide(void)
{
	unsigned a = 1, d = 0;

	__asm__ volatile("divl %2" : "+a"(a), "+d"(d) : "r"(0u));
}

/* Recurses until the stack runs past its 8 MiB limit.  The frame is used
 * after the call, so the compiler cannot turn the recursion into a loop;
 * the test of zero (always 0) keeps it from calling it endless. */
static int recurse(int n)
{
	volatile char pad[1024];

	pad[0] = (char)n;
	if (zero < 0)
		return 0;
	pad[1] = (char)recurse(n + 1);
	return pad[0] + pad[1];
}

static void stack_overflow(void)
{
	zero = recurse(0);
}

static const struct {
	const char *name;
	void (*fn)(void);
	const char *what;
} kinds[] = {
    {"null", null_write, "write through a NULL pointer (page fault)"},
    {"nullread", null_read, "read through a NULL pointer (page fault)"},
    {"kernel", kernel_write, "write to kernel memory (page fault)"},
    {"kernelread", kernel_read, "read kernel memory (page fault)"},
    {"unmapped", unmapped, "read an unmapped user address (page fault)"},
    {"code", code_write, "write to read-only code (page fault)"},
    {"gp", privileged, "cli in user mode (#GP)"},
    {"hlt", halt, "hlt in user mode (#GP)"},
    {"io", port_io, "port I/O in user mode (#GP)"},
    {"selector", bad_selector, "load a bad segment selector (#GP)"},
    {"ud", undefined, "ud2 (#UD)"},
    {"div", divide, "divide by zero (#DE)"},
    {"stack", stack_overflow, "endless recursion (stack overflow)"},
};

#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc == 2 && i < NKINDS; i++) {
		if (strcmp(argv[1], kinds[i].name) != 0)
			continue;
		printf("faulttest: %s\n", kinds[i].what);
		fflush(stdout);
		kinds[i].fn();
		printf("faulttest: %s did not fault\n", kinds[i].name);
		return 1;
	}
	fprintf(stderr, "usage: faulttest KIND, where KIND is one of:\n");
	for (i = 0; i < NKINDS; i++)
		fprintf(stderr, "  %-10s %s\n", kinds[i].name, kinds[i].what);
	return 2;
}
