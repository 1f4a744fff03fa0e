"""The clerk's workbook, read back: every label verified, every cell read as typed."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from pathlib import Path

from ..core import definitions as d
from ..core.exceptions import InputError
from ..core.findings import ERROR, INFO, WARNING, Finding
from ..core.identity import (
    LUNAR_MONTH,
    TIME_OF_DAY,
    agency_name,
    cn_year,
    only_a_number,
    parse_date,
)
from ..core.model import Cells, Report, report_from_data
from ..core.numbers import NO_VALUE, TYPED, CellError, Displayed, shown
from ..core.tables import grids
from .cells import (
    FACT_ROWS,
    FACTS_SHEET,
    FIRST_FACT_ROW,
    GRID_TOP,
    address,
    cell_map,
    fact_rows,
    text_cells,
)
from .sheetxml import Sheets
from .xlsxread import read_sheets

_TABLE_OF = {section: table for table, section in d.TABLE_SECTIONS.items()}
_FACT_HEADER = ("项目", "填写内容", "说明")
SHEETS = (FACTS_SHEET, "二", "三", "四")


def read_workbook(
    path: str | Path, data: bytes | None = None
) -> tuple[Report, list[Finding], Cells, str]:
    """Read a clerk's workbook (from `data` when its bytes are already read).

    Returns the report, what reading found, where each value stands, and the workbook's keywords."""
    sheets = read_sheets(path, *_layout(), data=data)
    _check_fact_labels(sheets, FACT_ROWS)
    edition_ref = f"B{FIRST_FACT_ROW + 2}"
    edition_id = _text(sheets.get(FACTS_SHEET, edition_ref)).removesuffix(".0")
    if edition_id not in d.BY_ID:
        raise InputError(
            f"{FACTS_SHEET}!{edition_ref}：格式版本应为 {' 或 '.join(d.BY_ID)}，实际为 {edition_id!r}"
            "（请用 giagen template 生成的工作簿填写）"
        )
    _check_fact_labels(sheets, fact_rows(edition_id))
    _check_table_labels(sheets, edition_id)
    findings: list[Finding] = []
    raw = {"edition": edition_id, **_facts(sheets, edition_id, findings)}
    fee = {}
    values = sheets.values
    for _section, row, column, sheet, coordinate, table, is_total in _places(edition_id):
        value = values.get(sheet, {}).get(coordinate, "")
        if table is None:  # 六's fee, on 基本信息
            if value != "":
                fee[column] = value
            continue
        if is_total and (value == "" or value is NO_VALUE):
            continue  # a total left to its formula: derived from its parts
        raw.setdefault(table, {}).setdefault(row, {})[column] = value
    if fee:
        raw["processing_fee"] = fee
    cells = _cells_of(edition_id)
    report, value_findings = report_from_data(raw, cells, mode=TYPED, formed=True)
    findings += value_findings + _strays(sheets) + _renamed(sheets)
    return report, findings, dict(cells), sheets.keywords


@functools.cache
def _places(edition_id: str) -> tuple[tuple, ...]:
    """Each number's (section, row, column, sheet, cell, table, is_total), worked out once an edition."""
    places = []
    for (section, row, column), ref in cell_map(edition_id).items():
        sheet, coordinate = ref.split("!")
        is_total = section in ("三", "四") and "total" in (row, column)
        places.append((section, row, column, sheet, coordinate, _TABLE_OF.get(section), is_total))
    return tuple(places)


@functools.cache
def _cells_of(edition_id: str) -> Cells:
    """Where every number, fact and prose field stands (callers get a copy)."""
    return {**cell_map(edition_id), **text_cells(edition_id)}


@functools.cache
def _layout() -> tuple[dict[str, frozenset[str]], dict[str, tuple[int, int]]]:
    """The cells giagen reads, of both editions, and how far each sheet's tables reach."""
    wanted = {s: set() for s in SHEETS}
    extent = {s: (0, 0) for s in SHEETS}
    for edition_id in d.BY_ID:
        for section, ref, _ in _table_labels(edition_id):
            wanted[section].add(ref)
        for ref in cell_map(edition_id).values():
            sheet, coordinate = ref.split("!")
            wanted[sheet].add(coordinate)
        for section, grid in grids(d.edition(edition_id)).items():
            rows, cols = extent[section]
            # one row and column more: 三's and 四's status cells
            extent[section] = (max(rows, GRID_TOP[section] + grid.rows), max(cols, grid.cols + 1))
        facts = len(fact_rows(edition_id))
        for i in range(facts + 1):
            wanted[FACTS_SHEET] |= {f"A{FIRST_FACT_ROW + i - 1}", f"B{FIRST_FACT_ROW + i - 1}"}
        extent[FACTS_SHEET] = (max(extent[FACTS_SHEET][0], FIRST_FACT_ROW + facts - 1), 3)
    wanted[FACTS_SHEET] |= {"C2"}
    return {
        s: frozenset(cells) for s, cells in wanted.items()
    }, extent  # frozen: hashed once, as a key


