"""Fuzzing the kernel from inside (user/test/sysfuzz): hostile ELF files,
heap exhaustion, then random system calls with edge-value arguments from
three fuzzers at once (in the system container, in a container, and in a
nested one), each checking PID translation and visibility as it goes.
Once everything is gone, PagesFree, HeapUsed and /proc/containers must be
exactly where they started.  Fixed seeds, so a failure can be replayed with
`init=/test/sysfuzz SECONDS WORKERS SEED`.

The console case also types random bytes and ^C at a reader in a
container of its own while the fuzzers run (^C kills the reader; sysfuzz
starts another), then a line with "fuzzend" that ends it.

The guest half of the checkpoint fuzzing (user/test/ckptfuzz) mutates a real
image, fixes its CRC and restores it: each mutant must be refused with the
documented error, or restored and cleaned up, and nothing may be left
behind; then images of a container whose init has just exec'd (and not yet
run) must restore."""
import random
import time

from harness import DEFAULT_FORBID, case, scripted

FORBID = [r"sysfuzz: FAIL", r"ckptfuzz: FAIL", *DEFAULT_FORBID]

CASES = [
    case(name="sysfuzz-seed-%d" % seed,
         append="ctr_max_tasks=64 init=/test/sysfuzz 2 4 %d" % seed,
         expect=[r"^sysfuzz: elf: ", r"^sysfuzz: heap: ", r"^sysfuzz: PASS$"],
         forbid=FORBID, status=0, timeout=90)
    for seed in (1, 2)
] + [
    case(name="ckptfuzz-seed-%d" % seed,
         append="init=/test/ckptfuzz 150 %d" % seed,
         expect=[r"^ckptfuzz: PASS$"], forbid=FORBID, status=0, timeout=90,
         tags=["ckpt"])
    for seed in (1, 2)
]

# Typed at the console: no letters (so the echo cannot spell a forbidden
# word), but line editing (^U, backspace, ^D), Enter, ^C and high bytes.
NOISE = bytes(b for b in range(256)
              if not (0x41 <= b <= 0x5a or 0x61 <= b <= 0x7a))


@scripted(name="sysfuzz-console", timeout=120)
def sysfuzz_console(g):
    rnd = random.Random(3)
    guest = g.boot(append="ctr_max_tasks=64 init=/test/sysfuzz 3 4 3 console",
                   forbid=FORBID)
    guest.expect(r"sysfuzz: console open", timeout=60)
    end = time.monotonic() + 2.0
    interrupts = 0
    while time.monotonic() < end:
        chunk = bytes(rnd.choice(NOISE) for _ in range(rnd.randint(1, 40)))
        guest.sendraw(chunk + b"\x03")
        interrupts += 1
        time.sleep(0.05)
    guest.sendraw(b"\x15fuzzend\r")
    g.note("typed %d bursts, each ending in ^C" % interrupts)
    m = guest.expect(r"sysfuzz: console: (\d+) readers, (\d+) killed by \^C",
                     timeout=60)
    assert int(m.group(2)) > 0, "no ^C reached the reader"
    guest.expect(r"^sysfuzz: PASS$", timeout=60)
    guest.expect_exit(0, timeout=30)
