/*
 * Checkpoint and restore of a container tree (SPEC section 5).
 *
 * In kernel/ckpt/:
 *   sys_ckpt.c      the two system calls: argument decoding only
 *   ckpt_save.c     checkpoint: freeze, collect, serialise, destroy
 *   ckpt_restore.c  restore: validate, check resources, build, commit
 *   ckpt_files.c    open files, pipes and working directories, both ways
 * In kernel/lib/ (shared with the host tools):
 *   ckpt_codec.c    the image format itself: encoder and record reader
 *   ckpt_check.c    the validator, one rule at a time
 *
 * The image format is docs/checkpoint-format.md; the design,
 * docs/checkpoint.md.
 */
#ifndef KERN_CKPT_H
#define KERN_CKPT_H

#include <kern/compiler.h>
#include <kern/usercopy.h>
#include <kern/ckpt_codec.h>

struct task;
struct file;
struct pipe;
struct container;

/*
 * Serialises container name (nested strictly inside the caller's) and all
 * below it into the user buffer buf of len bytes.  len 0 asks for the size.
 * Returns the image size, or -ESRCH (no such container visible), -EPERM (the
 * caller's own container), -EBUSY (being torn down, or sharing a file with
 * a task outside, which is reported on the console), -ERANGE (buffer too
 * small), -EFAULT, -ENOMEM, -EINVAL (bad flags, or -- a kernel bug -- an
 * image restore would refuse, with a console line).  Unless flags has
 * CKPT_KEEP, a successful checkpoint ends the container tree, and only
 * after the image passed restore's validator.
 */
int do_checkpoint(const char *name, uptr_t buf, uint32_t len,
		  uint32_t flags) __must_check;

/* Fault injection for the test of that last check (ktest=ckpt-bad-image):
 * checkpoint then writes a register record no user task can have. */
extern bool ckpt_test_bad_image;

/*
 * Rebuilds the image in the user buffer buf (len bytes) as a child container
 * tree of the caller's container, the top renamed to newname if not NULL.
 * Returns the restored init's PID as the caller sees it, or an error
 * (docs/checkpoint-format.md lists them) with nothing changed.  flags 0;
 * or RESTORE_STAGE (buf is a round to stage: 0) or RESTORE_COMMIT (buf is
 * the final round and state), see ckpt_stage_round/ckpt_stage_commit.
 */
int do_restore(uptr_t buf, uint32_t len, const char *newname,
	       uint32_t flags) __must_check;

/*
 * Staged restore (kernel/ckpt/ckpt_stage.c), restore's RESTORE_STAGE and
 * RESTORE_COMMIT: the caller's staging area keeps the pages of every round,
 * validated, until the final round builds the tree from them.
 * ckpt_stage_round: 0 or an error; ckpt_stage_commit: as do_restore.  On
 * any error everything staged is dropped.
 */
int ckpt_stage_round(uptr_t buf, uint32_t len) __must_check;
int ckpt_stage_commit(uptr_t buf, uint32_t len,
		      const char *newname) __must_check;
/* Frees t's staging area, if any (restore errors, and task exit). */
void ckpt_stage_drop(struct task *t);

/* ---- between the ckpt_*.c files ------------------------------------------ */

/* Restore from the whole image src reads (do_restore's stages); own: its
 * CRC needs no check. */
int ckpt_restore_src(const struct ckpt_source *src, const char *newname,
		     bool own) __must_check;

/*
 * One incremental round (flags: CKPT_INCR_FIRST, _NEXT or _FINAL) of the
 * frozen tree top, tasks[0..n) in family order, into the user buffer buf
 * (len 0 asks for the size), which must also have room for extra bytes
 * after it.  The round image's length, or -EINVAL (a later round with no
 * first), -EAGAIN (tasks added or reaped since the first round), -ERANGE,
 * -EFAULT, -ENOMEM.  kernel/ckpt/ckpt_incr.c.
 */
int ckpt_incr_round(struct container *top, struct task **tasks, uint32_t n,
		    uptr_t buf, uint32_t len, uint32_t flags,
		    uint32_t extra) __must_check;

/*
 * Runs the codec's validator, with this machine's limits, over the image
 * src reads: 0, -ENOEXEC, -EINVAL (lay->why says why) or -ENOMEM.  page is
 * a scratch page; *scratch gets the validator's tables, which the caller
 * frees (kfree) in every case.  Restore uses it, and checkpoint on the
 * image it has just written (own: its CRC, computed while writing, is not
 * checked again) before it ends a migrated tree.
 */
int ckpt_validate(const struct ckpt_source *src, struct ckpt_layout *lay,
		  void *page, void **scratch, bool own) __must_check;

/* The distinct open files and pipes of the tasks being saved, each array
 * sorted by address so an object's index is found by binary search. */
struct ckpt_ftab {
	struct file **ft_files;
	uint32_t ft_nfiles;
	struct pipe **ft_pipes;
	uint32_t ft_npipes;
};

/* Collects the files and pipes of tasks[0..n).  0 or -ENOMEM. */
int ckpt_ftab_build(struct ckpt_ftab *ft, struct task **tasks,
		    uint32_t n) __must_check;
void ckpt_ftab_free(struct ckpt_ftab *ft);
/* Index of f in ft->ft_files (f must be there). */
uint32_t ckpt_ftab_file_index(const struct ckpt_ftab *ft, struct file *f);
/* -EBUSY, with a console line naming the task and descriptor, when a file
 * or pipe of ft is also held by a task outside container top; or when a
 * file or working directory has no path to save.  Terminals may be shared:
 * they hold no state. */
int ckpt_ftab_check(const struct ckpt_ftab *ft, struct task **tasks, uint32_t n,
		    const struct container *top) __must_check;
/* Writes the FILES and PIPES records; page is a scratch page. */
int ckpt_ftab_encode(const struct ckpt_ftab *ft, struct ckpt_enc *e,
		     void *page) __must_check;
/* t's working directory as a path (CKPT_PATH_LEN bytes at out). */
int ckpt_cwd_path(const struct task *t, char *out) __must_check;

/* The files and pipes being rebuilt by restore, by image index. */
struct ckpt_rfiles {
	struct file **rf_files; /* one reference each, owned here */
	struct pipe **rf_pipes;
	uint32_t rf_nfiles, rf_npipes;
};

/* Rebuilds every pipe and file of the image.  holder[i] is a restored task
 * holding file i: /proc paths are resolved as that task sees them.  rec is
 * scratch for one record, page a scratch page.  0 or an error; on error the
 * caller still calls ckpt_rfiles_free. */
int ckpt_rfiles_build(struct ckpt_rfiles *rf, const struct ckpt_source *src,
		      const struct ckpt_layout *lay, struct task **holder,
		      struct ckpt_file *rec, void *page) __must_check;
/* Drops what rf owns: pipes no file took, then its file references. */
void ckpt_rfiles_free(struct ckpt_rfiles *rf);

#endif
