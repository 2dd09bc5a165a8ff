"""The network card (docs/network.md): /dev/eth0, the transfer protocol and
`ckpt send`/`ckpt receive` between two QEMUs cabled on 127.0.0.1.

Each scripted test boots the listening machine first (`net="listen:PORT"`)
and waits for its banner, so the QEMU socket is up before the second one
connects.  /test/nettest prints one `nettest MODE: PASS|FAIL` line per run.
"""
import os
import re
import subprocess

from harness import DEFAULT_FORBID, case, scripted

CKPTDUMP = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "build", "ckptdump")

FORBID = [r"FAIL", *DEFAULT_FORBID]


def _pair(g, append_a="", append_b=""):
    """Two guests on one cable, both at the shell prompt."""
    port = g.free_port()
    a = g.boot(append=append_a, net="listen:%d" % port, forbid=FORBID)
    a.expect(r"e1000: [0-9a-f:]{17}, registers at [0-9a-f]+, irq \d+")
    b = g.boot(append=append_b, net="connect:%d" % port, forbid=FORBID)
    a.wait_prompt()
    b.wait_prompt()
    return a, b


CASES = [
    # No cable, no card: no /dev/eth0, so open is ENOENT.
    case(name="no-card", append="init=/test/nettest nocard",
         expect=[r"^nettest nocard: PASS"], forbid=FORBID, status=0),
]


@scripted(name="frame-limits", timeout=60)
def frame_limits(g):
    """One machine with a card: 14 and 1514 bytes go, 13 and 1515 are
    EINVAL, a non-blocking read with nothing queued is EAGAIN, and user
    code cannot touch the card's registers."""
    a = g.boot(append="init=/test/nettest local",
               net="listen:%d" % g.free_port(), forbid=FORBID)
    a.expect(r"^nettest local: PASS")
    a.expect_exit(0)


@scripted(name="raw-frames", timeout=90)
def raw_frames(g):
    """1000 frames of every length from 60 to 1514 bytes arrive in order
    and intact (the first read, with a 20-byte buffer, gets the frame's
    first 20 bytes and the rest is dropped); then 100 ping-pong round
    trips."""
    a, b = _pair(g)
    a.send("/test/nettest recv 1000")
    b.send("/test/nettest send 1000")
    a.expect(r"^nettest recv: PASS 1000 frames in order", timeout=60)
    b.expect(r"^nettest send: PASS sent 1000 frames")
    a.wait_prompt()
    b.wait_prompt()
    a.send("/test/nettest pong 100")
    b.send("/test/nettest ping 100")
    b.expect(r"^nettest ping: PASS 100 round trips")
    a.expect(r"^nettest pong: PASS answered 100")


@scripted(name="lossy-transfer", timeout=90)
def lossy_transfer(g):
    """With about 10% of received frames dropped and as many reordered on
    both machines, 300 KB still arrive whole (the receiver compares every
    byte and the CRC-32), and the sender had to retransmit."""
    a, b = _pair(g, "net_drop=10", "net_drop=10")
    a.output.index("eth0: test mode")
    a.send("/test/nettest xrecv 300000")
    b.send("/test/nettest xsend 300000")
    m = b.expect(r"^nettest xsend: PASS (\d+) frames, (\d+) retransmitted",
                 timeout=60)
    a.expect(r"^nettest xrecv: PASS 300000 bytes")
    assert int(m.group(2)) > 0, "no retransmission on a lossy link"


def _migrate(g, append=""):
    """Moves a running two-task container from one machine to the other
    with `ckpt send` / `ckpt receive`; both counters must carry on with the
    same PIDs inside (1 is the shell, 2 and 3 the counters).  Returns how
    many frames the sender retransmitted."""
    a, b = _pair(g, append, append)
    a.send("ctr web sh -c 'counter 200 & counter 200' &")
    a.expect(r"counter pid=3 ppid=1 n=3\b")
    b.send("ckpt receive eth0 moved")
    b.expect(r"ckpt: waiting for an image on eth0")
    a.send("ckpt send web eth0")
    sent = a.expect(r"ckpt: sent container web \(\d+ bytes, \d+ frames, "
                    r"(\d+) retransmitted", timeout=60)
    a.wait_prompt()
    last = max(int(n) for n in re.findall(r"pid=2 ppid=1 n=(\d+)", a.output))
    b.expect(r"ckpt: received \d+ bytes \(CRC-32 [0-9a-f]{8}", timeout=60)
    b.expect(r"ckpt: restored the image from eth0; its init is pid \d+")
    m = b.expect(r"counter pid=2 ppid=1 n=(\d+)\n")
    assert int(m.group(1)) > last, "counter 2 restarted at %s" % m.group(1)
    b.expect(r"counter pid=3 ppid=1 n=\d+")
    b.send("cat /proc/containers")
    b.expect(r"^moved system 1 3\b")
    assert "web" not in a.run("cat /proc/containers")
    return int(sent.group(1))


