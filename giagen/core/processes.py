"""How a process that works for another starts: Ctrl-C left to that one, and ended with it."""

from __future__ import annotations

import ctypes
import signal
import sys


def working_for_parent(ends_with: int = signal.SIGTERM) -> None:
    """Ctrl-C is for the process that started this one (which stops its helpers and says so
    once), and this one gets `ends_with` when that one ends, however it ends (Linux)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, ends_with)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass  # no such libc (musl, a sandbox): it then ends when its work does
