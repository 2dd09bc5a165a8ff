"""What the host tests share: PASS/FAIL lines and their count.  (Files whose
name starts with "_" are not tests; tests/harness/unit.py skips them.)"""


class Checks:
    """check(ok, what) prints "PASS what" or "FAIL what" and returns ok;
    check.failed counts the FAILs, check.status() is the exit status."""

    def __init__(self):
        self.failed = 0

    def __call__(self, ok, what):
        print("%s %s" % ("PASS" if ok else "FAIL", what))
        self.failed += not ok
        return ok

    def status(self):
        return 1 if self.failed else 0
