#!/usr/bin/env python3
"""The committed layers picture is what its text source draws.

Regenerates docs/layers.svg from docs/layers.txt with tools/mkdiagram.py into
a temporary folder and checks that it equals the committed file byte for
byte (so the picture never goes stale: `make docs` redraws it), that it
parses as XML with an <svg> root, and that every band and box of the source
appears in it as text.  Prints PASS/FAIL per check; exit status 0 if all
pass.  Run by `make test` as host:layers.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCE = os.path.join(ROOT, "docs", "layers.txt")
PICTURE = os.path.join(ROOT, "docs", "layers.svg")
TOOL = os.path.join(ROOT, "tools", "mkdiagram.py")
SVG_NS = "{http://www.w3.org/2000/svg}"


def source_names():
    """Band titles and box names of the text source."""
    names = []
    with open(SOURCE, encoding="utf-8") as f:
        for line in f:
            kind, _, rest = line.strip().partition(" ")
            if kind in ("layer", "box"):
                names.append(rest.partition("|")[0].strip())
    return names


def main():
    failed = 0

    def check(ok, what):
        nonlocal failed
        print("%s %s" % ("PASS" if ok else "FAIL", what))
        failed += not ok

    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "layers.svg")
        p = subprocess.run([sys.executable, TOOL, SOURCE, fresh],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           universal_newlines=True)
        check(p.returncode == 0, "mkdiagram.py draws docs/layers.txt " + p.stdout)
        if p.returncode != 0:
            return 1
        with open(fresh, "rb") as f:
            new = f.read()
    with open(PICTURE, "rb") as f:
        old = f.read()
    check(new == old, "docs/layers.svg is up to date (else run `make docs`)")
    try:
        root = ET.fromstring(old)
    except ET.ParseError as e:
        check(False, "docs/layers.svg parses as XML: %s" % e)
        return 1
    check(root.tag == SVG_NS + "svg", "the root element is <svg>")
    texts = {t.text for t in root.iter(SVG_NS + "text")}
    missing = [n for n in source_names() if n not in texts]
    check(not missing, "every band and box is drawn (missing: %s)" % missing)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
