"""Work in other processes: writing done in a second one while the first goes on (a fork, on
Linux, or at once elsewhere), and how a pool's worker starts."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable

from ..core.exceptions import GiagenError
from ..core.processes import working_for_parent


def nothing() -> None:
    """Nothing to wait for: what alongside returns when the work is already done."""


def alongside(work: Callable[[], None], parallel: bool = True) -> Callable[[], None]:
    """Start `work` in a forked copy of this process; return a function that waits for it and
    raises what it raised. Where there is no fork, or not `parallel`, `work` runs now."""
    if not parallel or not sys.platform.startswith("linux"):
        work()
        return nothing
    read_end, write_end = os.pipe()
    pid = os.fork()
    if (
        pid == 0
    ):  # the copy: do the work, say how it ended, leave without the parent's exit handlers
        os.close(read_end)
        code, message = 0, b""
        try:
            work()
        except GiagenError as exc:
            code, message = 1, str(exc).encode("utf-8", "replace")
        except BaseException as exc:  # a defect: the parent reports it as one
            code, message = 2, f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")
        try:
            os.write(write_end, message[:60000])  # within a pipe's buffer: never blocks
        finally:
            os._exit(code)
    os.close(write_end)

    def wait():
        with os.fdopen(read_end, "rb") as f:
            message = f.read().decode("utf-8", "replace")
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if code == 1:
            raise GiagenError(message)
        if code != 0:
            raise RuntimeError(message or f"background writer ended with status {code}")

    return wait


def worker_started():
    """A pool's worker: Ctrl-C is for the coordinating process, which stops the workers and says
    so once (a worker interrupted too would print its traceback), and the worker ends when that
    process does, however it ends (Linux; elsewhere when its queue closes)."""
    working_for_parent(signal.SIGTERM)
