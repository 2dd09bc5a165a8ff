"""What the runner prints under a FAIL whose guest crashed.

When a test's guest panicked (kernel panic on the console, or exit status
"panic") or ended "abnormal" (QEMU exited 0: a triple fault under
-no-reboot), the console tail rarely says why.  debug_hint returns the lines
that tell how to boot the same kernel command line again under gdb (`make
gdb` is tools/qemu-gdb, which loads tools/gdb/cellblock.py) and with QEMU's
interrupt and reset log, which shows the faults leading to a triple fault.
The runner prints them as the last lines of the FAIL's tail.
"""
import re
import shlex

_CRASH = re.compile(r"kernel panic|status (panic|abnormal)|\babnormal\b")
_GUEST = re.compile(r"^=== guest \d+: (.*)$", re.M)


def _append_of(log):
    """The -append argument of the first guest QEMU line in log, or None."""
    m = _GUEST.search(log or "")
    if not m:
        return None
    try:
        argv = shlex.split(m.group(1))
    except ValueError:
        return None
    for i, a in enumerate(argv[:-1]):
        if a == "-append":
            return argv[i + 1]
    return "" if "-kernel" in argv else None


def debug_hint(why, log):
    """Lines (newline-ended) telling how to debug a crashed guest; '' when
    the failure was not a panic or triple fault, or no guest booted with
    -kernel."""
    if not _CRASH.search("%s\n%s" % (why, log or "")):
        return ""
    append = _append_of(log)
    if append is None:
        return ""
    a = " --append %s" % shlex.quote(append) if append else ""
    return ("debug: tools/qemu-gdb%s   (as `make gdb`: cb-ps, cb-task, bt)\n"
            "debug: tools/qemu-gdb%s -d int,cpu_reset -D build/qemu.log"
            "   (QEMU's interrupt log)\n" % (a, a))


def with_debug_hint(tail, why, log):
    """tail with debug_hint's lines added as lines of their own."""
    hint = debug_hint(why, log)
    if not hint:
        return tail
    return (tail or "").rstrip("\n") + "\n" + hint
