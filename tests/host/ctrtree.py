#!/usr/bin/env python3
"""tools/ctrtree draws what its dump says.

Draws the sample /proc dump tests/host/ctrtree-sample.txt and the sample
ckptdump output tests/host/ctrtree-sample-ckpt.txt, then reads the pictures
back: each container is a box (a <rect> with its name in bold), its parent is
the smallest other box around it, and each task (a name and a line of PIDs)
belongs to the smallest box around it.  Checks that the tree and every task's
PIDs at every level are those of the dump, and that malformed dumps are
refused with a message and no picture, and that a dump typed in a nested
container draws that subtree.  Prints PASS/FAIL per check; exit
status 0 if all pass.  Run by `make test` as host:ctrtree.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from _check import Checks

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOOL = os.path.join(ROOT, "tools", "ctrtree")
NS = "{http://www.w3.org/2000/svg}"

# What the samples hold: container -> (parent, {task: [pids from the top]}).
PROC = {"system": (None, {"init": [[1]], "sh": [[2]]}),
        "web": ("system", {"counter": [[3, 1]], "sleep": [[8388610, 2]]}),
        "inner": ("web", {"sh": [[8388611, 3, 1]],
                          "sleep": [[16777218, 4, 2]]})}
CKPT = {"web": (None, {"counter": [[1]], "sleep": [[2]]}),
        "inner": ("web", {"nestdemo": [[3, 1]]})}
# Typed in container web: web's parent is not listed, web is the top.
NESTED = ("[web]$ cat /proc/containers /proc/4/status /proc/9/status\n"
          "inner web 2 1 tasks=1/256 ctrs=0/64 pages=8/32411\n"
          "web system 1 3 tasks=3/256 ctrs=1/64 pages=30/32411\n"
          "Name:\tsleep\nState:\tS\nPid:\t4\nPPid:\t1\n"
          "Container:\tinner\nNSpid:\t4\t1\n"
          "cat: /proc/9/status: No such file or directory\n")
NESTED_TREE = {"web": (None, {}), "inner": ("web", {"sleep": [[4, 1]]})}
BAD = {"a line that is neither": "system - 0 1 0\nhello world\n",
       "a task in no listed container":
           "system - 0 1 0\nName:\tsh\nContainer:\tweb\nNSpid:\t2\n",
       "a status line before any Name:": "Pid:\t3\n",
       "a task without NSpid": "system - 0 1 0\nName:\tsh\nContainer:\tsystem\n",
       "no containers": "",
       "a ckptdump task without pids": "Cellblock checkpoint image, x\n"
           "containers:\n  web [top]  (depth +0, init task 0, last pid 1)\n"
           "tasks (pids from the top container down):\n"
           "  task 0: sh  container web  state R (runnable)\n"}


def inside(box, x, y):
    bx, by, bw, bh = box
    return bx < x < bx + bw and by < y < by + bh


def read_back(svg):
    """container -> (parent, {task: [pids, ...]}) from a ctrtree picture."""
    boxes, texts = [], []   # boxes: [name, (x, y, w, h)]
    for el in ET.fromstring(svg).iter():
        if el.tag == NS + "rect" and "x" in el.attrib:
            boxes.append([None, tuple(float(el.get(k)) for k in
                                      ("x", "y", "width", "height"))])
        elif el.tag == NS + "text":
            xy = (float(el.get("x")), float(el.get("y")))
            if el.get("font-weight") == "bold" and boxes and not boxes[-1][0]:
                boxes[-1][0] = el.text
            elif el.get("class") == "pids":
                nums = [int(t.text) for t in el.iter(NS + "tspan")]
                texts[-1][1] = nums
            elif el.get("fill") == "#222":
                texts.append([el.text, None, xy])

    def smallest(x, y, skip=None):
        around = [b for b in boxes if b is not skip and inside(b[1], x, y)]
        return min(around, key=lambda b: b[1][2] * b[1][3])[0] if around else None

    tree = {}
    for b in boxes:
        x, y, _, _ = b[1]
        tree[b[0]] = (smallest(x + 0.5, y + 0.5, b), {})
    for name, pids, (x, y) in texts:
        tree[smallest(x, y - 4)][1].setdefault(name, []).append(pids)
    return tree


def draw(dump_text=None, path=None):
    with tempfile.TemporaryDirectory() as tmp:
        if path is None:
            path = os.path.join(tmp, "dump.txt")
            with open(path, "w") as f:
                f.write(dump_text)
        out = os.path.join(tmp, "out.svg")
        p = subprocess.run([sys.executable, TOOL, path, out],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        svg = open(out, "rb").read() if os.path.exists(out) else None
    return p.returncode, p.stdout, svg


def main():
    check = Checks()

    for sample, want in (("ctrtree-sample.txt", PROC),
                         ("ctrtree-sample-ckpt.txt", CKPT)):
        rc, out, svg = draw(path=os.path.join(HERE, sample))
        check(rc == 0 and svg, "ctrtree draws %s %s" % (sample, out))
        if rc or not svg:
            continue
        got = read_back(svg)
        check(got == want, "%s: tree and PIDs as in the dump%s" % (
            sample, "" if got == want else
            "\n  want %s\n  got  %s" % (want, want and got)))
    rc, out, svg = draw(dump_text=NESTED)
    check(rc == 0 and svg and read_back(svg) == NESTED_TREE,
          "a dump typed in a nested container draws its subtree %s" % out)
    for what, text in sorted(BAD.items()):
        rc, out, svg = draw(dump_text=text)
        check(rc == 1 and out.startswith("ctrtree: ") and svg is None,
              "a dump with %s is refused (%s)" % (what, out.strip()))
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
