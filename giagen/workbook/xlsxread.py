"""Reading the cells of a workbook: only the cells asked for, within fixed budgets."""

from __future__ import annotations

import functools
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib

from ..core.exceptions import InputError
from ..core.numbers import NO_VALUE
from ..core.packages import MAX_MEMBER, MAX_RATIO, MAX_TOTAL
from ..core.packages import xml_parser as _parser
from .sheetxml import _M, Sheets, _cells, _fast_sheet, _runs, _sheet, _value

_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _broken() -> tuple[type[BaseException], ...]:
    # lazy: lxml (~15 ms) only when a workbook is read the long way
    from lxml import etree

    # a damaged zip, damaged XML (lxml's and the standard library's), a part that is missing;
    # NotImplementedError is zipfile's word for a compression method it does not know
    return (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        KeyError,
        ValueError,
        RuntimeError,
        NotImplementedError,
        SyntaxError,
        etree.LxmlError,
        zlib.error,
        OverflowError,
    )


BROKEN = _broken()


def renamed_sheet(name: str, present) -> str | None:
    """The one sheet a clerk renamed from `name` (`三、收到和处理…`, ` 三 `, `表三`), if exactly one."""

    def plain(text):
        return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))

    found = [
        p for p in present if re.fullmatch(rf"表?{re.escape(name)}(?:[、.:：(（].*)?", plain(p))
    ]
    return found[0] if len(found) == 1 else None


def read_sheets(
    path, wanted: dict[str, set[str]], extent: dict[str, tuple[int, int]], data: bytes | None = None
) -> Sheets:
    """Read the `wanted` cells of the named sheets of an .xlsx file (or of its bytes, `data`, already read).

    Cells outside each sheet's `extent` (rows, columns) that hold something are reported
    as strays, never read into the report. Raises InputError for what is not a readable
    workbook, a sheet that is missing, or a file over the budgets.
    """
    try:
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as z:
            return _read(z, wanted, extent, data)
    except BROKEN:
        raise InputError("无法读取工作簿，文件已损坏或不是 Excel .xlsx 格式") from None


def _budget(z: zipfile.ZipFile, names: list[str]):
    total = 0
    for name in names:
        info = z.getinfo(name)
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if (
            info.file_size > MAX_MEMBER
            or total > MAX_TOTAL
            or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO)
        ):
            raise InputError(
                f"工作簿的 {name} 解压后 {info.file_size // (1024 * 1024)} MB，"
                f"超出上限（单个部件 {MAX_MEMBER // (1024 * 1024)} MB，"
                f"压缩比 {MAX_RATIO}）；年报工作簿不会这么大，请检查文件"
            )


