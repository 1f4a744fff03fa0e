"""The cross-sum rules (勾稽关系) and the other checks of format.md, returning findings."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..core import definitions as d
from ..core.findings import ERROR, WARNING, Finding
from ..core.model import Cells, Report, result_sum, row_sum
from .completeness import check_filled, unfilled, untouched
from .prose import PROSE_RULES
from .provenance import import_findings, readable

FEE_WORD = "信息处理费"


def check(
    report: Report, previous: Report | None = None, cells: Cells | None = None, entered: bool = True
) -> list[Finding]:
    """Every finding for `report`; the PREV-* rules only when last year's report is given.

    `entered`: a report a clerk is preparing, which must be complete (REQUIRED, UNFILLED);
    False for one read back from a published document, which is audited as it stands.
    """
    if entered and untouched(report):
        findings = [unfilled(report)]  # one finding, not a list of zeros
        previous = None
    else:
        findings = check_filled(report, entered)
        findings += [
            f
            for rule in RULES
            for f in rule(report)
            if not (entered and f.rule == "NARRATIVE-EMPTY")
        ]  # REQUIRED says it
    if previous is not None:
        findings += [f for rule in PREVIOUS_RULES for f in rule(report, previous)]
    if report.published:  # what reading the document saw; nothing about rows it could not read
        findings = import_findings(report) + readable(report, findings)
    for f in findings:
        if f.cell is None and cells:
            f.cell = cells.get((f.section, f.row, f.column))
    return findings


def _n(value) -> int:
    return 0 if value is None else value


def _finding(report, rule, severity, section, row, column, expected, actual, message):
    place = d.describe(report.spec, section, row, column)
    return Finding(rule, severity, section, row, column, expected, actual, f"{place}：{message}")


# ---- Section 三 -------------------------------------------------------------------------


def _row_totals(report: Report, table: str, rule: str, parts: str) -> Iterator[Finding]:
    """Every row's 总计 against the sum of its parts (三's applicants, 四's results)."""
    rows = getattr(report, table)
    for row_id, row in rows.items():
        expected = _n(row_sum(table, rows, row_id))
        if expected != _n(row["total"]):
            yield _finding(
                report,
                rule,
                ERROR,
                d.TABLE_SECTIONS[table],
                row_id,
                "total",
                expected,
                row["total"],
                f"应为 {expected}（{parts}之和），实际填写 {row['total']}",
            )


def s3_row_total(report: Report) -> Iterator[Finding]:
    """S3-ROW-TOTAL: each row of 三 adds up across applicants."""
    return _row_totals(report, "requests", "S3-ROW-TOTAL", "自然人与各类法人或其他组织")


def s3_result_total(report: Report) -> Iterator[Finding]:
    """S3-RESULT-TOTAL: （七）总计 is the sum of （一）…（六） in each column."""
    for field in d.REQUEST_FIELDS:
        expected = _n(result_sum(report.spec, report.requests, field.id))
        actual = report.requests["total"][field.id]
        if expected != _n(actual):
            yield _finding(
                report,
                "S3-RESULT-TOTAL",
                ERROR,
                "三",
                "total",
                field.id,
                expected,
                actual,
                f"应为 {expected}（（一）至（六）之和），实际填写 {actual}",
            )


def s3_balance(report: Report) -> Iterator[Finding]:
    """S3-BALANCE: 一 + 二 = （七）总计 + 四 in each column."""
    r = report.requests
    for field in d.REQUEST_FIELDS:
        c = field.id
        new, carried = _n(r["new_received"][c]), _n(r["carried_over"][c])
        done, forward = _n(r["total"][c]), _n(r["carried_forward"][c])
        if new + carried != done + forward:
            yield _finding(
                report,
                "S3-BALANCE",
                ERROR,
                "三",
                None,
                c,
                new + carried,
                done + forward,
                f"一、本年新收 {new} + 二、上年结转 {carried} = {new + carried}，"
                f"应等于（七）总计 {done} + 四、结转下年度 {forward} = {done + forward}",
            )


# ---- Section 四 -------------------------------------------------------------------------


def s4_total(report: Report) -> Iterator[Finding]:
    """S4-TOTAL: each group of 四 adds up."""
    return _row_totals(report, "litigation", "S4-TOTAL", "结果维持、结果纠正、其他结果、尚未审结")


