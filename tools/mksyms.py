#!/usr/bin/env python3
"""Turns `nm -n` output into a NASM file holding the kernel symbol table.

The table (section .ksyms) is what panic() uses to print a symbolised
backtrace: ksym_count entries of (address, offset of name in ksym_names),
sorted by address.  With /dev/null as input it emits an empty table, for the
first link pass.
"""
import sys


def main():
    src, dst = sys.argv[1], sys.argv[2]
    syms = []
    with open(src) as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3 or parts[1] not in "tTwW":
                continue
            syms.append((int(parts[0], 16), parts[2]))
    syms.sort()
    out = ["section .ksyms", "global ksym_count", "global ksym_table",
           "global ksym_names", "align 4", "ksym_count: dd %d" % len(syms),
           "ksym_table:"]
    names = bytearray()
    for addr, name in syms:
        out.append("\tdd 0x%08x, %d" % (addr, len(names)))
        names += name.encode() + b"\0"
    out.append("ksym_names:")
    for i in range(0, len(names), 16):
        out.append("\tdb " + ", ".join(str(b) for b in names[i:i + 16]))
    out.append("\tdb 0")
    with open(dst, "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
