"""Descriptors across exec and long command lines: close-on-exec (open,
pipe2, fcntl; /test/t_fdexec), descriptor flags through checkpoint/restore
(/test/t_fdckpt), shell scripts nested as deep as containers go, and
command lines of 16 KiB and 1024 words from the console to a program."""
from harness import DEFAULT_FORBID, case, scripted


CASES = [
    # Every fcntl command and pipe2/open flag, their errors, close-on-exec
    # through dup, fork, a failed and a successful exec; execve's limits.
    case(name="t_fdexec", append="init=/test/t_fdexec",
         expect=[r"^PASS open_flags$", r"^PASS exec_closes$",
                 r"^PASS failed_exec_keeps$", r"^PASS exec_limits$",
                 r"^fdexec: 10 passed, 0 failed$"],
         forbid=[r"^FAIL", *DEFAULT_FORBID], status=0, timeout=60),
    # FD_CLOEXEC and F_GETFL of every kind of descriptor survive a
    # migration; an image without the bit (older kernels) still restores.
    case(name="ckpt-flags", append="init=/test/t_fdckpt",
         expect=[r"^t_fdckpt: setup: PASS$", r"^t_fdckpt: checkpoint: PASS$",
                 r"^t_fdckpt: undefined-bit-refused: PASS$",
                 r"^t_fdckpt: flags-restored: PASS$",
                 r"^t_fdckpt: old-image-restores: PASS$",
                 r"^t_fdckpt: 0 failed$"],
         forbid=[r"FAIL", *DEFAULT_FORBID], status=0),
    # A program a script runs does not get the script's descriptor.
    case(name="script-not-inherited",
         inputs=["echo '/test/t_fdexec probe 3 4 5; echo probe=$?' > /tmp/ps",
                 "sh /tmp/ps"],
         expect=[r"^probe=0$"]),
    # Each script founds the next container level with `ctr dN sh /tmp/dN`:
    # the scripts are not inherited, so all 32 levels run; the 33rd is
    # refused by the container depth limit, not by running out of files.
    case(name="nested-scripts",
         inputs=["/test/t_fdexec nest 33", "ctr d1 sh /tmp/d1; echo top=$?"],
         expect=[r"^level 1$", r"^level 16$", r"^level 31$", r"^level 32$",
                 r"^ctr: d33: Resource temporarily unavailable$",
                 r"^top=1$"],
         forbid=[r"^level 33$", r"Too many open files", *DEFAULT_FORBID],
         timeout=60),
]


def _argsum(words):
    """The checksum t_fdexec argsum computes (32-bit unsigned long)."""
    h = 5381
    for w in words:
        for b in w.encode():
            h = (h * 33 + b) & 0xFFFFFFFF
        h = (h * 33 + 0xFF) & 0xFFFFFFFF
    return h


@scripted(name="long-command-line", timeout=90)
def long_command_line(g):
    guest = g.shell()
    # 1024 words, 17 KiB: typed at the console, read by the shell in
    # several pieces, passed to a program that checks count and checksum.
    words = ["w%04d-%s" % (i, "abcdefghij"[: 1 + i % 10]) for i in range(1024)]
    words += ["x" * 5000]
    line = "/test/t_fdexec argsum %d %d %s" % (len(words), _argsum(words),
                                         " ".join(words))
    assert len(line) >= 16384 and len(words) >= 1024, len(line)
    guest.send(line + "; echo argsum=$?")
    guest.expect(r"^argsum=0$", timeout=60)
    guest.wait_prompt()
    # More words than the shell takes: a message, and nothing runs.
    guest.send("echo NOTRUN " + "a " * 5000 + "; echo after=$?")
    guest.expect(r"^sh: too many arguments: more than the shell's limit "
                 r"of 4096 words$", timeout=60)
    guest.wait_prompt()
    assert "\nNOTRUN" not in guest.output, "a truncated command ran"
    out = guest.run("echo status=$?")
    assert "status=2" in out, out
    guest.poweroff()


@scripted(name="overlong-line", timeout=90)
def overlong_line(g):
    guest = g.shell()
    # Longer than the shell's 64 KiB line: refused whole, never cut.
    guest.send("echo CUT" + "b" * 70000 + " ; echo TAIL")
    guest.expect(r"^sh: line too long: more than the shell's limit of "
                 r"65535 bytes; not run$", timeout=80)
    guest.wait_prompt()
    assert "\nCUT" not in guest.output and "\nTAIL" not in guest.output, \
        "part of an overlong line ran"
    guest.poweroff()
