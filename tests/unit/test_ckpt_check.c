// SOURCES: kernel/lib/ckpt_codec.c kernel/lib/ckpt_check.c kernel/lib/sort.c
// SOURCES: kernel/lib/crc32.c
// SOURCES: arch/x86/ckpt_regs.c kernel/lib/string.c
/*
 * Host unit test of the checkpoint image validator's semantic rules: over
 * a hundred forgeries of the model image (ckpt_model.h), each breaking one
 * numbered rule of docs/checkpoint-format.md and encoded with a correct
 * CRC, must be refused with -EINVAL and a reason (parent loops, families
 * checkpoint never makes, duplicate PIDs, kernel addresses, eflags, ...);
 * images the rules must accept (every user eflags bit, an init nested in
 * its own container, containers in depth order, /dev/eth0) must pass; and
 * the container depth limit holds.  Byte-level damage is in
 * test_ckpt_codec.c.
 */
#include "ckpt_model.h"

/* A model change and the error the validator must give for it. */
struct mutation {
	const char *what;
	void (*fn)(struct model *m);
};

#define MUT(name, body)                                                        \
	static void name(struct model *m)                                      \
	{                                                                      \
		body;                                                          \
	}
MUT(ctr_cycle, m->ctr[1].c_parent = 2; m->ctr[2].c_parent = 1)
MUT(ctr_two_tops, m->ctr[2].c_parent = CKPT_NONE; m->ctr[2].c_depth = 0)
MUT(ctr_top_parent, m->ctr[0].c_parent = 1)
MUT(ctr_depth, m->ctr[2].c_depth = 1)
MUT(ctr_parent_range, m->ctr[1].c_parent = 99)
MUT(ctr_name_bad, strcpy(m->ctr[1].c_name, "d b"))
MUT(ctr_name_empty, m->ctr[1].c_name[0] = 0)
MUT(ctr_name_dup, strcpy(m->ctr[2].c_name, "web"))
MUT(ctr_name_unterminated, memset(m->ctr[1].c_name, 'a', CKPT_NAME_LEN))
MUT(ctr_last_nr, m->ctr[0].c_last_nr = 0x800000)
MUT(ctr_init_range, m->ctr[1].c_init = 6)
MUT(ctr_init_wrong, m->ctr[1].c_init = 4)
MUT(task_ctr_range, m->task[4].t_ctr = 3)
MUT(task_two_roots, m->task[4].t_parent = CKPT_NONE)
MUT(task_root_parent, m->task[0].t_parent = 1)
MUT(task_parent_cycle, m->task[3].t_parent = 4)
MUT(task_parent_self, m->task[4].t_parent = 4)
MUT(task_parent_zombie, m->task[4].t_parent = 2; m->task[4].t_ctr = 0;
    m->task[4].t_nlevels = 1; m->task[4].t_nrs[1] = 0;
    m->task[4].t_birth_level = 0)
MUT(task_parent_ctr, m->task[4].t_ctr = 0; m->task[4].t_nlevels = 1;
    m->task[4].t_nrs[1] = 0; m->task[4].t_birth_level = 0)
