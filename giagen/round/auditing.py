"""Auditing many published reports at once: each read and checked, one agency's years chained."""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..checks.localrules import load_rules
from ..checks.similarity import cross_copies, signatures
from ..core.exceptions import GiagenError, InputError
from ..core.files import write_bytes, write_text
from ..core.findings import ERROR, INFO, WARNING, Finding
from ..core.identity import agency_keys, name_key
from ..pipeline.checking import check_loaded
from ..pipeline.collecting import not_a_report, report_files
from ..pipeline.compare import differences, sources_by_agency
from ..pipeline.reports import Loaded, load
from .auditcache import entry_of, key_of, read_cache, restored, write_cache

PASSED, ERRORS, WARNINGS, UNREADABLE = "通过", "有错误", "有警告", "无法读取"


@dataclass
class Audited:
    """One report of an audit: where it came from, who and which year, what was found."""

    path: Path
    agency: str = ""
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""  # why it could not be read

    @property
    def status(self) -> str:
        """The report's standing: 通过, 有警告, 有错误 or 无法读取."""
        if self.reason:
            return UNREADABLE
        if any(f.severity == ERROR for f in self.findings):
            return ERRORS
        return WARNINGS if any(f.severity == WARNING for f in self.findings) else PASSED

    def count(self, severity: str) -> int:
        """How many findings of `severity` the report has."""
        return sum(f.severity == severity for f in self.findings)


def audit(
    inputs,
    output_dir=None,
    previous=None,
    given=None,
    progress=None,
    rules_file=None,
    against=None,
    jobs: int | None = None,
) -> list[Audited]:
    """Read and check every report; reports of one agency chain their years for the PREV rules.

    One unreadable report never stops the others. With `output_dir`, writes index.html and
    findings.csv there, and keeps what each page read as, so that auditing the folder again
    reads only the pages that changed (their bytes decide).
    """

    local = load_rules(rules_file) if rules_file else ()
    paths = report_files(inputs, everything=True)  # every file gets its line
    out = Path(output_dir) if output_dir is not None else None
    cache, kept = read_cache(out), {}
    readable = [p for p in paths if not not_a_report(p)]
    # each page read once, by the worker that reads it: hashed, then taken from the audit's
    # memory or read anew (on every core when there are enough pages)
    keys, readings = {}, {}
    for path, (key, reading) in zip(
        readable, _read_all(readable, given, jobs, cache, out is not None)
    ):
        keys[path], readings[path] = key, reading
    loaded, results = {}, []
    for i, path in enumerate(paths, start=1):
        item, key = Audited(path), keys.get(path)
        try:
            why = not_a_report(path)
            if why:
                raise InputError(why)
            earlier = readings[path]
            if isinstance(earlier, str):
                raise InputError(earlier)
            loaded[path] = earlier
            item.agency, item.year = earlier.report.agency, earlier.report.year
            if key and (entry := entry_of(earlier)) is not None:
                kept[key] = entry
        except GiagenError as exc:
            item.reason = str(exc).removeprefix(f"{path}：")
            if key:
                kept[key] = entry_of(None, item.reason)
        results.append(item)
        if progress:
            progress(i, len(paths), path)
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        write_cache(out, kept)
    last_year = load(previous) if previous else None
    keys = agency_keys(ln.report.agency for ln in loaded.values())
    years = {
        (keys[ln.report.agency], ln.report.year): ln for ln in loaded.values() if ln.report.agency
    }
    for item in results:
        if item.reason:
            item.findings = [
                Finding(
                    "INPUT",
                    ERROR,
                    None,
                    None,
                    None,
                    None,
                    None,
                    f"{item.path}：{item.reason}",
                    file=str(item.path),
                )
            ]
            continue
        this = loaded[item.path]
        before = years.get((keys.get(this.report.agency), this.report.year - 1))
        if (
            before is None
            and last_year is not None
            and last_year.report.year == this.report.year - 1
        ):
            before = last_year
        item.findings = check_loaded(this, before, local)
        if before is not None and name_key(before.report.agency) != name_key(this.report.agency):
            item.findings.append(_chained(this, before, item.path))

    copied = cross_copies(
        [
            (str(path), ln.report.agency, signatures(ln.report))
            for path, ln in loaded.items()
            if ln.report.agency
        ]
    )
    for item in results:
        for f in copied.get(str(item.path), []):
            f.file = str(item.path)
            item.findings.append(f)
    if against is not None:
        _compare_with_sources(results, loaded, against)
    if output_dir is not None:
        write_audit(results, Path(output_dir))
    return results


