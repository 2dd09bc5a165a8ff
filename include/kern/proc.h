/*
 * Process life cycle: creation (task.c, fork.c), program loading (exec.c,
 * elf.c), ending (exit.c, kill.c, fault.c) and reaping (wait.c).
 */
#ifndef KERN_PROC_H
#define KERN_PROC_H

#include <kern/task.h>
#include <kern/usercopy.h>

struct trapframe;
struct mm;

#define EXEC_ARGS_MAX	  CB_ARGV_MAX /* argv (and envp) entries */
#define EXEC_ARGBYTES_MAX CB_ARG_MAX  /* bytes of argv and envp strings */

/* Arguments for a new program image, copied into the kernel.  About 100 KiB:
 * always kmalloc'd, never on the stack. */
struct exec_args {
	int argc, envc;
	char *argv[EXEC_ARGS_MAX + 1];
	char *envp[EXEC_ARGS_MAX + 1];
	char buf[EXEC_ARGBYTES_MAX];
	size_t used;
};

/* A new task (state TASK_NEW) with a kernel stack and no identity yet. */
struct task *task_alloc(const char *name) __must_check;
/* Links t into the list of all tasks. */
void task_link(struct task *t);
/* Frees a dead task's last resources: numbers, kernel stack, struct. */
void task_release(struct task *t);
/* Makes child a child of parent. */
void task_adopt(struct task *parent, struct task *child);

int do_fork(void);
/* Builds an address space for path+args and points t's trap frame at it;
 * t keeps its old image on any error. */
int exec_load(struct task *t, const char *path,
	      const struct exec_args *ea) __must_check;
/* Validates the ELF file ino and loads it into mm, page by page; sets
 * *entry.  -ENOEXEC (bad or shrinking file), -ENOMEM. */
int elf_load(struct mm *mm, struct inode *ino, uintptr_t *entry) __must_check;
__noreturn void do_exit(int status_word);
int do_waitpid(int32_t pid, uptr_t status, uint32_t options);
int do_kill(int32_t pid, int sig);
/* The first task: system container PID 1 running argv[0]. */
void proc_spawn_init(const char *const *argv, int argc);

void proc_user_fault(struct trapframe *tf, int sig, const char *what,
		     uint32_t addr);
int proc_user_page_fault(uint32_t addr, uint32_t err);
/* Last stop before every return to user mode: pending kill, reschedule. */
void proc_return_to_user(struct trapframe *tf);

#define W_EXITCODE(code) (((code)&0xff) << 8)
#define W_SIGNALED(sig)	 ((sig)&0x7f)

#endif
