"""A published DOCX as agencies' Word documents hold it: tracked changes, hidden text, fields,
a layout table around everything. Each form shows the same numbers as the original."""

from __future__ import annotations

import re

from serialisations import rewritten

_NUMBER = re.compile(rb'<w:r><w:t xml:space="preserve">(\d+)</w:t></w:r>')
_DATE = b' w:author="\xe5\xae\xa1\xe6\xa0\xb8" w:date="2024-01-18T09:00:00Z"'


def tracked(xml: bytes) -> bytes:
    """Every number typed over with track changes on: the old value deleted, the new inserted."""
    counter = iter(range(1, 1_000_000))

    def change(m):
        old = str(int(m[1]) + 1).encode()
        return (
            b'<w:del w:id="%d"' % next(counter)
            + _DATE
            + b"><w:r><w:delText>"
            + old
            + b"</w:delText></w:r></w:del>"
            + b'<w:ins w:id="%d"' % next(counter)
            + _DATE
            + b"><w:r><w:t>"
            + m[1]
            + b"</w:t></w:r></w:ins>"
        )

    return _NUMBER.sub(change, xml)


def hidden(xml: bytes) -> bytes:
    """Hidden text before every number (a note the writer kept, Word neither shows nor prints)."""
    return _NUMBER.sub(lambda m: b"<w:r><w:rPr><w:vanish/></w:rPr><w:t>99</w:t></w:r>" + m[0], xml)


def simple_fields(xml: bytes) -> bytes:
    """Every number a field (`= 12`) showing its result."""
    return _NUMBER.sub(
        lambda m: b'<w:fldSimple w:instr=" = ' + m[1] + b' ">' + m[0] + b"</w:fldSimple>", xml
    )


def complex_fields(xml: bytes) -> bytes:
    """Every number a field in Word's long form: begin, code, separate, result, end."""
    return _NUMBER.sub(
        lambda m: (
            b'<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            + b'<w:r><w:instrText xml:space="preserve"> = 7'
            + m[1]
            + b" </w:instrText></w:r>"
            + b'<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + m[0]
            + b'<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        ),
        xml,
    )


def layout_table(xml: bytes) -> bytes:
    """The whole body inside a one-cell table, as OA systems' templates hold a document."""
    start = xml.index(b"<w:body>") + len(b"<w:body>")
    end = xml.rindex(b"<w:sectPr")
    inner = xml[start:end]
    if not inner.rstrip().endswith(b"</w:p>"):
        inner += b"<w:p/>"
    wrapped = (
        b'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol/>'
        b"</w:tblGrid><w:tr><w:tc>" + inner + b"</w:tc></w:tr></w:tbl><w:p/>"
    )
    return xml[:start] + wrapped + xml[end:]


FORMS = {
    "tracked": tracked,
    "hidden": hidden,
    "simple-fields": simple_fields,
    "complex-fields": complex_fields,
    "layout-table": layout_table,
    "tracked-in-layout-table": lambda xml: layout_table(tracked(xml)),
}


def as_form(data: bytes, form: str) -> bytes:
    """The DOCX `data` with its document part in `form`."""
    return rewritten(data, "word/document.xml", FORMS[form])
