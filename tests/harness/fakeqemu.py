#!/usr/bin/env python3
"""A stand-in for qemu-system-i386, for testing the harness without a kernel.

Use: CELLBLOCK_QEMU="python3 tests/harness/fakeqemu.py" tests/run.py ...
It reads the QEMU arguments the harness passes, prints a Cellblock-like boot
(with \\r\\n line ends, like a serial console) and acts on the command line:

  ktest=panic   prints a panic with a backtrace and exits 253
  ktest=fault   prints an exception with registers, then panics
  ktest=mm      prints "mm selftest: PASS", then goes on booting
  ktest=triple  exits 0 (what QEMU does on a triple fault with -no-reboot)
  ktest=hang    prints nothing more and never exits
  init=/bin/true|false|echo ARGS   exits 0/1, or echoes and exits 0

Otherwise it runs a tiny shell with prompt "$ " that echoes what is typed
and knows: echo ARGS, poweroff [N], panic, sleep SECS, hang,
com2put TEXT (writes TEXT to COM2), com2get N (reads N bytes, prints them).
"""
import os
import socket
import sys
import time


def out(text):
    os.write(1, text.replace("\n", "\r\n").encode())


def leave(code):
    """Exits the way isa-debug-exit makes QEMU exit."""
    sys.exit(code * 2 + 1)


class Com2:
    """The second -serial: a file (output only) or a chardev socket."""

    def __init__(self, argv):
        self.sock = self.file = None
        serials = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-serial"]
        chardevs = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a == "-chardev"]
        if len(serials) < 2:
            return
        spec = serials[1]
        if spec.startswith("file:"):
            self.file = open(spec[5:], "wb", buffering=0)
        elif spec.startswith("chardev:"):
            opts = [c for c in chardevs if "id=%s" % spec[8:] in c][0].split(",")
            path = [o[5:] for o in opts if o.startswith("path=")][0]
            self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.sock.connect(path)

    def write(self, data):
        if self.file:
            self.file.write(data)
        elif self.sock:
            self.sock.sendall(data)

    def read(self, n):
        data = b""
        while self.sock and len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                break
            data += chunk
        return data


def readline():
    """Reads a line from the console, echoing it like a tty would."""
    line = b""
    while True:
        c = os.read(0, 1)
        if not c:
            sys.exit(0)  # like QEMU when its stdio closes: not a poweroff
        if c in b"\r\n":
            out("\n")
            return line.decode()
        os.write(1, c)
        line += c


def shell(com2):
    while True:
        out("$ ")
        words = readline().split()
        if not words:
            continue
        cmd, args = words[0], words[1:]
        if cmd == "echo":
            out(" ".join(args) + "\n")
        elif cmd == "poweroff":
            leave(int(args[0]) if args else 0)
        elif cmd == "panic":
            panic("shell asked for it")
        elif cmd == "sleep":
            time.sleep(float(args[0]))
        elif cmd == "hang":
            time.sleep(3600)
        elif cmd == "com2put":
            com2.write(" ".join(args).encode())
        elif cmd == "com2get":
            out("got: %s\n" % com2.read(int(args[0])).decode())
        else:
            out("sh: %s: not found\n" % cmd)


def panic(why):
    out("kernel panic: %s\n  #0 0x00101234 panic+0x1c\n  #1 0x00100abc kmain+0x40\n" % why)
    leave(126)


def main(argv):
    append = argv[argv.index("-append") + 1] if "-append" in argv else ""
    com2 = Com2(argv)
    out("Cellblock 0.0-fake booting\ncmdline: %s\n" % append)
    words = append.split()
    knobs = {}
    for i, w in enumerate(words):
        if w.startswith("init="):
            words = [w[5:]] + words[i + 1:]
            break
        k, _, v = w.partition("=")
        knobs[k] = v
    else:
        words = ["/bin/init"]
    test = knobs.get("ktest")
    if test == "panic":
        panic("ktest=panic")
    if test == "fault":
        out("#PF Page fault in kernel mode\nEIP=0x00101000 EFLAGS=0x00000202\n"
            "EAX=0x00000000 EBX=0x00000000 ECX=0x00000000 EDX=0x00000000\n")
        panic("unexpected kernel exception")
    if test == "mm":
        out("mm selftest: PASS\n")
    if test == "triple":
        sys.exit(0)
    if test == "hang":
        time.sleep(3600)
    prog, args = words[0], words[1:]
    if prog == "/bin/true":
        leave(0)
    if prog == "/bin/false":
        leave(1)
    if prog == "/bin/echo":
        out(" ".join(args) + "\n")
        leave(0)
    shell(com2)


if __name__ == "__main__":
    main(sys.argv[1:])
