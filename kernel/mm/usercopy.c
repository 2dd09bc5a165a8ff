/*
 * copyin/copyout: the only code that touches user memory.  Each checks the
 * whole range against [USER_BASE, USER_TOP) without overflow, then walks the
 * current page table page by page (user and, for copyout, writable), so a
 * bad pointer is -EFAULT and never a kernel page fault.  Pages are reached
 * through the kernel's identity map of RAM.
 */
#include <kern/usercopy.h>
#include <kern/task.h>
#include <kern/mm.h>
#include <kern/pmm.h>
#include <kern/string.h>
#include <uapi/errno.h>

static bool range_ok(uintptr_t addr, size_t n)
{
	if (addr < USER_BASE || addr >= USER_TOP)
		return false;
	return n <= USER_TOP - addr;
}

/* The kernel address of user address va, mapped as needed; NULL if bad. */
static uint8_t *user_byte(uintptr_t va, bool write)
{
	struct mm *mm = current->tk_mm;
	uint32_t flags;
	void *page = vm_lookup(mm->mm_pgdir, ROUNDDOWN(va, PAGE_SIZE), &flags);
	if (!page) {
		if (mm_fault(mm, va) != 0)
			return NULL;
		page =
		    vm_lookup(mm->mm_pgdir, ROUNDDOWN(va, PAGE_SIZE), &flags);
		if (!page)
			return NULL;
	}
	if (!(flags & VM_USER) || (write && !(flags & VM_WRITE)))
		return NULL;
	return (uint8_t *)page + (va & (PAGE_SIZE - 1));
}

/* Copies n bytes between kernel buf and user address va, either way. */
static int user_copy(uintptr_t va, void *buf, size_t n, bool to_user)
{
	uint8_t *k = buf;
	if (n == 0)
		return 0;
	if (!range_ok(va, n))
		return -EFAULT;
	while (n > 0) {
		size_t chunk = MIN(n, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		uint8_t *u = user_byte(va, to_user);
		if (!u)
			return -EFAULT;
		if (to_user)
			memcpy(u, k, chunk);
		else
			memcpy(k, u, chunk);
		va += chunk;
		k += chunk;
		n -= chunk;
	}
	return 0;
}

int uaccess_check(uptr_t u, size_t n, bool write)
{
	uintptr_t va = u.addr;
	if (n == 0)
		return 0;
	if (!range_ok(va, n))
		return -EFAULT;
	uintptr_t end = va + n;
	for (va = ROUNDDOWN(va, PAGE_SIZE); va < end; va += PAGE_SIZE)
		if (!user_byte(va, write))
			return -EFAULT;
	return 0;
}

int copyin(void *dst, uptr_t src, size_t n)
{
	return user_copy(src.addr, dst, n, false);
}

int copyout(uptr_t dst, const void *src, size_t n)
{
	return user_copy(dst.addr, (void *)src, n, true);
}

int copyinstr(char *dst, uptr_t src, size_t max)
{
	uintptr_t va = src.addr;
	for (size_t i = 0; i < max; i++, va++) {
		if (!range_ok(va, 1))
			return -EFAULT;
		uint8_t *u = user_byte(va, false);
		if (!u)
			return -EFAULT;
		dst[i] = (char)*u;
		if (*u == 0)
			return (int)i;
	}
	return -ENAMETOOLONG;
}
