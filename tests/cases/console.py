"""The console as a newcomer meets it: input that is already waiting when
QEMU starts (piped, pasted during boot) reaches the shell whole and in
order, through -kernel and through GRUB, both under the harness's plain
`-serial stdio` and under tools/qemu-run's `-serial mon:stdio` (what
`make run` uses)."""
import os
import re
import subprocess

from harness import scripted
from harness.qemu import ROOT, KERNEL, INITRD, ISO

# Enough lines to overflow everything that holds input before the kernel
# reads it (the UART's 16-byte FIFO, QEMU's 32-byte console buffer): each
# output carries $$, so it cannot be mistaken for the echo of what was typed.
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
         "hotel"]


def early_input(newline):
    lines = ["echo hi-$$"] + ["echo w%d-$$-%s" % (i, w * 4)
                              for i, w in enumerate(WORDS)] + ["poweroff 0"]
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
