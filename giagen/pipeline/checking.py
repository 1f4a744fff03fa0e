"""Files to findings: what reading found, then every rule — used by every command alike."""

from __future__ import annotations

from pathlib import Path

from ..checks import rules
from ..core.exceptions import GiagenError, InputError, UsageError
from ..core.findings import ERROR, Finding
from ..core.model import Report
from .collecting import workbooks_in
from .reports import Loaded, load


def check_loaded(loaded: Loaded, previous: Loaded | None = None, local=()) -> list[Finding]:
    """Every finding for a loaded report: what reading it found, every rule, then `local` rules."""
    before, after = own_parts(loaded, local)
    return before + year_part(loaded, previous.report if previous else None) + after


def own_parts(loaded: Loaded, local=()) -> tuple[list[Finding], list[Finding]]:
    """`check_loaded`'s findings but last year's: those before where they stand, those after."""
    # lazy: local rules load only when a rules file is given (start-up of check)
    from ..checks.localrules import check_local

    before, after = rules.own_findings(loaded.report, loaded.cells, entered=loaded.entered)
    if local:
        after = after + check_local(loaded.report, local)
    for f in loaded.findings:
        f.file = str(loaded.path)
    return loaded.findings + _kept(loaded, before), _kept(loaded, after)


def year_part(loaded: Loaded, previous: Report | None) -> list[Finding]:
    """`check_loaded`'s findings of last year's rules, against last year's report."""
    found = rules.year_findings(loaded.report, previous, loaded.cells, entered=loaded.entered)
    return _kept(loaded, found)


def _kept(loaded: Loaded, checked: list[Finding]) -> list[Finding]:
    """The rules' findings to keep, each naming the file: a field reading already refused needs
    no second word that it is missing."""
    refused = {f.cell for f in loaded.findings if f.cell}
    kept = [f for f in checked if not (f.rule == "REQUIRED" and f.cell in refused)]
    for f in kept:
        f.file = str(loaded.path)
    return kept


def check(paths, previous: str | Path | None = None, given=None, rules_file=None) -> list[Finding]:
    """Check report files (a folder: its .xlsx and .json files); an unreadable file becomes an
    `INPUT` finding, never an exception.

    `rules_file`: a TOML file of local rules (see giagen.checks.localrules) checked as well.
    """
    # lazy: local rules load only when a rules file is given (start-up of check)
    from ..checks.localrules import load_rules

    paths = workbooks_in(paths)

    local = load_rules(rules_file) if rules_file else ()
    last_year = _load_previous(previous) if previous else None
    findings: list[Finding] = []
    for path in paths:
        try:
            loaded = load(path, given)
            if last_year is not None:
                _check_previous_year(loaded, last_year)
        except GiagenError as exc:
            findings.append(input_finding(path, exc))
            continue
        findings += check_loaded(loaded, last_year, local)
    return findings


def input_finding(path, exc: Exception) -> Finding:
    """The finding for a file that cannot be read at all."""
    return Finding("INPUT", ERROR, None, None, None, None, None, str(exc), file=str(path))


def _load_previous(path) -> Loaded:
    try:
        return load(path)
    except InputError as exc:
        raise InputError(f"上年报告 {exc}") from None


def _check_previous_year(loaded: Loaded, previous: Loaded):
    if previous.report.year != loaded.report.year - 1:
        raise UsageError(
            f"上年报告 {previous.path} 是 {previous.report.year} 年度的，"
            f"应为 {loaded.report.year - 1} 年度"
        )
