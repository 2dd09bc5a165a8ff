/* Kernel self-tests run at boot with ktest=NAME (kernel/debug/selftest.c). */
#ifndef KERN_SELFTEST_H
#define KERN_SELFTEST_H

/* Allocator and heap tests; returns the number of failures. */
int selftest_mm(void);
/* Runs the deliberate-failure tests: "panic", "fault", "stackoverflow",
 * "stackguard", "smap", "smep".  Needs the PID and container tables. */
void selftest_run(const char *name);

#endif
