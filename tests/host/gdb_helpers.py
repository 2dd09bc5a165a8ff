#!/usr/bin/env python3
"""The gdb helpers (tools/gdb/cellblock.py) read the kernel's tasks right.

Boots Cellblock under QEMU paused with its gdb stub on a free 127.0.0.1
port, with init=/bin/ctr web /bin/nestdemo: init founds container "web",
then nestdemo forks a task that founds nd1, whose child founds nd2, whose
child founds nd3 and forks.  gdb (batch mode) stops at the 4th entry to
sys_fork, when four tasks are in a chain of four nested containers, and runs
cb-ps, cb-ctrs, cb-runq and cb-task.  The checks: every real PID is decoded
into its pidspace and number; the deepest task has a number at all five
levels (its real PID at level 0, 1 in its own container nd3, 2 in nd2 where
it was forked); the containers form the chain web > nd1 > nd2 > nd3 with
distinct pidspaces and the right task counts, each init the task cb-ps shows
in it; cb-task shows the forking task's trap frame (the fork system call
number in eax) and its console descriptors, and the sleeping init's saved
kernel context.  Prints PASS/FAIL per check;
exit status 0 if all pass.  Run by `make test` as host:gdb_helpers.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import time

from _check import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ELF = os.path.join(ROOT, "build", "cellblock.elf")
INITRD = os.path.join(ROOT, "build", "initrd.cpio")
HELPERS = os.path.join(ROOT, "tools", "gdb", "cellblock.py")
SYSCALLS = os.path.join(ROOT, "include", "uapi", "syscalls.def")
APPEND = "init=/bin/ctr web /bin/nestdemo"
# Stop when a task in nd3 (depth 4: web, nd1, nd2, nd3) forks: that is
# nd3's init forking its worker, so all four inits exist, whatever order
# the scheduler ran the earlier forks in.
STOP_DEPTH = 4
PIDNR_BITS = 23
TIMEOUT = 30

ROW = re.compile(r"^(\d+)(?: \(ps (\d+) nr (\d+)\))?\s+([\d/]+)\s+(\S+)\s+(\S+)\s+(\S+)$")
CTR = re.compile(r"^( *)(\S+)  pidspace (\d+) depth (\d+) tasks (\d+) nested (\d+) init (\d+|-)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fork_nr():
    """SYS_fork's number, from the system call list."""
    with open(SYSCALLS) as f:
        for line in f:
            m = re.match(r"\s*SYSCALL\(\s*(\d+)\s*,\s*fork\b", line)
            if m:
                return int(m.group(1))
    return None


def run_gdb(port, console):
    """Starts QEMU and gdb; returns gdb's output ('' on a timeout)."""
    qemu = subprocess.Popen(
        [os.environ.get("QEMU", "qemu-system-i386"), "-cpu", "qemu32,+smep,+smap",
         "-nic", "none", "-no-reboot", "-m", "512M",
         "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
         "-display", "none", "-monitor", "none", "-serial", "file:" + console,
         "-gdb", "tcp:127.0.0.1:%d" % port, "-S",
         "-kernel", ELF, "-initrd", INITRD, "-append", APPEND],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # wait for the stub to listen
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        cmds = ["set architecture i386", "target remote 127.0.0.1:%d" % port,
                "source " + HELPERS,
                "break sys_fork if ((struct task *)current)->tk_ctr->c_depth"
                " == %d" % STOP_DEPTH, "continue",
                "echo ==cb-ps\\n", "cb-ps", "echo ==cb-ctrs\\n", "cb-ctrs",
                "echo ==cb-runq\\n", "cb-runq", "echo ==cb-task\\n",
                "cb-task ((struct task *)current)->tk_upid_priv_[0].u_nr",
                "echo ==cb-task-1\\n", "cb-task 1", "echo ==end\\n", "kill"]
        argv = [os.environ.get("GDB", "gdb"), "-q", "-nx", "-batch", ELF]
        for c in cmds:
            argv += ["-ex", c]
        try:
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=TIMEOUT)
            return p.stdout.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            return ""
    finally:
        qemu.kill()
        qemu.wait()


def section(out, name):
    m = re.search(r"^==%s\n(.*?)^==" % name, out, re.S | re.M)
    return m.group(1).splitlines() if m else []


