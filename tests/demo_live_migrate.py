#!/usr/bin/env python3
"""make demo-live-migrate: move a running container between two running
machines whose COM2 ports are wired together.

Machine B is started first, its COM2 listening on a unix socket; machine A
is started with its COM2 connected to that socket, so whatever A writes to
/dev/ttyS1 arrives in B's /dev/ttyS1 -- a null-modem cable between two
computers.  A runs container "web" (a shell, a counter, and a nested
container "inner" with another counter); B already runs two containers of
its own and waits in `ckpt restore /dev/ttyS1`.  Then A checkpoints "web"
straight into the cable: the image streams across, B validates and restores
it, and the counters go on in B with the same PIDs inside.  The host only
watches the two consoles; it never touches the image.  Reports the time
from the checkpoint command to the first counter line on B (the "downtime")
and exits non-zero if anything differs from the expected.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from demo_migrate import (capture, counters, counters_carry_on,  # noqa: E402
                          pidspaces_differ, run_demo, say, start_web)


def demo(g, tmp):
    sock = os.path.join(tmp, "null-modem.sock")
    say("booting machine B, COM2 listening on %s" % sock)
    b = g.boot(extra_args=["-chardev", "socket,id=cable,path=%s,server=on,wait=off"
                           % sock, "-serial", "chardev:cable"])
    b.wait_prompt()
    say("booting machine A, COM2 plugged into B's")
    a = g.boot(extra_args=["-chardev", "socket,id=cable,path=%s" % sock,
                           "-serial", "chardev:cable"])
    start_web(a)
    before = capture(a, "ps")
    say("machine A, system view:\n" + before)
    b.run("ctr other1 sleep 100000 &")
    b.run("ctr other2 sleep 100000 &")
    b.send("ckpt restore /dev/ttyS1 --wait &")
    time.sleep(0.5)  # B is now blocked reading its COM2
    inside_a = counters(a.output)
    mark = len(b.output)
    t0 = time.monotonic()
    a.send("ckpt save web /dev/ttyS1")
    m = a.expect(r"ckpt: saved container web to /dev/ttyS1 \((\d+) bytes\)", timeout=60)
    t_saved = time.monotonic() - t0
    b.expect(r"ckpt: restored /dev/ttyS1; its init is pid (\d+)", timeout=120)
    t_restored = time.monotonic() - t0
    b.expect(r"counter pid=\d+ ppid=\d+ n=\d+", timeout=20)
    t_running = time.monotonic() - t0
    say("image of %s bytes: written by A after %.2f s, restored on B after "
        "%.2f s, counting again on B after %.2f s"
        % (m.group(1), t_saved, t_restored, t_running))
    b.expect(r"counter pid=2 ppid=1 n=\d+", timeout=20)
    b.expect(r"counter pid=1 ppid=0 n=\d+", timeout=20)
    after = capture(b, "ps")
    say("machine B, system view:\n" + after)
    a_rest = capture(a, "ps")
    say("machine A after the move:\n" + a_rest)
    inside_b = counters(b.output[mark:])
    ok = "web" not in a_rest and "inner" not in a_rest
    ok &= counters_carry_on(inside_a, inside_b)
    ok &= pidspaces_differ(before, after)
    a.send("poweroff")
    a.wait_exit()
    b.send("poweroff")
    b.wait_exit()
    say("PASS: moved between running machines; same PIDs inside, new "
        "pidspaces outside" if ok else "FAIL")
    return 0 if ok else 1


def main():
    return run_demo("demo-live-migrate", "cellblock-live-", demo)


if __name__ == "__main__":
    sys.exit(main())
