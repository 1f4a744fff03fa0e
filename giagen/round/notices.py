"""Correction notices: what each unit must do, to forward as is (text and DOCX)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from markupsafe import Markup

from ..core.compose import title_lines
from ..core.findings import Finding
from ..output.docx import BODY, SIGNATURE, _paragraph, _run
from ..output.docxtemplate import template_for
from ..workbook.cells import cell_map
from . import board as b

_WHAT = {
    b.MISSING: "尚未收到贵单位的报告，请按时报送",
    b.UNREADABLE: "收到的文件无法读取",
    b.UNFILLED: "收到的工作簿仍是空白模板（或必填项都没有填写），请填写后重新报送",
    b.WRONG_YEAR: "收到的是其他年度的报告，请报送本年度的报告",
    b.ERRORS: "报告有以下错误，请改正后重新报送",
    b.WARNINGS: "报告有以下问题，请逐条核对：确属实际情况的请回复确认，需要修改的请改正后重新报送",
}


def balance_cells(finding: Finding, edition: str | None) -> str:
    """The cells an S3-BALANCE finding involves: 一、二、（七）and 四 of its column."""
    if finding.rule != "S3-BALANCE" or not edition or not finding.column:
        return finding.cell or ""

    cells = cell_map(edition)
    refs = [
        cells.get(("三", row, finding.column))
        for row in ("new_received", "carried_over", "total", "carried_forward")
    ]
    return "、".join(r for r in refs if r)


def notice_lines(
    row: b.Row,
    year: int | None,
    deadline: dt.date | None,
    sender: str,
    today: dt.date | None = None,
) -> tuple[str, list[str]]:
    """The notice's title and paragraphs; after the deadline it asks for the file at once."""
    today = today or dt.date.today()
    what = "报送" if row.status in (b.MISSING, b.UNREADABLE) else "更正"
    title = f"关于{row.unit}{year or ''}年政府信息公开工作年度报告的{what}通知"
    lines = [f"{row.unit}："]
    if row.file:
        lines.append(f"收到贵单位报送的文件：{Path(row.file).name}（收到时间 {row.received}）。")
        if row.superseded:
            lines.append(
                "此前报送的 "
                + "、".join(Path(s).name for s in row.superseded)
                + " 已以最新文件为准。"
            )
    if row.status in _WHAT:
        lines.append(
            _WHAT[row.status] + "："
            if row.findings and row.status != b.MISSING
            else _WHAT[row.status] + "。"
        )
    lines += [f"{note}。" for note in row.notes]
    if row.status == b.WRONG_YEAR and row.record:
        lines.append(f"收到的报告是 {row.record.year} 年度的，本次汇总的是 {year} 年度。")
    n = 0
    for f in row.findings:
        if f.severity == "info" or f in row.confirmed:
            continue
        n += 1
        where = balance_cells(f, row.record.edition if row.record else None)
        lines.append(f"{n}. " + (f"【{where}】" if where else "") + f.message)
    overdue = bool(deadline and today > deadline)
    due = f"请于 {deadline:%Y年%-m月%-d日} 前" if deadline and not overdue else "请尽快"
    if row.status == b.READY:
        pass  # told of a held-back file only: nothing to correct in its own report
    elif row.status == b.MISSING:
        lines.append(
            f"{due}用发给贵单位的 .xlsx 工作簿填写后报送（不要插入、删除行或改动表格结构；"
            "可先用 giagen check 自查，显示“通过”后再报送）。"
        )
    else:
        lines.append(
            f"{due}将改正后的 .xlsx 工作簿重新报送（请在原工作簿中修改，不要插入、删除行或改动表格结构；"
            "可先用 giagen check 自查，显示“通过”后再报送）。"
        )
    if overdue and row.status in b.NEEDS_ACTION:
        lines.append(f"报送截止日期 {deadline:%Y年%-m月%-d日} 已过，贵单位已逾期，请尽快办理。")
    elif row.late:
        lines.append("贵单位已逾期，请抓紧办理。")
    lines.append(sender)
    return title, lines


def notice_text(title: str, lines: list[str]) -> str:
    """The notice as plain text."""
    return title + "\n\n" + "\n".join(lines) + "\n"


def notice_docx(title: str, lines: list[str]) -> bytes:
    """The notice as a DOCX in the report's own template: the same page, fonts and styles."""

    flush = '<w:ind w:firstLineChars="0" w:firstLine="0"/>'  # the salutation stands at the margin
    body = Markup(
        "".join(
            _paragraph(_run(line), BODY, flush if i == 0 else "")
            for i, line in enumerate(lines[:-1])
        )
    )
    ctx = {
        key: Markup("")
        for key in (
            "section_1",
            "section_2",
            "section_3",
            "section_4",
            "section_5",
            "section_6",
            "overview",
            "table_2",
            "table_3",
            "table_4",
            "problems",
            "other",
        )
    }
    ctx |= {
        "title": Markup('</w:t><w:br/><w:t xml:space="preserve">').join(title_lines(title)),
        "title_text": title,
        "draft_mark": "",
        "agency": lines[-1],
        "year": "",
        "date": "",
        "stamp": "1980-01-01T00:00:00Z",
        "preamble": body,
        "signature": Markup(_paragraph(_run(lines[-1]), SIGNATURE)),
    }
    return template_for().render(ctx)
