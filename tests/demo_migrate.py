#!/usr/bin/env python3
"""make demo-migrate: move a running nested container between two machines.

Machine A runs container "web" holding a shell, a `counter`, and a nested
container "inner" with another `counter`.  A checkpoints "web" into its
second serial port (COM2, /dev/ttyS1); the host reads the image off the
wire (its header carries the length, its CRC is checked by restore) and
keeps it.  Machine B, a separately started QEMU that already runs two other
containers (so pidspace numbers differ), restores the image from its COM2.
The counters carry on counting with the same PIDs inside; the system
container sees new pidspaces and real PIDs.  Exits non-zero if anything
differs from that.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Session, TestFailure  # noqa: E402

HDR_LEN_OFFSET = 16  # h_total_len in struct ckpt_header (uapi/ckpt_image.h)


def say(msg):
    print("demo: " + msg, flush=True)


def counters(text):
    """{(pid, ppid): last n} for every counter line in text."""
    seen = {}
    for pid, ppid, n in re.findall(r"counter pid=(\d+) ppid=(\d+) n=(\d+)", text):
        seen[(int(pid), int(ppid))] = int(n)
    return seen


def real_pids(ps_output):
    """{command+container: (pid, real)} from a system-container ps."""
    rows = {}
    for line in ps_output.splitlines():
        f = line.split()
        if len(f) >= 7 and f[0].isdigit() and f[3] in ("web", "inner"):
            rows.setdefault(f[3], []).append((int(f[0]), f[4], f[5], f[-1]))
    return rows


def counters_carry_on(inside_a, inside_b):
    """Says, per counter seen on A, whether B shows it (same pid and ppid)
    counting further; True when all do."""
    ok = True
    for key, n in sorted(inside_a.items()):
        got = inside_b.get(key)
        good = got is not None and got > n
        ok &= good
        say("counter pid=%d ppid=%d: n=%d on A, n=%s on B: %s"
            % (key[0], key[1], n, got, "carries on" if good else "MISSING"))
    return ok


def pidspaces_differ(before, after):
    """Says which pidspaces web and inner had on A (ps before) and B (ps
    after); True when each had some on both and they differ."""
    ra, rb = real_pids(before), real_pids(after)
    ok = True
    for ctr in ("web", "inner"):
        sa = sorted({r[2].split(":")[0] for r in ra.get(ctr, [])})
        sb = sorted({r[2].split(":")[0] for r in rb.get(ctr, [])})
        say("container %s: pidspace %s on A, %s on B" % (ctr, sa, sb))
        ok &= bool(sa) and bool(sb) and sa != sb
    return ok


def capture(guest, cmd, timeout=30):
    """The output of a shell command typed while counters keep printing:
    what comes between two marker lines, without the counter lines."""
    guest.send("echo ==begin; %s; echo ==end" % cmd)
    m = guest.expect(re.compile(r"^==begin\n(.*?)^==end$", re.M | re.S), timeout)
    return "\n".join(line for line in m.group(1).splitlines()
                     if not line.startswith("counter "))


def dump_summary(path):
    """The containers and PIDs lines of build/ckptdump's view of the image."""
    tool = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "build", "ckptdump")
    try:
        out = subprocess.run([tool, path], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=30).stdout.decode()
    except OSError as e:
        return "(ckptdump: %s)" % e
    keep = [line for line in out.splitlines()
            if re.match(r"\s*(task \d+:|pids:|\S+ \[top\]|\s+\S+  \(depth)", line)
            or line.startswith("Cellblock checkpoint")]
    return "\n".join(keep)


def start_web(a):
    a.wait_prompt()
    a.send("ctr web sh -c 'counter & ctr inner counter & wait' &")
    a.expect(r"counter pid=1 ppid=0 n=2", timeout=20)  # inner's counter
    a.expect(r"counter pid=2 ppid=1 n=2", timeout=20)  # web's counter


def read_image(a):
    head = a.com2_read(n=24, timeout=30)
    if head[:8] != b"CELLCKPT":
        raise TestFailure("COM2 did not start with an image: %r" % head[:8])
    total = struct.unpack_from("<I", head, HDR_LEN_OFFSET)[0]
    return head + a.com2_read(n=total - len(head), timeout=120)


def run_demo(name, prefix, demo):
    """Runs demo(g, tmp) with a fresh Session: its exit status, 1 after
    printing the failure and the console's tail."""
    tmp = tempfile.mkdtemp(prefix=prefix)
    g = Session(name, tmp)
    try:
        return demo(g, tmp)
    except (TestFailure, AssertionError) as e:
        say("FAIL: %s" % e)
        print(g.tail(40))
        return 1
    finally:
        g.close()


def demo(g, tmp):
    say("booting machine A")
    a = g.boot(com2="socket")
    start_web(a)
    before = capture(a, "ps")
    say("machine A, system view:\n" + before)
    inside_a = counters(a.output)
    a.send("ckpt save web /dev/ttyS1")
    image = read_image(a)
    a.expect(r"ckpt: saved container web")
    path = os.path.join(tmp, "web.img")
    with open(path, "wb") as f:
        f.write(image)
    say("image: %d bytes, kept in %s; build/ckptdump says:\n%s"
        % (len(image), path, dump_summary(path)))
    a.send("poweroff")
    a.wait_exit()

    say("booting machine B, with two other containers running")
    b = g.boot(com2="socket")
    b.wait_prompt()
    b.run("ctr other1 sleep 100000 &")
    b.run("ctr other2 sleep 100000 &")
    b.send("ckpt restore /dev/ttyS1 --wait &")
    b.com2_write(image)
    b.expect(r"restored .*pid (\d+)", timeout=60)
    mark = len(b.output)
    b.expect(r"counter pid=2 ppid=1 n=\d+", timeout=20)
    b.expect(r"counter pid=1 ppid=0 n=\d+", timeout=20)
    after = capture(b, "ps")
    say("machine B, system view:\n" + after)
    inside_b = counters(b.output[mark:])
    ok = counters_carry_on(inside_a, inside_b)
    ok &= pidspaces_differ(before, after)
    b.send("poweroff")
    b.wait_exit()
    say("PASS: same PIDs inside, new pidspaces outside" if ok else "FAIL")
    return 0 if ok else 1


def main():
    return run_demo("demo-migrate", "cellblock-demo-", demo)


if __name__ == "__main__":
    sys.exit(main())
