"""How the harness starts QEMU and reads its exit status.

Every boot uses the same fixed machine (no network, no reboot, 512 MiB, the
isa-debug-exit device at port 0xf4) so that `poweroff CODE` in the guest ends
QEMU with status CODE*2+1, and a kernel panic (code 126) with 253.  The CPU is
QEMU's default qemu32 plus SMEP and SMAP (TCG emulates both), so every test
runs with the kernel's SMEP/SMAP protections on.

The environment variable CELLBLOCK_QEMU replaces the QEMU command (split like
a shell word list); the harness self-test points it at fakeqemu.py.
"""
import os
import shlex

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "cellblock.elf")
INITRD = os.path.join(BUILD, "initrd.cpio")
ISO = os.path.join(BUILD, "cellblock.iso")

PANIC_CODE = 126
PANIC_STATUS = 2 * PANIC_CODE + 1  # 253

CPU = "qemu32,+smep,+smap"
MACHINE_ARGS = ["-cpu", CPU, "-nic", "none", "-no-reboot", "-m", "512M",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def qemu_binary():
    """The QEMU command as a list: CELLBLOCK_QEMU, else $QEMU, else i386."""
    cmd = os.environ.get("CELLBLOCK_QEMU")
    if cmd:
        return shlex.split(cmd)
    return [os.environ.get("QEMU", "qemu-system-i386")]


def is_fake():
    """True when CELLBLOCK_QEMU replaces the real QEMU (no images needed)."""
    return bool(os.environ.get("CELLBLOCK_QEMU"))


def boot_args(boot="kernel", append="", kernel=None, initrd=None, iso=None):
    """QEMU arguments that load Cellblock the chosen way.

    boot="kernel" uses QEMU's multiboot loader (-kernel, fast, takes a command
    line); boot="iso" goes through GRUB, whose grub.cfg fixes the command line.
    Raises ValueError for a combination that cannot work.
    """
    if boot == "kernel":
        kernel = kernel or KERNEL
        initrd = initrd or INITRD
        args = ["-kernel", kernel, "-initrd", initrd]
        if append:
            args += ["-append", append]
        return args
    if boot == "iso":
        if append:
            raise ValueError("boot='iso' cannot take append=%r: the command "
                             "line comes from iso/grub.cfg" % append)
        return ["-cdrom", iso or ISO, "-boot", "d"]
    raise ValueError("boot must be 'kernel' or 'iso', not %r" % (boot,))


def missing_images(boot="kernel", kernel=None, initrd=None, iso=None):
    """Lists image files a boot needs that do not exist (none for the fake)."""
    if is_fake():
        return []
    need = [kernel or KERNEL, initrd or INITRD] if boot == "kernel" else [iso or ISO]
    return [p for p in need if not os.path.exists(p)]


def map_status(rc, stderr=""):
    """Maps a QEMU exit status to what the guest meant.

    Returns the poweroff CODE (an int), "panic", "abnormal" (QEMU exited 0:
    triple fault or reset with -no-reboot, or quit from the monitor),
    "qemu-error" (QEMU itself failed to start: status 1 plus an error on
    stderr), or "killed" (ended by a signal, e.g. the harness's timeout).
    """
    if rc is None:
        return None
    if rc < 0:
        return "killed"
    if rc == PANIC_STATUS:
        return "panic"
    if rc == 0:
        return "abnormal"
    if rc == 1 and "qemu-system" in stderr:
        return "qemu-error"
    if rc % 2 == 1:
        return (rc - 1) // 2
    return "qemu-error"


def net_args(spec, index=1):
    """QEMU arguments for a network cable: an e1000 card on a socket back
    end.  spec is "listen:PORT" (boot this side first) or "connect:PORT",
    on 127.0.0.1 only; index makes each guest's MAC address different.
    Raises ValueError for any other spec.
    """
    mode, _, port = (spec or "").partition(":")
    if mode not in ("listen", "connect") or not port.isdigit() \
            or not 0 < int(port) < 65536:
        raise ValueError("net must be 'listen:PORT' or 'connect:PORT', "
                         "not %r" % (spec,))
    mac = "52:54:00:12:34:%02x" % (0x56 + index % 128)
    return ["-netdev", "socket,id=n0,%s=127.0.0.1:%s" % (mode, port),
            "-device", "e1000,netdev=n0,mac=%s" % mac]


def free_port():
    """A TCP port on 127.0.0.1 that is free right now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