MUT(task_state, m->task[1].t_state = 4)
MUT(task_nlevels, m->task[4].t_nlevels = 3; m->task[4].t_nrs[2] = 9)
MUT(task_nr_zero, m->task[4].t_nrs[1] = 0)
MUT(task_nr_big, m->task[4].t_nrs[0] = 0x800000)
MUT(task_nr_past_levels, m->task[4].t_nrs[5] = 7)
MUT(task_dup_pid, m->task[1].t_nrs[0] = 3)
MUT(task_dup_pid_upper, m->task[4].t_nrs[0] = 2)
MUT(task_dup_pid_inner, m->task[4].t_nrs[1] = 1)
MUT(task_second_one, m->task[1].t_nrs[0] = 1)
MUT(task_birth_range, m->task[4].t_birth_level = 2)
MUT(task_birth_outside, m->task[4].t_birth_level = (uint32_t)-1)
MUT(task_root_birth, m->task[0].t_birth_level = 0)
MUT(task_flags, m->task[1].t_flags |= 0x10)
MUT(task_killsig, m->task[4].t_killsig = 64)
MUT(task_sig_not_killed, m->task[3].t_killsig = 9)
MUT(task_sleep_not_in_call, m->task[1].t_flags = 0)
MUT(task_eflags_iopl, m->task[0].t_regs.eflags |= 0x3000)
MUT(task_eflags_no_if, m->task[0].t_regs.eflags = 0x2)
MUT(task_mxcsr, m->task[0].t_fpu[CKPT_FPU_MXCSR_OFF + 2] = 1)
MUT(task_restart, m->task[1].t_restart_syscall = SYS_read)
MUT(task_restart_arg, m->task[0].t_restart_arg = 5)
MUT(task_brk_low, m->task[0].t_brk_start = m->task[0].t_brk = 0x1000)
MUT(task_brk_order, m->task[0].t_brk = m->task[0].t_brk_start - 1)
MUT(task_brk_kernel, m->task[0].t_brk = 0xc0001000u)
MUT(task_brk_unaligned, m->task[0].t_brk_start += 4; m->task[0].t_brk += 4)
MUT(task_stack_low, m->task[0].t_stack_low = USER_BASE)
MUT(task_stack_kernel, m->task[0].t_stack_low = 0xc0001000u)
MUT(task_cwd_relative, strcpy(m->task[0].t_cwd, "tmp"))
MUT(task_cwd_unterminated, memset(m->task[0].t_cwd, '/', CKPT_PATH_LEN))
MUT(task_name_unterminated, memset(m->task[0].t_name, 'x', CKPT_NAME_LEN))
MUT(task_first_page, m->task[3].t_first_page = 0)
MUT(task_npages_more, m->task[5].t_npages = 2)
MUT(task_npages_huge, m->task[5].t_npages = 0xffffffffu)
MUT(task_fd_range, m->task[0].t_fds[5] = 5)
MUT(zombie_pages, m->task[2].t_npages = 1; m->task[3].t_first_page = 4;
    m->task[4].t_first_page = 5; m->task[5].t_first_page = 7;
    m->task[1].t_npages = 0)
MUT(zombie_fd, m->task[2].t_fds[0] = 0)
MUT(zombie_status, m->task[2].t_exit_status = 0x10000)
MUT(zombie_status_both, m->task[2].t_exit_status = 0x0309)
MUT(zombie_init, m->task[5].t_state = CKPT_TASK_ZOMBIE)
MUT(live_status, m->task[0].t_exit_status = 1 << 8)
MUT(file_kind, m->file[0].f_kind = CKPT_FILE_ETH0 + 1)
MUT(file_kind_zero, m->file[0].f_kind = 0)
MUT(file_unused, m->task[4].t_fds[4] = CKPT_NONE)
MUT(file_accmode, m->file[3].f_flags = 3)
MUT(file_flag_bits, m->file[3].f_flags |= 0x10000)
MUT(file_pipe_range, m->file[1].f_pipe = 1)
MUT(file_pipe_flags, m->file[1].f_flags = O_RDWR)
MUT(file_pipe_path, strcpy(m->file[2].f_path, "/x"))
MUT(file_console_pipe, m->file[0].f_pipe = 0)
MUT(file_console_path, strcpy(m->file[0].f_path, "/dev/console"))
MUT(file_eth0_path, m->file[0].f_kind = CKPT_FILE_ETH0;
    strcpy(m->file[0].f_path, "/dev/eth0"))
MUT(file_eth0_offset, m->file[0].f_kind = CKPT_FILE_ETH0;
    m->file[0].f_offset = 1)
MUT(file_ramfs_pipe, m->file[3].f_pipe = 0)
MUT(file_relative, strcpy(m->file[3].f_path, "tmp/x"))
MUT(file_unterminated, memset(m->file[4].f_path, '/', CKPT_PATH_LEN))
MUT(pipe_unused, m->file[1].f_kind = CKPT_FILE_CONSOLE;
    m->file[1].f_pipe = CKPT_NONE; m->file[2].f_kind = CKPT_FILE_CONSOLE;
    m->file[2].f_pipe = CKPT_NONE; m->file[2].f_flags = O_WRONLY)
