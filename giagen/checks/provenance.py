"""What reading a published document saw — headings, blanks, rows it could not read — as findings."""

from __future__ import annotations

import re

from ..core import definitions as d
from ..core.findings import ERROR, INFO, WARNING, Finding

_TABLE_OF = {section: table for table, section in d.TABLE_SECTIONS.items()}
_BALANCE = ("new_received", "carried_over", "total", "carried_forward")
_SHOWN = 12  # blank cells named in one finding before `等`
_FIELD_NAMES = {"agency": "机关名称", "year": "报告年度", "date": "落款日期"}


def _near_labels(report, block) -> list[Finding]:
    """Said for each row found by a label written with characters missing or wrong."""
    ed = report.spec
    return [
        Finding(
            "IMPORT-LABEL",
            INFO,
            d.TABLE_SECTIONS[entry["table"]],
            entry["row"],
            None,
            None,
            entry["seen"],
            f"{d.describe(ed, d.TABLE_SECTIONS[entry['table']], entry['row'], None)}："
            f"表中写作“{entry['seen']}”，按这一行读入",
        )
        for entry in block.get("near_labels", [])
    ]


def _digit_runs(block) -> list[Finding]:
    """Said for each row read from figures that ran together."""
    return [
        Finding(
            "IMPORT-DIGITS",
            INFO,
            None,
            entry["row"],
            None,
            " ".join(map(str, entry["read"])),
            entry["digits"],
            f"{entry['where']}：数字连在一起（“{entry['digits']}”），按表内勾稽关系唯一的拆分读作 "
            + " ".join(map(str, entry["read"])),
        )
        for entry in block.get("digit_runs", [])
    ]


def _older_rows(block) -> list[Finding]:
    """Said for each row of an older layout read as the total of the rows it stands for."""
    return [
        Finding(
            "IMPORT-OLD-ROW",
            INFO,
            "三",
            None,
            None,
            None,
            entry["row"],
            f"三、{entry['row']}：表中是旧格式的一行，其数字按“{entry['as']}”读入，其余各项为 0",
        )
        for entry in block.get("older_rows", [])
    ]


def _fee_from_prose(fee) -> Finding:
    """Said when the 信息处理费 was taken from the words of 六, the table having none."""
    stated = "，".join(
        f"{name} {value}{unit}"
        for name, value, unit in (
            ("收费通知", fee.notices, " 件"),
            ("通知金额", fee.notice_amount_yuan, " 元"),
            ("实际收取", fee.collected_yuan, " 元"),
        )
        if value is not None
    )
    return Finding(
        "IMPORT-SOURCE",
        INFO,
        "六",
        "processing_fee",
        None,
        None,
        stated,
        f"信息处理费取自六的文字：{stated}",
    )


def unreadable(report) -> set[tuple[str, str | None]]:
    """(table, row) of every row the import could not read; row None for a whole table."""
    block = report.import_ or {}
    return {(u["table"], u.get("row")) for u in block.get("unreadable", [])}


def needs(report, f: Finding) -> set[tuple[str, str]]:
    """The rows a finding's rule read to reach it."""
    ed = report.spec
    rows: set[tuple[str, str]] = set()
    if f.rule == "S3-RESULT-TOTAL":
        rows = {("requests", ln.id) for ln in ed.result_lines} | {("requests", "total")}
    elif f.rule == "S3-BALANCE":
        rows = {("requests", r) for r in _BALANCE}
    elif f.rule == "FEE-MISSING":
        rows = {("requests", "new_received"), ("requests", "carried_over")}
    elif f.rule in ("TEXT-TABLE", "PROSE-TABLE"):
        rows = (
            {("litigation", "suit_direct"), ("litigation", "suit_after_review")}
            if f.row == "suits"
            else {("litigation", f.row)}
            if f.row == "review"
            else set()
            if f.row == "fee"
            else {("requests", f.row)}
        )
    elif f.section in _TABLE_OF and f.row:
        rows = {(_TABLE_OF[f.section], f.row)}
    return rows


