"""Reports laid out and written by ReportLab: another program's text layout, fonts and PDF
writer (its streams ASCII85 over deflate, as it writes them by default)."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

# A TrueType font with Chinese, when the machine has one (ReportLab embeds TrueType only)
TRUETYPE_CJK = [
    p
    for p in (
        Path("/usr/share/fonts/truetype/arphic/ukai.ttc"),
        Path("/usr/share/fonts/truetype/arphic/uming.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
        Path("C:/Windows/Fonts/simsun.ttc"),
    )
    if p.exists()
]


def _font(kind: str) -> str:
    """The font's name once registered: `cid`, Adobe's STSong-Light, not embedded, its text
    found through a predefined CMap (UniGB-UCS2-H); `truetype`, a subset embedded with a
    ToUnicode map."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if kind == "cid":
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        return "STSong-Light"
    pdfmetrics.registerFont(TTFont("CJKTrueType", str(TRUETYPE_CJK[0]), subfontIndex=0))
    return "CJKTrueType"


def reportlab_pdf(composition, kind: str = "cid") -> bytes:
    """A composed report as a PDF of ReportLab's own layout: title, paragraphs, and each table
    with its merged cells, its labels wrapped in their cells."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    name = _font(kind)
    body = ParagraphStyle("body", fontName=name, fontSize=10.5, leading=16, wordWrap="CJK")
    body.firstLineIndent = 21
    heading = ParagraphStyle("heading", parent=body, fontSize=12, firstLineIndent=0)
    title = ParagraphStyle("title", parent=heading, fontSize=16, leading=24, alignment=1)
    in_cell = ParagraphStyle("cell", fontName=name, fontSize=7, leading=9, wordWrap="CJK")
    c = composition
    story = [Paragraph(escape(line), title) for line in c.title_lines or (c.title,)]
    story += [Paragraph(escape(p.lead + p.text), body) for p in c.preamble]
    for section in c.sections:
        story.append(Paragraph(escape(section.title), heading))
        story += [Paragraph(escape(p.lead + p.text), body) for p in section.paragraphs]
        if section.table is None:
            continue
        grid = section.table.grid
        cells = [["" for _ in range(grid.cols)] for _ in range(grid.rows)]
        style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black)]
        for cell in grid.cells:
            text = section.table.texts[(cell.row, cell.col)]
            cells[cell.row][cell.col] = Paragraph(escape(text), in_cell)
            last = (cell.col + cell.colspan - 1, cell.row + cell.rowspan - 1)
            if last != (cell.col, cell.row):
                style.append(("SPAN", (cell.col, cell.row), last))
        widths = [170 * mm * w / sum(grid.widths) for w in grid.widths]
        story += [Table(cells, colWidths=widths, style=TableStyle(style)), Spacer(1, 6)]
    story += [Paragraph(escape(c.agency), body), Paragraph(escape(c.date), body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm).build(story)
    return out.getvalue()
