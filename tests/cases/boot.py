"""Boot, console and panic path: the kernel starts both ways, reports a
kernel-mode exception with registers, panics with a symbolised backtrace and
the panic exit status, and passes its memory-manager self-tests."""
from harness import DEFAULT_FORBID, case

CASES = [
    # QEMU's multiboot loader: the fast path every other test uses.
    case(name="kernel-banner", append="",
         expect=[r"^Cellblock"], timeout=20),
    # GRUB from the ISO, the way `make run` boots.  GRUB's own
    # "Booting `Cellblock'" does not count: the banner starts a line (after
    # any terminal escapes GRUB left).
    case(name="iso-banner", boot="iso",
         expect=[r"^(\x1b\[[0-9;?]*[A-Za-z])*Cellblock"], timeout=60),
    # A forced kernel-mode exception shows the vector and registers, then
    # panics.
    case(name="ktest-fault", append="ktest=fault",
         expect=[r"(?i)(page fault|general protection|divide error|invalid opcode|#PF|#GP|#DE|#UD)",
                 r"EIP", r"EAX", r"kernel panic"],
         forbid=[], status="panic", timeout=20),
    # panic() prints the reason and a backtrace through kmain, then exits
    # QEMU with the panic status.
    case(name="ktest-panic", append="ktest=panic",
         expect=[r"kernel panic", r"\bkmain\b"],
         status="panic", timeout=20),
    # Frame allocator and kernel heap self-tests.
    case(name="ktest-mm", append="ktest=mm",
         expect=[r"mm selftest: PASS"],
         forbid=[r"FAIL", *DEFAULT_FORBID], timeout=30),
]

# The console: the default init starts the shell, typed lines reach it, and
# `poweroff CODE` ends QEMU with CODE; a system init that exits powers the
# machine off with its exit status.
CASES += [
    case(name="shell-poweroff", inputs=["echo hello console", "poweroff 3"],
         expect=[r"^Cellblock", r"^\$ ", r"^hello console$"], status=3,
         timeout=20),
    case(name="init-true", append="init=/bin/true", status=0, timeout=20),
    case(name="init-false", append="init=/bin/false", status=1, timeout=20),
    case(name="init-args", append="init=/bin/echo one two", status=0,
         expect=[r"^one two$"], timeout=20),
    # An unknown knob is reported and ignored; boot goes on to init.
    case(name="unknown-knob", append="bogus=1 pid_max=64 init=/bin/true",
         expect=[r"cmdline: unknown knob ignored: bogus"], status=0, timeout=20),
]

# Kernel hardening: a guard page below every kernel stack, SMEP and SMAP.
CASES += [
    # The boot line says which protections are on; the test machine's CPU
    # (qemu32,+smep,+smap) has both.
    case(name="protections-on", append="init=/bin/true",
         expect=[r"^cpu: SMEP on, SMAP on, kernel stack guard pages on$"],
         status=0, timeout=20),
    # Endless recursion on a task's kernel stack hits the guard page: the
    # double-fault task names the overflow and the task, prints registers
    # and a backtrace, and panics (not a triple fault, not a silent
    # overwrite).
    case(name="ktest-stackoverflow", append="ktest=stackoverflow",
         expect=[r"^ktest: recursing on the kernel stack of task (\d+) "
                 r"\(ktest-overflow\)$",
                 r"^kernel stack overflow in task \d+ \(ktest-overflow\)",
                 r"^EIP=", r"^ESI=.*ESP=c0", r"\brecurse\b",
                 r"^kernel panic: kernel stack overflow in task \d+ "
                 r"\(ktest-overflow\)$"],
         forbid=[r"no guard page"], status="panic", timeout=20),
    # A write just below a stack while the stack pointer is still inside
    # it: an ordinary page fault, named the same way.
    case(name="ktest-stackguard", append="ktest=stackguard",
         expect=[r"^kernel stack overflow in task \d+ \(ktest-guard\)",
                 r"^kernel exception: page fault \(vector 14",
                 r"\bguard_entry\b",
                 r"^kernel panic: kernel stack overflow in task \d+ "
                 r"\(ktest-guard\)$"],
         forbid=[r"no guard page"], status="panic", timeout=20),
    # copyin reads a user word; the kernel then reads it directly: SMAP.
    case(name="ktest-smap", append="ktest=smap",
         expect=[r"^ktest: copyin read 0x5a5a1234 from user address",
                 r"^kernel exception: SMAP violation", r"CR2=40000000",
                 r"^kernel panic: SMAP violation"],
         forbid=[r"no SMAP"], status="panic", timeout=20),
    # The kernel calls into a user page: SMEP.
    case(name="ktest-smep", append="ktest=smep",
         expect=[r"^kernel exception: SMEP violation", r"EIP=40000000",
                 r"^kernel panic: SMEP violation"],
         forbid=[r"no SMEP"], status="panic", timeout=20),
]

# User code may set EFLAGS.AC; the kernel clears it on entry (it would
# switch SMAP off) and the program gets its own flags back.
CASES += [
    case(name="user-ac-flag", append="init=/test/t_acflag",
         expect=[r"^t_acflag: system calls made with AC set$",
                 r"^t_acflag: PASS$"], status=0, timeout=20),
]
