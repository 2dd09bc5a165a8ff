"""Processes, system calls, user programs and the shell (SPEC section 3).

The shell session of the acceptance list is typed at a GRUB-booted ISO, the
way `make run` boots; the system-call table is exercised by /bin/systest
(every call's success and error paths, in forked children); every kind of
user fault must kill only the faulting process; a 1000-child fork loop must
leave the free-page count where it started."""
import time

from harness import case, scripted

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
    case(name="systest", append="init=/bin/systest",
         expect=[r"^systest: \d+ passed, 0 failed$"],
         forbid=[r"^FAIL", r"panic"], status=0, timeout=90),
    case(name="forkloop-1000", append="init=/bin/forkloop 1000",
         expect=[r"PASS"], forbid=[r"FAIL", r"panic"], status=0, timeout=120),
    case(name="forkloop-exec", append="init=/bin/forkloop 200 exec",
         expect=[r"PASS"], forbid=[r"FAIL", r"panic"], status=0, timeout=120),
    case(name="pipe-1mib", append="init=/bin/pipebig",
         expect=[r"PASS"], forbid=[r"FAIL", r"panic"], status=0, timeout=60),
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
         inputs=["faulttest %s; echo status $?" % k for k in FAULT_KINDS]
         + ["echo shell-alive", "poweroff"],
         expect=sum([[r"^pid \d+ \(faulttest\): .*killed$",
                      r"^status 1(39|32|36)$"] for k in FAULT_KINDS], [])
         + [r"^shell-alive$"],
         status=0, timeout=60),
]


def test_ctrl_c_kills_foreground_job(g):
    """^C on the console ends the foreground job, not the shell."""
    guest = g.boot()
    guest.wait_prompt()
    guest.send("sleep 30")
    guest.expect(r"sleep 30")
    time.sleep(1.0)  # let the shell fork and hand the console to sleep
    guest.sendraw(b"\x03")
    guest.wait_prompt(timeout=5)
    out = guest.run("echo status $?")
    assert "status 130" in out, out
    guest.send("poweroff")
    guest.expect_exit(0)


def test_pasted_input_is_not_lost(g):
    """200 lines typed at once (far more than the UART FIFO holds) all
    arrive: the UART holds back input while the tty is full."""
    guest = g.boot()
    guest.wait_prompt()
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
