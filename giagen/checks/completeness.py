"""Whether a report is filled in: required fields, placeholders, a plausible year and date."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from ..core import definitions as d
from ..core.findings import ERROR, WARNING, Finding

FIRST_YEAR = 2019  # the first report year of the current format
# Fields a clerk must fill, in the order of the 基本信息 sheet, with how they are named.
REQUIRED = (
    ("agency", "机关名称"),
    ("date", "落款日期"),
    ("overview", d.SECTION_TITLES["一"]),
    ("problems", d.SECTION_TITLES["五"]),
    ("other", d.SECTION_TITLES["六"]),
)
TEXTS = (("agency", "机关名称"), ("title", "报告标题"), ("preamble", "前言"), *REQUIRED[2:])
# Rows of 三 and fields of 二 that a template may hold prefilled from last year's report.
CARRIED_IN = {"carried_over", "in_force", "last_year_items"}

# Text left from a template or a model report: 【待填写】, XXX, ××, （此处填写…）, ○○局.
PLACEHOLDER = re.compile(
    r"【[^】\n]{0,15}(?:填|待|名称|单位|日期|时间|数字|数量|[XＸxｘ×])[^】\n]{0,15}】"
    r"|[XＸ]{2,}|[×╳✕]{2,}|○○|[＊*]{3,}"
    r"|[（(]此处[^）)\n]{0,30}[）)]|此处填写|待填写|待补充"
)


def untouched(report) -> bool:
    """Still the workbook as it was sent out: no date, no text, no number but those carried in."""
    if report.date or any(
        (getattr(report, f) or "").strip() for f in ("overview", "problems", "other")
    ):
        return False
    for table in ("proactive", "requests", "litigation"):
        for row_id, row in getattr(report, table).items():
            for column, value in row.items():
                carried = row_id in CARRIED_IN or column in CARRIED_IN
                if (
                    value
                    and not carried
                    and not (table == "requests" and _carried_total(row_id, column))
                ):
                    return False
    fee = report.processing_fee
    return not (fee and any((fee.notices, fee.notice_amount_yuan, fee.collected_yuan)))


def _carried_total(row_id: str, column: str) -> bool:
    # totals follow from the carried-in numbers: 二、上年结转's row total and the balance
    return row_id == "carried_over" and column == "total"


def unfilled(report) -> Finding:
    """The one finding for a workbook returned as it was sent out."""
    return Finding(
        "UNFILLED",
        ERROR,
        None,
        None,
        None,
        "已填写的报告",
        "未填写",
        "工作簿仍是发出时的空白模板（没有落款日期、文字部分和本年数字），请填写后再报送",
    )


def required(report) -> Iterator[Finding]:
    """A REQUIRED finding for each required field left empty."""
    for field, label in REQUIRED:
        value = getattr(report, field)
        if value is None or (isinstance(value, str) and not value.strip()):
            hint = "没有其他事项时填写“无。”" if field == "other" else "请填写"
            yield Finding(
                "REQUIRED", ERROR, *d.text_key(field), "必填", "", f"{label}：尚未填写，{hint}"
            )


def placeholders(report) -> Iterator[Finding]:
    """A PLACEHOLDER finding for each text that still holds template words."""
    for field, label in TEXTS:
        text = getattr(report, field) or ""
        match = PLACEHOLDER.search(text)
        if match:
            yield Finding(
                "PLACEHOLDER",
                ERROR,
                *d.text_key(field),
                "实际内容",
                match.group(0),
                f"{label}：有占位文字“{match.group(0)}”未替换，请改为实际内容",
            )


def year_and_date(report, today: dt.date | None = None) -> Iterator[Finding]:
    """YEAR-RANGE, DATE-RANGE and DATE-LATE: a plausible year and 落款 date."""
    today = today or dt.date.today()
    if not FIRST_YEAR <= report.year <= today.year:
        yield Finding(
            "YEAR-RANGE",
            ERROR,
            None,
            "year",
            None,
            f"{FIRST_YEAR}–{today.year}",
            report.year,
            f"报告年度 {report.year} 不合理，应在 {FIRST_YEAR} 至 {today.year} 年之间",
        )
    date = report.date
    if date is None:
        return
    if date.year <= report.year:
        yield Finding(
            "DATE-RANGE",
            ERROR,
            None,
            "date",
            None,
            f"{report.year + 1} 年或以后",
            date.isoformat(),
            f"落款日期 {date:%Y-%m-%d} 早于报告年度结束（{report.year}-12-31），"
            "年度报告应在年度结束后落款",
        )
    elif date > today:
        yield Finding(
            "DATE-RANGE",
            ERROR,
            None,
            "date",
            None,
            f"不晚于 {today:%Y-%m-%d}",
            date.isoformat(),
            f"落款日期 {date:%Y-%m-%d} 在今天之后，请填写实际日期",
        )
    elif date > dt.date(report.year + 1, 1, 31):
        yield Finding(
            "DATE-LATE",
            WARNING,
            None,
            "date",
            None,
            f"不晚于 {report.year + 1}-01-31",
            date.isoformat(),
            f"落款日期 {date:%Y-%m-%d} 晚于法定的 {report.year + 1} 年 1 月 31 日"
            "（县级以上人民政府的本地区报告为 3 月 31 日）",
        )


def check_filled(report, entered: bool) -> list[Finding]:
    """Findings about filling in; `entered` for a report a clerk is preparing (not one published)."""
    findings = []
    if entered:
        findings += required(report)
    findings += placeholders(report)
    findings += year_and_date(report)
    return findings
