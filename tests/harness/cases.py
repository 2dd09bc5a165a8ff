"""Test cases: how case files declare them and how each kind runs.

A case file (tests/cases/NAME.py) may hold:
  - CASES = [case(...), ...]: declarative boot tests (see case()).
  - functions `test_xxx(g)` or functions decorated with @scripted: scripted
    tests that drive guests through the Session `g` (see guest.py).
A case is named "FILE:NAME" (file name without .py); unit tests are
"unit:FILE" and the harness self-test is "harness:selftest".

Every case's run() returns (ok, why, log, tail): tail is the part of the
console shown under a FAIL line; log goes to build/test-logs/NAME.log.

Every case carries tags (its file or group, a subsystem and a tier; see
default_tags()) and may depend on other cases by name (`depends=`).
"""
import importlib.util
import os
import re
import sys
import threading
import traceback

from .guest import DEFAULT_FORBID, DEFAULT_PROMPT, Session, TestFailure


# Subsystem and tier of the tests of each file or group when the file does
# not say otherwise; any other file gets its own name and "base".
TIERS = ("base", "slow", "fuzz")
SUBSYSTEMS = ("boot", "proc", "ctr", "mm", "fs", "ckpt", "dev", "lib",
              "debug", "user", "tooling")
GROUP_TAGS = {
    "boot": ("boot", "base"), "ckpt": ("ckpt", "base"),
    "console": ("dev", "base"), "containers": ("ctr", "base"),
    "fdexec": ("fs", "base"), "fs": ("fs", "base"),
    "fuzz": ("proc", "fuzz"), "latency": ("proc", "slow"),
    "net": ("dev", "base"), "processes": ("proc", "base"),
    "structure": ("tooling", "base"), "unit": ("lib", "base"),
    "host": ("tooling", "base"), "tool": ("tooling", "base"),
    "harness": ("tooling", "base"), "load": ("tooling", "base"),
}


def default_tags(group, extra=()):
    """The tags of a test of `group` given its explicit tags `extra`: the
    group, the group's subsystem and tier, then extra; a subsystem or tier
    named in extra replaces the default one."""
    subsystem, tier = GROUP_TAGS.get(group, (group, "base"))
    extra = [t for t in extra if t]
    tags = [group]
    if not any(t in SUBSYSTEMS for t in extra):
        tags.append(subsystem)
    if not any(t in TIERS for t in extra):
        tags.append(tier)
    return list(dict.fromkeys(tags + extra))


def _tag_list(tags):
    """tags as a list: a comma-separated string or any iterable of str."""
    if isinstance(tags, str):
        return [t.strip() for t in tags.split(",") if t.strip()]
    return list(tags or ())


class Case:
    """Base of every kind of test: a name, a timeout and run().

    tags: explicit tags, added to the defaults of the name's group (the part
    before the colon) by finish().  depends: names of cases that must pass
    before this one runs ("FILE:NAME", or "NAME" in the same file)."""

    kind = "?"

    def __init__(self, name, timeout, tags=(), depends=()):
        self.name = name
        self.timeout = timeout
        self.explicit_tags = _tag_list(tags)
        self.declared_depends = list(depends or ())
        self.finish()

    @property
    def group(self):
        return self.name.split(":", 1)[0]

    def finish(self):
        """Computes tags and full dependency names once the name is final."""
        self.tags = default_tags(self.group, self.explicit_tags)
        self.depends = [d if ":" in d else "%s:%s" % (self.group, d)
                        for d in self.declared_depends]

    def run(self, tmpdir):
        raise NotImplementedError


class BootCase(Case):
    """A declarative boot test built by case()."""

    kind = "boot"

    def __init__(self, name, append, boot, inputs, expect, forbid, status,
                 timeout, prompt, extra_args, tags=(), depends=()):
        super().__init__(name, timeout, tags, depends)
        self.append = append
        self.boot = boot
        self.inputs = list(inputs)
        self.expect = list(expect)
        self.forbid = list(forbid)
        self.status = status
        self.prompt = prompt
        self.extra_args = list(extra_args)

    def script(self, g):
        """The test as a scripted one: what every declarative case does."""
        guest = g.boot(append=self.append, boot=self.boot, forbid=self.forbid,
                       prompt=self.prompt, extra_args=self.extra_args)
        for item in self.inputs:
            wait, text = (self.prompt, item) if isinstance(item, str) else item
            if wait is not None:
                guest.expect(wait, timeout=self._left(guest))
            guest.send(text)
        guest.pos = 0
        for pat in self.expect:
            guest.expect(pat, timeout=self._left(guest))
        if self.status is not None:
            guest.expect_exit(self.status, timeout=self._left(guest))
        else:
            guest.kill()
        guest.check_forbidden()

    def _left(self, guest):
        import time
        return max(0.1, self.timeout - (time.monotonic() - guest.started))

    def run(self, tmpdir):
        return run_script(self.name, self.script, self.timeout + 5, tmpdir)


