/*
 * The checkpoint image format (version 1), shared by the kernel, user
 * programs and host tools.  docs/checkpoint-format.md describes every field;
 * this header is the authority on the layout.
 *
 * An image is a header, a section table, then five sections of fixed-size
 * records, tiling the image with no gaps:
 *
 *   +--------+-----------+------------+-------+-------+-------+-------+
 *   | header | sections  | CONTAINERS | TASKS | FILES | PIPES | PAGES |
 *   +--------+-----------+------------+-------+-------+-------+-------+
 *
 * Every field is a little-endian 32-bit word or a byte array; a record's
 * words all come before its byte arrays, so converting a record between
 * wire and host order is one loop over its leading words.  Records refer to
 * each other by index (CKPT_NONE: none), never by pointer.  Containers are
 * stored parents first and tasks in family order (a parent before its
 * children), so index 0 is the top container and its init.
 */
#ifndef UAPI_CKPT_IMAGE_H
#define UAPI_CKPT_IMAGE_H

#include <stdint.h>
#include <uapi/cellblock.h>

#define CKPT_MAGIC0    0x4c4c4543u /* "CELL" */
#define CKPT_MAGIC1    0x54504b43u /* "CKPT": the image starts "CELLCKPT" */
#define CKPT_VERSION   1u
#define CKPT_NONE      0xffffffffu /* "no index" */
#define CKPT_PAGE_SIZE 4096u
#define CKPT_PIPE_SIZE 4096u
#define CKPT_NOFILE    ((uint32_t)CB_NOFILE) /* descriptor slots per task */
#define CKPT_LEVELS    33u  /* PID levels: a top container and 32 below */
#define CKPT_NAME_LEN  32u  /* container and task names, NUL included */
#define CKPT_PATH_LEN  256u /* paths, NUL included */
#define CKPT_FPU_LEN   512u /* FXSAVE area */

/* Section types; each appears exactly once in a version 1 image. */
#define CKPT_SEC_CONTAINERS 1u
#define CKPT_SEC_TASKS	    2u
#define CKPT_SEC_FILES	    3u
#define CKPT_SEC_PIPES	    4u
#define CKPT_SEC_PAGES	    5u
#define CKPT_NSECT	    5u

struct ckpt_header {
	uint32_t h_magic[2];  /* CKPT_MAGIC0, CKPT_MAGIC1 */
	uint32_t h_version;   /* CKPT_VERSION */
	uint32_t h_hdr_size;  /* header + section table, bytes */
	uint32_t h_total_len; /* whole image, bytes */
	uint32_t h_crc;	      /* CRC-32 (IEEE) of the image, this field as 0 */
	uint32_t h_nsect;     /* section table entries: CKPT_NSECT */
	uint32_t h_reserved;  /* 0 */
};
#define CKPT_HDR_WORDS	8u
#define CKPT_CRC_OFFSET 20u /* byte offset of h_crc */

struct ckpt_section {
	uint32_t s_type;   /* CKPT_SEC_* */
	uint32_t s_offset; /* from the start of the image */
	uint32_t s_length; /* bytes: s_count records of the type's size */
	uint32_t s_count;  /* records */
};
#define CKPT_SECT_WORDS 4u

/* One container.  Depth is relative to the image's top container. */
struct ckpt_container {
	uint32_t c_parent;  /* container index; CKPT_NONE for the top only */
	uint32_t c_depth;   /* 0 for the top; parent's depth + 1 */
	uint32_t c_last_nr; /* last number its pidspace handed out */
	uint32_t c_init;    /* task index of its number 1 */
	char c_name[CKPT_NAME_LEN]; /* NUL-terminated, [A-Za-z0-9._-]{1,31} */
};
#define CKPT_CTR_WORDS 4u

/* Task states. */
#define CKPT_TASK_RUNNABLE 1u /* running, ready, or preempted in user mode */
#define CKPT_TASK_SLEEPING 2u /* blocked in a system call */
#define CKPT_TASK_ZOMBIE   3u /* exited, not yet reaped */

/* Task flags. */
#define CKPT_TF_IN_SYSCALL                                                     \
	0x1u		    /* eip points at `int 0x80` again and eax          \
			       holds the call's number: it re-executes */
#define CKPT_TF_KILLED 0x2u /* a kill is pending (t_killsig) */

/* User registers, as the task will resume with them. */
struct ckpt_regs {
	uint32_t eip, esp, eflags;
	uint32_t eax, ebx, ecx, edx, esi, edi, ebp;
};

