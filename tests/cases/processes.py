"""Processes, system calls, user programs and the shell (SPEC section 3).

The shell session of the acceptance list is typed at a GRUB-booted ISO, the
way `make run` boots; the system-call table is exercised by /test/systest
(every call's success and error paths, in forked children); every kind of
user fault must kill only the faulting process; a 1000-child fork loop must
leave the free-page count where it started."""
import time

from harness import DEFAULT_FORBID, case, scripted

FAULT_KINDS = ["null", "nullread", "kernel", "kernelread", "unmapped", "code",
               "gp", "hlt", "io", "selector", "ud", "div", "stack"]

CASES = [
    case(name="iso-shell-session", boot="iso",
         inputs=["echo hi; sh -c 'exit 7'; echo $?",
                 "echo abc | cat",
                 "ls /bin",
                 "sleep 1 &",
                 "wait",
                 "echo after-wait",
                 "poweroff"],
         expect=[r"^hi$", r"^7$", r"^abc$", r"^cat$", r"^sh$", r"^\[1\] \d+$",
                 r"^after-wait$"],
         status=0, timeout=60),
    case(name="systest", append="init=/test/systest",
         expect=[r"^systest: \d+ passed, 0 failed$"],
         forbid=[r"^FAIL", *DEFAULT_FORBID], status=0, timeout=90),
    case(name="forkloop-1000", append="init=/test/forkloop 1000",
         expect=[r"PASS"], forbid=[r"FAIL", *DEFAULT_FORBID], status=0, timeout=120),
    case(name="forkloop-exec", append="init=/test/forkloop 200 exec",
         expect=[r"PASS"], forbid=[r"FAIL", *DEFAULT_FORBID], status=0, timeout=120),
    case(name="pipe-1mib", append="init=/test/pipebig",
         expect=[r"PASS"], forbid=[r"FAIL", *DEFAULT_FORBID], status=0, timeout=60),
    case(name="redirection",
         inputs=["echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f",
                 "cat /tmp/f | cat | cat > /tmp/g; cat /tmp/g",
                 "echo gone > /tmp/f; cat /tmp/f",
                 "poweroff 4"],
         expect=[r"^one\ntwo$", r"^one\ntwo$", r"^gone$"], status=4),
    case(name="mkdir-rm",
         inputs=["mkdir /tmp/d; echo x > /tmp/d/f; ls /tmp/d",
                 "rm /tmp/d; echo rm-dir $?",
                 "rm /tmp/d/f /tmp/d; ls /tmp; echo done",
                 "rm /tmp/nope; mkdir /tmp; echo $?",
                 "poweroff"],
         expect=[r"^f$", r"Directory not empty\n.*rm-dir 1$", r"^done$",
                 r"rm: /tmp/nope: No such file", r"mkdir: /tmp: File exists\n1$"],
         status=0),
    case(name="background-jobs",
         inputs=["sleep 1 & echo started $!",
                 "kill -0 $!; echo alive $?",
                 "wait; echo waited $?",
                 "kill -0 $!; echo gone $?",
                 "poweroff"],
         expect=[r"^started \d+$", r"^alive 0$", r"^waited 0$", r"^gone 1$"],
         status=0),
    # Each fault kills the faulting process with one line naming it, and
    # the shell goes on: 128 + SIGSEGV/SIGILL/SIGFPE.
    case(name="user-faults",
         inputs=["/test/faulttest %s; echo status $?" % k for k in FAULT_KINDS]
         + ["echo shell-alive", "poweroff"],
         expect=sum([[r"^pid \d+ \(faulttest\): .*killed$",
                      r"^status 1(39|32|36)$"] for k in FAULT_KINDS], [])
         + [r"^shell-alive$"],
         status=0, timeout=60),
]


def test_ctrl_c_kills_foreground_job(g):
    """^C on the console ends the foreground job, not the shell."""
    guest = g.shell()
    guest.interrupt("sleep 30", settle=1.0, timeout=5)
    out = guest.run("echo status $?")
    assert "status 130" in out, out
    guest.send("poweroff")
    guest.expect_exit(0)


def test_pasted_input_is_not_lost(g):
    """200 lines typed at once (far more than the UART FIFO holds) all
    arrive: the UART holds back input while the tty is full."""
    guest = g.shell()
    guest.send("cat > /tmp/paste")
    guest.expect(r"cat > /tmp/paste\n")
    time.sleep(0.5)
    lines = "".join("line%03d\r" % i for i in range(200))
    guest.sendraw(lines.encode() + b"\x04")
    guest.wait_prompt(timeout=30)
    guest.send("echo MARK; cat /tmp/paste")
    guest.expect(r"^MARK$")
    for i in range(200):
        guest.expect(r"^line%03d$" % i, timeout=10)


BUILTINS = ["cd", "echo", "exit", "false", "help", "pwd", "true", "wait"]


def _names(out):
    """The words of a listing, one name a line."""
    return sorted(line.strip() for line in out.splitlines() if line.strip())


def test_bin_holds_only_commands(g):
    """/bin holds the commands; every test program is in /test, where the
    tests start it."""
    guest = g.boot()
    commands = _names(guest.run("ls /bin"))
    tests = _names(guest.run("ls /test"))
    assert "sh" in commands and "ctr" in commands, commands
    assert "systest" in tests and "t_ckpt" in tests, tests
    assert not set(commands) & set(tests), (commands, tests)
    assert not [n for n in commands if n.startswith("t_") or "test" in n
                or "bench" in n or "fuzz" in n], commands
    guest.send("poweroff")
    guest.expect_exit(0)


def test_help_lists_every_command(g):
    """`help` prints one line per command: each program in /bin and each
    builtin, starting with its name, in order, and nothing else."""
    guest = g.boot()
    commands = _names(guest.run("ls /bin"))
    lines = guest.run("help").splitlines()
    named = [line.split()[0].rstrip(":") for line in lines]
    assert named == sorted(set(commands) | set(BUILTINS)), (named, commands)
    assert all(len(line.split()) > 2 for line in lines), lines
    guest.send("poweroff")
    guest.expect_exit(0)


def test_help_names_one_command(g):
    """`help NAME` prints that command's line only; an unknown name is an
    error with status 1."""
    guest = g.boot()
    out = guest.run("help kill; echo status $?")
    assert out.splitlines()[0].startswith("kill "), out
    assert out.splitlines()[1:] == ["status 0"], out
    out = guest.run("help nosuch; echo status $?")
    assert "sh: help: nosuch: no such command" in out, out
    assert out.splitlines()[-1] == "status 1", out
    out = guest.run("help | cat")  # a builtin in a pipeline runs forked
    assert "help [NAME...]" in out, out
    guest.send("poweroff")
    guest.expect_exit(0)
