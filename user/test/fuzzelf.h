/*
 * Hostile ELF files for sysfuzz (user/test/sysfuzz.c): a table of broken
 * executables, each a small change to a tiny valid one, plus random
 * mutations of a real program.  Each is written to /tmp and exec'd in a
 * child inside a container; the loader must refuse it with ENOEXEC,
 * EFAULT or ENOMEM, or the program must run and exit or fault.  What
 * must never happen is a kernel crash, a leak, or a refusal with any
 * other error.
 *
 * The tiny valid program is one header, one program header and twelve
 * bytes of code (exit(42)), loaded at USER_BASE with a page of memory.
 */
#ifndef FUZZELF_H
#define FUZZELF_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uapi/elf.h>
#include <uapi/syscall.h>

/* What a case may do: the allowed outcomes, as a bit set. */
#define OUT_NOEXEC 1u  /* execve failed with ENOEXEC */
#define OUT_EFAULT 2u  /* ... with EFAULT */
#define OUT_NOMEM  4u  /* ... with ENOMEM */
#define OUT_EXIT42 8u  /* ran and exited 42 (the tiny program's code) */
#define OUT_EXITED 16u /* ran and exited with some status */
#define OUT_FAULT  32u /* ran and was killed by a signal */
#define OUT_OTHER  64u /* exec failed with another error (never allowed) */
#define OUT_ANY                                                                \
	(OUT_NOEXEC | OUT_EFAULT | OUT_NOMEM | OUT_EXIT42 | OUT_EXITED |       \
	 OUT_FAULT)

#define HEAP_TOP   (USER_TOP - USER_STACK_MAX - 0x100000u)
#define TINY_CODE  84u /* header + one program header */
#define TINY_LEN   96u
#define TINY_MAXPH 16

/* A tiny program being built: header, up to 16 program headers, code. */
struct fz_elf {
	uint8_t b[TINY_LEN + TINY_MAXPH * 32];
	uint32_t len;
};

static struct elf_hdr *fz_eh(struct fz_elf *e)
{
	return (struct elf_hdr *)e->b;
}

static struct elf_phdr *fz_ph(struct fz_elf *e, int i)
{
	return (struct elf_phdr *)(e->b + fz_eh(e)->phoff + 32u * i);
}

/* The tiny valid program: exit(42). */
static void fz_tiny(struct fz_elf *e)
{
	static const uint8_t code[12] = {0xb8, SYS_exit, 0, 0, 0,    0xbb,
					 42,   0,	 0, 0, 0xcd, 0x80};
	struct elf_hdr *h = fz_eh(e);

	memset(e, 0, sizeof(*e));
	memcpy(h->ident, "\177ELF\1\1\1", 7);
	h->type = 2, h->machine = 3, h->version = 1;
	h->entry = USER_BASE + TINY_CODE, h->phoff = 52;
	h->ehsize = 52, h->phentsize = 32, h->phnum = 1;
	*fz_ph(e, 0) = (struct elf_phdr){1,	   0,	 USER_BASE, USER_BASE,
					 TINY_LEN, 4096, 5,	    4096};
	memcpy(e->b + TINY_CODE, code, sizeof(code));
	e->len = TINY_LEN;
}

/* Moves the program header table after the code, with n entries copied
 * from the first, so cases can have many segments. */
static void fz_many(struct fz_elf *e, int n)
{
	struct elf_phdr first = *fz_ph(e, 0);

	fz_eh(e)->phoff = TINY_LEN;
	fz_eh(e)->phnum = (uint16_t)n;
	for (int i = 0; i < n; i++)
		*fz_ph(e, i) = first;
	e->len = TINY_LEN + 32u * n;
	fz_ph(e, 0)->filesz = e->len;
}

/* The table: each case patches fields of the tiny program (offsets in the
 * file: the header, then its one program header at 52; with `many` the
 * table moves to 96 and holds that many copies of the first entry). */
struct fz_patch {
	uint16_t off;
	uint8_t size; /* 1, 2 or 4; 0 ends the list */
	uint32_t val;
};

struct fz_case {
	const char *name;
	uint32_t allow; /* OUT_* bits */
	int many;	/* 0, or program headers after the code */
	int len;	/* -1: keep the length, else cut the file there */
	struct fz_patch set[3];
};

