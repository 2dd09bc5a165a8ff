#!/usr/bin/env python3
"""make bench: boot time, system-call and network micro-benchmarks, as medians.

Boot: QEMU is started RUNS times with `-kernel` and init=/bin/true; we time
from process start to the kernel's first console line ("Cellblock ...") and
to QEMU's exit (init exits, the kernel powers off).  Then /test/bench runs in
the guest RUNS times and its per-operation costs are reported, and
/test/ckptbench times checkpoint and restore (section 5 of the spec), and
pairs of QEMUs on one cable time /test/nettest (docs/network.md).  Timings on
shared machines are noisy: compare medians from one run, not across days.
"""
import os
import re
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = ["qemu-system-i386", "-cpu", "qemu32,+smep,+smap",
        "-nic", "none", "-no-reboot", "-m", "512M",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-display", "none", "-monitor", "none", "-serial", "stdio",
        "-kernel", os.path.join(ROOT, "build/cellblock.elf"),
        "-initrd", os.path.join(ROOT, "build/initrd.cpio")]
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def boot_once(append):
    """Returns (seconds to banner, seconds to exit, console text)."""
    t0 = time.monotonic()
    p = subprocess.Popen(QEMU + ["-append", append], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    out, banner = b"", None
    while True:
        chunk = p.stdout.read1(4096)
        if not chunk:
            break
        out += chunk
        if banner is None and b"Cellblock" in out:
            banner = time.monotonic() - t0
    p.wait()
    return banner, time.monotonic() - t0, out.decode(errors="replace")


def main():
    banners, totals = [], []
    for _ in range(RUNS):
        b, t, _ = boot_once("init=/bin/true")
        banners.append(b)
        totals.append(t)
    print("boot to first kernel line: median %.3f s (min %.3f, max %.3f, %d runs)"
          % (statistics.median(banners), min(banners), max(banners), RUNS))
    print("boot to init, run /bin/true, power off: median %.3f s"
          % statistics.median(totals))
    costs = {}
    for _ in range(RUNS):
        _, _, out = boot_once("init=/test/bench")
        for name, n, ms in re.findall(r"bench (\S+): (\d+) ops in (\d+) ms", out):
            costs.setdefault(name, []).append(int(ms) * 1000.0 / int(n))
    if not costs:
        print("bench: /test/bench printed nothing", file=sys.stderr)
        return 1
    for name, us in costs.items():
        print("%-16s median %9.2f us/op (%d runs)" % (name, statistics.median(us), len(us)))
    return bench_ckpt()


def bench_ckpt():
    """Checkpoint and restore of 1 task/64 KiB and 16 tasks/16 MiB
    (/test/ckptbench): median milliseconds per operation, image sizes."""
    costs, sizes = {}, {}
    for _ in range(min(RUNS, 5)):
        _, _, out = boot_once("init=/test/ckptbench")
        for name, n, ms in re.findall(r"bench (\S+): (\d+) ops in (\d+) ms", out):
            costs.setdefault(name, []).append(int(ms) / int(n))
        sizes.update(re.findall(r"bench-size (\S+): (\d+) bytes", out))
    if not costs:
        print("bench: /test/ckptbench printed nothing", file=sys.stderr)
        return 1
    for name, ms in costs.items():
        print("%-28s median %8.1f ms/op (%d runs)" % (name, statistics.median(ms), len(ms)))
    for name, size in sizes.items():
        print("%-28s image %d bytes (%.1f MiB)" % ("image-" + name, int(size),
                                                  int(size) / 1048576.0))
    return bench_net()


def net_pair(recv, send):
    """Boots two guests cabled together (tests/harness/qemu.net_args) with
    init=recv and init=send; returns both consoles."""
    from harness import qemu
    port = qemu.free_port()
    procs = []
    for i, (mode, init) in enumerate((("listen", recv), ("connect", send))):
        procs.append(subprocess.Popen(
            QEMU + qemu.net_args("%s:%d" % (mode, port), i + 1)
            + ["-append", "init=" + init], stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL))
        time.sleep(0.5)  # the listener's socket must be up first
    outs = []
    for p in procs:
        try:
            outs.append(p.communicate(timeout=120)[0].decode(errors="replace"))
        except subprocess.TimeoutExpired:
            p.kill()
            outs.append(p.communicate()[0].decode(errors="replace"))
    return outs


def bench_net():
    """One-way throughput of the transfer protocol (4 MB, /test/nettest
    xsend/xrecv) and the frame round-trip time (200 pings), two QEMUs on
    one cable: medians."""
    rates, rtts = [], []
    for _ in range(min(RUNS, 3)):
        out, _ = net_pair("/test/nettest xrecv 4000000",
                          "/test/nettest xsend 4000000")
        m = re.search(r"xrecv: PASS (\d+) bytes, \d+ duplicates, (\d+) ms", out)
        if m and int(m.group(2)):
            rates.append(int(m.group(1)) / 1e6 / (int(m.group(2)) / 1000.0))
        _, out = net_pair("/test/nettest pong 200", "/test/nettest ping 200")
        m = re.search(r"ping: PASS \d+ round trips in \d+ ms \((\d+) us", out)
        if m:
            rtts.append(int(m.group(1)))
    if not rates or not rtts:
        print("bench: /test/nettest printed nothing", file=sys.stderr)
        return 1
    print("%-28s median %8.2f MB/s (%d runs)" % ("net-xfer-one-way",
                                                statistics.median(rates), len(rates)))
    print("%-28s median %8.0f us (%d runs)" % ("net-frame-round-trip",
                                               statistics.median(rtts), len(rtts)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