def _text(value) -> str:
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return "" if value is None or value is NO_VALUE else str(value).strip()


def _check_fact_labels(sheets: Sheets, rows):
    for col, text in zip("ABC", _FACT_HEADER):
        if _text(sheets.get(FACTS_SHEET, f"{col}2")) != text:
            raise InputError(
                f"{FACTS_SHEET}!{col}2：应为“{text}”，“基本信息”表的结构已被改动"
                "（请勿插入、删除或移动行和列）"
            )
    for i, (_, label, _) in enumerate(rows):
        ref = f"A{FIRST_FACT_ROW + i}"
        seen = _text(sheets.get(FACTS_SHEET, ref))
        if seen != label:
            raise InputError(
                f"{FACTS_SHEET}!{ref}：应为“{label}”，实际为“{seen}”，“基本信息”表的行"
                "已被插入、删除或移动，内容会错位，未读取（请恢复原来的行顺序）"
            )


@functools.cache
def _table_labels(edition_id: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (section, address(grid, cell), cell.text)
        for section, grid in grids(d.edition(edition_id)).items()
        for cell in grid.cells
        if cell.key is None
    )


def _check_table_labels(sheets: Sheets, edition_id: str):
    """Refuse a workbook whose labels are not this edition's: reading it would misplace numbers."""
    if all(
        list(map(sheets.values.get(section, {}).get, refs))
        == texts  # every label exactly as written
        for section, refs, texts in _labels_by_sheet(edition_id)
    ):
        return
    for section, ref, text in _table_labels(edition_id):
        if _text(sheets.get(section, ref)) != text:
            raise InputError(
                f"{section}!{ref}：应为“{text}”，工作簿的表格结构与 "
                f"{edition_id} 版格式不符（请勿插入、删除或改写表头和行名）"
            )


@functools.cache
def _labels_by_sheet(edition_id: str) -> tuple[tuple[str, tuple[str, ...], list[str]], ...]:
    """Each sheet's label cells and their texts, to compare in one step."""
    by_sheet: dict[str, tuple[list, list]] = {}
    for section, ref, text in _table_labels(edition_id):
        refs, texts = by_sheet.setdefault(section, ([], []))
        refs.append(ref)
        texts.append(text)
    return tuple((section, tuple(refs), texts) for section, (refs, texts) in by_sheet.items())


