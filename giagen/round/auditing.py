"""Auditing many published reports at once: each read and checked, one agency's years chained."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import pickle
from collections import deque
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from ..checks.localrules import load_rules
from ..checks.similarity import cross_copies, packed, signatures, unpacked
from ..checks.yearly import year_report
from ..core.exceptions import GiagenError, UsageError, WriteError, os_reason
from ..core.findings import ERROR, INFO, WARNING, Finding
from ..core.identity import agency_keys, name_key
from ..core.model import Report
from ..pipeline.checking import own_parts, year_part
from ..pipeline.collecting import not_a_report, report_files
from ..pipeline.compare import differences, sources_by_agency
from ..pipeline.reports import Loaded, load
from .auditcache import (
    CACHE,
    entry_of,
    entry_text,
    kept_text,
    key_of,
    memory_shape,
    packed_entry,
    read_cache,
    reread,
    restored,
    write_cache,
)
from .auditreport import (
    CSV,
    ERRORS,
    INDEX,
    PASSED,
    UNREADABLE,
    WARNINGS,
    Audited,
    write_audit,
)
from .background import worker_started

__all__ = ["ERRORS", "PASSED", "UNREADABLE", "WARNINGS", "Audited", "audit", "write_audit"]


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
    reads only the pages that changed (their bytes decide). Pages are read and checked on
    their own on every core (`jobs`, else all), then each year against the last, one agency's
    years after another; between the two, each is kept as its findings and the text of its
    reading, so that a province's years of pages fit in memory.
    """
    out = Path(output_dir) if output_dir is not None else None
    paths = _not_its_own(report_files(inputs, everything=True), out)  # every file gets its line
    if out is not None:
        _refuse_unwritable(out)
    # what is wrong with --previous or --against is said before a province's pages are read
    last_year = load(previous) if previous else None
    _refuse_missing(against)
    readable = [p for p in paths if not not_a_report(p)]
    memory = _read_context(given, out, rules_file)
    pages = dict(zip(readable, _each(_read_one, readable, jobs, memory, done=progress)[0]))
    del memory
    results = []
    for path in paths:
        page = pages.get(path) or Page(reason=not_a_report(path))
        results.append(Audited(path, page.agency, page.year, reason=page.reason))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        write_cache(
            out, {page.key: page.entry for page in pages.values() if page.key and page.entry}
        )
    signed = [
        (str(p), page.agency, page.signatures) for p, page in pages.items() if page.signatures
    ]
    context = _check_context(last_year, against)
    chains = deque(_chains(pages))  # each one agency's years, given out one after another
    del pages  # the chains hold the readings now, each let go once a worker has it
    checked, copied = _each(
        _check_chain, chains, jobs, context, partial(cross_copies, signed, unpacked)
    )
    findings = {path: found for chain in checked for path, found in chain}
    del context, signed
    for item in results:
        if item.reason:
            item.findings = [_unreadable(item)]
            continue
        own, compared = findings[item.path]
        item.findings = own
        for f in copied.get(str(item.path), []):
            f.file = str(item.path)
            item.findings.append(f)
        item.findings += compared
    if output_dir is not None:
        write_audit(results, Path(output_dir))
    return results


def _not_its_own(paths: list[Path], out: Path | None) -> list[Path]:
    """The files, but the audit's own outputs (an output folder kept inside the folder audited
    is found again by the next audit: its index and CSV are no reports)."""
    if out is None:
        return paths
    own = {(out / name).resolve() for name in (CSV, INDEX, CACHE)}
    return [p for p in paths if p.name not in (CSV, INDEX, CACHE) or p.resolve() not in own]


def _refuse_unwritable(out: Path):
    """Refuse now what writing the outputs would refuse once a province's pages were read: an
    output folder that is a file, an output file that is a folder."""
    for path in (out, out / CSV, out / INDEX, out / CACHE):
        if path.exists() and path.is_dir() != (path == out):
            error = errno.ENOTDIR if path == out else errno.EISDIR
            raise WriteError(path, OSError(error, os.strerror(error), str(path)))


