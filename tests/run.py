#!/usr/bin/env python3
"""Runs Cellblock's tests: host unit tests, the harness self-test and every
boot test in tests/cases/.  `python3 tests/run.py -h` for options;
docs/testing.md for how to write tests."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness.runner import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
