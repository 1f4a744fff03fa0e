"""Correction notices: what each unit must do, to forward as is (text and DOCX)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from . import board as b

_WHAT = {
    b.MISSING: "尚未收到贵单位的报告，请按时报送",
    b.UNFILLED: "收到的工作簿仍是空白模板（或必填项都没有填写），请填写后重新报送",
    b.WRONG_YEAR: "收到的是其他年度的报告，请报送本年度的报告",
    b.ERRORS: "报告有以下错误，请改正后重新报送",
    b.WARNINGS: "报告有以下问题，请逐条核对：确属实际情况的请回复确认，需要修改的请改正后重新报送",
}


def balance_cells(finding: dict, edition: str | None) -> str:
    """The cells an S3-BALANCE finding involves: 一、二、（七）and 四 of its column."""
    if finding.get("rule") != "S3-BALANCE" or not edition or not finding.get("column"):
        return finding.get("cell") or ""
    from .cells import cell_map

    cells = cell_map(edition)
    refs = [cells.get(("三", row, finding["column"])) for row in ("new_received", "carried_over", "total", "carried_forward")]
    return "、".join(r for r in refs if r)


def notice_lines(row: b.Row, year: int | None, deadline: dt.date | None, sender: str) -> tuple[str, list[str]]:
    """The notice's title and paragraphs."""
    what = "报送" if row.status == b.MISSING else "更正"
    title = f"关于{row.unit}{year or ''}年政府信息公开工作年度报告的{what}通知"
    lines = [f"{row.unit}："]
    if row.file:
        lines.append(f"收到贵单位报送的文件：{Path(row.file).name}（收到时间 {row.received}）。")
        if row.superseded:
            lines.append("此前报送的 " + "、".join(Path(s).name for s in row.superseded) + " 已以最新文件为准。")
    lines.append(_WHAT[row.status] + "：" if row.findings and row.status != b.MISSING else _WHAT[row.status] + "。")
    if row.status == b.WRONG_YEAR and row.record:
        lines.append(f"收到的报告是 {row.record.year} 年度的，本次汇总的是 {year} 年度。")
    n = 0
    for f in row.findings:
        if f["severity"] == "info":
            continue
        n += 1
        where = balance_cells(f, row.record.edition if row.record else None)
        lines.append(f"{n}. " + (f"【{where}】" if where else "") + f["message"])
    due = f"请于 {deadline:%Y年%-m月%-d日} 前" if deadline else "请尽快"
    if row.status == b.MISSING:
        lines.append(f"{due}用发给贵单位的 .xlsx 工作簿填写后报送（不要插入、删除行或改动表格结构；"
                     "可先用 giagen check 自查，显示“通过”后再报送）。")
    else:
        lines.append(f"{due}将改正后的 .xlsx 工作簿重新报送（请在原工作簿中修改，不要插入、删除行或改动表格结构；"
                     "可先用 giagen check 自查，显示“通过”后再报送）。")
    if row.late:
        lines.append("贵单位已逾期，请抓紧办理。")
    lines.append(sender)
    return title, lines


def notice_text(title: str, lines: list[str]) -> str:
    return title + "\n\n" + "\n".join(lines) + "\n"


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" '
       'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="word/document.xml"/></Relationships>')
_FONT = '<w:rFonts w:ascii="{f}" w:hAnsi="{f}" w:eastAsia="{f}" w:cs="{f}" w:hint="eastAsia"/>'


def _paragraph(text: str, font: str, size: int, center: bool = False, indent: bool = False) -> str:
    ppr = "<w:pPr>" + ('<w:jc w:val="center"/>' if center else "") + (
        '<w:ind w:firstLineChars="200" w:firstLine="640"/>' if indent else "") + "</w:pPr>"
    rpr = f"<w:rPr>{_FONT.format(f=font)}<w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/></w:rPr>"
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def notice_docx(title: str, lines: list[str]) -> bytes:
    """A one-page DOCX of the notice: a title in 黑体, the rest in 仿宋_GB2312 三号."""
    body = _paragraph(title, "黑体", 36, center=True) + "".join(
        _paragraph(line, "仿宋_GB2312", 32, indent=i > 0) for i, line in enumerate(lines))
    document = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:body>{body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
                '<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" '
                'w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("word/document.xml", document)):
            z.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)
    return out.getvalue()
