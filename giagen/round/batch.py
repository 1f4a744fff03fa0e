"""A coordinator's round: the files collected, each read once, matched to its unit, published, compiled."""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..checks.localrules import load_rules
from ..checks.similarity import cross_copies
from ..core import definitions as d
from ..core.codedigest import code_digest
from ..core.exceptions import UsageError
from ..core.files import remove_leftovers, write_bytes, write_new
from ..output.docxtemplate import template_for
from ..output.templating import environment
from ..pipeline.collecting import collect, commonest_year, previous_by_agency
from ..pipeline.rendering import documents as render
from ..pipeline.rendering import parse_formats
from . import board as b
from . import summary
from .background import alongside, nothing, worker_started
from .confirmations import apply_confirmed, read_confirmed
from .publishing import publish, write_notices
from .region import compile_region
from .roster import read_roster
from .roundcache import cached, moved, read_cache, staged_files, staged_name, write_cache
from .units import OK, UNREADABLE, WARNINGS, Unit, input_record, read_unit, with_findings

STAGE = ".giagen-rendered"  # each clean unit's documents, named by the digest of what made them


def content_of(source: Path) -> str:
    """The sha256 of a file's bytes; a file that cannot be read gets a marker that is never cached."""
    try:
        return hashlib.sha256(source.read_bytes()).hexdigest()
    except OSError:
        return "unreadable:" + str(
            source
        )  # read again next time: the failure is not cached as content


def file_digest(settings: str, source: Path, content: str) -> str:
    """A file's key in the cache: by content (a moved folder stays cached) and kind (the same
    bytes as .zip and .rar are read apart), under the round's settings."""
    return hashlib.sha256((settings + source.suffix.lower() + content).encode()).hexdigest()


def settings_digest(formats, template: Path | None, previous: dict[str, Path]) -> str:
    """What every unit's outputs depend on besides its file: formats, template, last year's files."""

    # giagen's own code: what another version rendered or found is rendered and checked again
    h = hashlib.sha256(f"{code_digest()}|{d.schema_version()}|{','.join(formats)}".encode())
    h.update(template.read_bytes() if template else b"-")
    for agency, path in sorted(previous.items()):  # any change to last year's files re-checks all
        h.update(agency.encode() + path.read_bytes())
    return h.hexdigest()


# ---- One unit, in a worker --------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    """One file for a worker: where it is, its digests and what to render."""

    source: Path
    digest: str | None  # None: worked out by the worker from the bytes it reads (a first run)
    formats: tuple[str, ...]
    template: Path | None
    stage: str  # plain text: thousands of tasks cross to the workers
    content: str | None  # the file's hash when the round listed it, if it was hashed then
    local: tuple = ()  # the local rules (giagen.checks.localrules) checked as well
    settings: str = ""  # the round's settings digest, for a digest worked out here
    fresh: bool = (
        True  # no cache record names this digest: its staged files may be written in place
    )


_PREVIOUS: dict[str, Path] = {}  # last year's files by agency, in each worker


def _init(previous: dict[str, Path]):
    _PREVIOUS.clear()
    _PREVIOUS.update(previous)
    worker_started()


def process(task: Task) -> Unit:
    """Read, check and — when clean — render one file into the stage.

    A clean file of another year than the round's is rendered too (it is rare) and simply
    not published: the round's year is known only once every file has been read."""

    try:
        data = task.source.read_bytes()  # read once: what is hashed is what is checked
    except OSError:
        data = None  # read_unit says why
    content = (
        hashlib.sha256(data).hexdigest() if data is not None else "unreadable:" + str(task.source)
    )
    digest = task.digest or file_digest(task.settings, task.source, content)
    unit, report = read_unit(task.source, digest, _PREVIOUS, task.local, data)
    unit.content = content
    if data is None or (task.content is not None and content != task.content):
        unit.digest = (
            "reread-" + digest
        )  # unreadable, or rewritten since the round listed it: never cached
    if unit.kind in (OK, WARNINGS) and report is not None:  # a warning may be confirmed
        documents = render(report, task.formats, template=task.template)
        for fmt, data in documents.items():
            target = os.path.join(task.stage, staged_name(unit.digest, fmt))
            # in place only where no record can list a file cut short (see write_new); else whole
            write_new(target, data) if task.fresh else write_bytes(target, data)
        unit.rendered = list(documents)
    return unit


