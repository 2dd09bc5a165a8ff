"""Checkpoint and restore (SPEC section 5).

The in-guest programs /test/t_ckpt, /test/t_ckptbad and /test/t_ckptstates do
most of the work and print one `NAME: PASS|FAIL` line per acceptance point; the scripted tests
move images between two separately booted QEMUs through COM2 and check them
with the host tool build/ckptdump."""
import os
import re
import struct
import subprocess
import zlib

from harness import DEFAULT_FORBID, case, scripted

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CKPTDUMP = os.path.join(ROOT, "build", "ckptdump")
FORBID = [r"FAIL", *DEFAULT_FORBID]


def _passes(prog, names):
    return [r"^%s: %s: PASS" % (prog, n) for n in names]


CASES = [
    # Same boot, --keep and a new name: two copies side by side.
    case(name="keep-side-by-side", append="init=/test/t_ckpt keep",
         expect=_passes("t_ckpt", ["keep-restore", "keep-real-pids",
                                   "keep-both-run", "keep-same-pids"])
         + [r"^t_ckpt: 0 failed$"],
         forbid=FORBID, status=0, timeout=60),
    # Migration within one boot: heap, sleep, waitpid, zombie, pipes and
    # three levels of nesting all survive.
    case(name="state-survives", append="init=/test/t_ckpt state",
         expect=_passes("t_ckpt", ["state-checkpoint", "migrated-init-status",
                                   "migrated-tree-gone", "state-restore",
                                   "state-tasks-exit", "heap-8mib",
                                   "waitpid-restart", "zombie-status",
                                   "pipe-in-flight", "sleep-remaining",
                                   "nested-getpid", "nested-nspid"])
         + [r"^t_ckpt: 0 failed$"],
         forbid=FORBID, status=0, timeout=90),
    # Who may checkpoint what, sharing with the outside, small buffers.
    case(name="permissions", append="init=/test/t_ckpt perm",
         expect=[r"^t_ckpt: perm-inside: PASS", r"^t_ckpt: perm-own: PASS",
                 r"^checkpoint: task \d+ \(t_ckpt\) fd \d+: pipe shared with "
                 r"task 1 outside container pe$",
                 r"^t_ckpt: perm-shared-pipe: PASS"]
         + _passes("t_ckpt", ["perm-unshared", "perm-erange", "perm-flags",
                              "perm-efault", "perm-names", "perm-exit"])
         + [r"^t_ckpt: 0 failed$"],
         forbid=FORBID, status=0, timeout=60),
    # Incremental rounds: the first carries every page, each later one
    # exactly the pages written since; rounds are tied to one tree.
    case(name="precopy-rounds", append="init=/test/t_precopy",
         expect=_passes("t_precopy", ["first-round", "next-round-1",
                                      "next-round-2", "next-round-3",
                                      "no-first", "bad-flags", "tree-changed",
                                      "still-running"])
         + [r"^t_precopy: 0 failed$"],
         forbid=FORBID, status=0, timeout=60),
    # Broken images: the documented error, nothing left behind.
    case(name="bad-images", append="init=/test/t_ckptbad",
         expect=_passes("t_ckptbad", ["truncated-at-0", "truncated-at-112",
                                      "flip-task-pid", "wrong-magic",
                                      "wrong-version", "wrong-crc",
                                      "huge-page-count", "overlapping-sections",
                                      "kernel-page-address", "overlapping-pages",
                                      "duplicate-pid", "parent-loop",
                                      "container-loop"])
         # each refusal is one console line with the validator's reason
         + [r"^restore: container 0: its init is task \d+, not task 0 "
            r"\(EINVAL\)$"]
         + _passes("t_ckptbad", ["top-init-not-task-0", "eflags-vm"])
         + [r"^restore: task 0: eip 0xc0000000 outside user space "
            r"\(EINVAL\)$"]
         + _passes("t_ckptbad", ["eip-kernel", "parent-in-outer-container",
                                 "outer-init-in-inner",
                                 "init-born-in-own-container"])
         # restore's own refusals (after the validator) also say why
         + [r"^restore: the tree would nest \d+ deep, more than 32 "
            r"\(EAGAIN\)$"]
         + _passes("t_ckptbad", ["too-deep"])
         + [r"^restore: number 8388096 does not fit pidspace 511, one of "
            r"those restore would take \(ENOSPC\)$"]
         + _passes("t_ckptbad", ["pidspace-511-number",
                                 "pidspace-511-unchanged",
                                 "pidspace-511-elsewhere"])
         + [r"^restore: container name 'bad' is in use \(EEXIST\)$"]
         + _passes("t_ckptbad", ["name-in-use"])
         + [r"^restore: container name 'bad' is in use \(EEXIST\)$"]
         + _passes("t_ckptbad", ["newname-in-use", "cwd-gone-unwinds",
                                 "file-gone-unwinds"])
         + [r"^t_ckptbad: 0 failed$"],
         forbid=FORBID, status=0, timeout=60),
    # The shell tool, same boot: save with --keep, show, restore renamed.
    case(name="ckpt-tool",
         inputs=["ctr tl sleep 100 &",
                 "ckpt save tl /tmp/tl.img --keep",
                 "ckpt show /tmp/tl.img",
                 "ckpt restore /tmp/tl.img tl2",
                 "ckpt restore /tmp/tl.img tl2",
                 "ckpt restore /tmp/tl.img",
                 "cat /proc/containers",
                 "ckpt save tl /tmp/tl.img; wait",
                 "cat /proc/containers",
                 "poweroff"],
         expect=[r"ckpt: saved container tl to /tmp/tl.img \(\d+ bytes\)\n",
                 r"container 0 tl depth \+0 init task 0",
                 r"task 0 sleep +S pids 1  parent outside",
                 r"ckpt: restored /tmp/tl.img; its init is pid \d+",
                 # a name in use: the kernel's reason, and the tool's
                 r"restore: container name 'tl2' is in use \(EEXIST\)",
                 r"ckpt: container name 'tl2' is in use \(EEXIST\)",
                 r"restore: container name 'tl' is in use \(EEXIST\)",
                 r"ckpt: container name 'tl' is in use \(EEXIST\)",
                 r"^tl2 system 1 1 \d+ tasks=1/",
                 r"the container has been stopped",
                 r"\$ cat /proc/containers\ntl2 system 1 1 \d+ .*\nsystem"],
         forbid=FORBID, status=0, timeout=60),
]


