#!/usr/bin/env python3
"""Self-test of the test harness, against the fake QEMU (no kernel needed).

Writes small case files into a temporary folder, runs tests/run.py on them
with CELLBLOCK_QEMU pointing at tests/harness/fakeqemu.py, and checks what a
developer relies on: passing cases pass; a wrong expected pattern, a
forbidden pattern, a wrong exit status, a hang, a broken case file and a
failing unit test each FAIL, make the run exit non-zero and keep a log; a
run that selects nothing fails; the guest API (run, COM2 both ways, two
guests in one test) works.  Prints PASS/FAIL per check; exit 0 if all pass.
"""
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap

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

results = []


def check(name, cond, detail=""):
    results.append(cond)
    print("%s %s%s" % ("PASS" if cond else "FAIL", name,
                       "" if cond else ": " + detail), flush=True)


def run(case_dir, log_dir, *args, unit_dir=None):
    env = dict(os.environ, CELLBLOCK_QEMU="%s %s" % (sys.executable, FAKE),
               CELLBLOCK_IN_SELFTEST="1")
    argv = [sys.executable, RUN, "--cases", case_dir, "--logs", log_dir]
    argv += ["--unit", unit_dir] if unit_dir else ["--no-host"]
    p = subprocess.run(argv + list(args), env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=120)
    return p.returncode, p.stdout.decode()


def write(folder, name, body):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w") as f:
        f.write(body)


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