/* Field offsets: header, first program header, second (with `many`). */
#define E_CLASS	 4
#define E_DATA	 5
#define E_TYPE	 16
#define E_MACH	 18
#define E_ENTRY	 24
#define E_PHOFF	 28
#define E_PHENTS 42
#define E_PHNUM	 44
#define P_TYPE	 52
#define P_OFF	 56
#define P_VADDR	 60
#define P_FILESZ 68
#define P_MEMSZ	 72
#define P2_VADDR (TINY_LEN + 32 + 8)
#define P2_FLAGS (TINY_LEN + 32 + 24)
#define B1(o, v)                                                               \
	{                                                                      \
		o, 1, v                                                        \
	}
#define W2(o, v)                                                               \
	{                                                                      \
		o, 2, v                                                        \
	}
#define W4(o, v)                                                               \
	{                                                                      \
		o, 4, v                                                        \
	}
#define NOX OUT_NOEXEC
#define UB  USER_BASE
#define KB  0xc0000000u

static const struct fz_case fz_cases[] = {
    {"valid", OUT_EXIT42, 0, -1, {{0}}},
    {"truncated-0", NOX, 0, 0, {{0}}},
    {"truncated-4", NOX, 0, 4, {{0}}},
    {"truncated-51", NOX, 0, 51, {{0}}},
    {"truncated-60", NOX, 0, 60, {{0}}},
    {"truncated-83", NOX, 0, 83, {{0}}},
    {"bad-magic", NOX, 0, -1, {B1(1, 'X')}},
    {"class-64", NOX, 0, -1, {B1(E_CLASS, 2)}},
    {"big-endian", NOX, 0, -1, {B1(E_DATA, 2)}},
    {"type-dyn", NOX, 0, -1, {W2(E_TYPE, 3)}},
    {"machine-x86-64", NOX, 0, -1, {W2(E_MACH, 62)}},
    {"phentsize-56", NOX, 0, -1, {W2(E_PHENTS, 56)}},
    {"phnum-0", NOX, 0, -1, {W2(E_PHNUM, 0)}},
    {"phnum-17", NOX, 0, -1, {W2(E_PHNUM, 17)}},
    {"phnum-65535", NOX, 0, -1, {W2(E_PHNUM, 0xffff)}},
    {"phoff-past-end", NOX, 0, -1, {W4(E_PHOFF, 4096)}},
    {"phoff-straddles-end", NOX, 0, -1, {W4(E_PHOFF, TINY_LEN - 8)}},
    {"phoff-wraps", NOX, 0, -1, {W4(E_PHOFF, 0xfffffff0u)}},
    {"offset-past-end", NOX, 0, -1, {W4(P_OFF, 100000)}},
    {"offset-straddles-end", NOX, 0, -1, {W4(P_OFF, 64)}},
    {"offset-wraps", NOX, 0, -1, {W4(P_OFF, 0xffffff00u)}},
    {"filesz-past-end", NOX, 0, -1, {W4(P_FILESZ, 8192)}},
    {"filesz-over-memsz", NOX, 0, -1, {W4(P_MEMSZ, 64)}},
    {"vaddr-0", NOX, 0, -1, {W4(P_VADDR, 0), W4(E_ENTRY, TINY_CODE)}},
    {"vaddr-below-user",
     NOX,
     0,
     -1,
     {W4(P_VADDR, 0x100000), W4(E_ENTRY, 0x100000 + TINY_CODE)}},
    {"vaddr-kernel", NOX, 0, -1, {W4(P_VADDR, KB), W4(E_ENTRY, KB + 84)}},
    {"vaddr-stack",
     NOX,
     0,
     -1,
     {W4(P_VADDR, USER_TOP - 4096), W4(E_ENTRY, USER_TOP - 4096 + 84)}},
    {"vaddr-wraps",
     NOX,
     0,
     -1,
     {W4(P_VADDR, 0xfffff000u), W4(P_MEMSZ, 0x2000),
      W4(E_ENTRY, 0xfffff000u + 84)}},
    {"memsz-wraps", NOX, 0, -1, {W4(P_MEMSZ, 0xffffffffu)}},
    {"memsz-past-heap", NOX, 0, -1, {W4(P_MEMSZ, HEAP_TOP - UB + 4096)}},
    /* Legal, but more memory than the machine has. */
    {"memsz-more-than-ram", OUT_NOMEM, 0, -1, {W4(P_MEMSZ, HEAP_TOP - UB)}},
    {"segment-at-heap-top",
     OUT_EXIT42,
     0,
     -1,
     {W4(P_VADDR, HEAP_TOP - 4096), W4(E_ENTRY, HEAP_TOP - 4096 + 84)}},
    {"memsz-0", NOX, 0, -1, {W4(P_MEMSZ, 0), W4(P_FILESZ, 0)}},
    {"entry-outside", NOX, 0, -1, {W4(E_ENTRY, UB + 8192)}},
    {"entry-0", NOX, 0, -1, {W4(E_ENTRY, 0)}},
    {"entry-kernel", NOX, 0, -1, {W4(E_ENTRY, 0xc0100000u)}},
    /* Zero bytes are "add [eax], al" with eax 0: a fault at address 0. */
    {"entry-in-bss", OUT_FAULT, 0, -1, {W4(E_ENTRY, UB + 2048)}},
    {"only-note", NOX, 0, -1, {W4(P_TYPE, 4)}},
    {"unaligned-vaddr",
     OUT_EXIT42,
     0,
     -1,
     {W4(P_VADDR, UB + 0x123), W4(E_ENTRY, UB + 0x123 + 84)}},
    {"overlapping-writable", OUT_EXIT42, 2, -1, {W4(P2_FLAGS, 6)}},
    {"16-identical-segments", OUT_EXIT42, 16, -1, {{0}}},
    {"second-segment-kernel", NOX, 2, -1, {W4(P2_VADDR, KB)}},
    {"16-big-segments", OUT_NOMEM | OUT_EXIT42, -16, -1, {{0}}},
};