def _max_count(text):
    """The highest n= that counter printed in text."""
    return max([int(n) for n in re.findall(r"counter pid=1 ppid=0 n=(\d+)", text)] or [-1])


def _save_to_host(g, guest, name):
    """`ckpt save NAME /dev/ttyS1` in guest; returns the image bytes."""
    guest.send("ckpt save %s /dev/ttyS1" % name)
    m = guest.expect(r"ckpt: saved container %s to /dev/ttyS1 \((\d+) bytes\)" % name)
    image = guest.com2_read(n=int(m.group(1)), timeout=30)
    path = os.path.join(g.tmpdir, name + ".img")
    with open(path, "wb") as f:
        f.write(image)
    return image, path


def _ckptdump(g, path):
    p = subprocess.run([CKPTDUMP, path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30)
    out = p.stdout.decode("utf-8", "replace")
    g.note("ckptdump %s:\n%s" % (path, out))
    assert p.returncode == 0, "ckptdump failed:\n" + out
    return out


@scripted(name="cross-boot", timeout=120)
def cross_boot(g):
    """An image saved in one QEMU restores in a second, fresh one, where
    other containers exist already, and its counter carries on counting."""
    a = g.shell(com2="socket")
    a.send("ctr xb counter 300 &")
    a.expect(r"counter pid=1 ppid=0 n=3\b")
    image, path = _save_to_host(g, a, "xb")
    last = _max_count(a.output)
    dump = _ckptdump(g, path)
    assert "xb [top]" in dump and "pids: xb=1" in dump, dump
    a.send("poweroff")
    a.expect_exit(0)

    b = g.boot(com2="socket")
    b.run("ctr other1 sleep 1000 &")
    b.run("ctr other2 sleep 1000 &")
    b.send("ckpt restore /dev/ttyS1")
    b.com2_write(image)
    b.expect(r"ckpt: restored /dev/ttyS1; its init is pid \d+")
    m = b.expect(r"counter pid=1 ppid=0 n=(\d+)")
    n = int(m.group(1))
    assert n == last + 1, "counter went on from %d, not from %d" % (n, last + 1)
    b.send("poweroff")
    b.expect_exit(0)


# A migration whose image restore would refuse (injected with
# ktest=ckpt-bad-image) fails and keeps the container running.
CASES.append(
    case(name="migration-self-check",
         append="ktest=ckpt-bad-image init=/test/t_ckpt selfcheck",
         expect=[r"^checkpoint: container sc keeps running: restore would "
                 r"refuse its image: task 0: eflags 0x\w+, not as user mode "
                 r"leaves them$",
                 r"^t_ckpt: selfcheck-refused: PASS",
                 r"^t_ckpt: selfcheck-kept: PASS",
                 r"^restore: task 0: eflags 0x\w+, not as user mode leaves "
                 r"them \(EINVAL\)$",
                 r"^t_ckpt: selfcheck-restore-refuses: PASS",
                 r"^t_ckpt: selfcheck-runs-on: PASS",
                 r"^t_ckpt: 0 failed$"],
         forbid=FORBID, status=0, timeout=60))


# A container in many states (every open flag, user eflags, TF, pipes,
# zombie, blocked calls, nesting 3 deep with a self-nested init) migrated
# twice in one boot; every task checks its state and its ids.
CASES.append(
    case(name="states-round-trip", append="init=/test/t_ckptstates",
         expect=_passes("t_ckptstates", ["round1-checkpoint",
                                         "round1-flags-saved", "round1-tf-saved",
                                         "round1-restore", "round2-checkpoint",
                                         "round2-flags-saved", "round2-tf-saved",
                                         "round2-restore",
                                         "init-exit", "files", "eflags",
                                         "pipew", "piper", "child", "waiter",
                                         "sleeper", "n2", "n3", "n4", "tf"])
         + [r"^t_ckptstates: 0 failed$"],
         forbid=FORBID, status=0, timeout=60))


def _task_off(img, i, field_off):
    """Byte offset of a field of task record i (the section table says
    where the TASKS section is)."""
    for k in range(5):
        s_type, s_off = struct.unpack_from("<II", img, 32 + 16 * k)
        if s_type == 2:
            return s_off + 1160 * i + field_off
    raise AssertionError("no TASKS section")


def _fix_crc(img):
    img[20:24] = b"\0\0\0\0"
    img[20:24] = struct.pack("<I", zlib.crc32(bytes(img)) & 0xffffffff)


@scripted(name="ckptdump-reasons", timeout=30)
def ckptdump_reasons(g):
    """ckptdump says why it refuses an image, in the validator's words:
    a forged eip in kernel space, a forged birth level, a wrong magic."""
    sample = os.path.join(g.tmpdir, "sample.img")
    writer = os.path.join(g.tmpdir, "sample")   # the unit test's model image
    subprocess.run(["gcc", "-O1", "-Iinclude", "-Iarch/x86/include", "-o",
                    writer, "tests/unit/test_ckpt_codec.c",
                    "kernel/lib/crc32.c", "kernel/lib/ckpt_codec.c",
                    "kernel/lib/ckpt_check.c",
                    "kernel/lib/sort.c", "arch/x86/ckpt_regs.c",
                    "kernel/lib/string.c"], cwd=ROOT, check=True, timeout=120)
    subprocess.run([writer, sample], check=True, timeout=30)
    good = bytearray(open(sample, "rb").read())
    eip = 8 * 4 + 33 * 4           # t_regs follows 8 words and t_nrs[33]
    birth = 6 * 4
    forged = [("eip", _task_off(good, 0, eip), 0xc0000000,
               r"malformed image: task 0: eip 0xc0000000 outside user "
               r"space \(restore would refuse it with EINVAL\)"),
              ("birth", _task_off(good, 1, birth), 1,
               r"malformed image: task 1: born at level 1, but its numbers "
               r"say 0")]
    for name, off, val, want in forged:
        img = bytearray(good)
        struct.pack_into("<I", img, off, val)
        _fix_crc(img)
        path = os.path.join(g.tmpdir, name + ".img")
        with open(path, "wb") as f:
            f.write(img)
        p = subprocess.run([CKPTDUMP, path], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=30)
        out = p.stdout.decode()
        g.note("%s: %s" % (name, out))
        assert p.returncode == 1 and re.search(want, out), out
    path = os.path.join(g.tmpdir, "elf.img")
    with open(path, "wb") as f:
        f.write(b"\x7fELF" + bytes(200))
    p = subprocess.run([CKPTDUMP, path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30)
    assert b"not a Cellblock checkpoint image: wrong magic" in p.stdout, p.stdout


def _round_image(pages, kind=2, number=3, ntasks=2):
    """A version 2 round (docs/checkpoint-format.md) of (task, va, data)
    pages, data None for an all-zero page, with its CRC."""
    body, nzero = b"", 0
    for task, va, data in pages:
        nzero += data is None
        flags = 0x6 | (0x100 if data is None else 0)
        body += struct.pack("<4I", task, va, flags, 0) + (data or b"")
    img = bytearray(struct.pack("<8I", 0x4c4c4543, 0x54504b43, 2, 64,
                                64 + len(body), 0, 0, 0)
                    + struct.pack("<8I", 7, number, kind, ntasks, len(pages),
                                  nzero, 0, 0) + body)
    _fix_crc(img)
    return img


@scripted(name="ckptdump-rounds", timeout=30)
def ckptdump_rounds(g):
    """ckptdump reads version 2 (incremental round) images: the round
    record and each task's runs of pages; and refuses a broken round with
    the validator's reason."""
    good = _round_image([(0, 0x40000000, b"a" * 4096), (0, 0x40001000, None),
                         (0, 0x40005000, b"b" * 4096),
                         (1, 0x40000000, b"c" * 4096)])
    path = os.path.join(g.tmpdir, "round.img")
    with open(path, "wb") as f:
        f.write(good)
    out = _ckptdump(g, path)
    for want in [r"incremental round: version 2, 12416 bytes, CRC ok",
                 r"round 3 \(next\) of migration 7: 2 tasks, 4 pages "
                 r"\(1 all zeros, 0 kept\)",
                 r"task 0: 0x40000000-0x40002000 \(2 pages, 1 all zeros, 0 kept\)",
                 r"task 0: 0x40005000-0x40006000 \(1 pages, 0 all zeros, 0 kept\)",
                 r"task 1: 0x40000000-0x40001000 \(1 pages, 0 all zeros, 0 kept\)"]:
        assert re.search(want, out), (want, out)
    bad = _round_image([(0, 0x40005000, b"a" * 4096), (0, 0x40001000, None)])
    path = os.path.join(g.tmpdir, "bad-round.img")
    with open(path, "wb") as f:
        f.write(bad)
    p = subprocess.run([CKPTDUMP, path], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=30)
    assert p.returncode == 1 and b"malformed round: page 1: out of order" \
        in p.stdout, p.stdout
