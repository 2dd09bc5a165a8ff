#!/usr/bin/env python3
"""make fuzz: coverage-guided fuzzing of the kernel's parsers on the host.

Each target in build/fuzz/ (built by the Makefile with clang's libFuzzer,
AddressSanitizer and UndefinedBehaviorSanitizer) runs for FUZZ_SECONDS
seconds on its corpus build/fuzz/corpus/TARGET, which starts from the seed
files (tests/fuzz/regress/TARGET/ and build/fuzz/seeds/TARGET/) and keeps
whatever new inputs libFuzzer finds, so later runs start where earlier ones
stopped.  A crash, a sanitizer report, an oracle failure, a timeout or a
memory blow-up stops the target; its input is copied into
tests/fuzz/regress/TARGET/ so that `make test` replays it from then on
(tests/unit/test_fuzz_replay.c) -- fix the bug, then commit the input.

Prints one line per target: executions, executions per second, coverage,
corpus size, and the crash files if any.  Exit status 1 if any target
found something.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build", "fuzz")
# Per target: the largest input worth trying (the seeds' size decides).
MAX_LEN = {"ckpt": 65536, "elf": 32768}


def run_target(name, seconds):
    exe = os.path.join(BUILD, "fuzz_" + name)
    corpus = os.path.join(BUILD, "corpus", name)
    crashes = os.path.join(BUILD, "crashes", name)
    regress = os.path.join(ROOT, "tests", "fuzz", "regress", name)
    seeds = os.path.join(BUILD, "seeds", name)
    for d in (corpus, crashes):
        os.makedirs(d, exist_ok=True)
    argv = [exe, "-max_total_time=%d" % seconds, "-print_final_stats=1",
            "-max_len=%d" % MAX_LEN.get(name, 65536), "-timeout=10",
            "-rss_limit_mb=2048", "-artifact_prefix=%s/" % crashes,
            corpus] + [d for d in (regress, seeds) if os.path.isdir(d)]
    log_path = os.path.join(BUILD, name + ".log")
    started = time.monotonic()
    with open(log_path, "w") as log:
        log.write("$ %s\n" % " ".join(argv))
        log.flush()
        rc = subprocess.call(argv, stdout=log, stderr=subprocess.STDOUT,
                             cwd=ROOT)
    took = time.monotonic() - started
    text = open(log_path, errors="replace").read()
    stat = dict(re.findall(r"^stat::(\w+):\s+(\d+)", text, re.M))
    cov = re.findall(r"cov: (\d+) ft: (\d+)", text)
    found = sorted(glob.glob(os.path.join(crashes, "*")))
    new = []
    for f in found:
        os.makedirs(regress, exist_ok=True)
        dst = os.path.join(regress, os.path.basename(f))
        if not os.path.exists(dst):
            shutil.copy(f, dst)
            new.append(dst)
    print("fuzz %s: %s executions in %.0f s (%s/s), coverage %s edges %s "
          "features, corpus %d files, exit %d%s"
          % (name, stat.get("number_of_executed_units", "?"), took,
             stat.get("average_exec_per_sec", "?"),
             cov[-1][0] if cov else "?", cov[-1][1] if cov else "?",
             len(os.listdir(corpus)), rc,
             "" if not new else "; NEW CRASH INPUTS: " + " ".join(new)))
    if rc != 0 and not new:
        print("fuzz %s: see %s" % (name, log_path))
    return rc == 0


def main():
    seconds = int(os.environ.get("FUZZ_SECONDS", "60"))
    targets = sys.argv[1:] or ["ckpt", "elf"]
    ok = all([run_target(t, seconds) for t in targets])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
