"""The report (`giagen/report@1`): plain dataclasses, and how raw data becomes one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
from decimal import Decimal
from typing import Optional

from . import definitions as d
from .exceptions import InputError
from .findings import ERROR, INFO, Finding
from .identity import agency_of, parse_date, parse_year
from .numbers import DATA, MAX_COUNT, TYPED, BadValue, format_value, parse_value, shown
from .totals import Table, expected_total, is_total


@dataclasses.dataclass
class ProcessingFee:
    """信息处理费 figures (2021 edition, section 六)."""

    notices: Optional[int] = 0
    notice_amount_yuan: Optional[Decimal] = Decimal(0)
    collected_yuan: Optional[Decimal] = Decimal(0)


# Every value is read and checked where raw data becomes a report (report_from_data), so the
# report itself is a plain container: no validation layer to import or run again.
@dataclasses.dataclass(kw_only=True)
class Report:
    """One agency's annual report; tables are keyed by the row and column ids of definitions."""

    schema_: str = d.SCHEMA  # written as "schema"
    edition: str  # an id of definitions.BY_ID
    year: int
    agency: str
    title: Optional[str] = None
    date: Optional[dt.date] = None
    preamble: Optional[str] = None
    overview: str = ""
    proactive: Table
    requests: Table
    litigation: Table
    problems: str = ""
    other: str = ""
    processing_fee: Optional[ProcessingFee] = None
    # Where a report read back from a published document came from and what reading it saw;
    # None for a report a clerk prepares. Written as "import".
    import_: Optional[dict] = None

    @property
    def published(self) -> bool:
        """Read back from a published document: audited as it stands, not as a clerk's draft."""
        return self.import_ is not None

    @property
    def spec(self) -> d.Edition:
        """The report's edition."""
        return d.edition(self.edition)

    @property
    def full_title(self) -> str:
        """The title as printed: the given one, or agency + year + 年政府信息公开工作年度报告."""
        return self.title or f"{self.agency}{self.year}年政府信息公开工作年度报告"

    def to_data(self) -> dict:
        """The JSON form, totals included, amounts as strings."""
        data = {
            ALIASES.get(f.name, f.name): _json(getattr(self, f.name))
            for f in dataclasses.fields(self)
        }
        if self.processing_fee is None:
            del data["processing_fee"]
        if self.import_ is None:
            del data["import"]
        return data

    def replace(self, **changes) -> "Report":
        """A copy with `changes` (the tables shared, as they are never changed in place)."""
        return dataclasses.replace(self, **changes)


ALIASES = {"schema_": "schema", "import_": "import"}


_PLAIN = frozenset({int, str, type(None), bool, float})  # already their JSON form


