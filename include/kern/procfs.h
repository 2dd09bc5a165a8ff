/*
 * procfs (kernel/fs/procfs.c): /proc, computed for each reader.
 *
 *   /proc/meminfo          page and heap counters
 *   /proc/container        read: the caller's container; write: make one
 *   /proc/containers       the containers the caller can see
 *   /proc/self             the caller's own PID directory
 *   /proc/<pid>/status     one per task visible to the caller, named by the
 *                          PID the caller sees
 *
 * Nodes are made on demand by lookup and freed with their last reference.
 * A file's content is generated into a snapshot buffer when it is read at
 * offset 0 (so rewinding refreshes it); a directory's listing likewise when
 * getdents starts at entry 0.
 */
#ifndef KERN_PROCFS_H
#define KERN_PROCFS_H

#include <kern/compiler.h>

struct inode;

/* Makes the procfs root, a child "proc" of parent (called by vfs_init).
 * Its nodes answer lookups and opens (i_ops) as the viewer task sees the
 * system. */
struct inode *procfs_init(struct inode *parent) __must_check;

#endif