/* eflags as user mode can leave them (popf at CPL 3 changes every flag
 * but IF, IOPL, VM, VIF and VIP; a fault's frame may add RF): the
 * arithmetic flags, TF, DF, NT, RF, AC, ID, with IF and the always-one
 * bit 1 set.  (No IOPL, VM, VIF, VIP or reserved bits.) */
#define CKPT_EFLAGS_OK	0x00254fd7u
#define CKPT_EFLAGS_SET 0x00000202u /* IF and bit 1: always set */
#define CKPT_FPU_MXCSR_OFF                                                     \
	24u /* MXCSR in the FXSAVE area: bits 16-31 are                        \
	       reserved and must be 0 */

/* One task. */
struct ckpt_task {
	uint32_t t_ctr;		/* index of its own container */
	uint32_t t_parent;	/* task index; CKPT_NONE for task 0 only */
	uint32_t t_state;	/* CKPT_TASK_* */
	uint32_t t_flags;	/* CKPT_TF_* */
	uint32_t t_killsig;	/* pending signal if CKPT_TF_KILLED, else 0 */
	uint32_t t_exit_status; /* waitpid status word (zombies), else 0 */
	uint32_t t_birth_level; /* level whose pidspace made its real PID,
				   relative to the top container; as int32,
				   -1 = born outside (task 0 only) */
	uint32_t t_nlevels;	/* its container's depth + 1 */
	uint32_t t_nrs[CKPT_LEVELS]; /* number in the container at each
					level from the top down; 0 past
					t_nlevels */
	struct ckpt_regs t_regs;
	uint32_t t_restart_syscall;  /* SYS_sleep or 0 */
	uint32_t t_restart_arg;	     /* SYS_sleep: milliseconds still to go */
	uint32_t t_brk_start;	     /* heap start (page aligned) */
	uint32_t t_brk;		     /* current break */
	uint32_t t_stack_low;	     /* lowest stack page */
	uint32_t t_first_page;	     /* index of its first PAGES record */
	uint32_t t_npages;	     /* how many PAGES records are its own */
	uint32_t t_fds[CKPT_NOFILE]; /* FILES index per descriptor, maybe
					| CKPT_FD_CLOEXEC; or NONE */
	char t_name[CKPT_NAME_LEN];  /* program name, NUL-terminated */
	char t_cwd[CKPT_PATH_LEN];   /* working directory ("" for zombies) */
	uint8_t t_fpu[CKPT_FPU_LEN]; /* FXSAVE area */
};
#define CKPT_TASK_WORDS 90u

/* A t_fds entry other than CKPT_NONE: the FILES index, plus this bit when
 * the descriptor is close-on-exec.  Images written before the bit existed
 * have it clear (indexes are small), so they restore as before. */
#define CKPT_FD_CLOEXEC 0x80000000u
#define CKPT_FD_FILE(v) ((v) & ~CKPT_FD_CLOEXEC) /* the FILES index */

/* File kinds. */
#define CKPT_FILE_CONSOLE    1u /* /dev/console */
#define CKPT_FILE_TTYS1	     2u /* /dev/ttyS1 */
#define CKPT_FILE_PIPE_READ  3u
#define CKPT_FILE_PIPE_WRITE 4u
#define CKPT_FILE_RAMFS	     5u /* in-memory file or directory, by path */
#define CKPT_FILE_PROC	     6u /* procfs file or directory, by path */
#define CKPT_FILE_ETH0	     7u /* /dev/eth0, reopened on restore */

/* One open file (shared by every descriptor that refers to its index). */
struct ckpt_file {
	uint32_t f_kind;	    /* CKPT_FILE_* */
	uint32_t f_flags;	    /* O_* given to open */
	uint32_t f_offset;	    /* position (files) or entry index (dirs) */
	uint32_t f_pipe;	    /* PIPES index for pipe ends, else NONE */
	char f_path[CKPT_PATH_LEN]; /* absolute path (RAMFS, PROC), else "" */
};
#define CKPT_FILE_WORDS 4u

/* One pipe: the bytes buffered in it, oldest first. */
struct ckpt_pipe {
	uint32_t p_count;		/* bytes in p_data that are buffered */
	uint32_t p_reserved;		/* 0 */
	uint8_t p_data[CKPT_PIPE_SIZE]; /* zero past p_count */
};
#define CKPT_PIPE_WORDS 2u

/* Page flags. */
#define CKPT_PG_WRITE 0x2u
#define CKPT_PG_USER  0x4u /* always set */

/* One page of a task's memory.  A task's pages are consecutive records,
 * in increasing address order. */
