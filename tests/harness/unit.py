"""Host unit tests (tests/unit/*.c) and other host-side checks as cases.

A unit test is a standalone C program built with the host gcc and run; exit
status 0 is a pass.  Kernel sources it needs are named in a comment near the
top, paths relative to the repository root:

    // SOURCES: kernel/lib/printk.c kernel/lib/string.c
    // CFLAGS: -DEXTRA   (optional)

It is compiled with -DUNIT_TEST, -Iinclude, -Iarch/x86/include (the inline
part of kern/arch.h) and -Itests/unit, so a test can
provide stubs (e.g. a console sink) in tests/unit/*.h.
"""
import os
import re
import shlex
import subprocess
import sys
import time

from .cases import Case, _tag_list
from .qemu import BUILD, ROOT

HOSTCC = os.environ.get("HOSTCC", "gcc")
UNIT_CFLAGS = ["-O1", "-g", "-Wall", "-Wextra", "-Werror", "-DUNIT_TEST",
               "-Iinclude", "-Iarch/x86/include", "-Itests/unit"]


def _header_words(path, key):
    """Words after `// KEY:` in the first 30 lines of a C file."""
    words = []
    with open(path, errors="replace") as f:
        for _, line in zip(range(30), f):
            m = re.match(r"\s*(?://|/?\*)\s*%s:(.*?)(\*/)?\s*$" % key, line)
            if m:
                words += shlex.split(m.group(1))
    return words


def _run(argv, timeout):
    """Runs argv in the repository root; returns (rc, combined output)."""
    try:
        p = subprocess.run(argv, cwd=ROOT, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.output or b"").decode("utf-8", "replace")
        return "timeout", out
    except OSError as e:
        return "error", str(e)


# Subsystem of a unit test by a word of its file name (test_WORD_...).
UNIT_SUBSYSTEMS = {"ckpt": "ckpt", "fuzz": "ckpt", "pid": "proc", "vfs": "fs",
                   "initrd": "fs", "pipe": "fs", "tty": "dev", "xfer": "dev",
                   "shparse": "user"}


def _unit_tags(stem):
    """Extra tags of unit test `stem`: its subsystem when the name shows it."""
    for word in stem.split("_"):
        if word in UNIT_SUBSYSTEMS:
            yield UNIT_SUBSYSTEMS[word]
            return


def _tail(text, n=30):
    return "\n".join(text.rstrip("\n").split("\n")[-n:])


class UnitCase(Case):
    """unit:NAME - compile tests/unit/NAME.c with its SOURCES and run it."""

    kind = "unit"

    def __init__(self, path, timeout=30, tags=(), depends=()):
        stem = os.path.splitext(os.path.basename(path))[0]
        super().__init__("unit:" + stem, timeout,
                         list(_unit_tags(stem)) + _tag_list(tags), depends)
        self.path = path

    def run(self, tmpdir):
        rel = os.path.relpath(self.path, ROOT)
        exe = os.path.join(BUILD, "unit", os.path.splitext(os.path.basename(rel))[0])
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        argv = ([HOSTCC] + UNIT_CFLAGS + _header_words(self.path, "CFLAGS")
                + ["-o", exe, rel] + _header_words(self.path, "SOURCES"))
        rc, out = _run(argv, 120)
        log = "$ %s\n%s" % (" ".join(argv), out)
        if rc != 0:
            return False, "does not compile", log, _tail(out)
        started = time.monotonic()
        rc, out = _run([exe], self.timeout)
        log += "$ %s\n%s\n=== exit status %s (%.1fs)\n" % (
            exe, out, rc, time.monotonic() - started)
        if rc != 0:
            return False, "exit status %s" % rc, log, _tail(out)
        return True, "", log, ""


class SelfTestCase(Case):
    """A Python script run on the host; exit status 0 is a pass.

    harness:selftest checks the harness itself against a fake QEMU;
    host:NAME runs tests/host/NAME.py."""

    kind = "host"

    def __init__(self, path, timeout=120, name="harness:selftest", tags=(),
                 depends=()):
        super().__init__(name, timeout, tags, depends)
        self.path = path

    def run(self, tmpdir):
        rc, out = _run([sys.executable, self.path], self.timeout)
        if rc != 0:
            return False, "%s failed (status %s)" % (self.name, rc), out, _tail(out)
        return True, "", out, ""


def discover_host(host_dir):
    """Every tests/host/NAME.py as a host script case host:NAME."""
    if not os.path.isdir(host_dir):
        return []
    return [SelfTestCase(os.path.join(host_dir, f), name="host:" + f[:-3])
            for f in sorted(os.listdir(host_dir))
            if f.endswith(".py") and not f.startswith("_")]


class ToolCheckCase(Case):
    """tool:NAME - runs the tree check tools/NAME (a check-* script); exit
    status 0 is a pass, and its output lists what it found."""

    kind = "host"

    def __init__(self, path, timeout=60, tags=(), depends=()):
        super().__init__("tool:" + os.path.basename(path), timeout, tags, depends)
        self.path = path

    def run(self, tmpdir):
        rc, out = _run([sys.executable, self.path], self.timeout)
        if rc != 0:
            return False, "%s found problems" % os.path.basename(self.path), \
                out, _tail(out)
        return True, "", out, ""


def discover_tool_checks(tools_dir):
    """Every tools/check-* Python script as a ToolCheckCase."""
    if not os.path.isdir(tools_dir):
        return []
    return [ToolCheckCase(os.path.join(tools_dir, f))
            for f in sorted(os.listdir(tools_dir)) if f.startswith("check-")]


def discover_unit(unit_dir):
    """Every tests/unit/*.c as a UnitCase."""
    if not os.path.isdir(unit_dir):
        return []
    return [UnitCase(os.path.join(unit_dir, f))
            for f in sorted(os.listdir(unit_dir)) if f.endswith(".c")]