def _json(value):
    """A value in its JSON form: amounts as strings, dates as ISO text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):  # a table's cells are mostly counts: taken as they are
        return {k: v if type(v) in _PLAIN else _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [v if type(v) in _PLAIN else _json(v) for v in value]
    if isinstance(value, ProcessingFee):
        return _json(dataclasses.asdict(value))
    return value


# ---- From raw data (JSON or what a workbook's cells hold) ----------------------------------

PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
UNIT_WORDS = {d.AMOUNT: "万元", d.YUAN: "元"}


def read_as(value, kind: str) -> str:
    """A value read from a cell, with its unit: `12`, `17.436 万元`, `—`."""
    unit = UNIT_WORDS.get(kind) if value is not None else None
    return f"{format_value(value, kind)} {unit}" if unit else format_value(value, kind)


def tolerated(raw: str, value, kind: str) -> bool:
    """Whether text in a cell was read with some tolerance (`１２`, `3件`, `1,234`, `174360元`): the clerk is told.

    Not a number Excel stores as text (`12`), nor a large amount as giagen itself writes it (`123456.5万元`).
    """
    text = raw.strip()
    return (
        bool(text)
        and not PLAIN_NUMBER.fullmatch(text)
        and text != read_as(value, kind).replace(" ", "")
    )


Cells = dict[tuple[str, Optional[str], Optional[str]], str]


def report_from_data(
    data, cells: Cells | None = None, mode: str = DATA, formed: bool = False
) -> tuple[Report, list[Finding]]:
    """Build a report from JSON-shaped raw data, numbers read in `mode` (see giagen.core.numbers).

    The data's form (its fields, tables, rows and columns) is held to the pydantic model of its
    edition (giagen.core.reportmodel), unless `formed`: made by giagen's own code (a workbook's
    or a page's reader, a report's own `to_data`), whose form holds by construction. Values
    that are not numbers become VALUE-TYPE findings (at their workbook cell when `cells` maps
    them, else by JSON path) and count as "does not apply". Omitted totals are derived; given
    totals are kept. Raises InputError when the data is not a report at all.
    """
    cells = cells or {}
    if not isinstance(data, dict):
        raise InputError("内容不是一份报告（应为 JSON 对象）")
    schema = data.get("schema", d.SCHEMA)
    if schema != d.SCHEMA:
        raise InputError(f"不认识的格式 schema={schema!r}，应为 {d.SCHEMA}")
    year = parse_year(data.get("year"))
    edition_id = str(data.get("edition") or d.edition_for_year(year).id)
    if edition_id not in d.BY_ID:
        raise InputError(f"格式版本 edition={edition_id!r} 无效，应为 {' 或 '.join(d.BY_ID)}")
    ed = d.edition(edition_id)
    if not formed:
        # lazy: pydantic (70 ms and more) only for data from outside giagen's own readers
        from .reportmodel import form_error

        problem = form_error({**data, "edition": edition_id}, ed)
        if problem:
            raise InputError(problem)
    findings: list[Finding] = []

    def number(section, row, column, raw, kind):
        try:
            value = parse_value(raw, kind, mode)
        except BadValue as bad:
            place = d.describe(ed, section, row, column)
            findings.append(
                Finding(
                    "VALUE-TYPE",
                    ERROR,
                    section,
                    row,
                    column,
                    kind_name(kind),
                    as_seen(raw),
                    f"{place}：{bad}（实际填写 {shown(raw)}）"
                    + (f"（JSON 路径 {json_path(section, row, column)}）" if mode == DATA else ""),
                    cells.get((section, row, column)),
                )
            )
            return None
        if mode == TYPED and isinstance(raw, str) and tolerated(raw, value, kind):
            findings.append(
                Finding(
                    "VALUE-READ",
                    INFO,
                    section,
                    row,
                    column,
                    format_value(value, kind),
                    raw,
                    f"{d.describe(ed, section, row, column)}：填写 {shown(raw)}，按 {read_as(value, kind)} 读入",
                    cells.get((section, row, column)),
                )
            )
        return value

    tables = {}
    for table, section in d.TABLE_SECTIONS.items():
        tables[table] = _table(ed, table, section, data.get(table), number)
    fee = data.get("processing_fee")
    if fee is not None:
        fee = {
            f.id: number("六", "processing_fee", f.id, fee.get(f.id, 0), f.kind)
            for f in d.PROCESSING_FEE_FIELDS
        }
    fields = {k: data[k] for k in d.TEXT_FIELDS if data.get(k) is not None}
    if data.get("import") is not None:
        fields["import_"] = data["import"]
    for key in ("agency", *fields):
        clean_text(data.get(key), TEXT_NAMES.get(key, key), cells.get(d.text_key(key)))
    # Every value was read and checked above, the tables number by number: the model is
    # built as it stands (a batch builds thousands).
    report = Report(
        edition=edition_id,
        year=year,
        agency=agency_of(data.get("agency")),
        date=parse_date(data.get("date")),
        processing_fee=ProcessingFee(**fee) if fee is not None else None,
        **fields,
        **tables,
    )
    return report, findings


def json_path(section: str, row: str | None, column: str | None) -> str:
    """Where a value stands in a report's JSON: `requests.total.natural_person`."""
    table = next((t for t, s in d.TABLE_SECTIONS.items() if s == section), row)
    return ".".join(part for part in (table, row if table != row else None, column) if part)


