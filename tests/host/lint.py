#!/usr/bin/env python3
"""`make lint` fails on each kind of violation and passes on clean code.

Builds a small git tree in a temporary folder holding the real Makefile,
.clang-format, tools/lint, tools/check-size and tools/install-deps plus one
C file, and runs `make lint` there for each file below: well-formatted code
passes (also at exactly the limits: a 60-line function, a 700-line file);
a misformatted file, a 61-line function, a 701-line file and a cppcheck
finding each make it fail and name the file.  Prints PASS/FAIL per check;
exit status 0 if all pass.  Run by `make test` as host:lint.
"""
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COPIED = ["Makefile", ".clang-format", "tools/lint", "tools/check-size",
          "tools/install-deps"]

GOOD = """/* A well-formatted file. */
int add(int a, int b)
{
	return a + b;
}
"""

MISFORMATTED = """/* Braces and spacing against .clang-format. */
int add(int a,int b) {
    return a+b;
}
"""

CPPCHECK_BUG = """/* Writes past the end of an array. */
int last(void)
{
	int a[4];

	a[4] = 1;
	return a[0];
}
"""


def function(body_lines):
    """A formatted function whose body is body_lines lines long."""
    body = ["\tint x = 0;", ""]
    body += ["\tx += %d;" % i for i in range(body_lines - 3)]
    body += ["\treturn x;"]
    assert len(body) == body_lines
    return "int sum(void)\n{\n%s\n}\n" % "\n".join(body)


def file_of(lines):
    """A formatted C file exactly `lines` lines long."""
    return "".join("int v%d;\n" % i for i in range(lines))


def lint(tree, name, text):
    """Runs `make lint` in tree with kernel/NAME holding text."""
    kernel = os.path.join(tree, "kernel")
    shutil.rmtree(kernel, ignore_errors=True)
    os.makedirs(kernel)
    with open(os.path.join(kernel, name), "w") as f:
        f.write(text)
    subprocess.run(["git", "add", "-A"], cwd=tree, check=True)
    p = subprocess.run(["make", "-s", "lint"], cwd=tree,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, timeout=120)
    return p.returncode, p.stdout


def make_tree(tmp):
    """A git tree holding what `make lint` needs; returns its path."""
    tree = os.path.join(tmp, "tree")
    for rel in COPIED:
        os.makedirs(os.path.dirname(os.path.join(tree, rel)), exist_ok=True)
        shutil.copy2(os.path.join(ROOT, rel), os.path.join(tree, rel))
    subprocess.run(["git", "init", "-q", tree], check=True)
    return tree


CHECKS = [
    # (name, file name, text, must pass, words the output must hold)
    ("good code passes", "good.c", GOOD, True, ["lint: clean"]),
    ("misformatted file fails", "fmt.c", MISFORMATTED, False,
     ["kernel/fmt.c:2: not formatted", "lint: FAILED"]),
    ("60-line function passes", "f60.c", function(60), True, ["lint: clean"]),
    ("61-line function fails", "f61.c", function(61), False,
     ["kernel/f61.c:2: function sum has 61 lines", "lint: FAILED"]),
    ("700-line file passes", "l700.c", file_of(700), True, ["lint: clean"]),
    ("701-line file fails", "l701.c", file_of(701), False,
     ["kernel/l701.c:701: file has 701 lines", "lint: FAILED"]),
    ("cppcheck finding fails", "bug.c", CPPCHECK_BUG, False,
     ["kernel/bug.c", "arrayIndexOutOfBounds", "lint: FAILED"]),
]


def main():
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        tree = make_tree(tmp)
        for title, name, text, must_pass, words in CHECKS:
            rc, out = lint(tree, name, text)
            ok = (rc == 0) == must_pass and all(w in out for w in words)
            print("%s %s (make lint exit %d)" % ("PASS" if ok else "FAIL", title, rc))
            if not ok:
                failed += 1
                print("  expected %s and %r in:\n%s"
                      % ("success" if must_pass else "failure", words, out))
    print("%d checks, %d failed" % (len(CHECKS), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
