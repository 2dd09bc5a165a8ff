#!/usr/bin/env python3
"""tools/qemu-run welcomes a person, and only a person.

Runs tools/qemu-run with a stand-in QEMU (`true`) twice: with stdin a
terminal (a pty), where stderr must start with the welcome (how to leave:
`poweroff` and Ctrl-A X; three numbered things to try), and with stdin a
pipe, where no welcome may appear (scripted runs see only the guest).  Also
checks that the first word of every command the welcome suggests is a
program in user/bin.  Prints PASS/FAIL per check; exit status 0 if all
pass.  Run by `make test` as host:welcome.
"""
import os
import pty
import re
import subprocess
import sys

from _check import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOOL = os.path.join(ROOT, "tools", "qemu-run")
ARGS = [sys.executable, TOOL, "--kernel", os.devnull, "--initrd", os.devnull]
ENV = dict(os.environ, CELLBLOCK_QEMU="true")


def run(stdin):
    p = subprocess.run(ARGS, stdin=stdin, env=ENV,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=30)
    return p.stderr.decode("utf-8", "replace")


def main():
    check = Checks()

    master, slave = pty.openpty()
    try:
        tty = run(slave)
    finally:
        os.close(slave)
        os.close(master)
    read_end, write_end = os.pipe()
    os.close(write_end)
    try:
        piped = run(read_end)
    finally:
        os.close(read_end)
    check("Ctrl-A then X" in tty and "`poweroff`" in tty,
          "on a terminal: how to leave QEMU" + ("" if "Ctrl-A then X" in tty
                                                else "\n" + tty))
    items = re.findall(r"^  (\d)\. (.*)$", tty, re.M)
    check([n for n, _ in items] == ["1", "2", "3"],
          "on a terminal: three numbered things to try")
    check("Ctrl-A then X" not in piped and "worth trying" not in piped,
          "piped: no welcome (stderr: %r)" % piped)
    for _, line in items:
        for cmd in line.split(";"):
            word = cmd.split()[0]
            found = (os.path.exists(os.path.join(ROOT, "user", "bin", word + ".c"))
                     or os.path.isdir(os.path.join(ROOT, "user", "bin", word)))
            check(found, "the welcome's `%s` is a program in user/bin" % word)
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
