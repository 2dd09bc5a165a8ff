"""gdb commands that show Cellblock's tasks, containers and run queue.

Loaded by tools/qemu-gdb (`make gdb`), or by hand with
`source tools/gdb/cellblock.py` in a gdb attached to the kernel.  Every
command reads the kernel's own structures through the debug information of
build/cellblock.elf, so it shows what the kernel holds at the stop, whatever
the state of the console:

  cb-ps          every task: real PID (pidspace:number), its number at every
                 level from the system container down, container, state, name
  cb-ctrs        the container tree: pidspace, depth, tasks with a number in
                 it (c_refs), nested containers, init
  cb-task PID    one task (by real PID): saved user registers (trap frame),
                 saved kernel context, open files
  cb-runq        the run queue in order, then the parked (frozen) tasks

PIDs are read from the task's levels (tk_upid_priv_[0..tk_pid_levels-1]),
the same fields the accessors in include/kern/pid.h read; level 0 holds the
real PID, whose top bits are the pidspace it was born in.
"""
import gdb

PIDNR_BITS = 23
STATES = {"TASK_NEW": "new", "TASK_RUNNABLE": "runnable",
          "TASK_SLEEPING": "sleeping", "TASK_ZOMBIE": "zombie"}


def _cstr(arr):
    """The C string in a char array value."""
    return arr.string(errors="replace").split("\0")[0]


def fmt_pid(real):
    """A real PID as 'N' (system pidspace) or 'N (ps S nr M)'."""
    space, nr = real >> PIDNR_BITS, real & ((1 << PIDNR_BITS) - 1)
    return str(real) if space == 0 else "%d (ps %d nr %d)" % (real, space, nr)


def walk(head, next_field, limit):
    """The nodes of the kernel list that starts at symbol head and goes on
    through next_field, at most limit of them (a damaged list ends)."""
    node = gdb.parse_and_eval(head)
    seen = 0
    while int(node) != 0 and seen < limit:
        yield node
        node = node[next_field]
        seen += 1


def tasks():
    """Every task, following task_list_head and tk_all_next."""
    return walk("task_list_head", "tk_all_next", 100000)


def containers():
    """Every container, following ctr_list_head and c_next."""
    return walk("ctr_list_head", "c_next", 10000)


def levels(t):
    """[(container name, number)] of t from level 0 down to its own."""
    out = []
    for i in range(int(t["tk_pid_levels"])):
        u = t["tk_upid_priv_"][i]
        name = _cstr(u["u_ctr"]["c_name"]) if int(u["u_ctr"]) else "?"
        out.append((name, int(u["u_nr"])))
    return out


def state(t):
    """The task's state word; 'running' for current."""
    s = STATES.get(str(t["tk_state"]), str(t["tk_state"]))
    cur = gdb.parse_and_eval("current")
    if int(cur) == int(t) and s == "runnable":
        s = "running"
    if bool(t["tk_frozen"]):
        s += ",frozen"
    return s


def real_pid(t):
    return int(t["tk_upid_priv_"][0]["u_nr"])


def ctr_name(t):
    c = t["tk_ctr"]
    return _cstr(c["c_name"]) if int(c) else "?"