MUT(page_kernel, m->page_va[1] = 0xc0000000u)
MUT(page_kernel_low, m->page_va[0] = 0x00100000u)
MUT(page_null, m->page_va[0] = 0)
MUT(page_unaligned, m->page_va[1] += 8)
MUT(page_dup, m->page_va[1] = m->page_va[0])
MUT(page_order, m->page_va[0] = m->page_va[1] + CKPT_PAGE_SIZE)
MUT(page_not_user, m->page_flags[2] = CKPT_PG_WRITE)
MUT(page_flags, m->page_flags[2] |= 0x100)
/* Families checkpoint never makes (docs/checkpoint-format.md, invariants). */
MUT(top_init_not_task0, m->task[0].t_nrs[0] = 2; m->task[1].t_nrs[0] = 1;
    m->ctr[0].c_init = 1)
MUT(task_parent_outer_ctr, m->task[4].t_parent = 0)
MUT(init_birth_own_level, m->task[3].t_birth_level = 1)
MUT(task_birth_outer, m->task[4].t_birth_level = 0)
MUT(task_not_breadth_first, m->task[2].t_parent = 1)
MUT(ctr_last_nr_zero, m->ctr[1].c_last_nr = 0)
MUT(task_eip_kernel, m->task[0].t_regs.eip = 0xc0000000u)
MUT(task_eip_low, m->task[3].t_regs.eip = 0x1000)
MUT(task_eflags_vm, m->task[0].t_regs.eflags |= 0x20000)
MUT(task_eflags_vif, m->task[0].t_regs.eflags |= 0x80000)
MUT(task_eflags_vip, m->task[0].t_regs.eflags |= 0x100000)
MUT(task_eflags_bit3, m->task[0].t_regs.eflags |= 0x8)
MUT(task_eflags_bit15, m->task[0].t_regs.eflags |= 0x8000)
MUT(task_eflags_bit22, m->task[0].t_regs.eflags |= 0x400000)
MUT(task_eflags_no_bit1, m->task[0].t_regs.eflags = 0x200)
MUT(task_restart_eax, m->task[1].t_regs.eax = SYS_read)
MUT(task_killsig_unknown, m->task[4].t_killsig = 5)
MUT(zombie_status_signal, m->task[2].t_exit_status = 5)
MUT(zombie_status_core, m->task[2].t_exit_status = 0x8b)
MUT(task_sleep_no_restart, m->task[1].t_restart_syscall = 0;
    m->task[1].t_restart_arg = 0)
MUT(zombie_regs, m->task[2].t_regs.eip = USER_BASE)
MUT(zombie_fpu, m->task[2].t_fpu[CKPT_FPU_MXCSR_OFF] = 0x80)
MUT(ctr_name_padding, m->ctr[1].c_name[20] = 'x')
MUT(task_name_padding, m->task[3].t_name[30] = 'x')
MUT(task_cwd_padding, m->task[0].t_cwd[200] = 'x')
MUT(file_path_padding, m->file[3].f_path[100] = 'x')

/*
 * web > db and two tasks, both living in db, a page each: "sh" (web's
 * number 1, db's number sh_nr) and its child (web's 2, db's child_nr, born
 * at child_birth).  The containers' last numbers and db's init are given.
 */
static void two_in_db(struct model *m, uint32_t web_last, uint32_t db_last,
		      uint32_t db_init, uint32_t sh_nr, int32_t child_birth,
		      uint32_t child_nr, const char *child)
{
	memset(m, 0, sizeof(*m));
	m->ctr[0] = (struct ckpt_container){CKPT_NONE, 0, web_last, 0, "web"};
	m->ctr[1] = (struct ckpt_container){0, 1, db_last, db_init, "db"};
	m->n[CKPT_SEC_CONTAINERS] = 2;
	set_task(&m->task[0], 1, CKPT_NONE, -1, 2, (uint32_t[]){1, sh_nr},
		 "sh");
	set_task(&m->task[1], 1, 0, child_birth, 2, (uint32_t[]){2, child_nr},
		 child);
	m->n[CKPT_SEC_TASKS] = 2;
	add_pages(m, &m->task[0], 1, USER_BASE);
	add_pages(m, &m->task[1], 1, USER_BASE);
}