TEXT_NAMES = {
    "agency": "机关名称",
    "title": "报告标题",
    "preamble": "前言",
    "overview": d.SECTION_TITLES["一"],
    "problems": d.SECTION_TITLES["五"],
    "other": d.SECTION_TITLES["六"],
}
# Control characters (but tab and newlines) and lone surrogates: no document can hold them.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(value, name: str, cell: str | None = None) -> None:
    """Refuse text that no workbook, DOCX or web page can hold, naming the field and the character."""
    if isinstance(value, str):
        bad = _UNWRITABLE.search(value)
        if bad:
            where = f"{cell}（{name}）" if cell else name
            raise InputError(
                f"{where}第 {bad.start() + 1} 个字符是控制字符或无效字符"
                f"（U+{ord(bad.group()):04X}），请删除后再试"
            )


def kind_name(kind: str) -> str:
    """What a value of `kind` must be, for messages."""
    return {
        d.AMOUNT: "数字（金额，万元）",
        d.YUAN: "数字（金额，元）",
        d.SIGNED: "整数（可带正负号）",
    }.get(kind, "非负整数")


def as_seen(raw):
    """A raw value for a finding's `actual`: as it was, where JSON can hold it."""
    if isinstance(raw, (str, int, bool)) or raw is None:
        return str(raw) if isinstance(raw, str) else raw
    if isinstance(raw, float) and math.isfinite(raw):
        return raw
    return shown(raw)


def _table(ed, table, section, raw, number) -> Table:
    plan = _table_plan(ed, table)
    raw = {} if raw is None else raw
    result, derive = {}, []
    for line_id, fields in plan:  # rows and columns as the report's form has them
        row = raw.get(line_id) or {}
        values = result[line_id] = {}
        for field_id, kind, total in fields:
            raw_value = row.get(field_id)
            if raw_value is None:
                if total:
                    values[field_id] = (
                        None  # its place kept (the definitions' order); derived below
                    )
                    derive.append((line_id, field_id))
                    continue
                raw_value = row.get(field_id, 0)  # left out: 0; null: does not apply
            if type(raw_value) is int and kind in _WHOLE and -MAX_COUNT <= raw_value <= MAX_COUNT:
                values[field_id] = raw_value  # the common case, read as it stands
            else:
                values[field_id] = number(section, line_id, field_id, raw_value, kind)
    # （七）总计's parts first, then each row's 总计: the corner of 三 is the sum of its row
    for line_id, field_id in sorted(derive, key=lambda place: place[1] == "total"):
        result[line_id][field_id] = expected_total(ed, table, result, line_id, field_id)
    return result


@functools.lru_cache(maxsize=None)
def _table_plan(ed: d.Edition, table: str) -> tuple:
    """A table's rows, and per row each column's (id, kind, is a total)."""
    lines, fields_of = d.table_shape(ed, table)
    return tuple(
        (ln.id, tuple((f.id, f.kind, is_total(table, ln.id, f.id)) for f in fields_of(ln.id)))
        for ln in lines
    )


_WHOLE = (d.COUNT, d.SIGNED)  # the kinds whose values are whole numbers


def blank_report(year: int, agency: str = "") -> Report:
    """An all-zero report of the right edition for `year`, as the template holds it."""
    report, _ = report_from_data({"year": year, "agency": agency or "-"}, formed=True)
    fee = ProcessingFee() if report.spec.has_processing_fee else None
    return report.replace(agency=agency, processing_fee=fee)


def carry_forward(report: Report, previous: Report) -> Report:
    """`report` with what last year's report carries into it: 二、上年结转 from last year's
    四、结转下年度继续办理, and 现行有效件数 (2021) or 上一年项目数量 (2019) as last year left them."""
    data = report.to_data()
    data["requests"]["carried_over"] = {
        k: v for k, v in previous.requests["carried_forward"].items() if k != "total"
    }
    for row in data["requests"].values():  # totals follow again from the carried parts
        row.pop("total", None)
    data["requests"].pop("total", None)
    for line_id, row in data["proactive"].items():  # wherever both years have the row
        before = previous.proactive.get(line_id)
        if before is not None:
            if "in_force" in row and before.get("in_force") is not None:
                row["in_force"] = before["in_force"]
            if "last_year_items" in row and before.get("last_year_items") is not None:
                row["last_year_items"] = before["last_year_items"] + (before.get("change") or 0)
    carried, _ = report_from_data(data, formed=True)
    return carried
