"""One workbook written in the many ways the XML and OOXML specifications make equivalent.

Each form takes a workbook's bytes and returns another workbook that any conforming reader
must read with the same value in every cell: attributes reordered or single-quoted, a
namespace prefix, comments (one holding a fake cell), CDATA, `xml:space`, character
references, Excel's `_xHHHH_` escapes, the Strict namespaces, parts renamed or in upper
case, UTF-16, absolute targets, pretty-printing, formula strings, floats, stored entries,
and the shared-string forms of `excel_forms`.
"""

from __future__ import annotations

import html
import io
import re
import zipfile

from excel_forms import FORMS as SHARED_FORMS
from excel_forms import as_saved

T_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S_MAIN = b"http://purl.oclc.org/ooxml/spreadsheetml/main"
T_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S_REL = b"http://purl.oclc.org/ooxml/officeDocument/relationships"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def _zip(parts: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, body in parts.items():
            z.writestr(name, body)
    return out.getvalue()


def rewritten(data: bytes, name: str, change) -> bytes:
    """The zip `data` with its part `name` passed through `change` (bytes to bytes)."""
    return _zip({n: change(b) if n == name else b for n, b in _parts(data).items()})


def _sheets(parts, change) -> dict[str, bytes]:
    return {
        name: change(body) if name.lower().startswith("xl/worksheets/sheet") else body
        for name, body in parts.items()
    }


def _tags(body: bytes, change) -> bytes:
    """`change` applied to every start tag's attribute text (not declarations or comments)."""
    return re.sub(
        rb"<([A-Za-z][\w:]*)(\s[^<>]*?)(/?)>",
        lambda m: b"<" + m[1] + change(m[2]) + m[3] + b">",
        body,
    )


def reordered(parts):
    def change(attrs):
        found = re.findall(rb'\s+([\w:]+="[^"]*")', attrs)
        return b" " + b" ".join(reversed(found)) if found else attrs

    return _sheets(parts, lambda body: _tags(body, change))


def single_quoted(parts):
    return _sheets(parts, lambda body: _tags(body, lambda a: re.sub(rb'="([^"]*)"', rb"='\1'", a)))


def spaced_equals(parts):
    return _sheets(parts, lambda body: _tags(body, lambda a: re.sub(rb'="', rb' = "', a)))


def prefixed(parts):
    def change(body):
        body = body.replace(b'xmlns="' + T_MAIN + b'"', b'xmlns:x="' + T_MAIN + b'"')
        return re.sub(rb"<(/?)([A-Za-z][\w]*)(?=[\s/>])", rb"<\1x:\2", body)

    return _sheets(parts, change)


def commented(parts):
    fake = b'<!-- <c r="D5"><v>999</v></c> --><!-- a note, & < > -->'
    return _sheets(parts, lambda body: re.sub(rb"(<row\b[^>]*>)", rb"\1" + fake, body))


def cdata(parts):
    def change(body):
        return re.sub(
            rb"<t([^>]*)>([^<]*)</t>",
            lambda m: (
                b"<t" + m[1] + b"><![CDATA[" + html.unescape(m[2].decode()).encode() + b"]]></t>"
            ),
            body,
        )

    return _sheets(parts, change)


def space_preserved(parts):
    return _sheets(parts, lambda body: body.replace(b"<v>", b'<v xml:space="preserve">'))


def character_references(parts):
    def change(body):
        body = re.sub(
            rb"<v>([0-9.\-]+)</v>",
            lambda m: b"<v>" + b"".join(b"&#%d;" % c for c in m[1]) + b"</v>",
            body,
        )
        return re.sub(
            rb"(<t[^>]*>)([^<]*)(</t>)",
            lambda m: (
                m[1]
                + "".join(
                    f"&#x{ord(c):X};" if ord(c) > 0x2000 else c for c in m[2].decode()
                ).encode()
                + m[3]
            ),
            body,
        )

    return _sheets(parts, change)


def x_escaped(parts):
    """Line breaks in text as Excel escapes control characters: `_x000A_`."""

    def change(body):
        return re.sub(
            rb"(<t[^>]*>)([^<]*)(</t>)",
            lambda m: m[1] + m[2].replace(b"\n", b"_x000A_") + m[3],
            body,
        )

    return _sheets(parts, change)


def strict(parts):
    out = {}
    for name, body in parts.items():
        body = (
            body.replace(T_MAIN, S_MAIN).replace(T_REL + b"/", S_REL + b"/").replace(T_REL, S_REL)
        )
        if name == "xl/workbook.xml":
            body = body.replace(b"<workbook ", b'<workbook conformance="strict" ', 1)
        out[name] = body
    return out


def renamed_parts(parts):
    """Sheets at other names, the workbook itself elsewhere: only the relationships say where."""
    names = {n: n for n in parts}
    for name in parts:
        if name.startswith("xl/worksheets/sheet"):
            names[name] = name.replace("xl/worksheets/sheet", "xl/data/part_")
    names["xl/workbook.xml"] = "xl/book.xml"
    names["xl/_rels/workbook.xml.rels"] = "xl/_rels/book.xml.rels"
    out = {}
    for name, body in parts.items():
        if name.endswith(".rels") or name == "[Content_Types].xml":
            body = body.replace(b"worksheets/sheet", b"data/part_").replace(
                b"/workbook.xml", b"/book.xml"
            )
            body = body.replace(b'Target="xl/workbook.xml"', b'Target="xl/book.xml"')
        out[names[name]] = body
    return out


def upper_case_parts(parts):
    return {(n.upper() if n.startswith("xl/worksheets/") else n): b for n, b in parts.items()}


def utf16(parts):
    def change(body):
        text = re.sub(r"^<\?xml[^>]*\?>", "", body.decode("utf-8")).lstrip()
        return ('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>\n' + text).encode(
            "utf-16"
        )

    return _sheets(parts, change)


def absolute_targets(parts):
    out = dict(parts)
    rels = "xl/_rels/workbook.xml.rels"
    out[rels] = re.sub(rb'Target="(?!/)([^"]+)"', rb'Target="/xl/\1"', parts[rels])
    return out


def pretty(parts):
    def change(body):
        return re.sub(rb">(?=<(?:row|/row|c |/sheetData|sheetData|/worksheet))", b">\n    ", body)

    return _sheets(parts, change)


def formula_strings(parts):
    def change(body):
        return re.sub(
            rb'<c r="([A-Z]+\d+)"([^>]*?) t="inlineStr"([^>]*)><is><t[^>]*>([^<]*)</t></is></c>',
            lambda m: (
                b'<c r="'
                + m[1]
                + b'"'
                + m[2]
                + b' t="str"'
                + m[3]
                + b'><f>"x"</f><v>'
                + m[4]
                + b"</v></c>"
            ),
            body,
        )

    return _sheets(parts, change)


def floats(parts):
    return _sheets(parts, lambda body: re.sub(rb"<v>(\d+)</v>", rb"<v>\1.0</v>", body))


def undeclared(parts):
    return _sheets(parts, lambda body: re.sub(rb"^<\?xml[^>]*\?>\s*", b"", body))


FORMS = {
    **{f"shared-{form}": None for form in SHARED_FORMS},
    "attributes-reordered": reordered,
    "single-quoted": single_quoted,
    "spaced-equals": spaced_equals,
    "prefixed": prefixed,
    "commented": commented,
    "cdata": cdata,
    "space-preserved": space_preserved,
    "character-references": character_references,
    "x-escaped": x_escaped,
    "strict": strict,
    "renamed-parts": renamed_parts,
    "upper-case-parts": upper_case_parts,
    "utf16": utf16,
    "absolute-targets": absolute_targets,
    "pretty": pretty,
    "formula-strings": formula_strings,
    "floats": floats,
    "no-declaration": undeclared,
    "stored": None,
    "cdata-shared": None,
}


def serialised(data: bytes, form: str) -> bytes:
    """The workbook `data` written in `form` (one of FORMS)."""
    if form.startswith("shared-"):
        return as_saved(data, form.removeprefix("shared-"))
    if form == "stored":
        return _zip(_parts(data), zipfile.ZIP_STORED)
    if form == "cdata-shared":
        return _zip(cdata_strings(_parts(as_saved(data, "plain"))))
    return _zip(FORMS[form](_parts(data)))


def cdata_strings(parts):
    """Shared strings written as CDATA."""
    out = dict(parts)
    out["xl/sharedStrings.xml"] = re.sub(
        rb"<t([^>]*)>([^<]*)</t>",
        lambda m: b"<t" + m[1] + b"><![CDATA[" + html.unescape(m[2].decode()).encode() + b"]]></t>",
        parts["xl/sharedStrings.xml"],
    )
    return out