def _workbook_parts(
    z: zipfile.ZipFile, data: bytes | None = None
) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Each sheet's (name, part) in the workbook's order, and whether dates count from 1904."""
    for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        if z.getinfo(name).file_size > MAX_MEMBER:
            raise InputError(
                f"工作簿的 {name} 超出上限（{MAX_MEMBER // (1024 * 1024)} MB）；年报工作簿不会这么大，请检查文件"
            )
    book, rels = _member(z, "xl/workbook.xml", data), _member(z, "xl/_rels/workbook.xml.rels", data)
    # the usual small pair through the cache; an unusually large one is not kept
    return (
        _sheet_parts(book, rels)
        if len(book) + len(rels) < 65536
        else _sheet_parts.__wrapped__(book, rels)
    )


def _member(z: zipfile.ZipFile, name: str, data: bytes | None = None) -> bytes:
    """A part's bytes; from a workbook held in memory (`data`), inflated in one call rather than
    through zipfile's stream reader, never past the size it claims, its CRC checked."""
    info = z.getinfo(name)
    if (
        data is None
        or info.flag_bits & 0x1
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    ):
        return z.read(name)
    start = info.header_offset
    if data[start : start + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(name)
    begin = (
        start
        + 30
        + int.from_bytes(data[start + 26 : start + 28], "little")
        + int.from_bytes(data[start + 28 : start + 30], "little")
    )
    packed = memoryview(data)[begin : begin + info.compress_size]
    if info.compress_type == zipfile.ZIP_STORED:
        part = bytes(packed)
    else:
        part = zlib.decompressobj(-15).decompress(packed, info.file_size + 1)
    if len(part) != info.file_size or zlib.crc32(part) != info.CRC:
        raise zipfile.BadZipFile(name)
    return part


def _read(z: zipfile.ZipFile, wanted, extent, data: bytes | None = None) -> Sheets:
    found, date1904 = _workbook_parts(z, data)
    paths, sheets_renamed = dict(found), {}
    for name in wanted:
        if name not in paths and (found := renamed_sheet(name, paths)):
            paths[name] = paths[found]
            sheets_renamed[name] = found
    missing = [s for s in wanted if s not in paths]
    if missing:
        raise InputError(
            f"不是 giagen 的年报工作簿：缺少工作表「{'」「'.join(missing)}」"
            "（请用 giagen template 生成的工作簿填写）"
        )
    members = set(z.namelist())
    parts = [paths[s] for s in wanted]
    strings_part = "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in members else None
    _budget(z, parts + ([strings_part] if strings_part else []))
    strings = _shared_strings(z, strings_part) if strings_part else []
    sheets = Sheets({}, date1904=date1904, renamed=sheets_renamed, keywords=_keywords(z, data))
    for name in wanted:
        xml = _member(z, paths[name], data)  # within the budget checked above
        if not _fast_sheet(xml, name, wanted[name], extent[name], strings, sheets):
            _sheet(z, paths[name], name, wanted[name], extent[name], strings, sheets)
    return sheets


@functools.lru_cache(maxsize=64)
def _sheet_parts(book: bytes, rels: bytes) -> tuple[tuple[tuple[str, str], ...], bool]:
    """Each sheet's (name, part) and whether dates count from 1904, from the workbook and its
    relationships: the same two parts in every workbook sent out from one template, read once."""
    # lazy: lxml (~15 ms) only when a workbook is read the long way
    from lxml import etree

    book_root, rels_root = etree.fromstring(book, _parser()), etree.fromstring(rels, _parser())
    targets = {r.get("Id"): r.get("Target") for r in rels_root.iter(f"{_PKG}Relationship")}
    parts = []
    for sheet in book_root.iter(f"{_M}sheet"):
        target = targets.get(sheet.get(f"{_R}id"), "")
        parts.append(
            (
                sheet.get("name"),
                target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target),
            )
        )
    pr = book_root.find(f"{_M}workbookPr")
    return tuple(parts), pr is not None and pr.get("date1904") in ("1", "true")


def _shared_strings(z: zipfile.ZipFile, name: str) -> list[str]:
    # lazy: only for a sheet too large to read at once
    from defusedxml.ElementTree import iterparse

    strings = []
    with z.open(name) as f:
        for _, el in iterparse(f, events=("end",)):
            if el.tag == f"{_M}si":
                strings.append("".join(t.text or "" for t in _runs(el)))
                el.clear()
    return strings


def read_rows(path, max_rows: int = 20000, max_cols: int = 40) -> list[list[object]]:
    """The first sheet's rows as lists of values (a name list, say), within the same budgets."""
    try:
        with zipfile.ZipFile(path) as z:
            sheets, _ = _workbook_parts(z)
            if not sheets:
                raise InputError("工作簿中没有工作表")
            part = sheets[0][1]
            strings_part = (
                "xl/sharedStrings.xml" if "xl/sharedStrings.xml" in z.namelist() else None
            )
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


def _keywords(z: zipfile.ZipFile, data: bytes | None = None) -> str:
    """The workbook's keywords (docProps/core.xml): giagen marks the workbooks it compiles."""
    try:
        if (
            "docProps/core.xml" not in z.NameToInfo
            or z.getinfo("docProps/core.xml").file_size > 65536
        ):
            return ""
        xml = _member(z, "docProps/core.xml", data)
        if b"keywords" not in xml:
            return ""  # most workbooks have none: no need to parse
        # lazy: lxml (~15 ms) only when a workbook is read the long way
        from lxml import etree

        root = etree.fromstring(xml, _parser())
    except BROKEN:
        return ""  # damaged properties say nothing; the sheets decide whether the file is readable
    return " ".join(
        el.text or ""
        for el in root.iter()
        if isinstance(el.tag, str) and el.tag.endswith("}keywords")
    )