def _facts(sheets: Sheets, edition_id: str, findings: list[Finding]) -> dict:
    """Agency, year, date and prose from 基本信息; a value that cannot be one is a finding."""
    raw = {}
    for i, (key, label, _) in enumerate(fact_rows(edition_id)):
        ref = f"{FACTS_SHEET}!B{FIRST_FACT_ROW + i}"
        value = sheets.get(FACTS_SHEET, ref.split("!")[1])
        if key == "edition" or key.startswith("processing_fee."):
            continue
        if isinstance(value, Displayed):  # a date or year formatted as one: its number counts
            value = value.value

        def bad(reason: str, value=value, ref=ref, key=key, label=label):
            findings.append(
                Finding(
                    "VALUE-TYPE",
                    ERROR,
                    *d.text_key(key),
                    None,
                    shown(value),
                    f"{label}：{reason}（实际填写 {shown(value)}）",
                    ref,
                )
            )

        if isinstance(value, CellError) or value is NO_VALUE:
            bad("单元格没有可用的内容，请直接填写")
            value = ""
        if key == "year":
            raw["year"] = _year(value, bad)
            if raw["year"] is None and not _text(
                value
            ):  # a year written wrongly is VALUE-TYPE alone
                findings.append(
                    Finding(
                        "REQUIRED",
                        ERROR,
                        None,
                        "year",
                        None,
                        "必填",
                        "",
                        "报告年度：尚未填写，请填写四位年份，如 2024",
                        ref,
                    )
                )
            elif raw["year"] is not None and _text(value) != str(raw["year"]):
                findings.append(
                    Finding(
                        "VALUE-READ",
                        INFO,
                        None,
                        "year",
                        None,
                        raw["year"],
                        _text(value),
                        f"{label}：填写 {shown(value)}，按 {raw['year']} 读入",
                        ref,
                    )
                )
        elif key == "date":
            raw["date"] = _date(value, sheets.date1904, bad)
            timed = isinstance(value, str) and TIME_OF_DAY.search(value.strip())
            if (
                raw["date"]
                and timed
                and not re.fullmatch(r"T?\s*0?0:00(:00)?(\.0+)?Z?", timed.group().strip())
            ):
                findings.append(
                    _read_as(label, value, f"{raw['date']:%Y年%-m月%-d日}（时间不计）", ref, "date")
                )
        elif key == "agency" and only_a_number(value):
            bad("机关名称应为单位的全称（文字），如“某某县统计局”，不能只是数字")
        else:
            text = value if isinstance(value, str) else _text(value)
            raw[key] = text.replace("\r\n", "\n").strip() or None
            one_line = agency_name(raw[key]) if key == "agency" and raw[key] else raw[key]
            if (
                one_line != raw[key]
            ):  # the model makes it one line; the clerk is told here, at the cell
                findings.append(
                    Finding(
                        "VALUE-READ",
                        INFO,
                        None,
                        "agency",
                        None,
                        one_line,
                        raw[key],
                        f"{label}：填写 {shown(raw[key].replace(chr(10), '↵'))}，按 “{one_line}” 读入",
                        ref,
                    )
                )
    raw["agency"] = raw.get("agency") or ""
    if raw["year"] is None:  # the REQUIRED error stands; a year is still needed to read on
        raw["year"] = raw["date"].year - 1 if raw.get("date") else fallback_year(edition_id)
    return raw


def _read_as(label: str, value, read: str, ref: str, key: str) -> Finding:
    """A VALUE-READ note at a 基本信息 cell: what was typed, and how it was read."""
    return Finding(
        "VALUE-READ",
        INFO,
        None,
        key,
        None,
        read,
        _text(value),
        f"{label}：填写 {shown(value)}，按 {read} 读入",
        ref,
    )


def fallback_year(edition_id: str) -> int:
    """A year of the edition, for a workbook whose year is missing (a REQUIRED error stands)."""
    first, last = d.edition(edition_id).years
    return last or max(first, dt.date.today().year - 1)


def _year(value, bad) -> int | None:
    """`2023`, and what means it beyond doubt: `２０２３`, `2023年`, `2023年度`, `二〇二三年`."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", _text(value)))
    digits = re.fullmatch(r"(\d{4})(?:年度?)?", text)
    year = int(digits.group(1)) if digits else cn_year(text.removesuffix("度").removesuffix("年"))
    if year is not None and 1990 <= year <= 2200:
        return year
    if text:
        bad("报告年度应为四位年份，如 2024")
    return None


def _date(value, date1904: bool, bad) -> dt.date | None:

    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 < value < 80000:  # an Excel date serial (1990 … 2119)
            base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
            return base + dt.timedelta(days=int(value))
        bad("落款日期应写作 2025-01-20 或 2025年1月20日")
        return None
    text = _text(value)
    if not text:
        return None
    try:
        return parse_date(text)
    except InputError as exc:
        lunar = LUNAR_MONTH.search(text)
        bad(
            f"{lunar.group()}是农历月份，请写公历日期，如 2025年1月20日"
            if lunar and "农历" in str(exc)
            else "落款日期应写作 2025-01-20 或 2025年1月20日"
        )
        return None


def _strays(sheets: Sheets) -> list[Finding]:
    """Values typed outside the tables: never read into the report, named so they can be removed."""
    return [
        Finding(
            "STRAY-VALUE",
            WARNING,
            None,
            None,
            None,
            "空白",
            shown(value),
            f"{sheet}!{ref} 在表格范围之外却有内容 {shown(value)}，未读入报告；"
            "请删除，或填到表格中对应的格子",
            f"{sheet}!{ref}",
        )
        for sheet, ref, value in sheets.strays
    ]


def _renamed(sheets: Sheets) -> list[Finding]:
    """Sheets a clerk renamed, read under their own name: said, since cells are named by the official one."""
    return [
        Finding(
            "SHEET-RENAMED",
            INFO,
            None,
            None,
            None,
            official,
            present,
            f"工作表「{present}」按「{official}」读入；下文所说「{official}!B5」等单元格即在此表中",
            None,
        )
        for official, present in sheets.renamed.items()
    ]