def readable(report, findings: list[Finding]) -> list[Finding]:
    """The findings whose rules did not need a row the import could not read."""
    lost = unreadable(report)
    if not lost:
        return findings
    whole = {table for table, row in lost if row is None}
    return [
        f
        for f in findings
        if not any(table in whole or (table, row) in lost for table, row in needs(report, f))
    ]


def import_findings(report) -> list[Finding]:
    """Findings about the reading itself, from the report's `import` block."""
    block = report.import_ or {}
    ed = report.spec
    found: list[Finding] = []
    for section, seen in block.get("headings", {}).items():
        official = d.SECTION_TITLES[section]
        if seen is None:
            found.append(
                Finding(
                    "IMPORT-HEADING",
                    WARNING,
                    section,
                    None,
                    None,
                    official,
                    None,
                    f"找不到“{official}”的标题；这一部分的文字可能并入了相邻部分",
                )
            )
        else:
            found.append(
                Finding(
                    "IMPORT-HEADING",
                    INFO,
                    section,
                    None,
                    None,
                    official,
                    seen,
                    f"标题写作“{seen}”（标准写法：“{official}”）",
                )
            )
    for section, cells in block.get("blank", {}).items():
        found.append(_blanks(ed, section, cells))
    for u in block.get("unreadable", []):
        section = d.TABLE_SECTIONS[u["table"]]
        found.append(
            Finding(
                "IMPORT-ROW",
                ERROR,
                section,
                u.get("row"),
                None,
                None,
                None,
                u["message"] + (f"（{u['where']}）" if u.get("where") else ""),
                u.get("where"),
            )
        )
    partial = block.get("partial")
    if partial:
        missing = "、".join(d.SECTION_TITLES[s] for s in partial["missing"])
        found.append(
            Finding(
                "IMPORT-PARTIAL",
                WARNING,
                None,
                None,
                None,
                "完整的报告",
                "部分",
                f"只审核了已有的部分：文本{partial['ends']}，缺少{missing}",
            )
        )
    found += _older_rows(block) + _near_labels(report, block) + _digit_runs(block)
    for key, source in block.get("fields", {}).items():
        if key == "processing_fee" and report.processing_fee is not None:
            found.append(_fee_from_prose(report.processing_fee))
        elif source not in ("标题", "指定") and not (key == "date" and source == "落款"):
            value = getattr(report, key)
            found.append(
                Finding(
                    "IMPORT-SOURCE",
                    INFO,
                    None,
                    key,
                    None,
                    None,
                    str(value),
                    f"{_FIELD_NAMES[key]}“{value}”取自{source}",
                )
            )
    if not report.agency:
        found.append(
            Finding(
                "IMPORT-SOURCE",
                WARNING,
                None,
                "agency",
                None,
                "机关名称",
                "",
                "找不到机关名称（标题、落款、来源中都没有）；可用 --agency 指定",
            )
        )
    return found


def _blanks(ed, section: str, cells: list) -> Finding:
    """One finding for a table's blank cells; a column blank from top to bottom said as such."""
    table = _TABLE_OF[section]
    lines, fields_of = d.table_shape(ed, table)
    names, whole = [], set()
    for field in fields_of(lines[0].id) if table != "proactive" else ():
        if sum(column == field.id for _, column in cells) == len(lines):
            whole.add(field.id)
            names.append(f"{field.label}列全部")
    for row, column in cells:
        line = next((ln for ln in lines if ln.id == row), None)
        if line is not None and column not in whole:
            caption = re.sub(r"（[^）]{6,}）$", "", d.row_caption(line))
            names.append(f"{caption}·{d.field_label(fields_of(row), column)}")
    listed = "，".join(names[:_SHOWN]) + ("等" if len(names) > _SHOWN else "")
    return Finding(
        "IMPORT-BLANK",
        INFO,
        section,
        None,
        None,
        0,
        len(cells),
        f"{section}：{len(cells)} 个空白单元格按 0 计：{listed}",
    )
