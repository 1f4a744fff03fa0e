"""Reading the cells of a workbook: only the cells asked for, within fixed budgets."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field

from .exceptions import InputError

_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# What a workbook may claim before anything is parsed: a filled report is a few hundred KB.
MAX_MEMBER = 40 * 1024 * 1024  # bytes, uncompressed, of any one part
MAX_TOTAL = 120 * 1024 * 1024  # bytes, uncompressed, of all parts read
MAX_RATIO = 250  # uncompressed / compressed, for parts over 1 MB
MAX_STRAYS = 5  # stray cells reported per workbook


def _broken() -> tuple[type[BaseException], ...]:
    from lxml import etree

    # a damaged zip, damaged XML (lxml's and the standard library's), a part that is missing;
    # NotImplementedError is zipfile's word for a compression method it does not know
    return (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, ValueError, RuntimeError,
            NotImplementedError, SyntaxError, etree.LxmlError, zlib.error, OverflowError)


class CellError(str):
    """An Excel error value as the cell shows it: `#DIV/0!`, `#REF!`, `#N/A`."""


class NoValue:
    """A formula that Excel never computed: the file holds the formula but no result."""

    def __repr__(self):
        return "（公式，无计算结果）"

    def __str__(self):
        return ""


NO_VALUE = NoValue()
BROKEN = _broken()


@dataclass
class Sheets:
    """The values of the wanted cells, by sheet and coordinate, and what else was found."""

    values: dict[str, dict[str, object]]
    formulas: set[tuple[str, str]] = field(default_factory=set)
    strays: list[tuple[str, str, object]] = field(default_factory=list)
    date1904: bool = False
    renamed: dict[str, str] = field(default_factory=dict)  # a sheet read under another name: {"三": "三、收到…"}

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


def column_letter(col: int) -> str:
    """1 → `A`, 27 → `AA`."""
    letters = ""
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def renamed_sheet(name: str, present) -> str | None:
    """The one sheet a clerk renamed from `name` (`三、收到和处理…`, ` 三 `, `表三`), if exactly one."""
    def plain(text):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    found = [p for p in present if re.fullmatch(rf"表?{re.escape(name)}(?:[、.:：(（].*)?", plain(p))]
    return found[0] if len(found) == 1 else None


def read_sheets(path, wanted: dict[str, set[str]], extent: dict[str, tuple[int, int]]) -> Sheets:
    """Read the `wanted` cells of the named sheets of an .xlsx file.

    Cells outside each sheet's `extent` (rows, columns) that hold something are reported
    as strays, never read into the report. Raises InputError for what is not a readable
    workbook, a sheet that is missing, or a file over the budgets.
    """
    try:
        with zipfile.ZipFile(path) as z:
            return _read(z, wanted, extent)
    except BROKEN:
        raise InputError("无法读取工作簿，文件已损坏或不是 Excel .xlsx 格式") from None


def _budget(z: zipfile.ZipFile, names: list[str]):
    total = 0
    for name in names:
        info = z.getinfo(name)
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (
                info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            raise InputError(f"工作簿的 {name} 解压后 {info.file_size // (1024 * 1024)} MB，"
                             f"超出上限（单个部件 {MAX_MEMBER // (1024 * 1024)} MB，"
                             f"压缩比 {MAX_RATIO}）；年报工作簿不会这么大，请检查文件")


def _parse(z: zipfile.ZipFile, name: str):
    from defusedxml import ElementTree

    with z.open(name) as f:
        return ElementTree.parse(f).getroot()


def _read(z: zipfile.ZipFile, wanted, extent) -> Sheets:
    book = _parse(z, "xl/workbook.xml")
    rels = _parse(z, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG}Relationship")}
    paths, sheets_renamed = {}, {}
    for sheet in book.iter(f"{_M}sheet"):
        target = targets.get(sheet.get(f"{_R}id"), "")
        paths[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    for name in wanted:
        if name not in paths and (found := renamed_sheet(name, paths)):
            paths[name] = paths[found]
            sheets_renamed[name] = found
    missing = [s for s in wanted if s not in paths]
    if missing:
        raise InputError(f"不是 giagen 的年报工作簿：缺少工作表「{'」「'.join(missing)}」"
                         "（请用 giagen template 生成的工作簿填写）")
    pr = book.find(f"{_M}workbookPr")
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    members = set(z.namelist())
    parts = [paths[s] for s in wanted]
    strings_part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in members else None
    _budget(z, parts + ([strings_part] if strings_part else []))
    strings = _shared_strings(z, strings_part) if strings_part else []
    sheets = Sheets({}, date1904=date1904, renamed=sheets_renamed)
    for name in wanted:
        data = z.read(paths[name])  # within the budget checked above
        if not _fast_sheet(data, name, wanted[name], extent[name], strings, sheets):
            _sheet(z, paths[name], name, wanted[name], extent[name], strings, sheets)
    return sheets


# The regular form Excel, WPS and openpyxl write: every cell with its reference, no prefix.
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
# Anything else — a cell whose reference is missing or not its first attribute, a namespace
# prefix — is walked element by element instead.
_IRREGULAR = re.compile(rb'<c(?=[\s>/])(?! r="[A-Z])|<[A-Za-z0-9]+:c[\s>]')
_TYPE = re.compile(rb'\bt="([a-zA-Z]+)"')
_V = re.compile(rb"<v>(.*?)</v>", re.S)
_T = re.compile(rb"<t(?:\s[^>]*)?>(.*?)</t>", re.S)
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.S)


def _fast_sheet(data: bytes, name: str, wanted: set[str], extent, strings, sheets: Sheets) -> bool:
    """Read the wanted cells with one regular expression over the sheet's XML: C speed.

    False when the XML is not of the regular form (cells without references, prefixes):
    the caller then walks it with lxml."""
    if _IRREGULAR.search(data):
        return False
    max_row, max_col = extent
    values = sheets.values.setdefault(name, {})
    for match in _CELL.finditer(data):
        letters, digits, attrs, inner = match.groups()
        ref = (letters + digits).decode()
        if ref not in wanted:
            if len(sheets.strays) >= MAX_STRAYS or not inner:
                continue
            row, col = split_ref(ref)
            if row <= max_row and col <= max_col:
                continue
        kind = _TYPE.search(attrs)
        kind = kind.group(1).decode() if kind else "n"
        formula = inner is not None and b"<f" in inner
        raw = _V.search(inner) if inner else None
        raw = _unescape(raw.group(1)) if raw else None
        if kind == "inlineStr":
            value = _unescape(b"".join(_T.findall(_PHONETIC.sub(b"", inner or b""))))
        else:
            value = _typed(kind, raw, formula, strings)
        if ref in wanted:
            values[ref] = value
            if formula:
                sheets.formulas.add((name, ref))
        elif value not in ("", None) and not formula:
            sheets.strays.append((name, ref, value))
    return True


@functools.lru_cache(maxsize=8192)
def _unescape(raw: bytes) -> str:
    """XML text to str; the labels are the same in every workbook, so each is decoded once."""
    import html

    return html.unescape(raw.decode("utf-8"))


def _typed(kind: str, raw: str | None, formula: bool, strings: list[str]):
    """A cell's value from its type and the text of its <v>, as _value reads the element."""
    if raw is None or raw == "":
        return NO_VALUE if formula else ""
    if kind == "s":
        index = int(raw)
        return strings[index] if 0 <= index < len(strings) else ""
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


