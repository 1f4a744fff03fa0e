"""The DOCX of a composed report: its paragraphs and tables as WordprocessingML, put into the template."""

from __future__ import annotations

import functools
from pathlib import Path

from markupsafe import Markup

from ..core.compose import DRAFT_MARK, Composition, Paragraph, Table
from ..core.xmltext import escape
from .docxtemplate import template_for
from .templating import Inserts

TEXT_WIDTH = 8844  # twips: the 156 mm text block of GB/T 9704

# Style ids of the template (tools/make_docx_template.py).
BODY, HEADING, SUBHEADING, SIGNATURE = (
    "GiagenBody",
    "GiagenHeading1",
    "GiagenSubheading",
    "GiagenSignature",
)
TABLE_TEXT, TABLE_SMALL = "GiagenTable", "GiagenTableSmall"


def _run(text: str, style: str | None = None) -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(runs: str, style: str, ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p>'


def prose(paragraphs: tuple[Paragraph, ...]) -> Markup:
    """Paragraphs as DOCX XML in the body style, （一） leads in 楷体."""
    xml = "".join(
        _paragraph(
            (_run(p.lead, SUBHEADING) if p.lead else "") + (_run(p.text) if p.text else ""), BODY
        )
        for p in paragraphs
    )
    return Markup(xml or _paragraph("", BODY))


# Every border once, on the table (insideH/insideV draw the cells' edges); no cell repeats them,
# which kept half of document.xml and changed nothing on the page.
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def table(t: Table) -> Markup:
    """A `w:tbl` with real merges (gridSpan, vMerge), every border, repeating header rows."""
    return Markup(table_xml(t).decode("utf-8"))


def table_xml(t: Table) -> bytes:
    """The `w:tbl` as UTF-8: the grid's parts encoded once, each cell's run once per text."""
    parts, slots = _table_slots(t.grid, t.small, _fitted(t))
    out = list(parts)
    texts = t.texts
    for i, position in slots:
        out[i] = _cell_run(texts[position])
    return b"".join(out)


# A digit's width at the tables' sizes (10.5 and 9 pt), in twips, with room for the widest
# digits of the faces LibreOffice and WPS put in for 仿宋; and a cell's side margins.
_DIGIT = {False: 120, True: 104}
_MARGINS = 110


def _fitted(t: Table) -> tuple[int, ...]:
    """The columns' widths, each number column wide enough for its longest value: a five-digit
    total never wraps. Widened columns take the room from labels, then from shorter numbers."""
    widths, columns, fits = _base_widths(t.grid, t.small)
    longest = [max(map(len, map(t.texts.__getitem__, cells))) for cells in columns.values()]
    if max(longest, default=0) <= fits:
        return widths  # the common case: every number fits the grid's own widths
    need = dict.fromkeys(range(len(widths)), 0)
    for col, chars in zip(columns, longest, strict=True):
        need[col] = chars * _DIGIT[t.small] + _MARGINS
    fitted, deficit = list(widths), 0
    for col, want in need.items():
        if want > fitted[col]:
            deficit += want - fitted[col]
            fitted[col] = want
    for donors in ([c for c in need if c not in columns], [c for c in columns]):
        spare = {
            c: fitted[c] - max(need[c], widths[c] * 2 // 3 if c not in columns else 0)
            for c in donors
        }
        spare = {c: room for c, room in spare.items() if room > 0}
        total = sum(spare.values())
        take = min(deficit, total)
        for c, room in spare.items():
            fitted[c] -= take * room // total
        deficit -= take
        if deficit <= 0:
            break
    fitted[-1] += TEXT_WIDTH - sum(fitted)
    return tuple(fitted)


@functools.lru_cache(maxsize=None)
def _base_widths(grid, small: bool) -> tuple[tuple[int, ...], dict, int]:
    """The grid's own widths in twips, its number cells by column, and how many characters
    every number column holds at those widths."""
    total = sum(grid.widths)
    widths = [TEXT_WIDTH * w // total for w in grid.widths]
    widths[-1] += TEXT_WIDTH - sum(widths)
    columns: dict[int, list] = {}
    for cell in grid.cells:
        if cell.key is not None and cell.colspan == 1:
            columns.setdefault(cell.col, []).append((cell.row, cell.col))
    fits = min(((widths[c] - _MARGINS) // _DIGIT[small] for c in columns), default=0)
    return tuple(widths), {c: tuple(cells) for c, cells in columns.items()}, fits


@functools.lru_cache(maxsize=4096)
def _cell_run(text: str) -> bytes:
    """A table cell's run; a table's values are mostly the same few numbers, each escaped once."""
    return _run(text).encode("utf-8")


@functools.lru_cache(maxsize=256)  # the grids' own widths, and the few others large numbers ask
def _table_slots(grid, small: bool, widths: tuple[int, ...]) -> tuple[tuple, tuple]:
    """The table's XML parts as UTF-8, and where in them each cell's text goes: (index, (row, col))."""
    parts = _table_parts(grid, small, widths)
    return (
        tuple(p.encode("utf-8") if isinstance(p, str) else p for p in parts),
        tuple((i, p) for i, p in enumerate(parts) if not isinstance(p, str)),
    )


def _table_parts(grid, small: bool, widths: tuple[int, ...]) -> tuple:
    """The table's XML once per grid and widths, with the (row, col) of each cell's text left as a slot."""
    style = TABLE_SMALL if small else TABLE_TEXT
    parts: list = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="45" w:type="dxa"/><w:right w:w="45" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
    ]
    grouped = _grouped_rows(grid)
    for r, slots in enumerate(grid.slots):
        header = "<w:tblHeader/>" if r < grid.header_rows else ""
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        # header rows and 二's block sub-headers stay on the page of the rows they head; the
        # rows of a label group of 三 (（五）不予处理's five) stay on one page with their label
        keep = "<w:keepNext/>" if r in grouped or all(c.key is None for c, _ in slots) else ""
        for cell, continued in slots:
            width = sum(widths[cell.col : cell.col + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = (
                ("<w:vMerge/>" if continued else '<w:vMerge w:val="restart"/>')
                if cell.rowspan > 1
                else ""
            )
            align = '<w:jc w:val="left"/>' if grid.align(cell) == "left" else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                f'<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{align}</w:pPr>'
            )
            if not continued:
                parts.append((cell.row, cell.col))
            parts.append("</w:p></w:tc>")
        parts.append("</w:tr>")
    # Word needs a paragraph between a table and what follows.
    parts.append("</w:tbl>" + _paragraph("", BODY))
    return tuple(parts)


_GROUP_ROWS = 10  # a label group this long or shorter is kept on one page; a longer one may break


def _grouped_rows(grid) -> frozenset[int]:
    """The rows of a label group spanning several rows, but its last (kept with the next)."""
    rows = set()
    for cell in grid.cells:
        if cell.key is None and 1 < cell.rowspan <= _GROUP_ROWS and cell.row >= grid.header_rows:
            rows.update(range(cell.row, cell.row + cell.rowspan - 1))
    return frozenset(rows)


def _width(text: str) -> float:
    """Printed width in characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def signature(agency: str, date: str) -> Markup:
    """The 落款 of GB/T 9704: the date four characters from the right, the agency centred over it."""
    wa, wd = _width(agency), _width(date)
    right_date, right_agency = 4.0, (4 + (wd - wa) / 2 if date else 4.0)
    if (
        right_agency < 2
    ):  # a long name keeps two characters from the right; the date centres under it
        right_agency, right_date = 2.0, 2 + (wa - wd) / 2
    lines = [(agency, right_agency)] + ([(date, right_date)] if date else [])
    ind = '<w:ind w:rightChars="{}" w:right="{}" w:firstLineChars="0" w:firstLine="0"/>'
    return Markup(
        _paragraph("", BODY)
        + "".join(
            _paragraph(_run(text), SIGNATURE, ind.format(int(chars * 100), int(chars * 320)))
            for text, chars in lines
        )
    )


def context(c: Composition, inserts: Inserts | None = None) -> dict:
    """What the template's placeholders receive.

    With `inserts`, each table is a token in the context and its XML, already UTF-8, goes
    into `inserts` to be put in place after rendering."""
    ctx = {
        "title": Markup('</w:t><w:br/><w:t xml:space="preserve">').join(
            c.title_lines or (c.title,)
        ),
        "title_text": c.title,
        "draft_mark": DRAFT_MARK if c.draft else "",
        "agency": c.agency,
        "year": c.year,
        "date": c.date,
        "preamble": prose(c.preamble),
        "stamp": c.stamp,
        "signature": signature(c.agency, c.date),
    }
    for i, section in enumerate(c.sections, start=1):
        ctx[f"section_{i}"] = Markup(_paragraph(_run(section.title), HEADING))
        if section.table is not None:
            if inserts is None:
                ctx[f"table_{i}"] = table(section.table)
            else:
                ctx[f"table_{i}"] = inserts.token(table_xml(section.table))
    by_key = {s.key: s for s in c.sections}
    ctx["overview"], ctx["problems"], ctx["other"] = (
        prose(by_key[key].paragraphs) for key in ("一", "五", "六")
    )
    return ctx


def render_docx(c: Composition, template: Path | None = None) -> bytes:
    """The DOCX bytes of a composed report, through the default template or an agency's own."""
    inserts = Inserts()
    ctx = context(c, inserts)
    return template_for(template).render(ctx, inserts)