/* web's init living in db, where it is not the init (number 3; db's init
 * is its child): each restored would see the wrong parent. */
static void outer_init_inside_inner(struct model *m)
{
	two_in_db(m, 2, 3, 1, 3, 0, 1, "dbinit");
}

/* The init of a nested container whose parent is not in the container
 * just outside: cache's init (task 5 -> 4) made a child of web's init. */
static void nested_init_parent_far(struct model *m)
{
	struct ckpt_task worker = m->task[4], cache = m->task[5];

	cache.t_parent = 0;
	cache.t_first_page = 4, worker.t_first_page = 5;
	m->task[4] = cache, m->task[5] = worker;
	m->ctr[2].c_init = 4;
	m->page_va[4] = USER_BASE, m->page_flags[4] = CKPT_PG_USER;
	m->page_va[5] = USER_BASE + 0x10000, m->page_flags[5] = CKPT_PG_USER;
	m->page_va[6] = USER_BASE + 0x11000;
	m->page_flags[6] = CKPT_PG_USER | CKPT_PG_WRITE;
}

static const struct mutation mutations[] = {
#define M(x)                                                                   \
	{                                                                      \
#x, x                                                          \
	}
    M(ctr_cycle),
    M(ctr_two_tops),
    M(ctr_top_parent),
    M(ctr_depth),
    M(ctr_parent_range),
    M(ctr_name_bad),
    M(ctr_name_empty),
    M(ctr_name_dup),
    M(ctr_name_unterminated),
    M(ctr_last_nr),
    M(ctr_init_range),
    M(ctr_init_wrong),
    M(task_ctr_range),
    M(task_two_roots),
    M(task_root_parent),
    M(task_parent_cycle),
    M(task_parent_self),
    M(task_parent_zombie),
    M(task_parent_ctr),
    M(task_state),
    M(task_nlevels),
    M(task_nr_zero),
    M(task_nr_big),
    M(task_nr_past_levels),
    M(task_dup_pid),
    M(task_dup_pid_upper),
    M(task_dup_pid_inner),
    M(task_second_one),
    M(task_birth_range),
    M(task_birth_outside),
    M(task_root_birth),
    M(task_flags),
    M(task_killsig),
    M(task_sig_not_killed),
    M(task_sleep_not_in_call),
    M(task_eflags_iopl),
    M(task_eflags_no_if),
    M(task_mxcsr),
    M(task_restart),
    M(task_restart_arg),
    M(task_brk_low),
    M(task_brk_order),
    M(task_brk_kernel),
    M(task_brk_unaligned),
    M(task_stack_low),
    M(task_stack_kernel),
    M(task_cwd_relative),
    M(task_cwd_unterminated),
    M(task_name_unterminated),
    M(task_first_page),
    M(task_npages_more),
    M(task_npages_huge),
    M(task_fd_range),
    M(zombie_pages),
    M(zombie_fd),
    M(zombie_status),
    M(zombie_status_both),
    M(zombie_init),
    M(live_status),
    M(file_kind),
    M(file_kind_zero),
    M(file_unused),
    M(file_accmode),
    M(file_flag_bits),
    M(file_pipe_range),
    M(file_pipe_flags),
    M(file_pipe_path),
    M(file_console_pipe),
    M(file_console_path),
    M(file_eth0_path),
    M(file_eth0_offset),
    M(file_ramfs_pipe),
    M(file_relative),
    M(file_unterminated),
    M(pipe_unused),
    M(page_kernel),
    M(page_kernel_low),
    M(page_null),
    M(page_unaligned),
    M(page_dup),
    M(page_order),
    M(page_not_user),
    M(page_flags),
    M(top_init_not_task0),
    M(task_parent_outer_ctr),
    M(outer_init_inside_inner),
    M(init_birth_own_level),
    M(task_birth_outer),
    M(task_not_breadth_first),
    M(ctr_last_nr_zero),
    M(task_eip_kernel),
    M(task_eip_low),
    M(task_eflags_vm),
    M(task_eflags_vif),
    M(task_eflags_vip),
    M(task_eflags_bit3),
    M(task_eflags_bit15),
    M(task_eflags_bit22),
    M(task_eflags_no_bit1),
    M(task_restart_eax),
    M(task_killsig_unknown),
    M(zombie_status_signal),
    M(zombie_status_core),
    M(nested_init_parent_far),
    M(task_sleep_no_restart),
    M(zombie_regs),
    M(zombie_fpu),
    M(ctr_name_padding),
    M(task_name_padding),
    M(task_cwd_padding),
    M(file_path_padding),
#undef M
};