def _shared_strings(z: zipfile.ZipFile, name: str) -> list[str]:
    from defusedxml.ElementTree import iterparse

    strings = []
    with z.open(name) as f:
        for _, el in iterparse(f, events=("end",)):
            if el.tag == f"{_M}si":
                strings.append("".join(t.text or "" for t in _runs(el)))
                el.clear()
    return strings


def _runs(si):
    """The `t` elements of a string item, leaving out phonetic runs (`rPh`)."""
    for child in si:
        if child.tag == f"{_M}t":
            yield child
        elif child.tag == f"{_M}r":
            yield from child.iter(f"{_M}t")


def _cells(z, part):
    """(row, column, reference, cell element) of every cell of a sheet, in order, memory bounded."""
    from lxml import etree

    row, col = 0, 0
    with z.open(part) as f:
        # lxml in C, no entities resolved, no network; only rows and cells raise events
        for event, el in etree.iterparse(f, events=("start", "end"), tag=(f"{_M}row", f"{_M}c"),
                                         resolve_entities=False, no_network=True, huge_tree=False):
            if el.tag == f"{_M}row":
                if event == "start":
                    row, col = int(el.get("r") or row + 1), 0
                else:
                    el.clear()
                    while el.getprevious() is not None:  # what was read is let go
                        del el.getparent()[0]
                continue
            if event == "start":
                continue
            ref = el.get("r")
            if ref:
                row, col = split_ref(ref)
            else:
                col += 1
                ref = f"{column_letter(col)}{row}"
            yield row, col, ref, el


