"""Hostile and broken files: every case ends in its documented exit status, within time and memory."""

import hashlib
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hostile.cases import make

from giagen.core.synthetic import synthetic_report
from giagen.pipeline.reports import save

BUDGET_S = 2.5  # a command's whole run, start-up included
BUDGET_MB = 300


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _limits():
    resource.setrlimit(
        resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3)
    )  # a runaway allocation fails here


def run(args, cwd):
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(
        [sys.executable, "-m", "giagen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits,
        env=dict(os.environ, COLUMNS="200"),
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, seconds, max(peak, before) / 1024


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, make(folder)


def test_every_hostile_case(corpus):
    folder, cases = corpus
    failures = []
    for case in cases:
        case_dir = case.folder
        args = [a.format(dir=case_dir) for a in case.args]
        before = _digests(case_dir)
        proc, seconds, peak = run(args, case_dir)
        out = proc.stdout + proc.stderr
        problems = []
        if "Traceback" in out or "内部错误" in out:
            problems.append("traceback")
        if proc.returncode not in case.codes:
            problems.append(f"exit {proc.returncode}, expected {case.codes}")
        missing = [n for n in case.names if n not in out]
        if missing:
            problems.append(f"message lacks {missing}")
        if seconds > BUDGET_S:
            problems.append(f"{seconds:.1f} s")
        if peak > BUDGET_MB:
            problems.append(f"{peak:.0f} MB")
        after = _digests(case_dir)
        if any(after.get(p) != d for p, d in before.items()):
            problems.append("an input was changed")
        if [p for p in after if p.endswith(".part")]:
            problems.append("a partial file was left")
        if problems:
            failures.append(f"{case.name}: {'; '.join(problems)}\n{out[-400:]}")
    assert not failures, "\n".join(failures)


def test_a_batch_of_good_units_with_one_of_each_bad_kind(tmp_path):
    """50 good units are rendered; each bad file has its own status and message; summaries and rollup exist."""
    inputs = tmp_path / "收回"
    inputs.mkdir()
    for i in range(50):
        save(
            synthetic_report(random.Random(i), year=2023, agency=f"单位{i:02d}"),
            inputs / f"u{i:02d}.xlsx",
        )
    long_name = "某" * 79 + "局"
    save(synthetic_report(random.Random(90), year=2023, agency=long_name), inputs / "long.json")
    for i, name in enumerate(("CON", "NUL.局", "~$锁定", "\u202e局bad")):
        save(synthetic_report(random.Random(91), year=2023, agency=name), inputs / f"odd-{i}.json")
    (inputs / "坏.xlsx").write_bytes(b"PK\x03\x04broken")
    (inputs / "老格式.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (inputs / "deep.json").write_text("[" * 1500 + "]" * 1500, encoding="utf-8")
    outside = tmp_path / "外面.xlsx"
    save(synthetic_report(random.Random(92), year=2023, agency="外部局"), outside)
    os.symlink(outside, inputs / "链接.xlsx")
    out = tmp_path / "结果"
    out.mkdir()
    (out / "leftover.docx.abc.part").write_bytes(b"half")
    proc, seconds, peak = run(
        ["batch", str(inputs), "-o", str(out), "--rollup", "某某县"], tmp_path
    )
    assert "Traceback" not in proc.stderr and proc.returncode == 1, proc.stderr[-800:]
    published = list((out / "units").glob("*.html"))
    assert len(published) == 55  # 50 + the long name + four odd names, each made safe
    names = {p.name for p in published}
    assert not any(n.startswith(("CON.", "NUL.", "~$")) or "\u202e" in n for n in names)
    assert all(len(n.encode()) < 255 for n in names)
    status = (out / "status.csv").read_text(encoding="utf-8-sig")
    for bad in ("坏.xlsx", "老格式.xls", "deep.json"):
        line = next(ln for ln in status.splitlines() if bad in ln)
        assert "无法读取" in line
    link = next(ln for ln in status.splitlines() if "链接.xlsx" in ln)  # listed, not followed
    assert "无法读取" in link and "外部局" not in status
    for summary in (
        "index.html",
        "findings.csv",
        "units.xlsx",
        "专栏.html",
        "某某县2023年政府信息公开工作年度报告.docx",
    ):
        assert (out / summary).exists(), summary
    assert not list(out.rglob("*.part"))


def test_a_full_disk_is_named_and_leaves_nothing(tmp_path):
    """On a 40 KB file system (needs root and tmpfs; skipped elsewhere) the third workbook does not fit."""
    small = tmp_path / "small"
    small.mkdir()
    if (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=40k", "tmpfs", str(small)], capture_output=True
        ).returncode
        != 0
    ):
        pytest.skip("cannot mount a small file system here")
    try:
        codes = []
        for name in ("a", "b", "c"):
            proc, _, _ = run(["template", "--year", "2023", "-o", f"{name}.xlsx"], small)
            codes.append(proc.returncode)
            out = proc.stdout + proc.stderr
            assert "Traceback" not in out and "Exception ignored" not in out
        assert codes[-1] == 2 and "磁盘已满" in out and "c.xlsx" in out
        assert not list(small.glob("*.part")) and not (small / "c.xlsx").exists()
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)