/* Builds case c into e. */
static void fz_build(struct fz_elf *e, const struct fz_case *c)
{
	fz_tiny(e);
	if (c->many)
		fz_many(e, c->many < 0 ? -c->many : c->many);
	/* many < 0: segments 1.. are 64 MiB each, one after another */
	for (int i = 1; c->many < 0 && i < -c->many; i++) {
		fz_ph(e, i)->vaddr = USER_BASE + (uint32_t)i * 0x4000000u;
		fz_ph(e, i)->memsz = 0x4000000u;
		fz_ph(e, i)->filesz = 0;
	}
	for (int i = 0; i < 3 && c->set[i].size; i++)
		memcpy(e->b + c->set[i].off, &c->set[i].val, c->set[i].size);
	if (c->len >= 0)
		e->len = (uint32_t)c->len;
}
#undef B1
#undef W2
#undef W4
#undef NOX
#undef UB
#undef KB

/* Writes len bytes to path; 0 or -1. */
static int fz_write_file(const char *path, const void *b, uint32_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC);
	int ok = fd >= 0 && write_all(fd, b, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* Execs path in a child and says what happened (an OUT_* bit).  A child
 * still there after ms milliseconds is killed (a mutant may loop). */
static uint32_t fz_exec(const char *path, uint32_t ms)
{
	int p[2], st = 0;
	unsigned char err = 0;

	if (pipe(p) < 0)
		return OUT_OTHER;
	pid_t pid = fork();
	if (pid == 0) {
		char *argv[] = {(char *)path, NULL};
		close(p[0]);
		execve(path, argv, NULL);
		err = (unsigned char)errno;
		write(p[1], &err, 1);
		_exit(0);
	}
	close(p[1]);
	for (uint32_t t0 = uptime(); waitpid(pid, &st, WNOHANG) == 0;) {
		if (uptime() - t0 > ms)
			kill(pid, SIGKILL);
		msleep(10);
	}
	if (read(p[0], &err, 1) != 1)
		err = 0;
	close(p[0]);
	if (err)
		return err == ENOEXEC  ? OUT_NOEXEC
		       : err == EFAULT ? OUT_EFAULT
		       : err == ENOMEM ? OUT_NOMEM
				       : OUT_OTHER | (uint32_t)err << 8;
	if (WIFSIGNALED(st))
		return OUT_FAULT;
	return WEXITSTATUS(st) == 42 ? OUT_EXIT42 : OUT_EXITED;
}

#endif
