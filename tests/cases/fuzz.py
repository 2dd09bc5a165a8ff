"""Random system calls with hostile arguments (user/test/sysfuzz): workers in
a container make calls with random numbers and edge-value arguments for a
few seconds, in rounds of 200 ms.  The kernel must not panic or hang, and
once the container is gone and the workers' files are removed, PagesFree
and HeapUsed must be exactly where they started.  Fixed seeds, so a failure
can be replayed with `init=/test/sysfuzz SECONDS WORKERS SEED`."""
from harness import case

CASES = [
    case(name="sysfuzz-seed-%d" % seed,
         append="ctr_max_tasks=64 init=/test/sysfuzz 4 4 %d" % seed,
         expect=[r"^sysfuzz: PASS$"],
         forbid=[r"kernel panic", r"kernel exception", r"sysfuzz: FAIL"],
         status=0, timeout=60)
    for seed in (1, 2)
]
