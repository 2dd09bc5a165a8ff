#!/usr/bin/env python3
"""A FAIL whose guest crashed says how to rerun it under gdb.

Runs the test runner with the fake QEMU (tests/harness/fakeqemu.py) on a
temporary case file of three boots that all want exit status 3: one panics
(ktest=panic), one ends "abnormal" as a triple fault does (ktest=triple),
one powers off with another status (poweroff 5).  The two crashes must be
followed by the `tools/qemu-gdb --append ...` line with their command line
and by the one with QEMU's interrupt log; the ordinary failure must not.
Prints PASS/FAIL per check; exit status 0 if all pass.  Run by `make test`
as host:crash_hint.
"""
import os
import re
import subprocess
import sys
import tempfile

from _check import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = '''from harness import case
CASES = [
    case(name="panics", append="ktest=panic quiet", status=3, timeout=20),
    case(name="triple", append="ktest=triple", status=3, timeout=20),
    case(name="other", append="", inputs=["poweroff 5"], status=3, timeout=20),
]
'''


def blocks(out):
    """{test name: its FAIL line and the lines under it}."""
    found, name = {}, None
    for line in out.splitlines():
        m = re.match(r"(PASS|FAIL) hintcases:(\w+)", line)
        if m:
            name = m.group(2)
            found[name] = ""
        if name:
            found[name] += line + "\n"
    return found


def main():
    check = Checks()

    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "cases"))
        with open(os.path.join(tmp, "cases", "hintcases.py"), "w") as f:
            f.write(CASES)
        env = dict(os.environ, CELLBLOCK_QEMU="%s %s" % (
            sys.executable, os.path.join(ROOT, "tests", "harness", "fakeqemu.py")))
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tests", "run.py"),
                            "--no-host", "--cases", os.path.join(tmp, "cases"),
                            "--logs", os.path.join(tmp, "logs"), "-k", "hintcases:"],
                           cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
    print(p.stdout)
    got = blocks(p.stdout)
    check(sorted(got) == ["other", "panics", "triple"], "the three cases ran: %s" % sorted(got))
    for name, append in (("panics", "'ktest=panic quiet'"), ("triple", "ktest=triple")):
        text = got.get(name, "")
        check(text.startswith("FAIL"), "%s fails" % name)
        check("\n    | debug: tools/qemu-gdb --append %s   (as `make gdb`" % append in text,
              "%s's FAIL says how to rerun it under gdb" % name)
        check("\n    | debug: tools/qemu-gdb --append %s -d int,cpu_reset -D build/qemu.log"
              % append in text, "%s's FAIL gives the interrupt-log command" % name)
    other = got.get("other", "")
    check(other.startswith("FAIL") and "debug:" not in other,
          "an ordinary failure gets no debug hint")
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
