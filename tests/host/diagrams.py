#!/usr/bin/env python3
"""Every picture in docs/ is what its text source draws, and is shown.

docs/NAME.svg is drawn from docs/NAME.txt by tools/mkdiagram.py or from
docs/NAME.dump by tools/ctrtree (`make docs`).  For each picture this
redraws it into a temporary folder and checks that it equals the committed
file byte for byte (so no picture goes stale), that it parses as XML with an
<svg> root, that every name of a mkdiagram source (layer, box, field, stage)
appears in it as text, and that README.md or a docs/*.md embeds it with
`![...](NAME.svg)`.  Also: every source has its picture and every picture
its source.  Prints PASS/FAIL per check; exit status 0 if all pass.  Run by
`make test` as host:diagrams.
"""
import glob
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

from _check import Checks

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOCS = os.path.join(ROOT, "docs")
TOOLS = {".txt": os.path.join(ROOT, "tools", "mkdiagram.py"),
         ".dump": os.path.join(ROOT, "tools", "ctrtree")}
SVG_NS = "{http://www.w3.org/2000/svg}"


def source_names(path):
    """The names a mkdiagram source says its picture shows."""
    names = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            kind, _, rest = line.strip().partition(" ")
            if kind in ("layer", "box", "field", "stage"):
                names.append(rest.partition("|")[0].strip())
    return names


def embedded():
    """The pictures the docs embed, as paths relative to ROOT."""
    shown = set()
    for md in [os.path.join(ROOT, "README.md")] + glob.glob(
            os.path.join(DOCS, "**", "*.md"), recursive=True):
        with open(md, encoding="utf-8") as f:
            for target in re.findall(r"!\[[^\]]*\]\(([^)\s]+\.svg)\)", f.read()):
                p = os.path.normpath(os.path.join(os.path.dirname(md), target))
                shown.add(os.path.relpath(p, ROOT))
    return shown


def draw(source, out):
    tool = TOOLS[os.path.splitext(source)[1]]
    # the picture names its source as `make docs` gives it: docs/NAME.txt
    return subprocess.run([sys.executable, tool,
                           os.path.relpath(source, ROOT), out], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          universal_newlines=True)


def main():
    check = Checks()

    sources = sorted(glob.glob(os.path.join(DOCS, "*.txt"))
                     + glob.glob(os.path.join(DOCS, "*.dump")))
    svgs = sorted(glob.glob(os.path.join(DOCS, "*.svg")))
    stems = [os.path.splitext(s)[0] for s in sources]
    check(len(set(stems)) == len(stems), "each picture has one source")
    for svg in svgs:
        check(os.path.splitext(svg)[0] in stems,
              "%s has a text source" % os.path.relpath(svg, ROOT))
    shown = embedded()
    for source in sources:
        rel = os.path.relpath(os.path.splitext(source)[0] + ".svg", ROOT)
        picture = os.path.join(ROOT, rel)
        if not os.path.exists(picture):
            check(False, "%s exists (run `make docs`)" % rel)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            p = draw(source, os.path.join(tmp, "x.svg"))
            check(p.returncode == 0, "%s draws %s" % (rel, p.stdout))
            if p.returncode != 0:
                continue
            with open(os.path.join(tmp, "x.svg"), "rb") as f:
                new = f.read()
        with open(picture, "rb") as f:
            old = f.read()
        check(new == old, "%s is up to date (else run `make docs`)" % rel)
        check(rel in shown, "%s is embedded in README.md or docs/*.md" % rel)
        try:
            root = ET.fromstring(old)
        except ET.ParseError as e:
            check(False, "%s parses as XML: %s" % (rel, e))
            continue
        check(root.tag == SVG_NS + "svg", "%s: the root element is <svg>" % rel)
        texts = {t.text for t in root.iter(SVG_NS + "text")}
        missing = [n for n in source_names(source) if n not in texts]
        check(not missing, "%s: every name of the source is drawn "
              "(missing: %s)" % (rel, missing))
    return check.status()


if __name__ == "__main__":
    sys.exit(main())
