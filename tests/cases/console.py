"""The console as a newcomer meets it: input that is already waiting when
QEMU starts (piped, pasted during boot) reaches the shell whole and in
order, through -kernel and through GRUB, both under the harness's plain
`-serial stdio` and under tools/qemu-run's `-serial mon:stdio` (what
`make run` uses)."""
import os
import re
import subprocess
import time

from harness import DEFAULT_FORBID, scripted
from harness.qemu import ROOT, KERNEL, INITRD, ISO

# Enough lines to overflow everything that holds input before the kernel
# reads it (the UART's 16-byte FIFO, QEMU's 32-byte console buffer): each
# output carries $$, so it cannot be mistaken for the echo of what was typed.
# The lines append to a file that the last line prints: the console echoes
# typed bytes as they arrive, and on a loaded host that echo can fall in the
# middle of a command's output; by the time the last line runs, everything
# has arrived, so the file's text comes out whole and in the order the shell
# ran the lines.
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
         "hotel"]


def early_input(newline):
    lines = (["echo hi-$$ > /tmp/o"]
             + ["echo w%d-$$-%s >> /tmp/o" % (i, w * 4)
                for i, w in enumerate(WORDS)]
             + ["cat /tmp/o; poweroff 0"])
    return "".join(l + newline for l in lines)


def expected():
    return [r"hi-2$"] + [r"w%d-2-%s$" % (i, w * 4) for i, w in enumerate(WORDS)]


def early_input_test(g, boot):
    guest = g.boot(boot=boot)
    guest.sendraw(early_input("\r"))  # before the kernel has printed a byte
    for pattern in expected():
        guest.expect(pattern, timeout=30)
    guest.expect_exit(0)


@scripted(name="early-input-kernel", timeout=60)
def early_input_kernel(g):
    early_input_test(g, "kernel")


@scripted(name="early-input-iso", timeout=90)
def early_input_iso(g):
    early_input_test(g, "iso")


def piped_run(g, image_args):
    """`printf ... | tools/qemu-run ...`: stdin is a pipe that ends (EOF)
    long before the guest reads it; QEMU must still deliver every byte and
    end only on the guest's poweroff."""
    proc = subprocess.run(
        [os.path.join(ROOT, "tools", "qemu-run")] + image_args,
        input=early_input("\n").encode(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, timeout=60)
    out = proc.stdout.decode("utf-8", "replace").replace("\r", "")
    g.note("qemu-run exit %d; stderr: %s" % (proc.returncode,
                                              proc.stderr.decode()))
    g.note("console:\n" + out)
    pos = 0
    for pattern in expected():
        m = re.compile(pattern, re.MULTILINE).search(out, pos)
        assert m, "no /%s/ after offset %d in:\n%s" % (pattern, pos, out[-800:])
        pos = m.end()
    assert proc.returncode == 0, "qemu-run exited %d" % proc.returncode


@scripted(name="piped-run-kernel", timeout=90)
def piped_run_kernel(g):
    piped_run(g, ["--kernel", KERNEL, "--initrd", INITRD])


@scripted(name="piped-run-iso", timeout=90)
def piped_run_iso(g):
    piped_run(g, ["--iso", ISO])


# ---- the console foreground (^C) -----------------------------------------

FG_FORBID = [r"t_fg: FAIL", *DEFAULT_FORBID]


@scripted(name="fg-zombie", timeout=30)
def fg_zombie(g):
    """setfg on an exited child is refused, and ^C after the child is
    reaped touches no task (it used to write into the freed task)."""
    guest = g.boot(append="init=/test/t_fg zombie", forbid=FG_FORBID)
    guest.expect(r"t_fg: \^C now")
    guest.sendraw("\x03")
    guest.sendraw("go\r")
    guest.expect(r"t_fg: PASS \^C after the reap reached no task")
    guest.expect_exit(0)


@scripted(name="fg-container-cannot-steal", timeout=40)
def fg_container_cannot_steal(g):
    """A task inside a container sets its container's foreground while
    the system shell runs a job: ^C still ends that job."""
    guest = g.shell(forbid=FG_FORBID)
    guest.send("/test/t_fg steal")
    guest.expect(r"t_fg: PASS setfg inside a container")
    guest.expect(r"t_fg: \^C now")
    guest.sendraw("\x03")
    guest.wait_prompt(timeout=5)
    out = guest.run("echo status $?")
    assert "status 130" in out, out
    guest.expect(r"t_fg: PASS container task not interrupted by \^C",
                 timeout=10)
    guest.send("poweroff")
    guest.expect_exit(0)


@scripted(name="fg-delegated-to-container", timeout=40)
def fg_delegated_to_container(g):
    """^C handed to a container (its founder is the system shell's job)
    reaches the job of the shell inside, and only that job."""
    guest = g.shell(forbid=FG_FORBID)
    guest.send("ctr fgd sh")
    guest.wait_prompt()  # [fgd]$
    guest.send("sleep 30")
    guest.expect(r"sleep 30\n")
    time.sleep(1.0)  # let the inner shell start it and hand it ^C
    guest.sendraw("\x03")
    guest.expect(r"\[fgd\]\$ $", timeout=5)
    out = guest.run("echo inner $?")
    assert "inner 130" in out, out
    # ^C at the inner prompt reaches nobody: not the shell inside (which
    # is the system shell's job, one level up)
    guest.sendraw("\x03")
    guest.expect(r"\^C\n")
    guest.send("echo alive $$")
    guest.expect(r"^alive 1\n")
    guest.expect(r"\[fgd\]\$ $", timeout=5)  # type only at a prompt
    guest.send("exit")
    guest.expect(r"^\$ $", timeout=10)
    guest.send("poweroff")
    guest.expect_exit(0)


@scripted(name="fg-pipeline-last-ends-first", timeout=40)
def fg_pipeline_last_ends_first(g):
    """When the last command of a foreground pipeline ends first, ^C goes
    to the one still running."""
    guest = g.shell()
    guest.send("sleep 30 | true")
    guest.expect(r"sleep 30 \| true\n")
    time.sleep(1.0)
    guest.sendraw("\x03")
    guest.wait_prompt(timeout=5)
    guest.send("poweroff")
    guest.expect_exit(0)