def _sheet(z, part, name, wanted: set[str], extent, strings, sheets: Sheets):
    max_row, max_col = extent
    values = sheets.values.setdefault(name, {})
    for row, col, ref, el in _cells(z, part):
        if ref in wanted:
            value, formula = _value(el, strings)
            values[ref] = value
            if formula:
                sheets.formulas.add((name, ref))
        elif (row > max_row or col > max_col) and len(sheets.strays) < MAX_STRAYS:
            value, formula = _value(el, strings)
            if value not in ("", None) and not formula:
                sheets.strays.append((name, ref, value))


def _value(c, strings) -> tuple[object, bool]:
    kind = c.get("t", "n")
    f = c.find(f"{_M}f")
    v = c.find(f"{_M}v")
    raw = v.text if v is not None else None
    if kind == "inlineStr":
        item = c.find(f"{_M}is")
        return ("" if item is None else "".join(t.text or "" for t in _runs(item))), f is not None
    if raw is None or raw == "":
        return (NO_VALUE if f is not None else ""), f is not None
    if kind == "s":
        index = int(raw)
        return (strings[index] if 0 <= index < len(strings) else ""), f is not None
    if kind in ("str", "d"):
        return raw, f is not None
    if kind == "b":
        return raw.strip() in ("1", "true"), f is not None
    if kind == "e":
        return CellError(raw.strip()), f is not None
    text = raw.strip()
    if re.fullmatch(r"-?\d{1,15}", text):
        return int(text), f is not None
    try:
        return float(text), f is not None
    except ValueError:
        return text, f is not None


def read_rows(path, max_rows: int = 20000, max_cols: int = 40) -> list[list[object]]:
    """The first sheet's rows as lists of values (a name list, say), within the same budgets."""
    try:
        with zipfile.ZipFile(path) as z:
            book = _parse(z, "xl/workbook.xml")
            rels = _parse(z, "xl/_rels/workbook.xml.rels")
            targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{_PKG}Relationship")}
            first = next(book.iter(f"{_M}sheet"), None)
            if first is None:
                raise InputError("工作簿中没有工作表")
            target = targets.get(first.get(f"{_R}id"), "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            strings_part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in z.namelist() else None
            _budget(z, [part] + ([strings_part] if strings_part else []))
            strings = _shared_strings(z, strings_part) if strings_part else []
            return _all_rows(z, part, strings, max_rows, max_cols)
    except BROKEN:
        raise InputError("无法读取工作簿，文件已损坏或不是 Excel .xlsx 格式") from None


def _all_rows(z, part, strings, max_rows: int, max_cols: int) -> list[list[object]]:
    rows: dict[int, dict[int, object]] = {}
    for row, col, _, el in _cells(z, part):
        if row <= max_rows and col <= max_cols:
            value, _ = _value(el, strings)
            if value not in ("", None) and value is not NO_VALUE:
                rows.setdefault(row, {})[col] = value
    return [[rows[r].get(c, "") for c in range(1, max(rows[r]) + 1)] for r in sorted(rows)]


def keywords(path) -> str:
    """The workbook's keywords (docProps/core.xml): giagen marks the workbooks it compiles."""
    try:
        with zipfile.ZipFile(path) as z:
            if "docProps/core.xml" not in z.namelist() or z.getinfo("docProps/core.xml").file_size > 65536:
                return ""
            root = _parse(z, "docProps/core.xml")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return ""
    return " ".join(el.text or "" for el in root.iter() if el.tag.endswith("}keywords"))