# ---- Values -----------------------------------------------------------------------------


def value_negative(report: Report) -> Iterator[Finding]:
    """VALUE-NEGATIVE: no count or amount below zero (本年增/减 aside)."""
    for table, section in d.TABLE_SECTIONS.items():
        if not any(
            v is not None and v < 0 for row in getattr(report, table).values() for v in row.values()
        ):
            continue  # the usual case, seen in one pass; 本年增/减 below zero are looked at below
        lines, fields_of = d.table_shape(report.spec, table)
        for line in lines:
            for field in fields_of(line.id):
                value = getattr(report, table)[line.id][field.id]
                if field.kind != d.SIGNED and value is not None and value < 0:
                    yield _finding(
                        report,
                        "VALUE-NEGATIVE",
                        ERROR,
                        section,
                        line.id,
                        field.id,
                        "≥ 0",
                        value,
                        f"不能为负数，实际填写 {value}",
                    )
    fee = report.processing_fee
    for field in d.PROCESSING_FEE_FIELDS if fee else ():
        value = getattr(fee, field.id)
        if value is not None and value < 0:
            yield Finding(
                "VALUE-NEGATIVE",
                ERROR,
                "六",
                "processing_fee",
                field.id,
                "≥ 0",
                value,
                f"六、信息处理费 · {field.label}：不能为负数，实际填写 {value}",
            )


def edition_mismatch(report: Report) -> Iterator[Finding]:
    """EDITION-MISMATCH: the edition the report's year prescribes."""
    expected = d.edition_for_year(report.year)
    if expected.id != report.edition:
        yield Finding(
            "EDITION-MISMATCH",
            ERROR,
            None,
            None,
            None,
            expected.id,
            report.edition,
            f"{report.year} 年度报告应使用 {expected.id} 版格式（{expected.issued_by}），"
            f"实际为 {report.edition} 版",
        )


# ---- Section 二 -------------------------------------------------------------------------


def _lines_with(report: Report, *field_ids: str):
    for line in report.spec.proactive_lines:
        row = report.proactive[line.id]
        if all(f in row and row[f] is not None for f in field_ids):
            yield line.id, row


def s2_items_negative(report: Report) -> Iterator[Finding]:
    """S2-ITEMS-NEGATIVE: 2019's items never fall below zero."""
    for line_id, row in _lines_with(report, "last_year_items", "change"):
        items = row["last_year_items"] + row["change"]
        if items < 0:
            yield _finding(
                report,
                "S2-ITEMS-NEGATIVE",
                ERROR,
                "二",
                line_id,
                "change",
                "≥ 0",
                items,
                f"上一年项目数量 {row['last_year_items']} 加本年增/减 {row['change']} "
                f"得 {items}，项目数量不能为负",
            )


def s2_published_total(report: Report) -> Iterator[Finding]:
    """S2-PUBLISHED-TOTAL: 对外公开总数量 at least 本年新公开数量."""
    for line_id, row in _lines_with(report, "new_published", "total_published"):
        if row["total_published"] < row["new_published"]:
            yield _finding(
                report,
                "S2-PUBLISHED-TOTAL",
                WARNING,
                "二",
                line_id,
                "total_published",
                f"≥ {row['new_published']}",
                row["total_published"],
                f"对外公开总数量 {row['total_published']} 小于本年新公开数量 "
                f"{row['new_published']}",
            )


# ---- Prose ------------------------------------------------------------------------------


def narrative_empty(report: Report) -> Iterator[Finding]:
    """NARRATIVE-EMPTY: 一 and 五 say something."""
    for section, text in (("一", report.overview), ("五", report.problems)):
        if not text.strip():
            yield Finding(
                "NARRATIVE-EMPTY",
                WARNING,
                section,
                None,
                None,
                "文字内容",
                "",
                f"{d.SECTION_TITLES[section]}：尚未填写",
            )


