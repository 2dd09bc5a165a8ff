"""The test runner behind tests/run.py: select, run in parallel, report.

Prints one line per case as it finishes, `PASS name (1.2s)` or
`FAIL name: why` followed by the last console lines, writes every case's
full log to build/test-logs/NAME.log, and ends with `N passed, N failed`.
Exit status is 1 when anything failed or nothing ran.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import sys
import threading
import time

from .cases import Case, discover
from .hints import with_debug_hint
from .qemu import BUILD, ROOT
from .unit import SelfTestCase, discover_host, discover_tool_checks, discover_unit

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class LoadError(Case):
    """A case file that failed to import: reported as a failing case."""

    kind = "load"

    def __init__(self, fname, trace):
        super().__init__("load:" + fname, 0)
        self.trace = trace

    def run(self, tmpdir):
        return False, "case file does not load", self.trace, self.trace.rstrip()


def log_name(name):
    """File name for a case's log: its name with odd characters replaced."""
    return re.sub(r"[^A-Za-z0-9._:+-]", "_", name) + ".log"


def shown_path(path):
    """path relative to the current folder when below it, else absolute."""
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def collect(args):
    """Every case the arguments select, in the order they will start."""
    cases, errors = discover(args.cases)
    found = [LoadError(f, t) for f, t in errors]
    if not args.no_host:
        found += discover_unit(args.unit)
        found += discover_tool_checks(os.path.join(ROOT, "tools"))
        selftest = os.path.join(TESTS, "harness_selftest.py")
        if not os.environ.get("CELLBLOCK_IN_SELFTEST"):
            found += discover_host(os.path.join(TESTS, "host"))
            if os.path.exists(selftest):
                found.append(SelfTestCase(selftest))
    found += cases
    names = {}
    for c in found:
        if c.name in names:
            found.append(LoadError(c.name, "duplicate test name %s\n" % c.name))
        names[c.name] = c
    if args.k:
        found = [c for c in found if any(k in c.name for k in args.k)]
    return found


def run_one(case, args):
    """Runs one case; returns (case, ok, why, seconds, tail)."""
    started = time.monotonic()
    tmpdir = os.path.join(args.logs, "tmp", log_name(case.name)[:-4])
    try:
        ok, why, log, tail = case.run(tmpdir)
    except Exception as e:  # a harness bug must not stop the other cases
        import traceback
        ok, why, log = False, "harness error: %s" % e, traceback.format_exc()
        tail = log
    secs = time.monotonic() - started
    with open(os.path.join(args.logs, log_name(case.name)), "w") as f:
        f.write("# %s: %s (%.1fs)%s\n" % (case.name, "PASS" if ok else "FAIL",
                                          secs, "" if ok else ": " + why))
        f.write(log)
    if ok:
        shutil.rmtree(tmpdir, ignore_errors=True)
    else:  # a panic or triple fault: say how to rerun it under gdb
        tail = with_debug_hint(tail, why, log)
    return case, ok, why, secs, tail


def parse_args(argv):
    p = argparse.ArgumentParser(description="Cellblock test runner")
    p.add_argument("-k", action="append", metavar="SUBSTR",
                   help="run only tests whose name contains SUBSTR (repeatable)")
    p.add_argument("-j", type=int, default=os.cpu_count() or 1,
                   help="cases run at once (default: number of CPUs)")
    p.add_argument("-l", "--list", action="store_true", help="list tests and exit")
    p.add_argument("--cases", default=os.path.join(TESTS, "cases"),
                   help="folder of case files (default tests/cases)")
    p.add_argument("--unit", default=os.path.join(TESTS, "unit"),
                   help="folder of host unit tests (default tests/unit)")
    p.add_argument("--no-host", action="store_true",
                   help="skip unit tests and the harness self-test")
    p.add_argument("--logs", default=os.path.join(BUILD, "test-logs"),
                   help="where logs go (default build/test-logs)")
    p.add_argument("--tail", type=int, default=30,
                   help="console lines shown under a FAIL (default 30)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cases = collect(args)
    if args.list:
        for c in cases:
            print(c.name)
        return 0
    os.makedirs(args.logs, exist_ok=True)
    lock = threading.Lock()
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(max(1, args.j)) as pool:
        futures = [pool.submit(run_one, c, args) for c in cases]
        for fut in concurrent.futures.as_completed(futures):
            case, ok, why, secs, tail = fut.result()
            with lock:
                if ok:
                    passed += 1
                    print("PASS %s (%.1fs)" % (case.name, secs), flush=True)
                    continue
                failed += 1
                print("FAIL %s: %s" % (case.name, why))
                lines = tail.rstrip("\n").split("\n")[-args.tail:] if tail else []
                for line in lines:
                    print("    | " + line)
                print("    log: %s" % shown_path(
                    os.path.join(args.logs, log_name(case.name))), flush=True)
    if not cases:
        print("no tests selected", file=sys.stderr)
    print("%d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed or not cases else 0
