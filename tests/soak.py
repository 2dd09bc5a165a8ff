#!/usr/bin/env python3
"""make soak: a long run of the in-guest fuzzers (not part of `make test`).

Boots Cellblock once with init=/test/soak SECONDS SEED (user/test/soak.c),
which repeats rounds of sysfuzz (hostile ELF files, heap exhaustion, three
fuzzers at once with PID checks; a new seed each round), ckptfuzz (300
mutated checkpoint images) and checkpoint/restore and container
create/exit cycles, printing PagesFree and HeapUsed after each round.

SOAK_SECONDS (default 600) sets the length, SOAK_SEED the first seed
(default: the time).  The whole console goes to build/soak.log; round
lines and failures are shown as they come.  At the end a summary: system
calls (at least; counted in blocks of 100), workers, PID checks, ELF
execs, mutated images, restores, cycles, and pages and kernel heap before
and after.  Fails on a kernel panic or exception, any "FAIL" line, a
timeout or a non-zero exit.
"""
import os
import re
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness.qemu import BUILD, MACHINE_ARGS, boot_args, map_status, qemu_binary  # noqa: E402

BAD = re.compile(r"kernel panic|kernel exception|page fault in kernel|FAIL")
SHOW = re.compile(r"^(soak: |sysfuzz: \d+ s,)|FAIL|panic")


def summarise(text):
    """Totals from the console text, as (label, value) pairs."""
    def total(pattern, group=1):
        return sum(int(m.group(group)) for m in re.finditer(pattern, text, re.M))
    rows = [
        ("sysfuzz runs", len(re.findall(r"^sysfuzz: \d+ s, ", text, re.M))),
        ("system calls (at least)",
         total(r"^sysfuzz: \S+: \d+ workers, (\d+)00 calls") * 100),
        ("fuzz workers", total(r"^sysfuzz: \S+: (\d+) workers")),
        ("PID checks", total(r"^sysfuzz: \S+: .*?(\d+) checks")),
        ("hostile ELF execs", total(r"^sysfuzz: elf: (\d+) cases") +
         total(r"^sysfuzz: elf: \d+ cases, (\d+) mutants")),
        ("heap exhaustions", len(re.findall(r"^sysfuzz: heap: ", text, re.M))),
        ("mutated images", total(r"^ckptfuzz: (\d+) mutants")),
        ("  restored (valid mutants)", total(r"^ckptfuzz: .* (\d+) restored")),
        ("checkpoint/restore cycles", total(r"^soak: \d+ rounds, (\d+) checkpoint")),
        ("cycle images", total(r"^soak: .* (\d+) images")),
    ]
    m = re.search(r"^soak: (\d+) rounds, .*PagesFree (-?\d+) -> (-?\d+) -> (-?\d+), "
                  r"HeapUsed (-?\d+) -> (-?\d+) -> (-?\d+)", text, re.M)
    if m:
        rows += [("rounds", int(m.group(1))),
                 ("PagesFree at boot / after round 0 / at the end",
                  "%s / %s / %s" % m.group(2, 3, 4)),
                 ("HeapUsed at boot / after round 0 / at the end",
                  "%s / %s / %s" % m.group(5, 6, 7))]
    return rows


def main():
    seconds = int(os.environ.get("SOAK_SECONDS", "600"))
    seed = int(os.environ.get("SOAK_SEED", str(int(time.time()) % 100000)))
    append = "ctr_max_tasks=64 init=/test/soak %d %d" % (seconds, seed)
    argv = (qemu_binary() + MACHINE_ARGS +
            ["-display", "none", "-monitor", "none", "-serial", "stdio"] +
            boot_args(append=append))
    log_path = os.path.join(BUILD, "soak.log")
    print("soak: %d s, first seed %d; console in %s" % (seconds, seed, log_path))
    sys.stdout.flush()
    started = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    # Rounds take up to a minute past the deadline; then it is a hang.
    timer = threading.Timer(seconds + 300, proc.kill)
    timer.start()
    lines, bad = [], []
    with open(log_path, "w") as log:
        log.write("$ %s\n" % " ".join(argv))
        for raw in proc.stdout:
            line = raw.decode("utf-8", "replace").replace("\r", "").rstrip("\n")
            log.write(line + "\n")
            lines.append(line)
            if BAD.search(line):
                bad.append(line)
            if SHOW.search(line):
                print("  [%4.0f s] %s" % (time.monotonic() - started, line))
                sys.stdout.flush()
    rc = proc.wait()
    timer.cancel()
    status = map_status(rc)
    text = "\n".join(lines)
    print("soak: summary after %.0f s (exit %s):" % (time.monotonic() - started, status))
    for label, value in summarise(text):
        print("  %-48s %s" % (label, value))
    passed = status == 0 and not bad and re.search(r"^soak: PASS$", text, re.M)
    if not passed:
        print("soak: FAIL%s" % ("" if not bad else ": " + bad[0]))
        return 1
    print("soak: PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