def _warm(template: Path | None):
    """Compile the templates before forking, so every worker starts with them."""

    _ = template_for(template).static  # the unchanging parts deflated once, before the fork
    environment().get_template("report.html.j2")


def _run(tasks: list[Task], jobs: int, previous: dict[str, Path]) -> Iterator[Unit]:
    """Each task's unit, in order; until the round lets go of it, what existed before is left out
    of the collector's walks (gc.freeze): a full collection then looks at the round's own objects
    only, and a forked worker never copies the pages of objects it would have walked."""
    gc.freeze()
    try:
        if jobs <= 1 or len(tasks) < 2:
            _init(previous)
            yield from map(process, tasks)
            return

        context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=_init, initargs=(previous,)
        ) as pool:
            try:
                yield from pool.map(
                    process, tasks, chunksize=max(1, min(8, len(tasks) // (jobs * 8)))
                )
            except BaseException:
                # waiting joins the pool's own thread now (a chunk's work at most): one let go
                # unjoined races Python 3.11's exit, which then prints "Bad file descriptor"
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    finally:
        gc.unfreeze()


# ---- The round --------------------------------------------------------------------------


@dataclass
class BatchResult:
    """What a round's run leaves: the board's rows, how many files were read, the region's report."""

    rows: list[b.Row]
    processed: int  # files read in this run (the others came from the cache)
    output_dir: Path
    year: int | None = None
    region: list[Path] = field(default_factory=list)
    region_draft: bool = True
    region_state: str = ""  # what became of the region's report, when one was asked for
    region_waiting: list = field(default_factory=list)  # (unit, status) that keep it a draft
    changes: int = 0
    notes: list[str] = field(default_factory=list)  # what the coordinator should know of the inputs

    @property
    def failed(self) -> list[b.Row]:
        """The rows that are not 可发布."""
        return [r for r in self.rows if r.status != b.READY]


def batch(
    inputs,
    output_dir: str | Path,
    to=("docx", "html"),
    jobs: int | None = None,
    previous: str | Path | None = None,
    template: str | Path | None = None,
    rollup: str | None = None,
    year: int | None = None,
    units: str | Path | None = None,
    deadline: dt.date | None = None,
    final: bool = False,
    progress: Callable[[int, int, object], None] | None = None,
    rules_file=None,
    confirmed: str | Path | None = None,
) -> BatchResult:
    """Collect, check and render every unit's file into `output_dir`; only changed files are read again.

    With `units` (a unit list) the round knows who is missing; each file is matched to its
    unit by the agency name inside it, the newest of several counting. The round is of one
    report year (`year`, else the one most files have). `confirmed`: a CSV of rows copied from
    findings.csv, warnings confirmed as true (see `confirmations`).
    """

    formats = parse_formats(to if isinstance(to, str) else ",".join(to))
    if "pdf" in formats:
        raise UsageError("批量生成只支持 docx、html；PDF 请对单个报告用 giagen render --to pdf")
    template = Path(template).resolve() if template else None
    if template:
        _warm(
            template
        )  # an agency's template that cannot serve is refused before any output exists
    out = Path(output_dir)
    for given in inputs:
        if Path(given).is_dir() and out.resolve() == Path(given).resolve():
            raise UsageError(
                f"-o {output_dir} 就是收集报告的文件夹：结果不能与收到的文件放在同一文件夹，"
                f"请另选一个，如 -o {Path(given).resolve().parent / '结果'}"
            )
    out.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out)
    roster = None
    if units is not None:
        roster = read_roster(units)
    confirmations, refused_lines = read_confirmed(confirmed) if confirmed else ([], [])
    links_out: list[Path] = []
    files = collect(inputs, exclude=out, links_out=links_out)
    if not files and roster is None:
        raise UsageError("没有找到报告文件")

    local = tuple(load_rules(rules_file)) if rules_file else ()
    last_year = previous_by_agency(previous)
    cache = read_cache(out)
    # with nothing cached (a first run), each file is hashed by the worker that reads it anyway
    contents = {p: content_of(p) for p in files} if cache else {}
    mtimes = {str(p): _mtime(p) for p in files}
    settings = settings_digest(formats, template, last_year) + (
        hashlib.sha256(Path(rules_file).read_bytes()).hexdigest() if rules_file else ""
    )
    stage = out / STAGE
    staged = set(staged_files(stage))
    tasks, done = [], {}
    for path in files:
        if not cache:
            tasks.append(Task(path, None, formats, template, str(stage), None, local, settings))
            continue
        digest = file_digest(settings, path, contents[path])
        hit = cached(cache.get(digest), digest, staged)
        if hit is not None and not contents[path].startswith("unreadable:"):
            done[str(path)] = moved(hit, path)
        else:
            tasks.append(
                Task(
                    path,
                    digest,
                    formats,
                    template,
                    str(stage),
                    contents[path],
                    local,
                    settings,
                    fresh=digest not in cache,
                )
            )
    if tasks:
        _warm(template)
    jobs = max(1, jobs or os.cpu_count() or 1)
    results = _run(tasks, jobs, last_year)
    try:
        for i, path in enumerate(files, start=1):
            if str(path) not in done:
                done[str(path)] = next(results)
            if progress:
                progress(i, len(files), done[str(path)])
    except BaseException:
        results.close()  # the workers stopped here, not when the interpreter ends
        if tasks:
            write_cache(out, done)  # what was read before the stop is kept
        raise
    clock = _first_seen(files, done, mtimes)
    recache = tasks or clock.pop("", None) or set(cache) != {u.digest for u in done.values()}
    refused = [refused_link(p) for p in links_out]
    if year is None:  # the year most files have
        year = commonest_year(done[str(p)].year for p in files)
    seen = {str(p): done[str(p)].seen for p in files}
    rows = b.assemble(
        copies_seen([done[str(p)] for p in files]) + refused,
        seen,
        roster,
        year,
        deadline,
        clock=clock,
    )
    if confirmations:
        apply_confirmed(rows, confirmations)
    notes = (roster.repeated if roster else []) + [f"确认文件{line}" for line in refused_lines]
    result = BatchResult(rows, len(tasks), out, year, notes=notes)

    result.changes = summary.append_log(rows, out, dt.datetime.now())
    renumber = tasks or result.changes or not (out / "units.xlsx").exists()

    def write_records():
        if recache:
            write_cache(out, done)
        if renumber:
            summary.write_numbers(rows, out / "units.xlsx")

    # the cache and units.xlsx are written beside the rest, by one forked process (each fork makes
    # the pages this process then touches copies), when there are cores to spare
    records_written = alongside(write_records, jobs > 1) if recache or renumber else nothing
    links, placed = publish(rows, out, stage)

    region = None
    if rollup:
        result.region, result.region_draft, region = compile_region(
            rows, rollup, year, out, final, template, formats
        )
        result.region_state, result.region_waiting = region["state"], region.get("waiting", [])
    links.update(write_notices(rows, out, year, deadline, rollup))
    summary.write_status(rows, out, links)
    summary.write_findings(rows, out)
    summary.write_index(rows, out, links, year, deadline, region)
    summary.write_column(rows, out, links, year, region)
    placed()
    records_written()
    return result


def copies_seen(units: list[Unit]) -> list[Unit]:
    """Every unit with a PROSE-COPIED warning for each other unit whose 一 or 五 is nearly its own."""

    entries = [(u.source, u.agency or "", u.prose) for u in units if u.prose and u.agency]
    found = cross_copies(entries)
    return [
        with_findings(u, [replace(f, file=u.source) for f in found.get(u.source, [])])
        for u in units
    ]


def refused_link(path: Path) -> Unit:
    """A link in the collected folder that leads out of it: listed, never read."""

    message = f"{path}：这是指向所收集文件夹之外的链接，未读取；请把文件本身放进文件夹"
    return Unit(
        str(path), "link-" + str(path), UNREADABLE, errors=1, findings=[input_record(path, message)]
    )


_SKEW = 300  # seconds a sender's clock may run ahead before its file's time is said to be wrong


def _first_seen(files, done: dict[str, Unit], mtimes: dict[str, float]) -> dict[str, float]:
    """Give each file the time giagen first saw its bytes: kept in the cache from the run that
    first read them; on that run its modification time, unless that lies in the future (a
    sender's clock set wrong, kept by the copy), when it is now. Returns the files whose time
    lies in the future, with that time; the key "" when a time was given (the cache changes)."""
    now, future, given = dt.datetime.now().timestamp(), {}, False
    for path in map(str, files):
        unit, mtime = done[path], mtimes.get(path, 0.0)
        if mtime > now + _SKEW:
            future[path] = mtime
        if not unit.seen:
            unit.seen, given = (min(mtime, now) if mtime > 0 else now), True
    return {**future, **({"": now} if given else {})}


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
