"""What the published report says, section by section, before any output format."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from . import definitions as d
from .model import Report
from .numbers import format_value
from .tables import Grid, grids

DRAFT_MARK = "草稿（未通过校验）"
# Characters XML 1.0 forbids (Excel cells carry \x0b for Alt+Enter in old files).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十][）)]")


def clean(text: str) -> str:
    """User text safe for XML: illegal control characters removed, spaces at the ends trimmed."""
    return _ILLEGAL.sub("", text).strip()


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of prose; `lead` is its （一） sub-heading, set in 楷体."""

    text: str
    lead: str = ""


@dataclass(frozen=True)
class Table:
    """One statutory table ready to print: its grid and the text of every cell."""

    section: str
    caption: str
    grid: Grid
    texts: dict[tuple[int, int], str]  # (row, col) where a cell starts → what it prints
    small: bool  # 四 has fifteen columns: a smaller font keeps it inside the text width


@dataclass(frozen=True)
class Section:
    """One of the six sections: its heading and its paragraphs or table."""

    key: str
    title: str
    paragraphs: tuple[Paragraph, ...] = ()
    table: Table | None = None


@dataclass(frozen=True)
class Composition:
    """The whole report as published, before any file format."""

    title: str
    preamble: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    agency: str
    date: str
    draft: bool
    year: int
    title_lines: tuple[str, ...] = ()  # the title broken between words, as printed
    stamp: str = ""  # the report's date as the document's created/modified time


TITLE_CHARS = 20  # 二号 characters on a line of the 156 mm text block
_TAIL = "政府信息公开"
# Where an agency's name may break: after a level of government or an organ's word.
_NAME_BREAK = re.compile(r"(?<=省|市|县|区|州|盟|旗|镇|乡|府|厅|局|委|会|办|室|院|处|队|所|部)")


