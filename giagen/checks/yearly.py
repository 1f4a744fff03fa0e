"""The year-over-year rules: this year's report against last year's (PREV-*, PROSE-COPIED)."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..core import definitions as d
from ..core.findings import WARNING, Finding
from ..core.model import Report
from .rulekit import cell_finding, count_of, lines_with
from .similarity import comparable

COPIED_AT = 0.9  # similarity from which a section reads as last year's copied


SHINGLE = 5  # characters
EXACT_UP_TO = 3000  # characters compared by difflib; longer texts by shingles, in linear time


def similar(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1: difflib's ratio for short texts, shingle overlap for long ones."""
    if max(len(a), len(b)) <= EXACT_UP_TO:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    x = {a[i : i + SHINGLE] for i in range(len(a) - SHINGLE + 1)}
    y = {b[i : i + SHINGLE] for i in range(len(b) - SHINGLE + 1)}
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def copied(a: str, b: str) -> float | None:
    """`similar(a, b)` when it reaches COPIED_AT, else None. Short texts whose characters,
    counted, already differ too much are not compared in full: difflib's quick ratios are upper
    bounds of its ratio, and a report's prose is compared with last year's at every page."""
    if a == b:  # a copy whose figures alone were changed: nothing to compare
        return 1.0
    if max(len(a), len(b)) <= EXACT_UP_TO:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        if matcher.real_quick_ratio() < COPIED_AT or matcher.quick_ratio() < COPIED_AT:
            return None
        similarity = matcher.ratio()
    else:
        similarity = similar(a, b)
    return similarity if similarity >= COPIED_AT else None


def prose_copied(report: Report, previous: Report) -> Iterator[Finding]:
    """PROSE-COPIED: 一 or 五 nearly as last year's."""
    for section, now, before in (
        ("一", report.overview, previous.overview),
        ("五", report.problems, previous.problems),
    ):
        a, b = comparable(now, report.agency), comparable(before, previous.agency)
        if len(a) < 20 or len(b) < 20:
            continue
        similarity = copied(a, b)
        if similarity is not None:
            yield Finding(
                "PROSE-COPIED",
                WARNING,
                section,
                None,
                None,
                f"< {COPIED_AT:.0%}",
                round(similarity, 3),
                f"{d.SECTION_TITLES[section]}与上年报告相似度 {similarity:.0%}，几乎照搬上年内容",
            )


def prev_carry(report: Report, previous: Report) -> Iterator[Finding]:
    """PREV-CARRY: 上年结转 is last year's 结转下年度继续办理."""
    for field in d.REQUEST_FIELDS:
        expected = previous.requests["carried_forward"][field.id]
        actual = report.requests["carried_over"][field.id]
        if count_of(expected) != count_of(actual):
            yield cell_finding(
                report,
                "PREV-CARRY",
                WARNING,
                "三",
                "carried_over",
                field.id,
                expected,
                actual,
                f"应等于上年报告的四、结转下年度继续办理 {expected}，实际填写 {actual}",
            )


def prev_in_force(report: Report, previous: Report) -> Iterator[Finding]:
    """现行有效件数 follows from last year's: wherever both years have the row and the column."""
    for line_id, row in lines_with(report, "issued", "abolished", "in_force"):
        before = previous.proactive.get(line_id, {}).get("in_force")
        if before is None:
            continue
        expected = before + row["issued"] - row["abolished"]
        if expected != row["in_force"]:
            yield cell_finding(
                report,
                "PREV-IN-FORCE",
                WARNING,
                "二",
                line_id,
                "in_force",
                expected,
                row["in_force"],
                f"应为上年现行有效 {before} + 本年制发 {row['issued']} − 本年废止 "
                f"{row['abolished']} = {expected}，实际填写 {row['in_force']}",
            )


def prev_items(report: Report, previous: Report) -> Iterator[Finding]:
    """上一年项目数量 follows from last year's: wherever both years have the row and the columns."""
    for line_id, row in lines_with(report, "last_year_items"):
        before = previous.proactive.get(line_id, {})
        if before.get("last_year_items") is None or before.get("change") is None:
            continue
        expected = before["last_year_items"] + before["change"]
        if expected != row["last_year_items"]:
            yield cell_finding(
                report,
                "PREV-ITEMS",
                WARNING,
                "二",
                line_id,
                "last_year_items",
                expected,
                row["last_year_items"],
                f"应为上年报告的上一年项目数量 {before['last_year_items']} 加本年增/减 "
                f"{before['change']} = {expected}，实际填写 {row['last_year_items']}",
            )


PREVIOUS_RULES = (prev_carry, prev_in_force, prev_items, prose_copied)


def year_report(data: dict) -> Report:
    """The report the rules above read, from a report's JSON form (`Report.to_data`), without
    reading the rest back: an audit checks one year against the last from what it kept of each
    page (its 四, 六 and the rest left empty)."""
    return Report(
        edition=data["edition"],
        year=data["year"],
        agency=data["agency"],
        overview=data["overview"],
        problems=data["problems"],
        proactive=data["proactive"],
        requests=data["requests"],
        litigation={},
        import_=data.get("import"),
    )
