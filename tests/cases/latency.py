"""Scheduling latency (SPEC 3): no task holds the CPU.  /test/t_latency runs
long system calls (128 MiB write and read, exec of a 32 MiB ELF, big sbrk, fork and exit of a
64 MiB task, checkpoint and restore of a 16 MiB container) and user-mode
CPU hogs while a task sleeping 10 ms in a loop times its wake-ups; each
phase passes if the worst wake-up is at most 30 ms.  /test/t_yieldrace
acts on long calls from other tasks while they have given the CPU away."""
from harness import DEFAULT_FORBID, case

PHASES = ["idle", "hogs", "exec-32m", "sbrk-128m", "write-128m", "read-128m",
          "unlink-128m", "shrink-64m", "fork-64m", "exit-64m",
          "checkpoint-16m", "restore-16m"]

CASES = [
    case(name="latency", append="init=/test/t_latency",
         expect=[r"^t_latency: %s: \d+ ms, \d+ wake-ups, worst \d+ ms: PASS$"
                 % p for p in PHASES] + [r"^t_latency: PASS$"],
         forbid=[r"t_latency: .*FAIL.*\n", *DEFAULT_FORBID],
         status=0, timeout=90),
    # What others may do to a long call that has given the CPU away:
    # checkpoint, kill, truncate; nothing half done is seen, nothing lost.
    case(name="yieldrace", append="init=/test/t_yieldrace",
         expect=[r"^PASS %s$" % t for t in
                 ["ckpt-midcall", "kill-during-ckpt", "concurrent-ckpt",
                  "kill-during-restore", "kill-during-fork",
                  "truncate-during-write"]]
         + [r"^t_yieldrace: 6 passed, 0 failed$"],
         forbid=[r"FAIL.*\n", *DEFAULT_FORBID],
         status=0, timeout=90),
]