def _width(text: str) -> float:
    """Printed width in characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def title_lines(title: str) -> tuple[str, ...]:
    """The 二号 title broken between words, in a balanced shape, never a word cut or a character alone.

    `{机关}{年}年` / `政府信息公开工作年度报告`; a long agency name on a line of its own; a very
    long one broken where one of its words ends.
    """
    if _width(title) <= TITLE_CHARS:
        return (title,)
    at = title.find(_TAIL)
    if at <= 0:
        return _balanced(title)
    head, tail = title[:at], title[at:]
    if _width(head) <= TITLE_CHARS and _width(tail) <= TITLE_CHARS:
        return (head, tail)
    year = re.search(r"\d{4}\s*年度?$", head)
    if year:
        agency, rest = head[: year.start()], head[year.start() :] + tail
        if _width(rest) <= TITLE_CHARS:
            lines = (agency,) if _width(agency) <= TITLE_CHARS else _balanced(agency)
            return (*lines, rest)
    return (*_balanced(head), *(_balanced(tail) if _width(tail) > TITLE_CHARS else (tail,)))


def _balanced(text: str) -> tuple[str, ...]:
    """Two lines of about equal width, broken where a word of an agency's name ends."""
    if _width(text) <= TITLE_CHARS:
        return (text,)
    cuts = [m.start() for m in _NAME_BREAK.finditer(text) if 3 <= m.start() <= len(text) - 3]
    half = _width(text) / 2
    fitting = [
        c for c in cuts if _width(text[:c]) <= TITLE_CHARS and _width(text[c:]) <= TITLE_CHARS
    ]
    cut = min(fitting or cuts or [len(text) // 2], key=lambda c: abs(_width(text[:c]) - half))
    return (text[:cut], *_balanced(text[cut:]))


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Each non-empty line a paragraph; a line opening with （一）…（十） leads with a sub-heading.

    The sub-heading runs to the first `。` when the line goes on after it, else it is the line.
    """
    result = []
    for line in clean(text).split("\n"):
        line = clean(line)
        if not line:
            continue
        if _SUBHEADING.match(line):
            end = line.find("。")
            if 0 < end < len(line) - 1:
                result.append(Paragraph(line[end + 1 :], lead=line[: end + 1]))
            else:
                result.append(Paragraph("", lead=line))
        else:
            result.append(Paragraph(line))
    return tuple(result)


def standard_preamble(report: Report) -> str:
    """The preamble giagen writes when none is given, with the 统计期限 sentence."""
    y = report.year
    return (
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）要求编制，内容包括总体情况、"
        "主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、"
        f"存在的主要问题及改进情况、其他需要报告的事项。本报告中所列数据的统计期限自{y}年1月1日起"
        f"至{y}年12月31日止。"
    )


def fee_sentence(report: Report) -> str | None:
    """The 信息处理费 sentence of 六 (2021 edition), built from the figures."""
    fee = report.processing_fee
    if not report.spec.has_processing_fee or fee is None:
        return None
    notices, amount, collected = (
        fee.notices or 0,
        fee.notice_amount_yuan or 0,
        fee.collected_yuan or 0,
    )
    if not notices and not collected:
        return "本年度未发出信息处理费收费通知，未收取信息处理费。"
    return (
        f"本年度共发出信息处理费收费通知{notices}件，通知金额{format_value(amount, d.AMOUNT)}元，"
        f"实际收取信息处理费{format_value(collected, d.AMOUNT)}元。"
    )


def other_text(report: Report) -> str:
    """六 as published: the fee sentence first unless the clerk's own words already speak of the fee."""
    other, sentence = clean(report.other), fee_sentence(report)
    if sentence is None or "信息处理费" in other:
        return other or "无。"
    if other.rstrip("。.") in ("", "无"):  # a bare 无 after the fee sentence would read oddly
        return sentence
    return sentence + "\n" + other


def table_of(report: Report, grid: Grid) -> Table:
    """A table of the report with every value as it is printed."""
    layout, table, places = _plan(grid, report.spec)
    texts = dict(layout)  # the labels in place, each value's position held in the grid's order
    rows = getattr(report, table)
    for position, row, column, kind, unit in places:
        value = rows[row][column]
        if value is None:
            texts[position] = "—"
        else:  # a count is its digits; anything else as format_value prints it
            texts[position] = (
                str(value) if type(value) is int and kind == d.COUNT else format_value(value, kind)
            ) + unit
    return Table(grid.section, d.SECTION_TITLES[grid.section], grid, texts, small=grid.cols > 10)


@functools.lru_cache(maxsize=None)
def _plan(grid: Grid, spec: d.Edition) -> tuple:
    """A grid's cells in order with the labels' texts, the grid's table, and each value cell as
    (position, row, column, kind, unit): worked out once an edition."""
    table = next(t for t, section in d.TABLE_SECTIONS.items() if section == grid.section)
    layout, places = [], []
    for cell in grid.cells:
        layout.append(((cell.row, cell.col), cell.text if cell.key is None else None))
        if cell.key is not None:
            section, row, column = cell.key
            unit = (
                next(f.unit for f in spec.block_of(row).fields if f.id == column)
                if section == "二"
                else ""
            )
            places.append(
                ((cell.row, cell.col), row, column, cell.kind, f" {unit}" if unit else "")
            )
    return tuple(layout), table, tuple(places)


def date_text(report: Report) -> str:
    """The 落款 date as printed (`2024年1月20日`), or empty."""
    day = report.date
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def compose(report: Report, draft: bool = False) -> Composition:
    """The report's content in publishing order, user text cleaned, numbers as printed."""
    tables = grids(report.spec)
    prose = {"一": report.overview, "五": report.problems, "六": other_text(report)}
    sections = []
    for key, title in d.SECTION_TITLES.items():
        if key in tables:
            sections.append(Section(key, title, table=table_of(report, tables[key])))
        else:
            sections.append(Section(key, title, paragraphs(prose[key])))
    preamble = report.preamble if report.preamble is not None else standard_preamble(report)
    title = clean(report.full_title)
    stamp = (
        f"{report.date.isoformat()}T00:00:00Z"
        if report.date
        else f"{report.year + 1}-01-01T00:00:00Z"
    )
    return Composition(
        title,
        paragraphs(preamble),
        tuple(sections),
        clean(report.agency),
        date_text(report),
        draft,
        report.year,
        title_lines(title),
        stamp,
    )
