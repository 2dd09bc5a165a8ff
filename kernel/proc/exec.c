/*
 * execve: replace a task's program.  The new address space is built
 * completely (ELF segments, then a stack holding argc, argv and the argument
 * strings) before the old one is touched; only then are they swapped.  So a
 * failed exec leaves the caller running its old program, with all its
 * descriptors: close-on-exec descriptors are closed only after the swap.
 *
 * Arguments and environment may hold EXEC_ARGBYTES_MAX bytes of strings
 * (sys_execve copies them into a heap buffer, E2BIG beyond), so nothing
 * here keeps them, or their pointer vectors, on the 16 KiB kernel stack.
 */
#include <kern/proc.h>
#include <kern/mm.h>
#include <kern/pmm.h>
#include <kern/arch.h>
#include <kern/vfs.h>
#include <kern/file.h>
#include <kern/arch.h>
#include <kern/kheap.h>
#include <kern/string.h>
#include <kern/sched.h>
#include <uapi/errno.h>

void elf_mm_poke(struct mm *mm, uintptr_t va, const void *src, size_t n);

/* Bytes the strings of vec[0..n-1] take, NULs included. */
static size_t strings_size(char *const *vec, int n)
{
	size_t bytes = 0;
	for (int i = 0; i < n; i++)
		bytes += strlen(vec[i]) + 1;
	return bytes;
}

/* Pointer words buffered on the kernel stack before they are written out:
 * a vector of up to 2 * EXEC_ARGS_MAX + 3 words does not fit there. */
#define VEC_BATCH 64

/* Words of a vector being written to user address v_at, in batches. */
struct vec_out {
	struct mm *v_mm;
	uintptr_t v_at;
	int v_n;
	uint32_t v_buf[VEC_BATCH];
};

/* Writes out the buffered words. */
static void vec_flush(struct vec_out *v)
{
	elf_mm_poke(v->v_mm, v->v_at, v->v_buf, (size_t)v->v_n * 4u);
	v->v_at += (uintptr_t)v->v_n * 4u;
	v->v_n = 0;
}

/* Appends one word. */
static void vec_push(struct vec_out *v, uint32_t word)
{
	if (v->v_n == VEC_BATCH)
		vec_flush(v);
	v->v_buf[v->v_n++] = word;
}

/* Copies strs[0..n-1] to user address *at (advancing it) and appends their
 * user addresses and a NULL to v. */
static void push_strings(struct mm *mm, char *const *strs, int n, uintptr_t *at,
			 struct vec_out *v)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(strs[i]) + 1;
		elf_mm_poke(mm, *at, strs[i], len);
		vec_push(v, (uint32_t)*at);
		*at += len;
	}
	vec_push(v, 0);
}

/*
 * Lays out the initial stack below USER_TOP (Linux i386 style):
 *   sp -> argc, argv[0..argc-1], NULL, envp[0..envc-1], NULL, strings.
 */
static int build_stack(struct mm *mm, const struct exec_args *ea,
		       uintptr_t *sp_out)
{
	size_t strbytes =
	    strings_size(ea->argv, ea->argc) + strings_size(ea->envp, ea->envc);
	size_t vecbytes = (size_t)(ea->argc + ea->envc + 3) * sizeof(uint32_t);
	uintptr_t strings = ROUNDDOWN(USER_TOP - strbytes, 4);
	uintptr_t sp = ROUNDDOWN(strings - vecbytes, 16);
	struct vec_out v = {.v_mm = mm, .v_at = sp, .v_n = 0};

	if (mm_map_zero(mm, ROUNDDOWN(sp, PAGE_SIZE), USER_TOP - sp, VM_WRITE))
		return -ENOMEM;
	mm->mm_stack_low = ROUNDDOWN(sp, PAGE_SIZE);
	vec_push(&v, (uint32_t)ea->argc);
	push_strings(mm, ea->argv, ea->argc, &strings, &v);
	push_strings(mm, ea->envp, ea->envc, &strings, &v);
	vec_flush(&v);
	*sp_out = sp;
	return 0;
}

/* The last path component, for the task's name. */
static const char *basename(const char *path)
{
	const char *slash = path;
	for (const char *p = path; *p; p++)
		if (*p == '/')
			slash = p + 1;
	return slash;
}

int exec_load(struct task *t, const char *path, const struct exec_args *ea)
{
	struct inode *image;
	uintptr_t entry, sp;
	int err = vfs_open_exec(t, path, &image);
	if (err)
		return err;
	struct mm *mm = mm_new(t->tk_ctr);
	if (!mm) {
		err = -ENOMEM;
		goto out_image;
	}
	err = elf_load(mm, image, &entry);
	if (!err)
		err = build_stack(mm, ea, &sp);
	if (err)
		goto out_mm;
	/* Commit: nothing below can fail. */
	struct mm *old = t->tk_mm;
	t->tk_mm = mm;
	if (t == current)
		vm_activate(mm->mm_pgdir);
	mm_free(old);
	memset(t->tk_tf, 0, sizeof(*t->tk_tf));
	trap_init_user(t->tk_tf, entry, sp);
	fpu_init_state(t->tk_fpu);
	if (t == current)
		fpu_restore(t->tk_fpu);
	strlcpy(t->tk_name, basename(path), sizeof(t->tk_name));
	fs_task_exec(t);
	inode_put(image);
	return 0;
out_mm:
	mm_free(mm);
out_image:
	inode_put(image);
	return err;
}