def fee_missing(report: Report) -> Iterator[Finding]:
    # An agency that handled no request cannot have issued a fee notice, so its silence
    # about the fee is no omission.
    """FEE-MISSING: a 2021-edition 六 speaks of the 信息处理费."""
    handled = _n(report.requests["new_received"]["total"]) + _n(
        report.requests["carried_over"]["total"]
    )
    if (
        report.spec.has_processing_fee
        and report.processing_fee is None
        and FEE_WORD not in report.other
        and handled > 0
    ):
        yield Finding(
            "FEE-MISSING",
            WARNING,
            "六",
            None,
            None,
            FEE_WORD,
            None,
            f"{d.SECTION_TITLES['六']}：未报告信息处理费的收费通知件数、金额和实际收取金额",
        )


def _fee_finding(rule, column, expected, actual, message) -> Finding:
    label = d.field_label(d.PROCESSING_FEE_FIELDS, column)
    return Finding(
        rule,
        ERROR,
        "六",
        "processing_fee",
        column,
        expected,
        actual,
        f"六、信息处理费 · {label}：{message}",
    )


def fee_consistent(report: Report) -> Iterator[Finding]:
    """信息处理费: no more collected than notified; an amount needs notices and notices an amount."""
    fee = report.processing_fee
    if fee is None:
        return
    notices, amount, collected = _n(fee.notices), _n(fee.notice_amount_yuan), _n(fee.collected_yuan)
    if collected > amount:
        yield _fee_finding(
            "FEE-COLLECTED",
            "collected_yuan",
            f"≤ {amount}",
            collected,
            f"实际收取 {collected} 元多于收费通知的总金额 {amount} 元",
        )
    if amount > 0 and notices == 0:
        yield _fee_finding(
            "FEE-NOTICES",
            "notices",
            "≥ 1",
            notices,
            f"收费通知的总金额为 {amount} 元，发出收费通知的件数却为 0",
        )
    if notices > 0 and amount == 0:
        yield _fee_finding(
            "FEE-AMOUNT",
            "notice_amount_yuan",
            "> 0",
            amount,
            f"发出收费通知 {notices} 件，收费通知的总金额却为 0",
        )


# ---- Against last year's report ---------------------------------------------------------


COPIED_AT = 0.9  # similarity from which a section reads as last year's copied


def _comparable(text: str) -> str:
    # Years and counts change every year even in a copied text: compare the words only.
    return re.sub(r"\d+", "0", re.sub(r"\s+", "", text))


SHINGLE = 5  # characters
EXACT_UP_TO = 3000  # characters compared by difflib; longer texts by shingles, in linear time


def similar(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1: difflib's ratio for short texts, shingle overlap for long ones."""
    if max(len(a), len(b)) <= EXACT_UP_TO:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()
    x = {a[i : i + SHINGLE] for i in range(len(a) - SHINGLE + 1)}
    y = {b[i : i + SHINGLE] for i in range(len(b) - SHINGLE + 1)}
    return 2 * len(x & y) / (len(x) + len(y)) if x and y else 0.0


def prose_copied(report: Report, previous: Report) -> Iterator[Finding]:
    """PROSE-COPIED: 一 or 五 nearly as last year's."""
    for section, now, before in (
        ("一", report.overview, previous.overview),
        ("五", report.problems, previous.problems),
    ):
        a, b = _comparable(now), _comparable(before)
        if len(a) < 20 or len(b) < 20:
            continue
        similarity = similar(a, b)
        if similarity >= COPIED_AT:
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
        if _n(expected) != _n(actual):
            yield _finding(
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
    for line_id, row in _lines_with(report, "issued", "abolished", "in_force"):
        before = previous.proactive.get(line_id, {}).get("in_force")
        if before is None:
            continue
        expected = before + row["issued"] - row["abolished"]
        if expected != row["in_force"]:
            yield _finding(
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
    for line_id, row in _lines_with(report, "last_year_items"):
        before = previous.proactive.get(line_id, {})
        if before.get("last_year_items") is None or before.get("change") is None:
            continue
        expected = before["last_year_items"] + before["change"]
        if expected != row["last_year_items"]:
            yield _finding(
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


RULES = (
    edition_mismatch,
    value_negative,
    s2_items_negative,
    s2_published_total,
    s3_row_total,
    s3_result_total,
    s3_balance,
    s4_total,
    narrative_empty,
    fee_missing,
    fee_consistent,
    *PROSE_RULES,
)
PREVIOUS_RULES = (prev_carry, prev_in_force, prev_items, prose_copied)