_CACHE: dict = {}  # the audit's memory, set before the workers fork (they read it, never write)


def _read_one(task) -> tuple[str | None, Loaded | str]:
    """One page, its bytes read once: its key in the audit's memory, and its reading (kept, or
    read anew) or why it cannot be read."""
    path, given, remember = task
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, f"无法读取（{exc.strerror or exc}）"
    key = key_of(path, data, given) if remember else None
    earlier = restored(_CACHE.get(key), path) if key else None
    if earlier is not None:
        return key, earlier
    try:
        return key, load(path, given, data=data)
    except GiagenError as exc:
        return key, str(exc).removeprefix(f"{path}：")


def _read_all(paths: list[Path], given, jobs: int | None, cache: dict, remember: bool) -> list:
    """Every page's (key, reading), in order; on all cores (`jobs`, else all) when there are enough."""
    global _CACHE
    _CACHE = cache
    jobs = max(1, jobs or os.cpu_count() or 1)
    tasks = [(p, given, remember) for p in paths]
    try:
        if jobs == 1 or len(paths) < 8 or "fork" not in multiprocessing.get_all_start_methods():
            return list(map(_read_one, tasks))
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return pool.map(_read_one, tasks, chunksize=max(1, len(tasks) // (jobs * 8)))
    finally:
        _CACHE = {}


def _chained(this, before, path) -> Finding:
    """Said when two names were taken as one agency to chain its years."""
    return Finding(
        "CHAIN-NAMES",
        INFO,
        None,
        None,
        None,
        before.report.agency,
        this.report.agency,
        f"按同一机关与上年报告对照：“{before.report.agency}”（{before.report.year}）"
        f"与“{this.report.agency}”（{this.report.year}）",
        file=str(path),
    )


def _compare_with_sources(results: list[Audited], loaded: dict, against):
    """Each report against the workbook or JSON it was made from, matched by agency and year."""

    sources = sources_by_agency(against)
    for item in results:
        if item.reason:
            continue
        report = loaded[item.path].report
        source = sources.get((name_key(report.agency), report.year))
        if source is None:
            item.findings.append(
                Finding(
                    "CHANGED-SOURCE",
                    WARNING,
                    None,
                    None,
                    None,
                    None,
                    None,
                    "在 --against 中找不到这份报告的原稿（按机关名称和年度对应）",
                    file=str(item.path),
                )
            )
        else:
            item.findings += differences(report, source, str(item.path))


def write_audit(results: list[Audited], out: Path):
    """OUT/index.html (one sortable row per report) and OUT/findings.csv (UTF-8 with BOM)."""
    # lazy: jinja2 (~40 ms) only when the audit writes its index page
    from ..output.templating import environment

    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(
        ["文件", "机关", "年度", "状态", "规则", "级别", "位置", "应为", "实际", "说明"]
    )
    levels = {ERROR: "错误", WARNING: "警告", "info": "提示"}
    for item in results:
        for f in item.findings:
            writer.writerow(
                [
                    str(item.path),
                    item.agency,
                    item.year or "",
                    item.status,
                    f.rule,
                    levels.get(f.severity, f.severity),
                    f.cell or "",
                    "" if f.expected is None else f.expected,
                    "" if f.actual is None else f.actual,
                    f.message,
                ]
            )
    write_bytes(out / "findings.csv", rows.getvalue().encode("utf-8-sig"))
    counts = {
        s: sum(r.status == s for r in results) for s in (PASSED, WARNINGS, ERRORS, UNREADABLE)
    }
    write_text(
        out / "index.html",
        environment()
        .get_template("audit.html.j2")
        .render(
            results=results,
            counts=counts,
            ERROR=ERROR,
            WARNING=WARNING,
            links={
                r.path: Path(os.path.relpath(r.path.resolve(), out.resolve())).as_posix()
                for r in results
            },
        ),
    )
