"""The public functions behind the commands: each CLI command wraps the one of its name."""

from __future__ import annotations

from pathlib import Path

from . import rules
from .exceptions import GiagenError, InputError, RefusedError, UsageError
from .findings import ERROR, Finding
from .reports import SUFFIXES, Loaded, load, save
from .workbook import blank_report, write_workbook


def template(year: int, output: str | Path, agency: str = "") -> Path:
    """Write the blank workbook of the right edition for report year `year`."""
    if Path(output).suffix.lower() != ".xlsx":
        raise UsageError(f"{output}：模板应保存为 .xlsx 文件")
    if not 1990 <= year <= 2200:
        raise UsageError(f"报告年度 {year} 不合理")
    return write_workbook(blank_report(year, agency.strip()), output)


def check_loaded(loaded: Loaded, previous: Loaded | None = None) -> list[Finding]:
    """Every finding for a loaded report: what reading it found, then every rule."""
    findings = loaded.findings + rules.check(
        loaded.report, previous.report if previous else None, loaded.cells)
    for f in findings:
        f.file = str(loaded.path)
    return findings


def check(paths, previous: str | Path | None = None) -> list[Finding]:
    """Check report files; an unreadable file becomes an `INPUT` finding, never an exception."""
    last_year = _load_previous(previous) if previous else None
    findings: list[Finding] = []
    for path in paths:
        try:
            loaded = load(path)
            if last_year is not None:
                _check_previous_year(loaded, last_year)
        except GiagenError as exc:
            findings.append(input_finding(path, exc))
            continue
        findings += check_loaded(loaded, last_year)
    return findings


def input_finding(path, exc: Exception) -> Finding:
    return Finding("INPUT", ERROR, None, None, None, None, None, str(exc), file=str(path))


def _load_previous(path) -> Loaded:
    try:
        return load(path)
    except InputError as exc:
        raise InputError(f"上年报告 {exc}") from None


def _check_previous_year(loaded: Loaded, previous: Loaded):
    if previous.report.year != loaded.report.year - 1:
        raise UsageError(f"上年报告 {previous.path} 是 {previous.report.year} 年度的，"
                         f"应为 {loaded.report.year - 1} 年度")


def convert(source: str | Path, output: str | Path) -> Path:
    """`.xlsx` ⇄ `.json` without loss, totals that disagree with their parts included."""
    source, output = Path(source), Path(output)
    if output.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{output}：输出文件应为 .xlsx 或 .json")
    if output.resolve() == source.resolve():
        raise UsageError("输出文件不能与输入文件相同")
    loaded = load(source)
    if loaded.findings:  # a value that is no number cannot be carried into the other form
        raise RefusedError("输入中有无法识别为数字的值，请先改正", loaded.findings)
    return save(loaded.report, output)