@dataclass
class Page:
    """What reading keeps of one file: small, so that a province's years of pages fit in memory."""

    agency: str = ""
    year: int | None = None
    reason: str = ""  # why it cannot be read
    key: str | None = None  # its bytes' key in the audit's memory
    entry: bytes = b""  # its reading as the audit's memory keeps it (JSON, packed): a published
    # report, or why it could not be read
    loaded: Loaded | None = None  # a clerk's workbook or JSON, kept whole (read again each time)
    signatures: dict | None = None  # of its 一 and 五, packed, for copies between units
    own: bytes = b""  # its findings but last year's, before where those stand and after (pickled:
    # a province's findings as objects would double the audit's memory in its forked workers)


# What the workers need, set before they fork (they read it, never write it).
_CONTEXT: dict = {}


def _each(function, items, jobs: int | None, context: dict, meanwhile=None, done=None):
    """`function` of every item, in order, on all cores (`jobs`, else all) when there are
    enough; and what `meanwhile()` gives, worked out here while the workers work. Items in a
    deque are let go as they are given out; `done(n, of, item)` hears of each as it is done."""
    global _CONTEXT
    _CONTEXT = context
    jobs, size = max(1, jobs or os.cpu_count() or 1), len(items)
    try:
        if jobs == 1 or size < 8 or "fork" not in multiprocessing.get_all_start_methods():
            results = _told(map(function, _given_out(items)), items, done)
            return results, meanwhile() if meanwhile else None
        with multiprocessing.get_context("fork").Pool(jobs, initializer=worker_started) as pool:
            # small chunks: a worker left with a long one at the end would keep the other idle
            chunk = max(1, min(32, size // (jobs * 8)))
            working = pool.imap(function, _given_out(items), chunksize=chunk)
            besides = meanwhile() if meanwhile else None
            return _told(working, items, done), besides
    finally:
        _CONTEXT = {}


def _told(results, items, done) -> list:
    """The results, `done` told of each as it comes (`items`: a list, when `done` is given)."""
    if done is None:
        return list(results)
    kept = []
    for n, result in enumerate(results, start=1):
        kept.append(result)
        done(n, len(items), items[n - 1])
    return kept


def _given_out(items):
    """The items in order; a deque's each let go once it is given out."""
    if isinstance(items, deque):
        while items:
            yield items.popleft()
    else:
        yield from items


def _read_context(given, out: Path | None, rules_file) -> dict:
    return {
        "given": given,
        "remember": out is not None,
        "cache": read_cache(out),
        "out": out,
        "shape": memory_shape(),
        "local": load_rules(rules_file) if rules_file else (),
    }


def _read_one(path: Path) -> Page:
    """One page, its bytes read once: taken from the audit's memory or read anew."""
    given, remember = _CONTEXT["given"], _CONTEXT["remember"]
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return Page(reason="文件不存在")
    except OSError as exc:
        return Page(reason=f"无法读取（{os_reason(exc)}）")
    key = key_of(path, data, given, _CONTEXT["shape"]) if remember else None
    kept = kept_text(_CONTEXT["out"], _CONTEXT["cache"], key) if key else None
    reading, sketches = reread(kept, path)
    if reading is None:
        kept = None
        try:
            reading = load(path, given, data=data)
        except GiagenError as exc:
            reading = str(exc).removeprefix(f"{path}：")
    if isinstance(reading, str):
        return Page(reason=reading, key=key, entry=packed_entry(entry_of(None, reading)))
    page = Page(reading.report.agency, reading.report.year, key=key)
    page.own = pickle.dumps(own_parts(reading, _CONTEXT["local"]))  # checked while at hand
    if reading.report.agency:
        page.signatures = sketches or {
            section: packed(sketch) for section, sketch in signatures(reading.report).items()
        }
    if reading.entered:
        page.loaded = reading
    else:  # one from the audit's memory keeps the text it had there, when it had its sketches
        again = kept if kept and (sketches or not reading.report.agency) else None
        page.entry = packed_entry(again or entry_of(reading, sketches=page.signatures))
    return page


def _reading(path: Path, page: Page) -> Loaded:
    """The page's whole reading again, from what was kept of it (for --against)."""
    return page.loaded or restored(entry_text(page.entry), path)


def _year_report(page: Page) -> Report:
    """What last year's rules read of a page: its JSON form read back, not the whole report."""
    return (
        page.loaded.report
        if page.loaded
        else year_report(json.loads(entry_text(page.entry))["report"])
    )


def _check_context(last_year: Loaded | None, against) -> dict:
    """What every chain is checked against: last year's report given, the files made from."""
    return {
        "last_year": last_year,
        "sources": sources_by_agency(against) if against is not None else None,
    }


def _refuse_missing(against):
    """--against naming what is not there: a mistyped path, not a source missing for each page."""
    for path in [against] if isinstance(against, (str, Path)) else against or ():
        if not Path(path).exists():
            raise UsageError(f"--against：{path}：文件或文件夹不存在")


def _chains(pages: dict):
    """The readable pages, one agency's years together in order (its names chained under one
    key), each with the page of the year before it when there is one; its sketches left out."""
    read = {p: page for p, page in pages.items() if not page.reason}
    keys = agency_keys(page.agency for page in read.values())
    years = {(keys[page.agency], page.year): p for p, page in read.items() if page.agency}
    at = {p: i for i, p in enumerate(pages)}
    chains: dict = {}
    for p, page in read.items():  # a page no agency is named in stands alone
        chains.setdefault(keys[page.agency] if page.agency else p, []).append(p)
    for key in sorted(chains, key=str):
        yield [
            (
                p,
                replace(read[p], signatures=None),
                years.get((keys[read[p].agency], read[p].year - 1)) if read[p].agency else None,
            )
            for p in sorted(chains[key], key=lambda p: (read[p].year or 0, at[p]))
        ]


def _check_chain(chain: list) -> list[tuple[Path, tuple]]:
    """The findings of one agency's years, each against the year before it (each page's report
    read back once)."""
    pages = {path: page for path, page, _ in chain}
    reports: dict[Path, Report] = {}

    def report(path: Path) -> Report:
        if path not in reports:
            reports[path] = _year_report(pages[path])
        return reports[path]

    return [
        (path, _check_one(path, page, report(path), report(at) if at is not None else None))
        for path, page, at in chain
    ]


def _check_one(
    path: Path, page: Page, this: Report, before: Report | None
) -> tuple[list[Finding], list[Finding]]:
    """A page's findings, and (with --against) how it differs from the file it was made from."""
    last_year = _CONTEXT["last_year"]
    if before is None and last_year is not None and last_year.report.year == this.year - 1:
        before = last_year.report
    own_before, own_after = pickle.loads(page.own)  # made by this audit's own workers
    subject = page.loaded or Loaded(path, this, [], entered=False)
    findings = own_before + year_part(subject, before) + own_after
    if before is not None and name_key(before.agency) != name_key(this.agency):
        findings.append(_chained(this, before, path))
    sources = _CONTEXT["sources"]
    if sources is None:
        return findings, []
    return findings, _compared(_reading(path, page).report, path, sources)


def _unreadable(item: Audited) -> Finding:
    message = f"{item.path}：{item.reason}"
    return Finding("INPUT", ERROR, None, None, None, None, None, message, file=str(item.path))


def _chained(this: Report, before: Report, path) -> Finding:
    """Said when two names were taken as one agency to chain its years."""
    return Finding(
        "CHAIN-NAMES",
        INFO,
        None,
        None,
        None,
        before.agency,
        this.agency,
        f"按同一机关与上年报告对照：“{before.agency}”（{before.year}）"
        f"与“{this.agency}”（{this.year}）",
        file=str(path),
    )


def _compared(report, path: Path, sources: dict) -> list[Finding]:
    """The report against the workbook or JSON it was made from, matched by agency and year."""
    source = sources.get((name_key(report.agency), report.year))
    if source is None:
        return [
            Finding(
                "CHANGED-SOURCE",
                WARNING,
                None,
                None,
                None,
                None,
                None,
                "在 --against 中找不到这份报告的原稿（按机关名称和年度对应）",
                file=str(path),
            )
        ]
    return differences(report, source, str(path))
