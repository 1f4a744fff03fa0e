"""Many copies of one workbook, fast: cell values patched into its sheet XML."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from decimal import Decimal

from lxml import etree

from ..core.xmltext import escape

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_DATE = (1980, 1, 1, 0, 0, 0)


class PatchableWorkbook:
    """A workbook read once; `fill` returns a copy with some cells set to new values."""

    def __init__(self, data: bytes):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            self.members = [(i.filename, z.read(i)) for i in z.infolist()]
        files = dict(self.members)
        book = etree.fromstring(files["xl/workbook.xml"])
        rels = etree.fromstring(files["xl/_rels/workbook.xml.rels"])
        targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", _NS)}
        self.sheet_files = {}
        for sheet in book.find("m:sheets", _NS):
            target = targets[sheet.get(f"{{{_NS['r']}}}id")]
            path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            self.sheet_files[sheet.get("name")] = path

    def fill(self, values: dict[str, object]) -> bytes:
        """A copy with `values` ({"三!D5": 4, "基本信息!B3": "某局"}) in place of what the cells held."""
        by_file: dict[str, dict[str, object]] = {}
        for ref, value in values.items():
            sheet, cell = ref.split("!")
            by_file.setdefault(self.sheet_files[sheet], {})[cell] = value
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in self.members:
                if name in by_file:
                    data = _patch(data.decode("utf-8"), by_file[name]).encode("utf-8")
                z.writestr(zipfile.ZipInfo(name, date_time=_DATE), data, zipfile.ZIP_DEFLATED)
        return out.getvalue()


_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)


def _patch(xml: str, cells: dict[str, object]) -> str:
    def replace(m: re.Match) -> str:
        ref = m.group(1)
        if ref not in cells:
            return m.group(0)
        style = re.search(r'\ss="\d+"', m.group(2))
        return _cell(ref, style.group(0) if style else "", cells[ref])

    patched = _CELL.sub(replace, xml)
    missing = set(cells) - {m[0] for m in _CELL.findall(xml)}
    if missing:
        raise ValueError(f"cells not in the sheet: {sorted(missing)}")
    return patched


def _cell(ref: str, style: str, value) -> str:
    if value is None or value == "":
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return f'<c r="{ref}"{style}><v>{value}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'
