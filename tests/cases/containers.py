"""Containers and PIDs (spec section 4): founding, numbering,
NSpid from every level, isolation sweeps, orphans, kill rules, container
death (ctrviews); the error paths and limits (ctrlimits); the container
checks of ctrtest; the shell's view."""
import re
import time

from harness import DEFAULT_FORBID, case, scripted

# A test program's failure lines, and the kernel's.
FORBID = [r"^FAIL", *DEFAULT_FORBID]

CASES = [
    case(name="ctrviews", append="init=/test/ctrviews",
         expect=[r"^ctrviews: \d+ passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=90),
    # Container checks from user space (user/test/ctrtest.c).
    case(name="ctrtest", append="init=/test/ctrtest",
         expect=[r"^ctrtest: \d+ passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=60),
    # Errors and limits: each failed attempt changes nothing.
    case(name="ctrlimits",
         append="init=/test/ctrlimits names duplicate ebusy pidspaces cap",
         expect=[r"^ctrlimits: 5 passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=90),
    # A small cap: a fork bomb in nested containers stops at 20 tasks.
    case(name="cap-20", append="ctr_max_tasks=20 init=/test/ctrlimits --max-tasks=20 cap",
         expect=[r"^PASS cap$", r"^ctrlimits: 1 passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=60),
    # pid_max=64: numbers wrap without reusing a live one, in a container
    # and in the system container; a full pidspace refuses fork.
    case(name="wrap-64", append="pid_max=64 init=/test/ctrlimits --pid-max=64 wrap",
         expect=[r"^PASS wrap$", r"^ctrlimits: 1 passed, 0 failed$"],
         forbid=FORBID + [r"skipped"],
         status=0, timeout=60),
]


def _status(text):
    """Fields of a /proc/<pid>/status text as a dict."""
    out = {}
    for line in text.splitlines():
        if ":\t" in line:
            k, v = line.split(":\t", 1)
            out[k] = v
    return out


def _number(out):
    """The last line of out that is a number (job lines may come first)."""
    return [int(l) for l in out.splitlines() if l.strip().isdigit()][-1]


def _background(guest, cmd):
    """Starts cmd in the background; returns its PID ($!).  Leaves the
    cursor after a line of our own, so the next run() waits for a prompt."""
    guest.send(cmd + " & echo bgpid $!")
    pid = int(guest.expect(r"^bgpid (\d+)$").group(1))
    guest.send("echo syn''ced")  # the echo of the typed line does not match
    guest.expect(r"synced$")
    return pid


def _founder_in_background(guest):
    """Starts a shell in the background that moves itself into container
    bg, writes $$ and /proc/container to /tmp/in and sleeps; returns its
    PID as this shell sees it."""
    guest.wait_prompt()
    # (no "$ " in the command: its echo and job line would look like a prompt)
    return _background(guest, "sh -c 'echo bg > /proc/container; "
                       "echo inside $$>/tmp/in; "
                       "cat /proc/container >> /tmp/in; sleep 2'")


def _move_shell(guest, name):
    """Moves the console shell, waiting at its prompt, itself into a new
    container name."""
    guest.send("echo %s > /proc/container" % name)
    guest.expect(r"\[%s\]\$ $" % name)


def _fault_pid(guest, cmd):
    """Runs cmd (which faults) in the background; returns ($!, the PID in
    the kernel's fault line)."""
    guest.send(cmd + " & echo bg $!")
    bg = int(guest.expect(r"^bg (\d+)$").group(1))
    m = guest.expect(r"^pid (\d+) \(faulttest\): .*killed$", pos=0)
    return bg, int(m.group(1))


def test_founder_keeps_its_pid_outside(g):
    """A shell that moved itself into a container is still seen by its
    parent under its old PID, alive, in the new container."""
    guest = g.boot()
    bg = _founder_in_background(guest)
    st = _status(guest.run("cat /proc/%d/status" % bg))
    assert st.get("Pid") == str(bg) and st.get("Container") == "bg", st
    assert st.get("NSpid") == "%d\t1" % bg and st.get("RealPid") == str(bg), st
    out = guest.run("kill -0 %d; echo alive $?" % bg)
    assert "alive 0" in out, out
    guest.send("poweroff")
    guest.expect_exit(0)


def test_founder_is_pid_1_inside(g):
    """Inside, the founder's $$ is 1 and /proc/container names the
    container."""
    guest = g.boot()
    _founder_in_background(guest)
    guest.run("wait")
    guest.send("cat /tmp/in")  # job lines may interleave with the echo
    guest.expect(r"^inside 1\nbg$")
    guest.send("poweroff")
    guest.expect_exit(0)


def test_container_init_fault_names_outside_pid(g):
    """A container's init that faults is named in the fault line by the
    PID its parent (outside) knows."""
    guest = g.shell()
    bg, named = _fault_pid(guest, "ctr fw /test/faulttest null")
    assert named == bg, (named, bg)


def test_shell_moves_itself(g):
    """`echo web > /proc/container` moves the shell itself: the prompt
    says web, $$ becomes 1, /proc/container says web."""
    guest = g.boot()
    sh_pid = _number(guest.run("echo $$"))
    assert sh_pid > 1, sh_pid
    _move_shell(guest, "web")
    assert _number(guest.run("echo $$")) == 1
    assert re.search(r"^web$", guest.run("cat /proc/container"), re.M)


def test_moved_shell_status_inside(g):
    """Inside, the moved shell's /proc/1/status has PPid 0, NSpid 1 and no
    RealPid, and its old PID names nothing."""
    guest = g.boot()
    sh_pid = _number(guest.run("echo $$"))
    _move_shell(guest, "web")
    st = _status(guest.run("cat /proc/1/status"))
    assert st.get("Pid") == "1" and st.get("PPid") == "0", st
    assert st.get("NSpid") == "1" and "RealPid" not in st, st
    out = guest.run("kill -0 %d; echo gone $?" % sh_pid)
    assert "gone 1" in out, out


def test_fault_inside_names_inner_pid(g):
    """A task faulting inside a container is named in the fault line by
    the PID its parent (the moved shell) knows, a small inside number."""
    guest = g.shell()
    _move_shell(guest, "web")
    bg, named = _fault_pid(guest, "/test/faulttest null")
    assert named == bg and bg < 20, (named, bg)


def test_nesting_from_inside(g):
    """A moved shell moves again into a nested container: its own prompt,
    $$ 1, and /proc/containers shows the nested one and hides the outer."""
    guest = g.shell()
    _move_shell(guest, "web")
    _move_shell(guest, "db")
    assert _number(guest.run("echo $$")) == 1
    out = guest.run("cat /proc/containers")
    assert re.search(r"^db web 2 2 tasks=2/", out, re.M), out  # sh and cat
    assert "web system" not in out, out  # the outer container is hidden


def test_poweroff_refused_inside(g):
    """poweroff from a shell that moved into a container is refused."""
    guest = g.shell()
    _move_shell(guest, "web")
    guest.send("poweroff")
    guest.expect(r"Operation not permitted|EPERM|not permitted")


def test_ps_views(g):
    """ps: PID PPID S CONTAINER COMMAND for every visible task, with REAL
    and SPACE:NR in the system container only."""
    guest = g.shell()
    founder = _background(guest, "ctr pst sh -c 'sleep 3 & sleep 3'")
    time.sleep(0.5)
    out = guest.run("ps")
    lines = out.strip().splitlines()
    assert lines[0].split() == ["PID", "PPID", "S", "CONTAINER", "REAL",
                                "SPACE:NR", "COMMAND"], lines[0]
    rows = [l.split() for l in lines[1:]]
    inside = [r for r in rows if r[3] == "pst"]
    assert len(inside) >= 2, out
    for r in rows:
        pid, real = int(r[0]), int(r[4])
        space, nr = (int(x) for x in r[5].split(":"))
        assert pid == real == (space << 23) | nr, r
    assert any(int(r[0]) == founder and r[5] == "0:%d" % founder
               for r in inside), out
    kids = [r for r in inside if int(r[0]) != founder]
    assert kids and all(int(r[1]) == founder and
                        (r[5].endswith(":2") or r[5].endswith(":3"))
                        for r in kids), out
    # inside: no REAL, its own numbers
    out = guest.run("ctr psin ps")
    lines = out.strip().splitlines()
    assert lines[0].split() == ["PID", "PPID", "S", "CONTAINER", "COMMAND"], out
    assert [l.split() for l in lines[1:]] == [["1", "0", "R", "psin", "ps"]], out
    guest.send("poweroff")
    guest.expect_exit(0)


def _nestdemo_rows(out):
    """The table rows of nestdemo's output: name -> list of columns."""
    rows = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 7 and f[0] in ("nd1", "nd2", "nd3") and f[1] in ("init", "worker"):
            rows[f[0] + " " + f[1]] = f[2:]
    return rows


@scripted(name="nestdemo-levels", timeout=60)
def nestdemo_levels(g):
    """nestdemo's table matches /proc from each level: its own check
    ("agrees" from every task), fixed numbers inside, and the system's
    REAL column decoded right; run from the system, one and two levels
    down."""
    guest = g.boot()
    want_inner = {"nd1 init": ["1", "-", "-"], "nd2 init": ["2", "1", "-"],
                  "nd3 init": ["3", "2", "1"], "nd3 worker": ["4", "3", "2"]}
    for cmd, first in (("nestdemo", None),
                       ("ctr outer nestdemo", ["2", "3", "4", "5"]),
                       ("ctr outer2 ctr mid nestdemo", ["2", "3", "4", "5"])):
        out = guest.run(cmd)
        assert out.count("agrees") == 4 and "DISAGREE" not in out, out
        rows = _nestdemo_rows(out)
        assert len(rows) == 4, out
        for i, (name, inner) in enumerate(sorted(want_inner.items())):
            r = rows[name]
            assert r[1:4] == inner and r[4] == "yes", (cmd, name, r)
            if first:
                assert r[0] == first[i], (cmd, name, r)
                assert len(r) == 5, r  # no REAL column inside
            else:
                real = int(r[5])
                space, nr = (int(x) for x in r[7].split(":"))
                assert int(r[0]) == real == (space << 23) | nr, r
                # nd1's init keeps its system number; every other task
                # is number 2 in the pidspace of the container it founded
                # or was forked into
                assert (space == 0 if name == "nd1 init" else nr == 2), r
    guest.send("poweroff")
    guest.expect_exit(0)


@scripted(name="no-leak-inside", timeout=60)
def no_leak_inside(g):
    """Nothing printed inside a container shows a real PID, a pidspace
    number or the PID of an outside task (scan of the console)."""
    guest = g.boot()
    for part in range(2):  # 100 containers come and go: pidspaces 1..100
        guest.run("; ".join("ctr b%d true" % (part * 50 + i) for i in range(50)))
    guest.run("sh -c 'echo probe > /proc/container; sleep 2' &")
    out = guest.run("cat /proc/containers")
    probe = [l.split() for l in out.splitlines() if l.startswith("probe ")]
    assert probe and probe[0][4] == "101", out   # round-robin, so web is 102
    guest.run("wait")
    guest.send("sh")
    guest.wait_prompt()
    outer = int(guest.run("echo $$").strip())
    guest.send("echo web > /proc/container")
    guest.expect(r"\[web\]\$ $")
    start = len(guest.output)
    guest.run("sleep 5 &")
    guest.run("sh -c 'sleep 5' &")
    guest.run("ctr inner sleep 5 &")
    guest.run("ps")
    listing = guest.run("ls /proc")
    pids = [p for p in listing.split() if p.isdigit()]
    assert pids and max(int(p) for p in pids) < 50, listing
    guest.run("cat " + " ".join("/proc/%s/status" % p for p in pids))
    guest.run("cat /proc/self/status /proc/containers /proc/container")
    guest.run("nestdemo")
    guest.run("ctr inner2 ps")
    guest.run("kill -0 %d 1 %d %d" % (outer, 102 << 23 | 2, 1 << 23 | 1))
    guest.run("/test/faulttest null")
    inside = guest.output[start:]
    assert "agrees" in inside and "REAL" not in inside and "RealPid" not in inside
    numbers = [int(n) for n in re.findall(r"(?<![\w.])\d+(?![\w.])", inside)]
    typed = {outer, 102 << 23 | 2, 1 << 23 | 1}  # the echoed kill line
    leaks = [n for n in numbers if n not in typed and
             (n >= 1 << 23 or 100 <= n <= 130 or n == outer)]
    assert not leaks, "leaked numbers %s in:\n%s" % (leaks, inside)
    guest.send("exit")
    guest.wait_prompt()
    guest.send("poweroff")
    guest.expect_exit(0)


# A container that tries to take all of something takes its share only
# (user/test/t_hostile.c): nested containers and pages stop at the caps,
# the system side still founds, forks, makes pipes and grows its heap, and
# everything is back at baseline once the container is gone.
CASES += [
    # Every page charge comes back: sbrk, pipes, fork, exec, exit; at the
    # cap each fails with ENOMEM inside only.
    case(name="hostile-charges",
         append="ctr_max_pages=2048 init=/test/t_hostile charges",
         expect=[r"^PASS charges$", r"^t_hostile: 1 passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=120),
    case(name="hostile", append="init=/test/t_hostile hostile",
         expect=[r"^PASS hostile$", r"^t_hostile: 1 passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=120),
    # An image with more containers than the caller's container has room
    # for, or more pages, is refused with nothing built.
    case(name="hostile-restore",
         append="ctr_max_ctrs=4 init=/test/t_hostile restore",
         expect=[r"^PASS restore$", r"^t_hostile: 1 passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=120),
    # The whole trust property: while one container tries to take every
    # pidspace, every page and the CPU (huge writes, a spin loop), the
    # system side founds a container, forks, and a 10 ms sleeper wakes
    # within 30 ms.
    case(name="hostile-trust", append="init=/test/t_hostile trust",
         expect=[r"^PASS trust$", r"^t_hostile: 1 passed, 0 failed$"],
         forbid=FORBID,
         status=0, timeout=120),
]
