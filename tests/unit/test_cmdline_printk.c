// SOURCES: kernel/lib/cmdline.c kernel/lib/printk.c kernel/lib/string.c
/* Host unit test: kernel command-line parsing and printk formatting. */
#include <stdio.h>
#include <kern/cmdline.h>
#include <kern/printk.h>
#include <kern/string.h>

static int warnings;
#include "check.h"

static void count_warn(const char *msg, const char *word)
{
	(void)msg;
	(void)word;
	warnings++;
}

static void test_cmdline(void)
{
	struct cmdline cl;
	cmdline_parse(&cl,
		      "/boot/cellblock.elf pid_max=64 init=/bin/sh -c 'x=1'",
		      count_warn);
	CHECK(warnings == 0);
	CHECK(cmdline_uint(&cl, "pid_max", 7, 16, 1000) == 64);
	CHECK(cl.init_argc == 3);
	CHECK(strcmp(cl.init_argv[0], "/bin/sh") == 0);
	CHECK(strcmp(cl.init_argv[2], "'x=1'") == 0);
	CHECK(cl.init_argv[3] == NULL);
	cmdline_parse(&cl, "kernel bogus=1 pid_max=abc ctr_max_tasks=5",
		      count_warn);
	CHECK(warnings == 1); /* bogus */
	CHECK(cmdline_uint(&cl, "pid_max", 99, 16, 1000) == 99);
	CHECK(cmdline_uint(&cl, "ctr_max_tasks", 256, 1, 1000) == 5);
	CHECK(strcmp(cl.init_argv[0], "/bin/init") == 0 && cl.init_argc == 1);
	cmdline_parse(&cl, "", count_warn);
	CHECK(cl.init_argc == 1 && cmdline_get(&cl, "ktest") == NULL);
	cmdline_parse(&cl, "pid_max=99999999999", count_warn);
	CHECK(cmdline_uint(&cl, "pid_max", 42, 16, 8388607) == 42);
}

static void fmt(const char *want, const char *f, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	if (strcmp(buf, want) != 0 || n != (int)strlen(want)) {
		printf("FAIL format \"%s\": want \"%s\" got \"%s\" (%d)\n", f,
		       want, buf, n);
		failures++;
	}
}

static void test_printk(void)
{
	fmt("42 -7 ff FF", "%d %i %x %X", 42, -7, 255, 255);
	fmt("[   5][5   ][00005]", "[%4d][%-4d][%05d]", 5, 5, 5);
	fmt("-2147483648", "%d", (int)-2147483648LL);
	fmt("4294967295", "%u", 4294967295u);
	fmt("18446744073709551615", "%llu", 18446744073709551615ull);
	fmt("0x0000beef", "%p", (void *)0xbeef);
	fmt("ab|abc  |(null)", "%.2s|%-5s|%s", "abc", "abc", (char *)NULL);
	fmt("%c", "%%c");
	fmt("x", "%c", 'x');
	char small[4];
	const char *volatile f = "%s"; /* keep gcc from folding the call */
	CHECK(snprintf(small, sizeof(small), f, "hello") == 5);
	CHECK(strcmp(small, "hel") == 0);
}

int main(void)
{
	test_cmdline();
	test_printk();
	return check_verdict("test_cmdline_printk");
}
