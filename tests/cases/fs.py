"""File system layer: the syscall-level suite (t_fs), the shell's view of
ramfs, /proc and /dev, pipes between programs, and the console line
discipline (editing, ^D, ^C)."""
import time

from harness import DEFAULT_FORBID, case, scripted

CASES = [
    # Every file system call, its errors and its corner cases.
    case(name="t_fs", append="init=/test/t_fs",
         expect=[r"^t_fs: PASS open_create$", r"^t_fs: PASS pipes$",
                 r"^t_fs: PASS$"],
         forbid=[r"t_fs: FAIL", *DEFAULT_FORBID],
         status=0, timeout=60),
    # The initrd is unpacked; the standard directories and devices exist.
    case(name="layout", inputs=["ls /", "ls /dev", "ls /bin"],
         expect=[r"initrd: \d+ entries unpacked", r"^bin$", r"^dev$",
                 r"^etc$", r"^proc$", r"^tmp$", r"^console$", r"^ttyS1$",
                 r"^sh$"]),
    # Files through the shell's redirections, and a pipe between programs.
    case(name="redirect", inputs=["echo one > /tmp/r", "echo two >> /tmp/r",
                                  "cat /tmp/r | cat", "cat < /tmp/r"],
         expect=[r"^one\ntwo$", r"^one\ntwo$"]),
    # /proc/meminfo has the three counters.
    case(name="meminfo", inputs=["cat /proc/meminfo"],
         expect=[r"^PagesTotal:\t\d+$", r"^PagesFree:\t\d+$",
                 r"^HeapUsed:\t\d+$"]),
]


@scripted(name="tty-editing", timeout=30)
def tty_editing(g):
    guest = g.shell()
    # backspace (DEL and ^H) and ^U edit the line before the shell sees it
    guest.sendraw("echo helx\x7fp\r")
    guest.expect(r"^help$")
    guest.wait_prompt()
    guest.sendraw("echo wrong\x15echo ri\x08ight\r")
    guest.expect(r"^riight$|^right$")
    guest.wait_prompt()
    # ^D at the start of a line ends cat's input
    guest.sendraw("cat\r")
    guest.sendraw("typed\r")
    guest.expect(r"^typed\ntyped$")
    guest.sendraw("\x04")
    guest.wait_prompt()
    guest.poweroff()


@scripted(name="tty-ctrl-c", timeout=30)
def tty_ctrl_c(g):
    guest = g.shell()
    # ^C ends the foreground program, not the shell
    guest.interrupt("sleep 100", settle=0.5, timeout=10)
    # ^C at the prompt throws the line away (the shell sees nothing, so it
    # prints no new prompt)
    guest.sendraw("echo nope\x03")
    guest.expect(r"\^C\n")
    guest.send("echo still here")
    guest.expect(r"^still here$")
    assert "nope" not in guest.output.replace("echo nope", ""), guest.output
    guest.poweroff()


@scripted(name="tty-paste", timeout=60)
def tty_paste(g):
    """Pasted input larger than the tty buffer arrives intact: back-pressure
    holds the UART instead of dropping bytes.  (Lines stay under the
    shell's own 1024-byte line limit.)"""
    guest = g.shell()
    word = "".join(chr(ord("a") + i % 26) for i in range(450))
    guest.sendraw("echo %s; echo %s\r" % (word, word[::-1]))
    guest.expect(r"^%s$" % word)
    guest.expect(r"^%s$" % word[::-1])
    guest.wait_prompt()
    # 600 lines (6 KB, more than the tty holds) typed at once into a file
    lines = ["line%d" % i for i in range(600)]
    guest.send("cat > /tmp/paste")
    guest.expect(r"cat > /tmp/paste\n")
    guest.sendraw("".join(l + "\r" for l in lines))
    guest.expect(r"line599\n")
    guest.sendraw("\x04")
    guest.wait_prompt()
    out = guest.run("cat /tmp/paste", timeout=30)
    assert out.split() == lines, out[:200]
    guest.poweroff()


@scripted(name="ttyS1-raw-out", timeout=30)
def ttys1_raw_out(g):
    """/dev/ttyS1 writes bytes untranslated (no \\r added)."""
    guest = g.boot(com2="socket")
    guest.run("echo a b > /dev/ttyS1")
    data = guest.com2_read(idle=0.5)
    assert data == b"a b\n", data
    guest.poweroff()


@scripted(name="proc-container-view", timeout=30)
def proc_container_view(g):
    """Inside a container /proc shows only its tasks, under their PIDs
    there, and no real PID."""
    guest = g.boot()
    outside = guest.run("cat /proc/self/status")
    assert "RealPid:" in outside, outside
    guest.send("ctr web sh")
    guest.expect(r"\[web\]\$ $")
    out = guest.run("ls /proc")
    pids = sorted(int(x) for x in out.split() if x.isdigit())
    assert pids and pids[0] == 1, out
    st = guest.run("cat /proc/1/status")
    assert "Pid:\t1\n" in st and "Container:\tweb" in st, st
    assert "RealPid" not in st and "Pidspace" not in st, st
    assert "PPid:\t0\n" in st, st
    out = guest.run("cat /proc/container")
    assert out.split()[0] == "web", out  # run() leaves the "[web]" prompt
    guest.send("exit")
    guest.wait_prompt()
    guest.poweroff()


@scripted(name="ttyS1-binary-roundtrip", timeout=90)
def ttys1_binary_roundtrip(g):
    """20 KB of arbitrary bytes in through COM2 and back out, unchanged:
    no echo, no line editing, no newline translation, nothing lost."""
    import random
    data = bytes(random.Random(7).randrange(256) for _ in range(50000))
    guest = g.boot(com2="socket")
    guest.run("cat /dev/ttyS1 > /tmp/in &")
    time.sleep(0.3)
    guest.com2_write(data)
    for _ in range(100):
        out = guest.run("ls -l /tmp/in")
        if str(len(data)) in out:
            break
        time.sleep(0.2)
    assert str(len(data)) in out, out
    guest.run("kill $!")
    guest.run("cat /tmp/in > /dev/ttyS1")
    back = guest.com2_read(idle=1.0)
    assert back == data, "got %d bytes back, first difference at %s" % (
        len(back), next((i for i, (a, b) in enumerate(zip(back, data))
                         if a != b), min(len(back), len(data))))
    guest.poweroff()
