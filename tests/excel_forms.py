"""A giagen workbook in the forms Excel and WPS save it: text moved into shared strings, in variants.

giagen and openpyxl write text inline; a clerk's workbook comes back with every text in
xl/sharedStrings.xml, the cell's `t="s"` before or after its style, an item as one run or as
several formatted runs, and with the phonetic runs Excel adds to East Asian text.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

FORMS = ("plain", "type-last", "rich-runs", "phonetic")
_INLINE = re.compile(
    rb'<c r="([A-Z]+\d+)"((?: [a-z]+="[^"]*")*) t="inlineStr"((?: [a-z]+="[^"]*")*)>'
    rb"<is><t(?: [^>]*)?>(.*?)</t></is></c>",
    re.S,
)


def as_saved(data: bytes, form: str) -> bytes:
    """The workbook `data` with its inline text moved to shared strings, in one of FORMS."""
    strings: dict[str, int] = {}

    def index(match) -> bytes:
        ref, before, after, text = match.groups()
        i = strings.setdefault(html.unescape(text.decode("utf-8")), len(strings))
        attrs = before + after + b' t="s"' if form == "type-last" else b' t="s"' + before + after
        return b'<c r="' + ref + b'"' + attrs + b"><v>" + str(i).encode() + b"</v></c>"

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = _INLINE.sub(index, body)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdStrings" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            z.writestr(info, body)
        items = "".join(_item(text, form) for text in strings)
        z.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>',
        )
    return out.getvalue()


def _item(text: str, form: str) -> str:
    def t(part: str) -> str:
        return f'<t xml:space="preserve">{html.escape(part, quote=False)}</t>'

    if form == "rich-runs" and len(text) > 2:  # the first two characters bold, the rest plain
        return f"<si><r><rPr><b/></rPr>{t(text[:2])}</r><r>{t(text[2:])}</r></si>"
    if form == "phonetic":
        return f'<si>{t(text)}<rPh sb="0" eb="1"><t>ｙｏｍｉ</t></rPh><phoneticPr fontId="1"/></si>'
    return f"<si>{t(text)}</si>"
