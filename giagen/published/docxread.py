"""A Word document's body as Word displays it: insertions kept, deletions and hidden text left
out, fields as their results, layout tables seen through to the tables inside them."""

from __future__ import annotations

import zipfile

from ..core.exceptions import InputError
from ..core.packages import xml_parser
from .tokens import within

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# What Word does not show: deleted text, a field's code, what moved away, text boxes drawn
# over the page (their text is no part of the body's order), a fallback of alternate content.
_NOT_SHOWN = {f"{W}del", f"{W}moveFrom", f"{W}instrText", f"{W}delText", f"{W}txbxContent"}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def body(path) -> list:
    """The document's body: a list of paragraphs (str) and tables (lists of rows of cells, each
    cell a (grid column, text) pair; a cell a merge continues from above is left out)."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise InputError("无法读取 DOCX（文件损坏或不是 Word 文档）") from None
    within(xml.count(b"<w:p") + xml.count(b"<w:tc"), "DOCX", "个段落和单元格")
    # lazy: lxml (~15 ms) only for a DOCX
    from lxml import etree

    try:
        root = etree.fromstring(xml, xml_parser())
    except etree.XMLSyntaxError:
        raise InputError("无法读取 DOCX（word/document.xml 已损坏）") from None
    found = root.find(f"{W}body")
    return _blocks(found) if found is not None else []


def _blocks(container) -> list:
    """Paragraphs and tables in order; a layout table (one cell, or cells holding tables) gives
    up its content in place."""
    blocks = []
    for el in container:
        if el.tag == f"{W}p":
            blocks.append(paragraph_text(el))
        elif el.tag == f"{W}tbl":
            if _layout(el):
                for cell in el.iter(f"{W}tc"):
                    if cell.getparent().getparent() is el:
                        blocks += _blocks(cell)
            else:
                blocks.append(_rows(el))
        elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml", f"{W}ins", f"{W}moveTo"):
            blocks += _blocks(el)  # content controls and tracked insertions hold body blocks
    return blocks


def _layout(table) -> bool:
    """A table used for layout: a single cell, or a cell holding another table."""
    cells = [c for row in table.findall(f"{W}tr") for c in row.findall(f"{W}tc")]
    return len(cells) == 1 or any(c.find(f"{W}tbl") is not None for c in cells)


def _rows(table) -> list[list[tuple[int, str]]]:
    rows = []
    for row in table.findall(f"{W}tr"):
        cells, col = [], 0
        for cell in row.findall(f"{W}tc"):
            pr = cell.find(f"{W}tcPr")
            span = pr.find(f"{W}gridSpan") if pr is not None else None
            merge = pr.find(f"{W}vMerge") if pr is not None else None
            continued = merge is not None and merge.get(f"{W}val") in (None, "continue")
            if not continued:
                text = "\n".join(paragraph_text(p) for p in _paragraphs(cell))
                cells.append((col, text))
            col += int(span.get(f"{W}val") or 1) if span is not None else 1
        rows.append(cells)
    return rows


def _paragraphs(container):
    """A cell's own paragraphs, those in content controls included (not those of text boxes)."""
    for el in container:
        if el.tag == f"{W}p":
            yield el
        elif el.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _paragraphs(el)


def paragraph_text(p) -> str:
    """A paragraph's text as shown: runs in order, tabs and breaks as such."""
    parts: list[str] = []
    _collect(p, parts)
    return "".join(parts)


def _collect(el, parts: list[str]):
    for child in el:
        tag = child.tag
        if tag in _NOT_SHOWN or tag == _FALLBACK:
            continue
        if tag == f"{W}r":
            if not _hidden(child):
                _run(child, parts)
        elif isinstance(tag, str):
            _collect(child, parts)  # insertions, hyperlinks, smart tags, simple fields' results


def _run(run, parts: list[str]):
    for child in run:
        tag = child.tag
        if tag == f"{W}t":
            parts.append(child.text or "")
        elif tag == f"{W}tab":
            parts.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            parts.append("\n")


def _hidden(run) -> bool:
    """Text formatted as hidden (`w:vanish`), which Word does not show or print."""
    pr = run.find(f"{W}rPr")
    vanish = pr.find(f"{W}vanish") if pr is not None else None
    return vanish is not None and vanish.get(f"{W}val") not in ("0", "false", "off")
