"""The values of a sheet's cells from its XML, cut at each cell where `regular` proves the cut reads as a parser would."""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass, field

from ..core.numbers import NO_VALUE, CellError

# SpreadsheetML's main namespace, transitional and Strict ("Strict Open XML 电子表格").
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
MAX_STRAYS = 5  # stray cells reported per workbook


@dataclass
class Sheets:
    """The values of the wanted cells, by sheet and coordinate, and what else was found."""

    values: dict[str, dict[str, object]]
    strays: list[tuple[str, str, object]] = field(default_factory=list)
    date1904: bool = False
    renamed: dict[str, str] = field(
        default_factory=dict
    )  # a sheet read under another name: {"三": "三、收到…"}
    styles: dict[str, dict[str, str]] = field(default_factory=dict)  # wanted cells' `s`, by sheet
    keywords: str = ""  # the workbook's properties' keywords: giagen marks a region's workbook

    def get(self, sheet: str, coordinate: str):
        """A cell's value: "" when blank; str, int, float, bool, CellError or NO_VALUE."""
        return self.values.get(sheet, {}).get(coordinate, "")


_REF = re.compile(r"([A-Z]{1,3})(\d{1,7})$")


def split_ref(ref: str) -> tuple[int, int]:
    """`D12` → (12, 4)."""
    match = _REF.match(ref)
    if not match:
        raise ValueError(ref)
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)), col


_position = functools.lru_cache(maxsize=16384)(
    split_ref
)  # the same references recur in every workbook


def column_letter(col: int) -> str:
    """1 → `A`, 27 → `AA`."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# The regular form Excel, WPS and openpyxl write: every cell starts `<c r="REF"`, no prefix.
# What the quick cut would read otherwise than an XML parser: comments, CDATA, a DTD (`<!`),
# processing instructions (`<?`), an entity that is not one of XML's five or a character
# reference, a `<v>` with attributes (`xml:space`), attributes in single quotes or with
# spaces around `=`, a raw carriage return, a cell whose reference is not its first
# attribute, a namespace prefix. Each piece between two cells is looked at once, when it is
# first seen (the pieces that recur in every workbook of a round were looked at before).
_IRREGULAR = re.compile(
    rb"<!|<\?|&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)|<v[^>]|='|\s=|=\s|\r"
    rb"|<c[\s>/]|<[A-Za-z0-9]+:c[\s>]"
)
_DECLARATION = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<\?xml\s[^>]*\?>")
_DECLARED = re.compile(rb'^\s*<\?xml[^>]*encoding=["\']([^"\']+)', re.I)
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_STYLE = re.compile(rb'\bs="(\d+)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)
_LISTED = (
    1024 * 1024
)  # a sheet up to this size is cut into cells at once (faster); larger, one by one


def regular(data: bytes) -> bool:
    """Whether the quick cut reads this sheet XML exactly as an XML parser would."""
    first = data.find(b'<c r="')
    return _regular_head(data if first < 0 else data[:first]) and not any(
        map(_IRREGULAR.search, data.split(b'<c r="')[1:])
    )


@functools.lru_cache(maxsize=256)  # the same few heads in every workbook of a round
def _regular_head(head: bytes) -> bool:
    """The XML before the first cell: UTF-8, and nothing a parser reads otherwise."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return False
    declared = _DECLARED.match(head[:200])
    if declared and declared.group(1).lower().replace(b"-", b"") != b"utf8":
        return False
    return not _IRREGULAR.search(_DECLARATION.sub(b"", head, count=1))


def _fast_sheet(
    data: bytes, name: str, wanted: set[str], extent, strings, sheets: Sheets, special=()
) -> bool:
    """Read the wanted cells by cutting the sheet's XML at each `<c r="`: C speed.

    False when the XML is not of the regular form `regular` proves the cut reads exactly:
    the caller then walks it with lxml. `special`: the styles whose number formats show numbers
    as dates or percentages; the wanted cells of those styles are kept in `sheets.styles`."""
    first = data.find(b'<c r="')
    if not _regular_head(data if first < 0 else data[:first]):
        return False
    if len(data) > _LISTED:  # too large to hold cut up: looked at, then read one piece at a time
        if any(map(_IRREGULAR.search, _cells_of(data))):
            return False
        _keep_styles(data, wanted, sheets.styles.setdefault(name, {}), special)
        sheets.values.setdefault(name, {})
        return all(
            _read_cell(piece, name, wanted, extent, strings, sheets) for piece in _cells_of(data)
        )
    pieces = data.split(b'<c r="')[1:]  # what comes before the first cell is not a cell
    steps = _steps_for(name, wanted, extent)
    found = list(map(steps.get, pieces))  # most pieces recur in every workbook of a round
    for i in _indices(found, None):  # a piece not seen before: looked at, its step worked out
        if _IRREGULAR.search(pieces[i]):
            return False  # before anything of the sheet is kept: the walk reads it afresh
        cell = _known_cut(pieces[i]) if len(pieces[i]) <= _KNOWN else _cut(pieces[i])
        if cell is None:
            return False
        found[i] = _step(cell, wanted, extent)
        if len(pieces[i]) <= _KNOWN:
            steps[pieces[i]] = found[i]
    values = sheets.values.setdefault(name, {})
    for i in _indices(found, False):  # shared strings, values outside the tables
        _read_cell(pieces[i], name, wanted, extent, strings, sheets)
    values.update(filter(None, found))  # each wanted cell's (reference, value)
    _keep_styles(data, wanted, sheets.styles.setdefault(name, {}), special)
    return True


