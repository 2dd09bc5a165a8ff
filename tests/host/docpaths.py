#!/usr/bin/env python3
"""Every path the documentation names exists.

Scans README.md and docs/**/*.md: every word in an inline code span that
starts with a folder of the tree (kernel/, user/, tools/, tests/, include/,
arch/, docs/, boot/, iso/) must exist relative to the top of the tree, and
every relative link target must exist relative to the file that links it.
A `:name` or `:LINE` after a file names a place in it and is dropped.
Globs (`*`, `?`, `[`, `{`, `...`) and placeholders (a word of capitals such
as NAME, FILE or NN, in a path that does not exist) are skipped.  Prints one
FAIL line per missing path and a PASS line per file; exit status 0 if none
is missing.  Run by `make test` as host:docpaths.
"""
import glob
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FOLDERS = ("kernel/", "user/", "tools/", "tests/", "include/", "arch/",
           "docs/", "boot/", "iso/")
FENCE = re.compile(r"^```.*?^```", re.M | re.S)
SPAN = re.compile(r"`([^`\n]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")
PLACEHOLDER = re.compile(r"(^|[^A-Za-z])[A-Z]{2,}([^A-Za-z]|$)")


def skipped(path):
    return (any(c in path for c in "*?[{<>$") or "..." in path
            or PLACEHOLDER.search(path))


def named_paths(text):
    """(path relative to ROOT or None, as written) for each named path."""
    text = FENCE.sub("", text)
    for span in SPAN.findall(text):
        for word in span.split():
            word = word.strip("\"'(),;")
            if word.startswith(FOLDERS):
                yield word.split(":")[0].rstrip(".")
    for target in LINK.findall(text):
        if not re.match(r"^[a-z]+:|^#|^/", target):
            yield "./" + target.split("#")[0]


def main():
    files = [os.path.join(ROOT, "README.md")] + sorted(
        glob.glob(os.path.join(ROOT, "docs", "**", "*.md"), recursive=True))
    missing = 0
    for md in files:
        rel_md = os.path.relpath(md, ROOT)
        with open(md, encoding="utf-8") as f:
            text = f.read()
        bad = []
        for path in named_paths(text):
            if path.startswith("./"):
                full = os.path.join(os.path.dirname(md), path[2:])
            else:
                full = os.path.join(ROOT, path)
            if not os.path.exists(full) and not skipped(path):
                bad.append(path)
        for path in sorted(set(bad)):
            print("FAIL %s names %s, which does not exist" % (rel_md, path))
        if not bad:
            print("PASS every path %s names exists" % rel_md)
        missing += len(bad)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
