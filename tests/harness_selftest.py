#!/usr/bin/env python3
"""Self-test of the test harness, against the fake QEMU (no kernel needed).

Writes small case files into a temporary folder, runs tests/run.py on them
with CELLBLOCK_QEMU pointing at tests/harness/fakeqemu.py, and checks what a
developer relies on: passing cases pass; a wrong expected pattern, a
forbidden pattern, a wrong exit status, a hang, a broken case file and a
failing unit test each FAIL, make the run exit non-zero and keep a log; a
run that selects nothing fails; the guest API (run, COM2 both ways, two
guests in one test) works; --tags selects by tag (defaults from the file
name, explicit ones added); a case whose dependency fails is reported as
SKIP with the reason, counted apart and makes the run fail, and one whose
dependency passes runs after it; the JUnit XML report parses and counts
right.  Prints PASS/FAIL per check; exit 0 if all pass.
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import xml.etree.ElementTree as ET

TESTS = os.path.dirname(os.path.abspath(__file__))
RUN = os.path.join(TESTS, "run.py")
FAKE = os.path.join(TESTS, "harness", "fakeqemu.py")

GOOD = '''
from harness import case, scripted

CASES = [
    case(name="banner", expect=[r"^Cellblock"]),
    case(name="shell", inputs=["echo hello", "poweroff 3"],
         expect=[r"^hello$"], status=3, timeout=10),
    case(name="init-exit", append="init=/bin/false", status=1),
    case(name="panic", append="ktest=panic", expect=[r"kmain"], status="panic"),
    case(name="triple", append="ktest=triple", status="abnormal"),
    case(name="wait-pattern", inputs=[(r"cmdline", "echo typed")],
         expect=[r"^typed$"]),
]

def test_run_and_exit(g):
    guest = g.boot()
    assert guest.run("echo one two") == "one two", repr(guest.output)
    assert guest.run("bogus").startswith("sh: bogus")
    guest.send("poweroff 7")
    assert guest.wait_exit(5) == 7

@scripted(name="com2-socket", timeout=20)
def com2(g):
    a = g.boot(com2="socket")
    a.run("com2put binary!")
    assert a.com2_read(7) == b"binary!", "bad COM2 bytes"
    a.com2_write(b"abcd")
    out = a.run("com2get 4")
    assert "got: abcd" in out, out

def test_com2_file_two_guests(g):
    a = g.boot(com2="img.bin")
    a.run("com2put IMAGE")
    a.send("poweroff 0")
    assert a.wait_exit(5) == 0
    data = a.com2_read()
    b = g.boot(com2="socket")
    b.com2_write(data)
    assert "got: IMAGE" in b.run("com2get 5")
'''

CASES_BAD = {
    "wrong-pattern": 'CASES = [case(name="x", expect=[r"^NOT THERE$"], timeout=3)]',
    "forbidden": 'CASES = [case(name="x", inputs=["echo oh panic now"], expect=[r"never"], timeout=5)]',
    "wrong-status": 'CASES = [case(name="x", inputs=["poweroff 2"], status=0)]',
    "hang": 'CASES = [case(name="x", append="ktest=hang", status=0, timeout=2)]',
    "unexpected-panic": 'CASES = [case(name="x", append="ktest=panic", status=0)]',
    "script-assert": 'def test_x(g):\n    assert g.boot().run("echo a") == "b"',
    "script-timeout": ('@scripted(timeout=2)\ndef x(g):\n'
                       '    g.boot().expect("never", timeout=60)'),
    "load-error": "this is not python",
}

DEPS = '''
import time
from harness import case, scripted

CASES = [
    case(name="broken", expect=[r"^NOT THERE$"], timeout=2, tags=["alpha"]),
    case(name="after-broken", depends=["broken"], expect=[r"^Cellblock"]),
    case(name="after-skipped", depends=["deps:after-broken"], expect=[r"^Cellblock"]),
]
FINISHED = []

@scripted(tags="beta,slow")
def first(g):
    time.sleep(1)
    assert g.boot().run("echo first") == "first"
    FINISHED.append("first")

@scripted(depends=["first"], tags=["gamma"])
def after_first(g):
    assert FINISHED == ["first"], "started before deps:first finished"
'''

BAD_DEPS = '''
from harness import case

CASES = [
    case(name="orphan", depends=["no-such-case"]),
    case(name="loop-a", depends=["loop-b"]),
    case(name="loop-b", depends=["loop-a"]),
]
'''

results = []


def check(name, cond, detail=""):
    results.append(cond)
    print("%s %s%s" % ("PASS" if cond else "FAIL", name,
                       "" if cond else ": " + detail), flush=True)


def run(case_dir, log_dir, *args, unit_dir=None):
    env = dict(os.environ, CELLBLOCK_QEMU="%s %s" % (sys.executable, FAKE),
               CELLBLOCK_IN_SELFTEST="1")
    argv = [sys.executable, RUN, "--cases", case_dir, "--logs", log_dir,
            "--junit", os.path.join(log_dir, "results.xml")]
    argv += ["--unit", unit_dir] if unit_dir else ["--no-host"]
    p = subprocess.run(argv + list(args), env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode()


def write(folder, name, body):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f:
        f.write(body)


def junit_counts(path):
    """(tests, failures, skipped) of a JUnit report, from its attributes and
    from its testcase elements, and {classname:name: status}."""
    root = ET.parse(path).getroot()
    cases = {}
    for tc in root.iter("testcase"):
        status = ("fail" if tc.find("failure") is not None else
                  "skip" if tc.find("skipped") is not None else "pass")
        msg = [e.get("message") for e in tc if e.tag in ("failure", "skipped")]
        cases["%s:%s" % (tc.get("classname"), tc.get("name"))] = (status, msg)
        float(tc.get("time"))
    attrs = tuple(int(root.get(k)) for k in ("tests", "failures", "skipped"))
    return root.tag, attrs, cases


def check_tags_and_deps(tmp):
    """Tag selection, dependencies (skip with reason, ordering) and the JUnit
    report, on the DEPS case file."""
    folder = os.path.join(tmp, "deps")
    write(folder, "deps.py", textwrap.dedent(DEPS))
    logs = os.path.join(tmp, "logs-deps")
    rc, out = run(folder, logs, "-j", "4")
    check("a failed dependency skips its dependents with the reason",
          rc != 0 and "SKIP deps:after-broken: depends on deps:broken, which failed" in out
          and "SKIP deps:after-skipped: depends on deps:after-broken, which was skipped"
          in out and "\n2 passed, 1 failed, 2 skipped\n" in out
          and "PASS deps:after-broken" not in out, out)
    try:
        with open(os.path.join(logs, "deps:after-broken.log")) as f:
            skip_log = f.read()
    except OSError as e:
        skip_log = repr(e)
    check("a skipped case's log says why",
          "SKIP: depends on deps:broken, which failed" in skip_log, skip_log)
    lines = out.split("\n")
    order = [i for i, l in enumerate(lines)
             if l.startswith(("PASS deps:first ", "PASS deps:after_first "))]
    check("a dependent runs after its dependency",
          len(order) == 2 and lines[order[0]].startswith("PASS deps:first "), out)
    try:
        tag, attrs, cases = junit_counts(os.path.join(logs, "results.xml"))
        ok = (tag == "testsuites" and attrs == (5, 1, 2)
              and cases["deps:broken"][0] == "fail" and cases["deps:broken"][1][0]
              and cases["deps:after-broken"] == (
                  "skip", ["depends on deps:broken, which failed"])
              and cases["deps:first"][0] == "pass" and len(cases) == 5)
        detail = "%s %s %s" % (tag, attrs, cases)
    except (OSError, ET.ParseError, KeyError, TypeError, ValueError) as e:
        ok, detail = False, repr(e)
    check("the JUnit report parses and counts right", ok, detail)

    write(os.path.join(tmp, "bad-deps"), "bd.py", textwrap.dedent(BAD_DEPS))
    rc, out = run(os.path.join(tmp, "bad-deps"), os.path.join(tmp, "logs-bd"))
    check("an unknown dependency or a cycle fails",
          rc != 0 and "FAIL bd:orphan: bd:orphan depends on bd:no-such-case, which "
          "does not exist" in out and "FAIL bd:loop-a: dependency cycle" in out
          and "FAIL bd:loop-b: dependency cycle" in out
          and "\n0 passed, 3 failed\n" in out, out)

    rc, out = run(folder, os.path.join(tmp, "logs-tag1"), "--tags", "beta")
    check("--tags selects by an explicit tag",
          rc == 0 and "PASS deps:first" in out and "\n1 passed, 0 failed\n" in out, out)
    rc, out = run(folder, os.path.join(tmp, "logs-tag2"), "--tags", "gamma,nope")
    check("--tags pulls in what the selected depend on",
          rc == 0 and "PASS deps:first" in out and "PASS deps:after_first" in out
          and "\n2 passed, 0 failed\n" in out, out)
    rc, out = run(folder, os.path.join(tmp, "logs-tag3"), "--list", "--tags", "deps")
    listed = {l.split()[0]: l.split()[1] for l in out.splitlines() if l.strip()}
    check("--list shows default and explicit tags",
          rc == 0 and len(listed) == 5 and listed.get("deps:broken") == "deps,base,alpha"
          and listed.get("deps:first") == "deps,beta,slow", out)


def main():
    tmp = tempfile.mkdtemp(prefix="cellblock-selftest-")
    good = os.path.join(tmp, "good")
    write(good, "fake.py", textwrap.dedent(GOOD))
    rc, out = run(good, os.path.join(tmp, "logs-good"), "-j", "4")
    check("passing cases pass", rc == 0 and "9 passed, 0 failed" in out, out)

    rc, out = run(good, os.path.join(tmp, "logs-k"), "-k", "no-such-test")
    check("selecting nothing fails", rc != 0 and "0 passed, 0 failed" in out, out)

    rc, out = run(good, os.path.join(tmp, "logs-k2"), "-k", "fake:shell")
    check("-k selects by name", rc == 0 and "1 passed, 0 failed" in out, out)

    def bad_run(name):
        folder = os.path.join(tmp, name)
        header = "from harness import case, scripted\n" if name != "load-error" else ""
        write(folder, "bad.py", header + CASES_BAD[name] + "\n")
        logs = os.path.join(tmp, "logs-" + name)
        return name, logs, run(folder, logs)

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        for name, logs, (rc, out) in pool.map(bad_run, CASES_BAD):
            kept = [f for f in os.listdir(logs) if f.endswith(".log")] if os.path.isdir(logs) else []
            check("%s fails, keeps its log" % name,
                  rc != 0 and "0 passed, 1 failed" in out and "\nFAIL " in "\n" + out
                  and len(kept) == 1, out + " logs=%s" % kept)

    check_tags_and_deps(tmp)

    units = os.path.join(tmp, "unit")
    write(units, "ok.c", "// SOURCES:\nint main(void) { return 0; }\n")
    write(units, "bad.c", "#include <stdio.h>\nint main(void) { puts(\"boom\"); return 1; }\n")
    rc, out = run(os.path.join(tmp, "empty"), os.path.join(tmp, "logs-unit"), unit_dir=units)
    check("unit tests run", rc != 0 and "PASS unit:ok" in out and "FAIL unit:bad" in out
          and "boom" in out, out)

    ok = all(results)
    if ok:
        shutil.rmtree(tmp, ignore_errors=True)
        print("harness self-test: PASS")
    else:
        print("harness self-test: FAIL (files kept in %s)" % tmp)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