# What a piece of one sheet's XML means for reading it, kept per sheet for the pieces that
# recur — labels, common numbers, empty styled cells — so each is worked out once a process:
# () nothing to keep; (reference, value) a wanted cell's value; False read it again
# (a shared string, something outside the tables).
_STEPS: dict[tuple, dict[bytes, object]] = {}
_MAX_STEPS = (
    8192  # pieces kept per sheet; beyond, the sheet's steps start again (memory stays bounded)
)


def _steps_for(name: str, wanted, extent) -> dict[bytes, object]:
    key = (name, wanted if isinstance(wanted, frozenset) else frozenset(wanted), extent)
    steps = _STEPS.get(key)
    if steps is None or len(steps) > _MAX_STEPS:
        steps = _STEPS[key] = {}
    return steps


def _step(cell, wanted, extent):
    ref, kind, value, formula = cell
    if kind == "s":
        return False if ref in wanted or _outside(ref, extent) else ()
    if ref in wanted:
        return ref, value
    return False if value not in ("", None) and not formula and _outside(ref, extent) else ()


def _outside(ref: str, extent) -> bool:
    row, col = _position(ref)  # a damaged reference makes the workbook unreadable
    return row > extent[0] or col > extent[1]


def _indices(items: list, marker):
    """The positions of `marker` in `items`, found at C speed (`is`-equal markers only: None, False)."""
    i = -1
    while True:
        try:
            i = items.index(marker, i + 1)
        except ValueError:
            return
        if items[i] is marker:  # index() compares with ==: () and 0 are not what is looked for
            yield i


def _read_cell(piece: bytes, name: str, wanted, extent, strings, sheets: Sheets) -> bool:
    """One cell read the long way: its value where it is wanted, a stray where it is outside the tables."""
    cell = _known_cut(piece) if len(piece) <= _KNOWN else _cut(piece)
    if cell is None:
        return False
    ref, kind, value, formula = cell
    if kind == "s":
        value = _shared(value, strings)
    if ref in wanted:
        sheets.values[name][ref] = value
    elif (
        value not in ("", None)
        and not formula
        and len(sheets.strays) < MAX_STRAYS
        and _outside(ref, extent)
    ):
        sheets.strays.append((name, ref, value))
    return True


_STYLED = re.compile(rb'<c r="([A-Z]+[0-9]+)"[^>]*?\bs="([0-9]+)"')


def _keep_styles(data: bytes, wanted, styles: dict[str, str], special) -> None:
    """The style index (`s`) of each wanted cell whose style is one of `special`: found at C
    speed, and not looked for at all in a sheet where no such style occurs."""
    if not special or not any(b's="' + style.encode() + b'"' in data for style in special):
        return
    for match in _STYLED.finditer(data):
        ref, style = match.group(1).decode(), match.group(2).decode()
        if style in special and ref in wanted:
            styles[ref] = style


def _cells_of(data: bytes):
    """`data.split(b'<c r="')[1:]` one piece at a time, for a sheet too large to hold cut up."""
    start = data.find(b'<c r="')
    while start >= 0:
        end = data.find(b'<c r="', start + 6)
        yield data[start + 6 : end if end >= 0 else len(data)]
        start = end


def _cut(piece: bytes) -> tuple[str, str, object, bool] | None:
    """(reference, type, value, formula) of the cell a piece of sheet XML starts with; None if malformed.

    A shared string's value is its index, looked up by the caller."""
    quote = piece.find(b'"')
    end = piece.find(b">", quote)
    if quote < 0 or end < 0:
        return None
    if piece[end - 1] == 47:  # `/>`: an empty cell
        attrs, inner = piece[quote + 1 : end - 1], b""
    else:
        close = piece.find(b"</c>", end)
        if close < 0:
            return None
        attrs, inner = piece[quote + 1 : end], piece[end + 1 : close]
    kind = _TYPE.search(attrs)
    kind = kind.group(1).decode() if kind else "n"
    formula = b"<f" in inner
    ref = piece[:quote].decode()
    if kind == "inlineStr":
        return ref, kind, _unescape(b"".join(_T.findall(_PHONETIC.sub(b"", inner)))), formula
    raw = _V.search(inner)
    raw = _unescape(raw.group(1)) if raw else None
    if kind == "s" and raw:
        return ref, kind, raw, formula
    return ref, kind, _typed(kind, raw, formula), formula


# The same pieces — labels, common numbers, empty styled cells — recur in every workbook of a
# round: each short one is worked out once (long ones are not kept, so memory stays bounded).
_KNOWN = 2048
_known_cut = functools.lru_cache(maxsize=4096)(_cut)


def _shared(index: str, strings: list[str]) -> str:
    """The shared string at `index`; one that is not there reads as blank (a damaged index raises)."""
    i = int(index)
    return strings[i] if 0 <= i < len(strings) else ""


def _unescape(raw: bytes) -> str:
    """XML text to str, as a parser gives it (the quick path only sees XML's own five entities
    and character references), then Excel's `_xHHHH_` escapes decoded."""
    return excel_text(html.unescape(raw.decode("utf-8")))


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def excel_text(text: str) -> str:
    """A cell's text with Excel's `_xHHHH_` escapes decoded (`_x000D_`: a line break pasted from
    Word) and carriage returns dropped; `_x005F_` keeps the underscore of a literal `_x…_`."""
    if "_x" in text:
        text = _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text.replace("\r", "") if "\r" in text else text


def _typed(kind: str, raw: str | None, formula: bool):
    """A cell's value from its type and the text of its <v> (not a shared string's), as _value reads it."""
    if raw is None or raw == "":
        return NO_VALUE if formula else ""
    return _of_kind(kind, raw)


def _of_kind(kind: str, raw: str):
    """A value from its type and its text (neither blank nor a shared string), for both paths."""
    if kind in ("str", "d"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "e":
        return CellError(raw.strip())
    text = raw.strip()
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text)
    try:
        return float(text)
    except ValueError:
        return text
