"""File system layer: the syscall-level suite (t_fs), the shell's view of
ramfs, /proc and /dev, pipes between programs, and the console line
discipline (editing, ^D, ^C)."""
from harness import case, scripted

CASES = [
    # Every file system call, its errors and its corner cases.
    case(name="t_fs", append="init=/bin/t_fs",
         expect=[r"^t_fs: PASS open_create$", r"^t_fs: PASS pipes$",
                 r"^t_fs: PASS$"],
         forbid=[r"t_fs: FAIL", r"panic", r"page fault in kernel"],
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
    guest = g.boot()
    guest.wait_prompt()
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
    guest.send("poweroff 0")
    guest.expect_exit(0)
