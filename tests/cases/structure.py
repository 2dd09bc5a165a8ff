"""Rules about the source tree that a tool checks, run as tests: only the
scheduler assigns `current` (tools/check-current).  Nothing boots."""
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CHECK = os.path.join(ROOT, "tools", "check-current")


def run_check(root):
    """tools/check-current on root: (exit status, output)."""
    p = subprocess.run([sys.executable, CHECK, root], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=60)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def test_only_sched_sets_current(g):
    """The tree passes; a copy where another file assigns current fails,
    naming that file and line, while comparisons and comments pass."""
    rc, out = run_check(ROOT)
    g.note(out)
    assert rc == 0, "check-current fails on the tree:\n" + out
    tree = os.path.join(g.tmpdir, "tree")
    for top in ("kernel", "include"):
        shutil.copytree(os.path.join(ROOT, top), os.path.join(tree, top))
    with open(os.path.join(tree, "kernel", "planted.c"), "w") as f:
        f.write("/* current = x; in a comment */\n"
                "void a(void) { if (current == 0) return; }\n"
                "void b(struct task *t) { current = t; }\n")
    rc, out = run_check(tree)
    g.note(out)
    assert rc == 1 and "kernel/planted.c:3:" in out, out
    assert "planted.c:1:" not in out and "planted.c:2:" not in out, out