@scripted(name="send-receive", timeout=120)
def send_receive(g):
    """`ckpt send` moves a running container to the other machine, where
    `ckpt receive` restores it with the same PIDs inside."""
    _migrate(g)


@scripted(name="send-receive-lossy", timeout=120)
def send_receive_lossy(g):
    """The same with net_drop=10 on both machines: the image still arrives
    whole (restore checks its CRC too), after retransmissions."""
    assert _migrate(g, "net_drop=10") > 0, "no retransmission"


@scripted(name="send-nobody-there", timeout=60)
def send_nobody_there(g):
    """`ckpt send` with no receiver on the cable: after XFER_ANSWER_MS
    without an answer the container is restored where it was and goes on
    counting, under its name and PIDs."""
    a = g.boot(net="listen:%d" % g.free_port(), forbid=FORBID)
    a.wait_prompt()
    # typed, not run(): the counter may print right after the next prompt
    a.send("ctr lone counter 200 &")
    a.expect(r"counter pid=1 ppid=0 n=2\b")
    a.send("ckpt send lone eth0")
    a.expect(r"ckpt: sending lone over eth0 failed: ", timeout=30)
    last = max(int(n) for n in re.findall(r"pid=1 ppid=0 n=(\d+)", a.output))
    a.expect(r"ckpt: lone did not arrive; restored it here")
    m = a.expect(r"counter pid=1 ppid=0 n=(\d+)\n")
    assert int(m.group(1)) > last, "counter restarted at %s" % m.group(1)
    a.send("cat /proc/containers")
    a.expect(r"^lone system 1 1\b")


@scripted(name="eth0-checkpoint", timeout=60)
def eth0_checkpoint(g):
    """A task blocked reading /dev/eth0 is checkpointed with the file (the
    host's ckptdump names it) and restored: the file is opened again and
    the read blocks again.  On a machine without a card the same image is
    refused with ENOENT, leaving nothing behind."""
    a = g.boot(net="listen:%d" % g.free_port(), com2="socket", forbid=FORBID)
    a.run("ctr ew cat /dev/eth0 &")
    a.run("sleep 1")
    out = a.run("ckpt save ew /tmp/ew.img")
    assert "saved container ew" in out, out
    a.run("cat /tmp/ew.img > /dev/ttyS1")
    path = os.path.join(g.tmpdir, "ew.img")
    with open(path, "wb") as f:
        f.write(a.com2_read(idle=1.0))
    dump = subprocess.run([CKPTDUMP, path], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=30)
    text = dump.stdout.decode("utf-8", "replace")
    assert dump.returncode == 0 and re.search(r"file \d+: eth0 ", text), text
    out = a.run("ckpt restore /tmp/ew.img ew2")
    assert "its init is pid" in out, out
    a.run("sleep 1")
    out = a.run("ps")
    assert re.search(r"^\s*\d+\s+\d+\s+S\s+ew2\s.*\scat$", out, re.M), out
    out = a.run("ls /dev")
    assert "eth0" in out, out
    # The same image on a machine without a card: /dev/eth0 cannot be
    # opened again, so restore fails and leaves nothing behind.
    b = g.boot(com2="socket", forbid=FORBID)
    before = b.run("cat /proc/meminfo")
    b.send("ckpt restore /dev/ttyS1 ew3")
    b.com2_write(open(path, "rb").read())
    b.expect(r"ckpt: /dev/ttyS1: No such file or directory")
    b.wait_prompt()
    assert "ew3" not in b.run("cat /proc/containers")
    after = b.run("cat /proc/meminfo")
    assert before == after, "restore left something behind:\n%s\n%s" % (
        before, after)
