"""The test runner behind tests/run.py: select, run in parallel, report.

Prints one line per case as it finishes, `PASS name (1.2s)` or
`FAIL name: why` followed by the last console lines, or `SKIP name: depends
on X, which failed`; writes every case's full log to
build/test-logs/NAME.log and a JUnit XML report to build/test-results.xml,
and ends with `N passed, N failed` (`, N skipped` when some were skipped).
A case runs only after the cases it depends on have passed.  Exit status is
1 when anything failed or was skipped, or nothing ran.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import sys
import time
import xml.etree.ElementTree as ET

from .cases import Case, discover
from .hints import with_debug_hint
from .qemu import BUILD, ROOT
from .unit import SelfTestCase, discover_host, discover_tool_checks, discover_unit

TESTS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class LoadError(Case):
    """A case file that failed to import, or a case naming a dependency that
    does not exist: reported as a failing case."""

    kind = "load"

    def __init__(self, fname, trace, name=None, why="case file does not load"):
        super().__init__(name or "load:" + fname, 0)
        self.trace = trace
        self.why = why

    def run(self, tmpdir):
        return False, self.why, self.trace, self.trace.rstrip()


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
    chosen = [c for c in found if selected(c, args)]
    return with_dependencies(chosen, found, names)


def selected(case, args):
    """Whether -k and --tags pick case (each given one must match)."""
    if args.k and not any(k in case.name for k in args.k):
        return False
    if args.tags:
        want = {t for arg in args.tags for t in arg.split(",") if t}
        if want and not want.intersection(case.tags):
            return False
    return True


def with_dependencies(chosen, found, names):
    """chosen plus every case they depend on, directly or not, in the order
    of found; a case naming an unknown case is replaced by a failing one."""
    keep, todo = set(), list(chosen)
    while todo:
        c = todo.pop()
        if c.name in keep:
            continue
        keep.add(c.name)
        todo += [names[d] for d in c.depends if d in names]
    out = []
    for c in found:
        if c.name not in keep:
            continue
        missing = [d for d in c.depends if d not in names]
        if missing:
            why = "%s depends on %s, which does not exist\n" % (
                c.name, ", ".join(missing))
            c = LoadError(c.name, why, name=c.name, why=why.strip())
        out.append(c)
    return out


class Result:
    """What became of one case: status is "pass", "fail" or "skip"."""

    def __init__(self, case, status, why="", secs=0.0, tail=""):
        self.case, self.status, self.why = case, status, why
        self.secs, self.tail = secs, tail


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
    p.add_argument("-t", "--tags", action="append", metavar="TAG,...",
                   help="run only tests having any of these tags (repeatable)")
    p.add_argument("-l", "--list", action="store_true",
                   help="list tests with their tags and exit")
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
    p.add_argument("--junit", default=os.path.join(BUILD, "test-results.xml"),
                   help="JUnit XML report (default build/test-results.xml)")
    return p.parse_args(argv)


def skip_reason(case, results):
    """Why case cannot run given the results so far, or None if it can."""
    for dep in case.depends:
        r = results[dep]
        if r.status != "pass":
            return "depends on %s, which %s" % (
                dep, "failed" if r.status == "fail" else "was skipped")
    return None


def not_run(case, status, why, args):
    """The Result of a case that did not run, its log saying why."""
    with open(os.path.join(args.logs, log_name(case.name)), "w") as f:
        f.write("# %s: %s: %s\n" % (case.name, status.upper(), why))
    return Result(case, status, why)


def report(r, args):
    """Prints one finished case's line (and a failure's tail)."""
    if r.status == "pass":
        print("PASS %s (%.1fs)" % (r.case.name, r.secs), flush=True)
        return
    if r.status == "skip":
        print("SKIP %s: %s" % (r.case.name, r.why), flush=True)
        return
    print("FAIL %s: %s" % (r.case.name, r.why))
    lines = r.tail.rstrip("\n").split("\n")[-args.tail:] if r.tail else []
    for line in lines:
        print("    | " + line)
    print("    log: %s" % shown_path(
        os.path.join(args.logs, log_name(r.case.name))), flush=True)


def run_all(cases, args):
    """Runs cases args.j at a time, each after the cases it depends on;
    returns {name: Result}."""
    results, waiting, running = {}, list(cases), {}
    with concurrent.futures.ThreadPoolExecutor(max(1, args.j)) as pool:
        while waiting or running:
            progress = True
            while progress:
                progress = False
                for c in list(waiting):
                    if not all(d in results for d in c.depends):
                        continue
                    waiting.remove(c)
                    why = skip_reason(c, results)
                    if why:
                        results[c.name] = not_run(c, "skip", why, args)
                        report(results[c.name], args)
                        progress = True
                    else:
                        running[pool.submit(run_one, c, args)] = c
            if not running:  # the rest wait on each other
                for c in waiting:
                    results[c.name] = not_run(c, "fail", "dependency cycle", args)
                    report(results[c.name], args)
                break
            done, _ = concurrent.futures.wait(
                running, return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in done:
                del running[fut]
                case, ok, why, secs, tail = fut.result()
                r = Result(case, "pass" if ok else "fail", why, secs, tail or "")
                results[case.name] = r
                report(r, args)
    return results


# Characters XML 1.0 cannot hold (console output may have any byte).
XML_BAD = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text):
    return XML_BAD.sub("?", text or "")


def write_junit(path, cases, results, started):
    """Writes the JUnit XML report: one testsuite per file or group, one
    testcase per case (classname the group, name the rest), with a failure
    element holding the console tail or a skipped element."""
    root = ET.Element("testsuites", name="cellblock")
    suites = {}
    for c in cases:
        group, _, short = c.name.partition(":")
        if group not in suites:
            suites[group] = ET.SubElement(root, "testsuite", name=group,
                                          id=str(len(suites)), package="cellblock")
        r = results[c.name]
        tc = ET.SubElement(suites[group], "testcase", classname=group,
                           name=short or group, time="%.3f" % r.secs)
        if r.status == "fail":
            ET.SubElement(tc, "failure", message=xml_text(r.why),
                          type="failure").text = xml_text(r.tail)
        elif r.status == "skip":
            ET.SubElement(tc, "skipped", message=xml_text(r.why))
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(started))
    total = {"tests": 0, "failures": 0, "skipped": 0, "time": 0.0}
    for suite in root:
        rs = [results[c.name] for c in cases if c.name.partition(":")[0] == suite.get("name")]
        counts = {"tests": len(rs), "failures": sum(r.status == "fail" for r in rs),
                  "skipped": sum(r.status == "skip" for r in rs),
                  "time": sum(r.secs for r in rs)}
        for k in total:
            total[k] += counts[k]
        suite.attrib.update(tests=str(counts["tests"]), failures=str(counts["failures"]),
                            errors="0", skipped=str(counts["skipped"]),
                            time="%.3f" % counts["time"], timestamp=stamp,
                            hostname=socket.gethostname())
    root.attrib.update(tests=str(total["tests"]), failures=str(total["failures"]),
                       errors="0", skipped=str(total["skipped"]),
                       time="%.3f" % (time.time() - started))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    ET.ElementTree(root).write(path + ".tmp", encoding="utf-8", xml_declaration=True)
    os.replace(path + ".tmp", path)


def main(argv=None):
    args = parse_args(argv)
    cases = collect(args)
    if args.list:
        width = max([len(c.name) for c in cases] + [0])
        for c in cases:
            deps = "  after " + ",".join(c.depends) if c.depends else ""
            print("%-*s  %s%s" % (width, c.name, ",".join(c.tags), deps))
        return 0
    os.makedirs(args.logs, exist_ok=True)
    started = time.time()
    results = run_all(cases, args)
    write_junit(args.junit, cases, results, started)
    if not cases:
        print("no tests selected", file=sys.stderr)
    counts = {s: sum(r.status == s for r in results.values())
              for s in ("pass", "fail", "skip")}
    line = "%d passed, %d failed" % (counts["pass"], counts["fail"])
    if counts["skip"]:
        line += ", %d skipped" % counts["skip"]
    print(line, flush=True)
    return 1 if counts["fail"] or counts["skip"] or not cases else 0
