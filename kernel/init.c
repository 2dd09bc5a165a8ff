/*
 * The first task: PID 1 of the system container, running the program the
 * command line names (init=, default /bin/init) with the console as its
 * standard input, output and error.
 */
#include <kern/proc.h>
#include <kern/pid.h>
#include <kern/container.h>
#include <kern/sched.h>
#include <kern/vfs.h>
#include <kern/file.h>
#include <kern/kheap.h>
#include <kern/panic.h>
#include <kern/string.h>

void proc_spawn_init(const char *const *argv, int argc)
{
	struct exec_args *ea = kzalloc(sizeof(*ea));
	struct task *t = task_alloc("init");
	if (!ea || !t)
		panic("no memory for the first task");
	for (int i = 0; i < argc && i < EXEC_ARGS_MAX; i++) {
		size_t n = strlen(argv[i]) + 1;
		if (ea->used + n > sizeof(ea->buf))
			break;
		memcpy(ea->buf + ea->used, argv[i], n);
		ea->argv[ea->argc++] = ea->buf + ea->used;
		ea->used += n;
	}
	if (pid_attach(t, ctr_system) != 0)
		panic("no PID for the first task");
	ctr_system->c_init = t;
	if (fs_task_init_console(t) != 0)
		panic("cannot open /dev/console for init");
	int err = exec_load(t, argv[0], ea);
	if (err)
		panic("cannot run init %s: error %d", argv[0], -err);
	kfree(ea);
	task_link(t);
	sched_make_runnable(t);
}
