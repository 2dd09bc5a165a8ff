"""Containers and PIDs (issue 4, spec section 4): founding, numbering,
NSpid from every level, isolation sweeps, orphans, kill rules, container
death; the error paths and limits (ctrlimits); the shell's view."""
from harness import case, scripted

CASES = [
    case(name="ctrtest", append="init=/bin/ctrtest",
         expect=[r"^ctrtest: \d+ passed, 0 failed$"],
         forbid=[r"^FAIL", r"panic", r"page fault in kernel"],
         status=0, timeout=90),
    # Errors and limits: each failed attempt changes nothing.
    case(name="ctrlimits",
         append="init=/bin/ctrlimits names duplicate ebusy pidspaces cap",
         expect=[r"^ctrlimits: 5 passed, 0 failed$"],
         forbid=[r"^FAIL", r"panic", r"page fault in kernel"],
         status=0, timeout=90),
    # A small cap: a fork bomb in nested containers stops at 20 tasks.
    case(name="cap-20", append="ctr_max_tasks=20 init=/bin/ctrlimits --max-tasks=20 cap",
         expect=[r"^PASS cap$", r"^ctrlimits: 1 passed, 0 failed$"],
         forbid=[r"^FAIL", r"panic", r"page fault in kernel"],
         status=0, timeout=60),
    # pid_max=64: numbers wrap without reusing a live one, in a container
    # and in the system container; a full pidspace refuses fork.
    case(name="wrap-64", append="pid_max=64 init=/bin/ctrlimits --pid-max=64 wrap",
         expect=[r"^PASS wrap$", r"^ctrlimits: 1 passed, 0 failed$"],
         forbid=[r"^FAIL", r"panic", r"page fault in kernel", r"skipped"],
         status=0, timeout=60),
]