/* The model changed by mu, encoded with a correct CRC and validated (one
 * check counted): the validator's result. */
static int check_mutated(const struct mutation *mu)
{
	struct model m;
	uint32_t len;
	make_model(&m);
	mu->fn(&m);
	uint8_t *img = encode(&m, &len);
	int r = check(img, len);
	free(img);
	checks++;
	return r;
}

/* Each semantic mutation, encoded with a correct CRC, is -EINVAL. */
static void test_mutations(void)
{
	for (unsigned i = 0; i < sizeof(mutations) / sizeof(mutations[0]);
	     i++) {
		int r = check_mutated(&mutations[i]);
		if (r != -EINVAL) {
			printf("FAIL mutation %s: expected %d, got %d\n",
			       mutations[i].what, -EINVAL, r);
			failures++;
		} else {
			printf("  %-24s refused: %s\n", mutations[i].what,
			       last_why);
		}
	}
}

/* What checkpoint can produce, restore must accept: every eflags bit user
 * mode can set, each pending signal kill leaves, each status a task can
 * end with, and an init that founded a container nested in its own (it is
 * then the init of both, and its own container holds nobody else). */
MUT(ok_eflags_user, m->task[0].t_regs.eflags = 0x00254fd7u)
MUT(ok_eflags_min, m->task[3].t_regs.eflags = 0x202u)
MUT(ok_killsig_int, m->task[4].t_killsig = SIGINT)
MUT(ok_killsig_kill, m->task[4].t_killsig = SIGKILL)
MUT(ok_status_segv, m->task[2].t_exit_status = SIGSEGV)
MUT(ok_status_255, m->task[2].t_exit_status = 255 << 8)
/* web's init moved on into db (web holds nobody else): db's tasks are its
 * children, and db's init is web's init. */
static void ok_init_nested_itself(struct model *m)
{
	two_in_db(m, 1, 2, 0, 1, 1, 2, "child");
}

static void test_accepted(void)
{
	static const struct mutation ok[] = {
	    {"ok_eflags_user", ok_eflags_user},
	    {"ok_eflags_min", ok_eflags_min},
	    {"ok_killsig_int", ok_killsig_int},
	    {"ok_killsig_kill", ok_killsig_kill},
	    {"ok_status_segv", ok_status_segv},
	    {"ok_status_255", ok_status_255},
	    {"ok_init_nested_itself", ok_init_nested_itself},
	};
	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int r = check_mutated(&ok[i]);
		if (r != 0) {
			printf("FAIL %s: refused with %d: %s\n", ok[i].what, r,
			       last_why);
			failures++;
		}
	}
}

/* Containers are stored by depth: top > a > b and top > c is stored top,
 * a, c, b; top, a, b, c is refused although every parent comes first. */
