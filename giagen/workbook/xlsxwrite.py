"""A plain table as an .xlsx, written directly: one sheet, a header row, thousands of rows fast."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from ..core.files import write_bytes
from ..core.xmltext import escape
from .sheetxml import column_letter

_DATE = (1980, 1, 1, 0, 0, 0)
_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_BOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class Cells(str):
    """Cells of a row already written as XML (a unit's numbers, made by the worker that read it)."""


def cells(values) -> Cells:
    """`values` as the XML of consecutive cells, to stand in a row of write_table."""
    return Cells("".join(map(_cell, values)))


_COUNTS: dict[
    int, str
] = {}  # the XML of whole numbers already written: units.xlsx repeats a few hundred


def _cell(value, style: str = "") -> str:
    kind = type(value)
    if kind is int and not style:  # most cells of units.xlsx: the fast path first
        xml = _COUNTS.get(value)
        if xml is None:
            xml = f"<c><v>{value}</v></c>"
            if len(_COUNTS) < 65536:
                _COUNTS[value] = xml
        return xml
    if kind is Cells:
        return value
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, bool):
        return f'<c t="b"{style}><v>{int(value)}</v></c>'
    if isinstance(value, (int, float, Decimal)):
        return f"<c{style}><v>{value}</v></c>"
    if isinstance(value, str) and value.replace(".", "", 1).isdigit() and len(value) < 16:
        return f"<c{style}><v>{value}</v></c>"  # a decimal amount kept as text in the record
    text = _UNWRITABLE.sub("", str(value))  # XML cannot hold them; a file name may
    return f'<c t="inlineStr"{style}><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def write_table(
    path: str | Path, sheet: str, head: list[str], rows: list[list], frozen: str = ""
) -> Path:
    """Write `head` (bold) and `rows` as the one sheet of a workbook, with a filter on the header."""
    last = f"{column_letter(len(head))}{len(rows) + 1}"
    pane = ""
    if frozen:
        col, row = frozen.rstrip("0123456789"), int(frozen.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        xsplit = sum((ord(c) - 64) * 26**i for i, c in enumerate(reversed(col))) - 1
        pane = (
            f'<sheetViews><sheetView workbookViewId="0"><pane xSplit="{xsplit}" ySplit="{row - 1}" '
            f'topLeftCell="{frozen}" activePane="bottomRight" state="frozen"/></sheetView></sheetViews>'
        )
    top = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/>{pane}<sheetData>'
        '<row r="1">' + "".join(_cell(h, ' s="1"') for h in head) + "</row>"
    )
    book = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets>'
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'
        f"'{escape(sheet)}'!$A$1:${last.rstrip('0123456789')}${len(rows) + 1}</definedName></definedNames>"
        "</workbook>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for name, data in (
            ("[Content_Types].xml", _CT),
            ("_rels/.rels", _RELS),
            ("xl/workbook.xml", book),
            ("xl/_rels/workbook.xml.rels", _BOOK_RELS),
            ("xl/styles.xml", _STYLES),
        ):
            z.writestr(zipfile.ZipInfo(name, date_time=_DATE), data, zipfile.ZIP_DEFLATED)
        sheet_info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", date_time=_DATE)
        sheet_info.compress_type = zipfile.ZIP_DEFLATED
        # row by row into the zip: ten thousand units' rows are never one string in memory
        with z.open(sheet_info, "w") as f:
            f.write(top.encode("utf-8"))
            batch = []
            for i, row in enumerate(rows, start=2):
                batch.append(f'<row r="{i}">' + "".join(map(_cell, row)) + "</row>")
                if len(batch) == 256:
                    f.write("".join(batch).encode("utf-8"))
                    batch = []
            f.write(
                ("".join(batch) + f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>').encode(
                    "utf-8"
                )
            )
    return write_bytes(path, out.getvalue())
