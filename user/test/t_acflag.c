/*
 * t_acflag: sets EFLAGS.AC in user mode (any program may: it is the
 * alignment-check flag), then makes system calls.  Under SMAP the same flag
 * in kernel mode would let the kernel touch user pages, so the kernel must
 * clear it on every entry (it panics if it finds it set) and hand the
 * program its own flags back.  Prints "t_acflag: PASS" and exits 0, or a
 * FAIL line and exits 1.
 */
#include <stdio.h>
#include <unistd.h>

#define EFLAGS_AC 0x40000u

static unsigned eflags(void)
{
	unsigned v;

	__asm__ volatile("pushfl; popl %0" : "=r"(v));
	return v;
}

static void set_ac(int on)
{
	__asm__ volatile("pushfl\n\t"
			 "orl %0, (%%esp)\n\t"
			 "xorl %1, (%%esp)\n\t"
			 "popfl"
			 :
			 : "r"(EFLAGS_AC), "r"(on ? 0u : EFLAGS_AC)
			 : "cc", "memory");
}

int main(void)
{
	int bad = 0;

	set_ac(1);
	for (int i = 0; i < 100; i++)
		if (getpid() <= 0)
			bad = 1;
	write(1, "t_acflag: system calls made with AC set\n", 40);
	if (!(eflags() & EFLAGS_AC)) {
		set_ac(0);
		printf("t_acflag: FAIL: AC was cleared in user mode\n");
		return 1;
	}
	set_ac(0);
	printf("t_acflag: %s\n", bad ? "FAIL: getpid" : "PASS");
	return bad;
}
