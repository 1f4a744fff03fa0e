"""One submitted file, checked and rendered: the record a round keeps of it."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from ..checks.similarity import signatures
from ..core import definitions as d
from ..core.exceptions import GiagenError
from ..core.findings import ERROR, WARNING, Finding
from ..core.model import Report, report_from_data
from ..pipeline.checking import check_loaded, input_finding
from ..pipeline.reports import load
from ..workbook.xlsxwrite import cells

# What a file turned out to be, before the round assigns it to a unit.
OK, WARNINGS, ERRORS, UNFILLED, UNREADABLE, OWN = (
    "ok",
    "warnings",
    "errors",
    "unfilled",
    "unreadable",
    "own",
)
# Files a unit may send that giagen cannot read, and what to ask for instead.
OTHER_FORMATS = {
    ".xls": "请另存为 .xlsx",
    ".xlsm": "请另存为 .xlsx（不带宏）",
    ".et": "请另存为 .xlsx",
    ".wps": "请另存为 .xlsx",
    ".ods": "请另存为 .xlsx",
    ".doc": "请用 giagen 的 .xlsx 工作簿填报",
    ".docx": "请用 giagen 的 .xlsx 工作簿填报",
    ".pdf": "请用 giagen 的 .xlsx 工作簿填报",
    ".txt": "请用 giagen 的 .xlsx 工作簿填报",
    ".csv": "请用 giagen 的 .xlsx 工作簿填报",
    ".zip": "请解压后只报送 .xlsx 工作簿",
    ".rar": "请解压后只报送 .xlsx 工作簿",
    ".7z": "请解压后只报送 .xlsx 工作簿",
}
# A photo or scan of the filled form: the numbers are in the picture, not in cells.
OTHER_FORMATS |= {
    suffix: "这是图片，请报送填好的 .xlsx 工作簿"
    for suffix in (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".heic", ".webp")
}
REGION_MARK = "giagen:region"  # the keyword of a region's workbook: never collected as a unit


@dataclass
class Unit:
    """What the round knows of one file once it was read, checked and (if clean) rendered."""

    source: str
    digest: str
    kind: str  # OK, WARNINGS, ERRORS, UNFILLED, UNREADABLE, OWN
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    date: str | None = None
    errors: int = 0
    warnings: int = 0
    findings: list[Finding] = field(default_factory=list)
    numbers: dict | None = None  # every statutory number, keyed "table/row/column"
    rendered: list[str] = field(default_factory=list)  # formats staged under the digest
    content: str = ""  # the file's own hash
    prose: dict | None = None  # MinHash signatures of 一 and 五, to find units that copy each other
    seen: float = 0.0  # when giagen first saw these bytes (epoch seconds), kept in the cache
    row_cells: str = (
        ""  # the numbers as units.xlsx cells, made where the file was read; never cached
    )

    # From a worker to the round, the numbers travel as values in the edition's key order and come
    # back keyed by the one shared set of key strings: ten thousand units' keys are not copied each.
    def __getstate__(self) -> dict:
        state = dict(vars(self))
        if (
            self.numbers
            and self.edition in d.BY_ID
            and tuple(self.numbers) == number_keys(self.edition)
        ):
            state["numbers"] = tuple(self.numbers.values())
        return state

    def __setstate__(self, state: dict):
        if isinstance(state.get("numbers"), tuple):
            state["numbers"] = dict(zip(number_keys(state["edition"]), state["numbers"]))
        self.__dict__.update(state)


def numbers_of(report: Report) -> dict[str, object]:
    """Every statutory number of a report keyed by `table/row/column` (the cache keeps them so)."""
    values = {}
    for key, table, row, column in _number_places(report.spec):
        value = getattr(report, table)[row][column]
        values[key] = str(value) if type(value) is Decimal else value
    if report.processing_fee is not None:
        for f in d.PROCESSING_FEE_FIELDS:
            value = getattr(report.processing_fee, f.id)
            values[f"processing_fee/processing_fee/{f.id}"] = (
                str(value) if isinstance(value, Decimal) else value
            )
    return values


@functools.cache
def number_keys(edition_id: str) -> tuple[str, ...]:
    """The keys (`table/row/column`) of an edition's numbers as numbers_of gives them, one shared tuple."""
    ed = d.edition(edition_id)
    fee = (
        [f"processing_fee/processing_fee/{f.id}" for f in d.PROCESSING_FEE_FIELDS]
        if ed.has_processing_fee
        else []
    )
    return tuple(key for key, _, _, _ in _number_places(ed)) + tuple(fee)