class ScriptedCase(Case):
    """A test function taking the Session `g`."""

    kind = "scripted"

    def __init__(self, name, fn, timeout, tags=(), depends=()):
        super().__init__(name, timeout, tags, depends)
        self.fn = fn

    def run(self, tmpdir):
        return run_script(self.name, self.fn, self.timeout, tmpdir)


def run_script(name, fn, timeout, tmpdir):
    """Runs fn(g) in its own thread with a watchdog; always kills QEMU."""
    g = Session(name, tmpdir)
    result = {}

    def body():
        try:
            fn(g)
            g.check_forbidden()
            result["ok"] = (True, "")
        except TestFailure as e:
            result["ok"] = (False, str(e))
        except AssertionError as e:
            tb = traceback.extract_tb(e.__traceback__)[-1]
            result["ok"] = (False, "assertion failed at %s:%d: %s"
                            % (os.path.basename(tb.filename), tb.lineno, str(e) or tb.line))
        except Exception as e:  # a bug in the test itself
            result["ok"] = (False, "%s: %s" % (type(e).__name__, e))
            g.note(traceback.format_exc())

    t = threading.Thread(target=body, daemon=True)
    t.start()
    t.join(timeout)
    if t.is_alive():
        g.close()  # makes any pending expect fail fast
        t.join(10)
        result["ok"] = (False, "test timed out after %gs" % timeout)
    g.close()
    ok, why = result.get("ok", (False, "test thread did not finish"))
    return ok, why, g.transcript(), g.tail()


def case(name, append="", boot="kernel", inputs=(), expect=(), forbid=None,
         status=None, timeout=30, prompt=DEFAULT_PROMPT, extra_args=(),
         tags=(), depends=()):
    """Declares a boot test.

    name: short name (the case is called FILE:name).
    append: kernel command line; boot: "kernel" (-kernel) or "iso" (GRUB).
    inputs: lines to type; each waits for the prompt first.  An item may be
      a (wait_regex, line) pair instead: wait for that pattern (None: do not
      wait) and type line.
    expect: regexes that must appear in this order in the console output
      (whole output, \\r stripped, MULTILINE: ^ and $ match at lines).
    forbid: regexes that must never appear; default r"panic" and
      r"page fault in kernel", without r"panic" when status="panic".
    status: exit status to wait for: the poweroff code (int), "panic",
      "abnormal"; None means do not wait, kill QEMU after the last expect.
    timeout: seconds for the whole case.
    tags: tags besides the defaults (file, subsystem, tier); a tier given
      here (base, slow, fuzz) replaces the default one.
    depends: cases that must pass first ("FILE:NAME", or "NAME" in this
      file); if one fails this case is skipped.
    """
    if forbid is None:
        forbid = [p for p in DEFAULT_FORBID if not (status == "panic" and p == r"panic")]
    return BootCase(name, append, boot, inputs, expect, forbid, status,
                    timeout, prompt, extra_args, tags, depends)


def scripted(fn=None, name=None, timeout=60, tags=(), depends=()):
    """Marks fn(g) as a scripted test: @scripted or @scripted(timeout=120);
    tags and depends as for case()."""
    def mark(f):
        f._cellblock_test = {"name": name, "timeout": timeout,
                             "tags": tags, "depends": depends}
        return f
    return mark(fn) if fn is not None else mark


def load_file(path):
    """Imports one case file and returns its cases (named FILE:NAME)."""
    stem = os.path.splitext(os.path.basename(path))[0]
    modname = "cellblock_cases_" + re.sub(r"\W", "_", stem)
    spec = importlib.util.spec_from_file_location(modname, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[modname] = mod
    spec.loader.exec_module(mod)
    found = []
    for c in getattr(mod, "CASES", []):
        if not isinstance(c, BootCase):
            raise TypeError("%s: CASES must hold case(...) items" % path)
        c.name = "%s:%s" % (stem, c.name)
        c.finish()
        found.append(c)
    for attr, fn in vars(mod).items():
        if not callable(fn) or getattr(fn, "__module__", None) != modname:
            continue
        meta = getattr(fn, "_cellblock_test", None)
        if meta is None and not attr.startswith("test_"):
            continue
        meta = meta or {"name": None, "timeout": 60}
        short = meta["name"] or (attr[5:] if attr.startswith("test_") else attr)
        found.append(ScriptedCase("%s:%s" % (stem, short), fn, meta["timeout"],
                                  meta.get("tags", ()), meta.get("depends", ())))
    return found


def discover(case_dir):
    """Loads every case file in case_dir; returns (cases, errors)."""
    cases, errors = [], []
    if not os.path.isdir(case_dir):
        return cases, errors
    for fname in sorted(os.listdir(case_dir)):
        if not fname.endswith(".py") or fname.startswith("_"):
            continue
        path = os.path.join(case_dir, fname)
        try:
            cases += load_file(path)
        except Exception:
            errors.append((fname, traceback.format_exc()))
    return cases, errors