def main():
    check = Checks()

    gdb = shutil.which(os.environ.get("GDB", "gdb"))
    if not check(gdb and os.path.exists(ELF) and os.path.exists(INITRD),
                 "gdb, build/cellblock.elf and build/initrd.cpio exist (run make)"):
        return 1
    console = os.path.join(ROOT, "build", "gdb-helpers-console.log")
    out = run_gdb(free_port(), console)
    print(out)
    check(out != "", "gdb finished within %ds" % TIMEOUT)
    check("Breakpoint 1, sys_fork" in out, "gdb stopped at sys_fork")

    tasks = []
    for line in section(out, "cb-ps")[1:]:
        m = ROW.match(line.strip())
        if check(m is not None, "cb-ps row parses: %r" % line):
            tasks.append(m.groups())
    check(len(tasks) == 4, "cb-ps lists 4 tasks (got %d)" % len(tasks))
    for real, ps, nr, pids, _, _, _ in tasks:
        real = int(real)
        space, num = real >> PIDNR_BITS, real & ((1 << PIDNR_BITS) - 1)
        check((ps is None and space == 0) or (ps and (int(ps), int(nr)) == (space, num)),
              "real PID %d decoded as pidspace %d nr %d" % (real, space, num))
        check(pids.split("/")[0] == str(real), "level 0 of %s is the real PID" % pids)
    by_ctr = {t[4]: t for t in tasks}
    deep = by_ctr.get("nd3")
    if check(deep is not None, "a task in nd3"):
        levels = deep[3].split("/")
        check(len(levels) == 5 and levels[-1] == "1" and levels[-2] == "2",
              "nd3's init has PIDs at 5 levels, 2 in nd2 and 1 in nd3: %s" % deep[3])
        check(deep[5] == "running" and deep[6] == "nestdemo",
              "it is the running task, nestdemo: %s %s" % (deep[5], deep[6]))
        check(int(deep[1] or 0) > 0, "its real PID has a nonzero pidspace")
    web = by_ctr.get("web")
    check(web is not None and web[3] == "1/1", "init in web has PIDs 1/1")

    ctrs = {}
    for line in section(out, "cb-ctrs"):
        m = CTR.match(line)
        if check(m is not None, "cb-ctrs row parses: %r" % line):
            ctrs[m.group(2)] = m.groups()
    chain = ["system", "web", "nd1", "nd2", "nd3"]
    check(list(ctrs) == chain, "containers nest system > web > nd1 > nd2 > nd3: %s" % list(ctrs))
    if list(ctrs) == chain:
        for depth, name in enumerate(chain):
            indent, _, space, dep, ntasks, nested, init = ctrs[name]
            check(len(indent) == 2 * depth and int(dep) == depth,
                  "%s is drawn and stored at depth %d" % (name, depth))
            want = 4 if depth <= 1 else 5 - depth
            check(int(ntasks) == want, "%s counts %d tasks (shows %s)" % (name, want, ntasks))
            check(int(nested) == 4 - depth, "%s has %d nested" % (name, 4 - depth))
            if name in by_ctr:
                check(init == by_ctr[name][0],
                      "%s's init %s is the task cb-ps shows in it" % (name, init))
        check(len({ctrs[n][2] for n in chain}) == 5, "pidspaces are distinct")

    runq = section(out, "cb-runq")
    check(any(l.startswith("current: ") and deep and deep[0] in l for l in runq),
          "cb-runq names the forking task as current")
    task = "\n".join(section(out, "cb-task"))
    nr = fork_nr()
    check(nr is not None and re.search(r"trap frame: .*\beax=%#x\b" % (nr or 0), task),
          "cb-task shows the trap frame with eax = SYS_fork (%s)" % nr)
    check(re.search(r"^  fd 0: console", task, re.M) and "context: none" in task,
          "cb-task shows fd 0 on the console, and no saved context while running")
    task1 = "\n".join(section(out, "cb-task-1"))
    check(re.search(r"^task 1 .* web  sleeping", task1, re.M)
          and re.search(r"context: edi=.* eip=0x[0-9a-f]+\n    resumes in sleep_on", task1),
          "cb-task 1 shows the sleeping init in web with its saved context")
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
