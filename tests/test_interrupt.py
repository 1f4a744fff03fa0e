"""Ctrl-C in a long run on every core: one line in Chinese, no worker's traceback, nothing left
running."""

import json
import os
import random
import signal
import subprocess
import sys
import time

import published_variants as pv
import pytest

from giagen.core.synthetic import synthetic_report

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="a terminal's Ctrl-C to a process group"
)


def _as_from_a_terminal():
    """Ctrl-C as a command started from a terminal meets it: neither ignored nor blocked (a test
    runner may have done either, and its children would inherit it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def _interrupted(*args: str, lines: int = 1) -> tuple[int, str]:
    """Run `giagen ARGS…` on two cores; once `lines` progress lines are out (a tenth of the way
    each), press Ctrl-C (as a terminal does: the signal to the whole process group); its exit
    status and what it said."""
    run = subprocess.Popen(
        [sys.executable, "-m", "giagen", *args, "--jobs", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=_as_from_a_terminal,
    )
    said = [run.stderr.readline().decode() for _ in range(lines)]  # `已处理 …/…`
    assert all(line.startswith("已处理") for line in said), said
    os.killpg(run.pid, signal.SIGINT)
    said.append(run.stderr.read().decode())
    run.wait(timeout=60)
    assert _group_ended(run.pid), "a worker outlived the run"
    return run.returncode, "".join(said)


def _group_ended(group: int) -> bool:
    """Whether nothing of the process group is left, within a few seconds (a worker told to end
    as its parent ends takes a moment)."""
    for _ in range(50):
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _said_once(run):
    """Interrupted at three moments (a worker reading, waiting, handing back: a worker caught
    in Python code is what printed its traceback), each says so once."""
    for lines in (1, 2, 4):
        code, said = run(lines)
        _once(code, said)


def _once(code: int, said: str):
    assert code == 130, said
    assert said.rstrip().endswith("已中断。"), said
    assert "Traceback" not in said and "Process " not in said, said


def test_an_audit_interrupted_says_so_once(tmp_path):
    folder = tmp_path / "年报"
    folder.mkdir()
    for i in range(3000):
        report = synthetic_report(random.Random(i % 50), agency=f"某某县第{i:04d}局")
        (folder / f"{i:04d}.txt").write_text(pv.tabbed(pv.blocks_of(report)), encoding="utf-8")
    out = tmp_path / "审核"
    _said_once(lambda lines: _interrupted("audit", str(folder), "-o", str(out), lines=lines))
    assert not (out / "index.html").exists()  # nothing half-written


def test_a_round_interrupted_says_so_once(tmp_path):
    folder = tmp_path / "收集"
    folder.mkdir()
    for i in range(3000):
        data = synthetic_report(random.Random(i % 50), agency=f"单位{i:04d}").to_data()
        (folder / f"u{i:04d}.json").write_text(
            json.dumps(data, ensure_ascii=False), encoding="utf-8"
        )
    out = tmp_path / "汇总"
    _said_once(lambda lines: _interrupted("batch", str(folder), "-o", str(out), lines=lines))