class CbPs(gdb.Command):
    """cb-ps: every task with its real PID, its PIDs at every level, its
container, state and name."""

    def __init__(self):
        super().__init__("cb-ps", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        gdb.write("%-22s %-26s %-10s %-12s %s\n" % (
            "REAL PID", "PIDS (system/.../own)", "CONTAINER", "STATE", "NAME"))
        for t in tasks():
            pids = "/".join(str(nr) for _, nr in levels(t))
            gdb.write("%-22s %-26s %-10s %-12s %s\n" % (
                fmt_pid(real_pid(t)), pids, ctr_name(t), state(t),
                _cstr(t["tk_name"])))


class CbCtrs(gdb.Command):
    """cb-ctrs: the container tree, each with its pidspace, depth, task
count (tasks with a number in it, nested ones included), nested container
count and the real PID of its init."""

    def __init__(self):
        super().__init__("cb-ctrs", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        all_c = list(containers())
        kids = {}
        for c in all_c:
            kids.setdefault(int(c["c_parent"]), []).append(c)

        def show(c, indent):
            init = c["c_init"]
            gdb.write("%s%s  pidspace %d depth %d tasks %d nested %d init %s%s\n" % (
                "  " * indent, _cstr(c["c_name"]), int(c["c_pidspace"]),
                int(c["c_depth"]), int(c["c_refs"]), int(c["c_nctrs"]),
                fmt_pid(real_pid(init)) if int(init) else "-",
                " dying" if bool(c["c_dying"]) else ""))
            for k in kids.get(int(c), []):
                show(k, indent + 1)

        for root in kids.get(0, []):
            show(root, 0)


def find_task(real):
    for t in tasks():
        if real_pid(t) == real:
            return t
    return None


def _regs(v):
    """'name=0x...' for every field of a struct value."""
    return " ".join("%s=%#x" % (f.name, int(v[f.name]) & 0xffffffff)
                    for f in v.type.strip_typedefs().fields())


def _symbol(addr):
    """'function + offset' for a code address, as gdb's info symbol says."""
    try:
        out = gdb.execute("info symbol %#x" % addr, to_string=True).strip()
    except gdb.error:
        return "%#x" % addr
    return out.split(" in section")[0]


def _file(f):
    """One open file described: kind, then the inode name or proc path."""
    kind = str(f["f_kind"]).replace("FILE_", "").lower()
    what = ""
    if int(f["f_path"]):
        what = f["f_path"].string(errors="replace")
    elif int(f["f_inode"]):
        what = _cstr(f["f_inode"]["i_name"]) or "/"
    return "%s %s off %d refs %d" % (kind, what, int(f["f_off"]), int(f["f_refs"]))


class CbTask(gdb.Command):
    """cb-task PID: one task (PID is its real PID; 0x... works): saved user
registers from its trap frame, saved kernel context, open files."""

    def __init__(self):
        super().__init__("cb-task", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        if not arg.strip():
            raise gdb.GdbError("usage: cb-task REAL-PID")
        t = find_task(int(gdb.parse_and_eval(arg)))
        if t is None:
            raise gdb.GdbError("cb-task: no task with real PID %s" % arg)
        pids = " ".join("%s:%d" % lv for lv in levels(t))
        gdb.write("task %s  %s  container %s  %s  (struct task *)%#x\n" % (
            fmt_pid(real_pid(t)), _cstr(t["tk_name"]), ctr_name(t), state(t), int(t)))
        gdb.write("  pids: %s\n" % pids)
        if int(t["tk_tf"]):
            gdb.write("  trap frame: %s\n" % _regs(t["tk_tf"].dereference()))
        if int(gdb.parse_and_eval("current")) == int(t):
            gdb.write("  context: none saved (it is running: see info registers)\n")
        elif int(t["tk_ctx"]):
            ctx = t["tk_ctx"].dereference()
            gdb.write("  context: %s\n    resumes in %s\n" % (
                _regs(ctx), _symbol(int(ctx["eip"]))))
        files = t["tk_files"]
        n = files.type.strip_typedefs().range()[1] + 1
        for fd in range(n):
            if int(files[fd]):
                gdb.write("  fd %d: %s\n" % (fd, _file(files[fd].dereference())))


def _queue(name):
    """The tasks on static list head name of kernel/proc/sched.c."""
    sym = gdb.lookup_static_symbol(name)
    if sym is None:
        raise gdb.GdbError("cb-runq: no symbol %s (debug info missing?)" % name)
    head = sym.value()
    task_p = gdb.lookup_type("struct task").pointer()
    off = int(gdb.parse_and_eval("(unsigned long)&((struct task *)0)->tk_rq"))
    n = head["next"]
    out = []
    while int(n) != int(head.address) and len(out) < 100000:
        out.append(gdb.Value(int(n) - off).cast(task_p))
        n = n["next"]
    return out


class CbRunq(gdb.Command):
    """cb-runq: the run queue, head first (the next to run), then the
parked (frozen) tasks."""

    def __init__(self):
        super().__init__("cb-runq", gdb.COMMAND_DATA)

    def invoke(self, arg, from_tty):
        cur = gdb.parse_and_eval("current")
        if int(cur):
            gdb.write("current: %s %s\n" % (fmt_pid(real_pid(cur)), _cstr(cur["tk_name"])))
        for title, name in (("runq", "runq"), ("parked", "parked")):
            q = _queue(name)
            gdb.write("%s: %d\n" % (title, len(q)))
            for i, t in enumerate(q):
                gdb.write("  %d. %s %s slice %d\n" % (
                    i, fmt_pid(real_pid(t)), _cstr(t["tk_name"]), int(t["tk_slice"])))


CbPs()
CbCtrs()
CbTask()
CbRunq()