@functools.cache
def _number_places(ed: d.Edition) -> tuple[tuple[str, str, str, str], ...]:
    """(key, table, row, column) of every number of an edition's tables, in the definitions' order."""
    return tuple(
        (f"{table}/{line.id}/{f.id}", table, line.id, f.id)
        for table in d.TABLE_SECTIONS
        for line in d.table_shape(ed, table)[0]
        for f in d.table_shape(ed, table)[1](line.id)
    )


def report_of(unit: Unit) -> Report:
    """A unit's report again from its numbers: the tables are all a rollup needs."""
    data: dict = {"edition": unit.edition, "year": unit.year, "agency": unit.agency or ""}
    for key, value in (unit.numbers or {}).items():
        table, row, column = key.split("/")
        if table == "processing_fee":
            data.setdefault(table, {})[column] = value
        elif (table, row, column) in _keys(unit.edition):
            data.setdefault(table, {}).setdefault(row, {})[column] = value
    return report_from_data(data, formed=True)[0]


@functools.cache
def _keys(edition_id: str) -> set[tuple[str, str, str]]:
    return {(table, row, column) for _, table, row, column in _number_places(d.edition(edition_id))}


def numbers_row(numbers: dict) -> list:
    """A unit's numbers in the order of units.xlsx's columns, blank where its edition has none."""
    return list(map(numbers.get, _column_keys()))


@functools.cache
def _column_keys() -> tuple[str, ...]:
    return tuple(key for key, _ in number_columns())


def number_columns() -> list[tuple[str, str]]:
    """Every statutory number of both editions as (key, heading), 2021 first: units.xlsx's columns."""
    columns, seen = [], set()
    for ed in reversed(d.editions()):  # the newest edition's columns first
        for table, section in d.TABLE_SECTIONS.items():
            lines, fields_of = d.table_shape(ed, table)
            for line in lines:
                for f in fields_of(line.id):
                    key = f"{table}/{line.id}/{f.id}"
                    if key not in seen:
                        seen.add(key)
                        columns.append((key, f"{section}·{d.row_caption(line)}·{f.label}"))
    for f in d.PROCESSING_FEE_FIELDS:
        columns.append((f"processing_fee/processing_fee/{f.id}", f"六·信息处理费·{f.label}"))
    return columns


def read_unit(
    source: Path, digest: str, previous: dict[str, Path], local=(), data: bytes | None = None
) -> tuple[Unit, object]:
    """Read and check one file (its bytes `data` when already read); never raises for a bad file.

    Returns the record and the report."""

    suffix = source.suffix.lower()
    if suffix in OTHER_FORMATS:
        message = f"{source}：{suffix} 文件无法读取，{OTHER_FORMATS[suffix]}"
        return Unit(
            str(source), digest, UNREADABLE, errors=1, findings=[input_record(source, message)]
        ), None
    try:
        loaded = load(source, data=data if suffix == ".xlsx" else None)
        if REGION_MARK in loaded.keywords:  # the region's own workbook, put among the units' files
            return Unit(str(source), digest, OWN), None
        prev_path = previous.get(loaded.report.agency)
        before = load(prev_path) if prev_path else None
        if before is not None and before.report.year != loaded.report.year - 1:
            before = None
        findings = check_loaded(loaded, before, local)
    except GiagenError as exc:
        finding = input_finding(source, exc)
        return Unit(str(source), digest, UNREADABLE, errors=1, findings=[finding]), None
    report = loaded.report
    found = list(findings)
    errors = sum(f.severity == ERROR for f in found)
    warnings = sum(f.severity == WARNING for f in found)
    kind = (
        UNFILLED
        if any(f.rule == "UNFILLED" for f in found)
        else ERRORS
        if errors
        else WARNINGS
        if warnings
        else OK
    )

    numbers = numbers_of(report)
    return Unit(
        str(source),
        digest,
        kind,
        report.agency,
        report.year,
        report.edition,
        report.date.isoformat() if report.date else None,
        errors,
        warnings,
        found,
        numbers,
        prose=signatures(report),
        row_cells=cells(numbers_row(numbers)),
    ), report


def with_findings(unit: Unit, extra: list[Finding]) -> Unit:
    """The unit with findings that only the whole round sees (copied prose); a clean unit now warns."""
    if not extra:
        return unit
    kind = WARNINGS if unit.kind == OK else unit.kind
    return replace(
        unit, kind=kind, findings=unit.findings + extra, warnings=unit.warnings + len(extra)
    )


def input_record(source: Path, message: str) -> Finding:
    """The INPUT finding of a file that cannot be read, as the round keeps it."""
    return Finding("INPUT", ERROR, None, None, None, None, None, message, file=str(source))