struct ckpt_page {
	uint32_t p_va;	  /* user address, page aligned */
	uint32_t p_flags; /* CKPT_PG_* */
	uint8_t p_data[CKPT_PAGE_SIZE];
};
#define CKPT_PAGE_WORDS 2u

#define CKPT_HDR_SIZE	   (CKPT_HDR_WORDS * 4u + CKPT_NSECT * CKPT_SECT_WORDS * 4u)
#define CKPT_CTR_SIZE	   48u
#define CKPT_TASK_SIZE	   1160u
#define CKPT_FILE_SIZE	   272u
#define CKPT_PIPE_REC_SIZE 4104u
#define CKPT_PAGE_REC_SIZE 4104u

_Static_assert(sizeof(struct ckpt_header) == CKPT_HDR_WORDS * 4, "header");
_Static_assert(sizeof(struct ckpt_section) == CKPT_SECT_WORDS * 4, "section");
_Static_assert(sizeof(struct ckpt_container) == CKPT_CTR_SIZE, "container");
_Static_assert(sizeof(struct ckpt_task) == CKPT_TASK_SIZE, "task");
_Static_assert(sizeof(struct ckpt_file) == CKPT_FILE_SIZE, "file");
_Static_assert(sizeof(struct ckpt_pipe) == CKPT_PIPE_REC_SIZE, "pipe");
_Static_assert(sizeof(struct ckpt_page) == CKPT_PAGE_REC_SIZE, "page");

/*
 * Version 2: one round of an incremental (pre-copy) checkpoint.  The same
 * header (h_version CKPT_VERSION_INCR, h_nsect 0, h_hdr_size the header
 * plus the round record), then the round record, then r_npages page
 * records in task order and, within a task, increasing address order.  A
 * page record is four words, followed by CKPT_PAGE_SIZE bytes of data
 * unless its flags have CKPT_PG_ZERO (the page is all zeros) or
 * CKPT_PG_KEPT.  h_crc is the CRC-32 of the whole round, this field as 0,
 * as in version 1.  A FINAL round lists every page of the tree (those not
 * written since the round before as CKPT_PG_KEPT: their content is the
 * last copy an earlier round carried) and is followed, at offset
 * h_total_len, by a version 1 image of the tree whose tasks have no pages
 * (t_npages 0): the rest of the state.
 */
#define CKPT_VERSION_INCR 2u

/* Round kinds. */
#define CKPT_ROUND_FIRST 1u /* every page of the tree */
#define CKPT_ROUND_NEXT	 2u /* pages written or mapped since the last round */
#define CKPT_ROUND_FINAL                                                       \
	3u /* frozen: every page, new data for those written                   \
	    */

struct ckpt_round {
	uint32_t r_id;	     /* migration id: the same in every round */
	uint32_t r_round;    /* 0 for the FIRST round, then 1, 2, ... */
	uint32_t r_kind;     /* CKPT_ROUND_* */
	uint32_t r_ntasks;   /* tasks of the tree (p_task is below this) */
	uint32_t r_npages;   /* page records that follow */
	uint32_t r_nzero;    /* of which CKPT_PG_ZERO */
	uint32_t r_nkept;    /* of which CKPT_PG_KEPT (FINAL rounds only) */
	uint32_t r_reserved; /* 0 */
};
#define CKPT_ROUND_WORDS     8u
#define CKPT_ROUND_MAX_TASKS 65536u /* r_ntasks at most (restore's limit) */

/* Page flags of version 2 only; no data follows either. */
#define CKPT_PG_ZERO 0x100u /* the page is all zeros */
#define CKPT_PG_KEPT 0x200u /* unchanged since an earlier round (FINAL) */

/* One page record of a round (its data, if any, follows). */
struct ckpt_rpage {
	uint32_t p_task;  /* task index, in the tree's family order */
	uint32_t p_va;	  /* user address, page aligned */
	uint32_t p_flags; /* CKPT_PG_WRITE, CKPT_PG_USER, maybe ZERO or KEPT */
	uint32_t p_reserved; /* 0 */
};
#define CKPT_RPAGE_WORDS    4u
#define CKPT_ROUND_HDR_SIZE (CKPT_HDR_WORDS * 4u + CKPT_ROUND_WORDS * 4u)

_Static_assert(sizeof(struct ckpt_round) == CKPT_ROUND_WORDS * 4, "round");
_Static_assert(sizeof(struct ckpt_rpage) == CKPT_RPAGE_WORDS * 4, "rpage");

#endif
