"""Containers and PIDs (issue 4, spec section 4): founding, numbering,
NSpid from every level, isolation sweeps, orphans, kill rules, container
death; the error paths and limits (ctrlimits); the shell's view."""
from harness import case, scripted

CASES = [
    case(name="ctrtest", append="init=/bin/ctrtest",
         expect=[r"^ctrtest: \d+ passed, 0 failed$"],
         forbid=[r"^FAIL", r"panic", r"page fault in kernel"],
         status=0, timeout=90),
]
