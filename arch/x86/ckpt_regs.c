/*
 * Conversion between the x86 registers and the checkpoint image's register
 * record (struct ckpt_regs, include/uapi/ckpt_image.h): saving a task's
 * frame, rewinding a system call so it runs again after restore, checking a
 * record from an image is one user mode can leave, and loading it.  The
 * record checks also run on the host, in ckptdump and the unit tests; the
 * parts that touch a live frame or FPU are kernel-only.
 */
#include <kern/arch.h>
#include <kern/ckpt_codec.h>
#include <kern/string.h>
#include <uapi/ckpt_image.h>
#include <uapi/cellblock.h>
#include <uapi/errno.h>
#include "../../kernel/lib/ckpt_wire.h"

#define SYSCALL_INSN_LEN 2	 /* bytes of `int 0x80` */
#define EFLAGS_VM	 0x20000 /* virtual-8086 mode: never a user value */

void arch_ckpt_regs_restart_syscall(struct ckpt_regs *r)
{
	r->eip -= SYSCALL_INSN_LEN; /* eax still holds the call number */
}

void arch_ckpt_regs_spoil(struct ckpt_regs *r)
{
	r->eflags |= EFLAGS_VM;
}

uint32_t arch_ckpt_regs_syscall_nr(const struct ckpt_regs *r)
{
	return r->eax;
}

int arch_ckpt_regs_check(struct ckpt_layout *lay, uint32_t i,
			 const struct ckpt_regs *r, const uint8_t *fpu)
{
	const uint8_t *m = &fpu[CKPT_FPU_MXCSR_OFF];

	if (r->eip < USER_BASE || r->eip >= USER_TOP)
		return ckpt_refuse(lay, -EINVAL,
				   "task %u: eip 0x%x outside user space", i,
				   r->eip);
	if ((r->eflags & ~CKPT_EFLAGS_OK) ||
	    (r->eflags & CKPT_EFLAGS_SET) != CKPT_EFLAGS_SET)
		return ckpt_refuse(lay, -EINVAL,
				   "task %u: eflags 0x%x, not as user mode "
				   "leaves them",
				   i, r->eflags);
	if (m[2] || m[3])
		return ckpt_refuse(lay, -EINVAL,
				   "task %u: reserved MXCSR bits set", i);
	return 0;
}

#ifdef KERNEL
#include "x86.h"

void arch_ckpt_regs_save(const struct trapframe *tf, struct ckpt_regs *r)
{
	*r = (struct ckpt_regs){tf->eip, tf->esp, tf->eflags, tf->eax, tf->ebx,
				tf->ecx, tf->edx, tf->esi,    tf->edi, tf->ebp};
}

void arch_ckpt_regs_load(struct trapframe *tf, const struct ckpt_regs *r)
{
	memset(tf, 0, sizeof(*tf));
	trap_init_user(tf, r->eip, r->esp);
	tf->eflags = r->eflags; /* checked: user flags, IF set */
	tf->eax = r->eax, tf->ebx = r->ebx, tf->ecx = r->ecx;
	tf->edx = r->edx, tf->esi = r->esi, tf->edi = r->edi, tf->ebp = r->ebp;
}

void arch_fpu_import(void *area, const void *img)
{
	uint8_t *a = area;
	uint32_t mask, mxcsr;

	/* MXCSR bits this CPU lacks (DAZ on old ones) would make fxrstor
	 * fault: keep only those in its MXCSR_MASK (0 means 0xffbf). */
	memcpy(&mask, a + MXCSR_MASK_OFF, 4);
	memcpy(a, img, ARCH_FPU_SIZE);
	memcpy(&mxcsr, a + CKPT_FPU_MXCSR_OFF, 4);
	mxcsr &= mask ? mask : MXCSR_MASK_DEFAULT;
	memcpy(a + CKPT_FPU_MXCSR_OFF, &mxcsr, 4);
}
#endif
