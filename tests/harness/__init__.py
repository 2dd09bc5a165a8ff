"""Cellblock's serial-console test harness (Python standard library only).

Case files import what they need from here:

    from harness import case, scripted, TestFailure
"""
from .cases import case, scripted
from .guest import DEFAULT_FORBID, DEFAULT_PROMPT, Guest, Session, TestFailure

__all__ = ["case", "scripted", "Guest", "Session", "TestFailure",
           "DEFAULT_FORBID", "DEFAULT_PROMPT"]