static void test_ctr_order(void)
{
	for (int bad = 0; bad <= 1; bad++) {
		struct model m;
		uint32_t len, b = bad ? 2 : 3, c = bad ? 3 : 2;
		memset(&m, 0, sizeof(m));
		m.ctr[0] = (struct ckpt_container){CKPT_NONE, 0, 4, 0, "top"};
		m.ctr[1] = (struct ckpt_container){0, 1, 1, 1, "a"};
		m.ctr[b] = (struct ckpt_container){1, 2, 1, 3, "b"};
		m.ctr[c] = (struct ckpt_container){0, 1, 1, 2, "c"};
		m.n[CKPT_SEC_CONTAINERS] = 4;
		set_task(&m.task[0], 0, CKPT_NONE, -1, 1, (uint32_t[]){1}, "t");
		set_task(&m.task[1], 1, 0, 0, 2, (uint32_t[]){2, 1}, "a");
		set_task(&m.task[2], c, 0, 0, 2, (uint32_t[]){3, 1}, "c");
		set_task(&m.task[3], b, 1, 1, 3, (uint32_t[]){4, 2, 1}, "b");
		m.n[CKPT_SEC_TASKS] = 4;
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		CHECK(bad ? r == -EINVAL : r == 0);
		if (r != (bad ? -EINVAL : 0))
			printf("  order %s: %d %s\n", bad ? "bad" : "good", r,
			       last_why);
		free(img);
	}
}

/* A /dev/eth0 record (kind 7, no path, no offset) is valid, with
 * O_NONBLOCK too: it is reopened on restore like the console.  No other
 * kind honours O_NONBLOCK, so on the console it is refused. */
static void test_eth0_file(void)
{
	for (int kind = 0; kind <= 1; kind++) {
		struct model m;
		uint32_t len;
		make_model(&m);
		m.file[0].f_kind = kind ? CKPT_FILE_ETH0 : CKPT_FILE_CONSOLE;
		m.file[0].f_flags = O_RDWR | O_NONBLOCK;
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		int want = kind ? 0 : -EINVAL;
		checks++;
		if (r != want) {
			printf("FAIL %s record with O_NONBLOCK: expected %d, "
			       "got %d\n",
			       kind ? "eth0" : "console", want, r);
			failures++;
		}
		free(img);
	}
}

/* A chain of nested containers: 31 below the top is fine, 32 is not (the
 * top itself is at least at depth 1 on any machine). */
static void test_depth(void)
{
	for (uint32_t depth = 31; depth <= 32; depth++) {
		struct model m;
		memset(&m, 0, sizeof(m));
		for (uint32_t i = 0; i <= depth; i++) {
			/* task i founds container i; in container l it is
			 * number i - l + 1 */
			uint32_t nrs[CKPT_LEVELS];
			m.ctr[i].c_parent = i ? i - 1 : CKPT_NONE;
			m.ctr[i].c_depth = i;
			m.ctr[i].c_init = i;
			m.ctr[i].c_last_nr = depth - i + 1;
			snprintf(m.ctr[i].c_name, CKPT_NAME_LEN, "c%u", i);
			for (uint32_t l = 0; l <= i; l++)
				nrs[l] = i - l + 1;
			set_task(&m.task[i], i, i ? i - 1 : CKPT_NONE,
				 i ? (int32_t)i - 1 : -1, i + 1, nrs, "t");
		}
		m.n[CKPT_SEC_CONTAINERS] = m.n[CKPT_SEC_TASKS] = depth + 1;
		uint32_t len;
		uint8_t *img = encode(&m, &len);
		int r = check(img, len);
		CHECK(depth == 31 ? r == 0 : r == -EINVAL);
		struct ckpt_source src = {mem_read, img, len};
		struct ckpt_layout lay;
		if (depth == 31) {
			static uint8_t io[CKPT_IOBUF_SIZE];
			CHECK(ckpt_check_header(&src, &host_limits, &lay) == 0);
			void *s = malloc(ckpt_scratch_size(&lay));
			CHECK(ckpt_check_body(&src, &host_limits, &lay, s,
					      io) == 0);
			CHECK(lay.max_depth == 31);
			free(s);
		}
		free(img);
	}
}

int main(void)
{
	test_mutations();
	test_accepted();
	test_ctr_order();
	test_eth0_file();
	test_depth();
	return check_verdict("ckpt check");
}
