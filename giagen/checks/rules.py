"""The cross-sum rules (勾稽关系) and the other checks of format.md, returning findings."""

from __future__ import annotations

from collections.abc import Iterator

from ..core import definitions as d
from ..core.findings import ERROR, INFO, WARNING, Finding
from ..core.model import Cells, Report, report_from_data
from ..core.numbers import PRINTED
from ..core.totals import result_sum, row_sum
from .completeness import check_filled, unfilled, untouched
from .prose import PROSE_RULES
from .provenance import import_findings, readable
from .rulekit import cell_finding, count_of, lines_with
from .yearly import PREVIOUS_RULES

FEE_WORD = "信息处理费"


def check(
    report: Report, previous: Report | None = None, cells: Cells | None = None, entered: bool = True
) -> list[Finding]:
    """Every finding for `report`; the PREV-* rules only when last year's report is given.

    `entered`: a report a clerk is preparing, which must be complete (REQUIRED, UNFILLED);
    False for one read back from a published document, which is audited as it stands.
    """
    before, after = own_findings(report, cells, entered)
    return before + year_findings(report, previous, cells, entered) + after


def own_findings(
    report: Report, cells: Cells | None = None, entered: bool = True
) -> tuple[list[Finding], list[Finding]]:
    """`report`'s findings from every rule but the year-over-year ones, in `check`'s order: those
    before where last year's stand, and those after (an audit checks a page alone, then its year
    against the last)."""
    if entered and untouched(report):
        findings = [unfilled(report)]  # one finding, not a list of zeros
    else:
        findings = check_filled(report, entered)
        findings += [
            f
            for rule in RULES
            for f in rule(report)
            if not (entered and f.rule == "NARRATIVE-EMPTY")
        ]  # REQUIRED says it
    after: list[Finding] = []
    if report.published:  # what reading the document saw; nothing about rows it could not read
        findings = import_findings(report) + readable(report, findings)
        after = second_table(report)
    return _at_cells(findings, cells), _at_cells(after, cells)


def year_findings(
    report: Report, previous: Report | None, cells: Cells | None = None, entered: bool = True
) -> list[Finding]:
    """The PREV-* findings of `report` against last year's (none without it, or for a report
    still untouched)."""
    if previous is None or (entered and untouched(report)):
        return []
    findings = [f for rule in PREVIOUS_RULES for f in rule(report, previous)]
    return _at_cells(readable(report, findings) if report.published else findings, cells)


def _at_cells(findings: list[Finding], cells: Cells | None) -> list[Finding]:
    for f in findings:
        if f.cell is None and cells:
            f.cell = cells.get((f.section, f.row, f.column))
    return findings


def second_table(report: Report) -> list[Finding]:
    """A published report with two 三 tables (本级 and 全县): which was read as the agency's own,
    and the cross-sum rules on the other one too."""
    second = (report.import_ or {}).get("second_table")
    if not second:
        return []
    data = report.to_data()
    data.pop("import", None)
    data["requests"] = second["other"]
    other, _ = report_from_data(data, mode=PRINTED, formed=True)
    heads = "、".join(f"“{h[-12:]}”" for h in second["headings"] if h)
    found = [
        Finding(
            "IMPORT-TABLES",
            INFO,
            "三",
            None,
            None,
            None,
            second["chosen"],
            f"三：有两张表（前面的文字：{heads or '无'}），按本机关的选用{second['chosen']}，另一张也已检查",
        )
    ]
    for rule in (s3_row_total, s3_result_total, s3_balance):
        for f in rule(other):
            f.message = f"另一张三表：{f.message}"
            found.append(f)
    return found


# ---- Section 三 -------------------------------------------------------------------------


def _row_totals(report: Report, table: str, rule: str, parts: str) -> Iterator[Finding]:
    """Every row's 总计 against the sum of its parts (三's applicants, 四's results)."""
    rows = getattr(report, table)
    for row_id, row in rows.items():
        expected = count_of(row_sum(table, rows, row_id))
        if expected != count_of(row["total"]):
            yield cell_finding(
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
        expected = count_of(result_sum(report.spec, report.requests, field.id))
        actual = report.requests["total"][field.id]
        if expected != count_of(actual):
            yield cell_finding(
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
        new, carried = count_of(r["new_received"][c]), count_of(r["carried_over"][c])
        done, forward = count_of(r["total"][c]), count_of(r["carried_forward"][c])
        if new + carried != done + forward:
            yield cell_finding(
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
                    yield cell_finding(
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


def s2_items_negative(report: Report) -> Iterator[Finding]:
    """S2-ITEMS-NEGATIVE: 2019's items never fall below zero."""
    for line_id, row in lines_with(report, "last_year_items", "change"):
        items = row["last_year_items"] + row["change"]
        if items < 0:
            yield cell_finding(
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
    for line_id, row in lines_with(report, "new_published", "total_published"):
        if row["total_published"] < row["new_published"]:
            yield cell_finding(
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
    handled = count_of(report.requests["new_received"]["total"]) + count_of(
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
    notices, amount, collected = (
        count_of(fee.notices),
        count_of(fee.notice_amount_yuan),
        count_of(fee.collected_yuan),
    )
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
