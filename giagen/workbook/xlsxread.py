"""Reading the cells of a workbook: its parts found through its relationships, only the cells
asked for, within fixed budgets."""

from __future__ import annotations

import functools
import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass

from ..core.exceptions import InputError
from ..core.numbers import NO_VALUE
from ..core.packages import MAX_MEMBER, MAX_RATIO, MAX_TOTAL
from ..core.packages import xml_parser as _parser
from .numfmt import displayed, special_styles
from .sheetcopies import choose_sheets
from .sheetwalk import DeclaredTypes, _cells, _sheet, _value, item_text, local
from .sheetxml import Sheets, _fast_sheet

_DAMAGED = "无法读取工作簿，文件已损坏或不是 Excel .xlsx 格式"


def _lxml():
    """lxml's etree, imported when a workbook is first read the long way."""
    # lazy: lxml (~15 ms) only when a workbook is read the long way
    from lxml import etree

    return etree


def _broken() -> tuple[type[BaseException], ...]:
    etree = _lxml()
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


@dataclass(frozen=True)
class Package:
    """Where a workbook's parts are, as its relationships say."""

    sheets: tuple[tuple[str, str, str], ...]  # (name, part, state) in the workbook's order
    date1904: bool
    strings: str | None  # the shared strings part
    styles: str | None  # the styles part
    core: str | None  # the document properties


def read_sheets(
    path, wanted: dict[str, set[str]], extent: dict[str, tuple[int, int]], data: bytes | None = None
) -> Sheets:
    """Read the `wanted` cells of the named sheets of an .xlsx file (or of its bytes, `data`, already read).

    Cells outside each sheet's `extent` (rows, columns) that hold something are reported
    as strays, never read into the report. A number whose cell format shows it as a date,
    a time, a percentage or a fraction is read as `Displayed`. Raises InputError for what is
    not a readable workbook (naming the part that is damaged), a sheet that is missing or
    copied with other numbers, or a file over the budgets.
    """
    try:
        with _open(path, data) as z:
            return _read(z, wanted, extent, data)
    except BROKEN:
        raise InputError(_DAMAGED) from None


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file of .xls, .et and encrypted workbooks
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_SAVE_AS = "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿（*.xlsx）”后再试"


def _open(path, data: bytes | None) -> zipfile.ZipFile:
    """The workbook's zip, or InputError saying what the file is instead."""
    try:
        return zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except zipfile.BadZipFile:
        raise InputError(_not_a_zip(path, data)) from None


def _not_a_zip(path, data: bytes | None) -> str:
    """What a file named .xlsx is when it is no zip: an .xls, an encrypted workbook, text."""
    if data is None:
        with open(path, "rb") as f:
            data = f.read(MAX_MEMBER)
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            return (
                "工作簿有密码保护，giagen 无法读取：请在 Excel 或 WPS 中取消密码"
                "（清空“打开文件密码”）后另存，再报送"
            )
        return f"这是 Excel 97-2003 工作簿（.xls）或 WPS 表格（.et），只是名为 .xlsx；{_SAVE_AS}"
    head = data[:512].lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if head.startswith((b"<", b"<\x00")):
        return f"这是网页或 XML 文件，只是名为 .xlsx；{_SAVE_AS}"
    if data and b"\x00" not in data[:512]:
        return "这是文本（如 CSV）文件，只是名为 .xlsx；请用 giagen template 生成的工作簿填写"
    return _DAMAGED


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


def _small_part(z: zipfile.ZipFile, name: str, data: bytes | None) -> bytes:
    if z.getinfo(name).file_size > MAX_MEMBER:
        raise InputError(
            f"工作簿的 {name} 超出上限（{MAX_MEMBER // (1024 * 1024)} MB）；年报工作簿不会这么大，请检查文件"
        )
    return _member(z, name, data)


def _names(z: zipfile.ZipFile) -> dict[str, str]:
    """The zip's part names by their lower case: part names are compared case-insensitively."""
    return {name.lower(): name for name in z.NameToInfo}


def _rels_of(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _package(z: zipfile.ZipFile, data: bytes | None = None) -> Package:
    """The workbook's parts, found from the package's relationships as the standard says."""
    names = _names(z)
    root = names.get("_rels/.rels")
    if root is None:  # no package relationships: not an .xlsx, unless the usual names are there
        book = names.get("xl/workbook.xml")
        if book is None:
            raise InputError(_not_a_workbook(z))
        root_rels = b""
    else:
        root_rels = _small_part(z, root, data)
        book = _resolve(names, _targets(root_rels, "_rels/.rels", ""), "officeDocument")
        if book is None:
            raise InputError(_not_a_workbook(z))
    book_rels_name = names.get(_rels_of(book).lower())
    book_rels = _small_part(z, book_rels_name, data) if book_rels_name else b""
    return _parse_package(
        book, _small_part(z, book, data), book_rels, root_rels, tuple(sorted(names.items()))
    )


def _not_a_workbook(z: zipfile.ZipFile) -> str:
    names = {n.lower() for n in z.NameToInfo}
    if "mimetype" in names and b"opendocument" in z.read("mimetype"):
        return "这是 OpenDocument 表格（.ods），请在 WPS 或 Excel 中另存为 .xlsx（Excel 工作簿）后再报送"
    if "xl/workbook.bin" in names:
        return "这是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx（Excel 工作簿）后再报送"
    if "word/document.xml" in names:
        return "这是 Word 文档，不是工作簿；请用 giagen template 生成的 .xlsx 工作簿填写"
    return _DAMAGED


@functools.lru_cache(maxsize=64)
def _parse_package(
    book: str, book_xml: bytes, book_rels: bytes, root_rels: bytes, names
) -> Package:
    """The parts of a workbook from its relationships: the same few parts in every workbook
    sent out from one template, read once."""
    names = dict(names)
    rels = _targets(book_rels, _rels_of(book), posixpath.dirname(book))
    root = _xml(book_xml, book)
    sheets = []
    for sheet in root.iter():
        if local(sheet.tag) == "sheet":
            rid = next((v for k, v in sheet.attrib.items() if local(k) == "id"), None)
            target = rels.get(rid)
            if target and target[0].endswith("/worksheet"):
                part = names.get(target[1].lower(), target[1])
                sheets.append((sheet.get("name") or "", part, sheet.get("state") or "visible"))
    pr = next((el for el in root.iter() if local(el.tag) == "workbookPr"), None)
    date1904 = pr is not None and pr.get("date1904") in ("1", "true")
    core = _resolve(names, _targets(root_rels, "_rels/.rels", ""), "core-properties")
    return Package(
        tuple(sheets),
        date1904,
        _resolve(names, rels, "sharedStrings"),
        _resolve(names, rels, "styles"),
        core or names.get("docprops/core.xml"),
    )


@functools.lru_cache(maxsize=64)
def _targets(rels: bytes, part: str, base: str) -> dict[str, tuple[str, str]]:
    """A relationships part's internal targets: id → (type, part name)."""
    if not rels:
        return {}
    found = {}
    for rel in _xml(rels, part).iter():
        if local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
            target = rel.get("Target") or ""
            name = target[1:] if target.startswith("/") else posixpath.join(base, target)
            found[rel.get("Id")] = (rel.get("Type") or "", posixpath.normpath(name))
    return found


def _resolve(names: dict[str, str], rels: dict, kind: str) -> str | None:
    """The part of the first relationship of a kind (transitional or Strict type, by its last word)."""
    for rel_type, part in rels.values():
        if rel_type.rsplit("/", 1)[-1] == kind and part.lower() in names:
            return names[part.lower()]
    return None


def _xml(data: bytes, part: str):
    """A part parsed as XML, or InputError naming it: damaged, or carrying a DTD."""
    etree = _lxml()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError:
        raise InputError(f"工作簿已损坏：{part} 不是完整的 XML") from None
    if root.getroottree().docinfo.doctype:
        raise _declared(part)
    return root


def _declared(part: str) -> InputError:
    return InputError(
        f"工作簿的 {part} 含有 DTD 或实体声明，Excel 和 WPS 不会写出这样的文件："
        "文件已损坏或被改动过，未读取"
    )


def _read(z: zipfile.ZipFile, wanted, extent, data: bytes | None = None) -> Sheets:
    package = _package(z, data)
    parts = [p for _, p, _ in package.sheets]
    extra = [p for p in (package.strings, package.styles) if p]
    _budget(z, sorted(set(parts + extra)))
    strings = _shared_strings(z, package.strings) if package.strings else []
    special = _styles(_member(z, package.styles, data)) if package.styles else {}
    sheets = Sheets({}, date1904=package.date1904, keywords=_keywords(z, package.core, data))

    def read(name: str, part: str, into: Sheets):
        try:
            xml = _member(z, part, data)  # within the budget checked above
            if not _fast_sheet(xml, name, wanted[name], extent[name], strings, into, special):
                _sheet(z, part, name, wanted[name], extent[name], strings, into)
        except DeclaredTypes:
            raise _declared(part) from None
        except BROKEN:
            raise InputError(f"工作簿已损坏：工作表「{name}」（{part}）无法读取") from None

    choose_sheets(package.sheets, wanted, sheets, read)
    if special:
        _apply_formats(sheets, special)
    return sheets


@functools.lru_cache(maxsize=64)
def _styles(xml: bytes) -> dict[str, tuple[str, bool]]:
    """The styles whose number format shows a number as a date, time, percentage or fraction."""
    root = _xml(xml, "styles")
    codes, formats = {}, []
    for el in root.iter():
        name = local(el.tag)
        if name == "numFmt" and (el.get("numFmtId") or "").isdigit():
            codes[int(el.get("numFmtId"))] = el.get("formatCode") or ""
        elif name == "cellXfs":
            formats = [
                int(xf.get("numFmtId") or 0) if (xf.get("numFmtId") or "0").isdigit() else 0
                for xf in el
                if local(xf.tag) == "xf"
            ]
    return special_styles(tuple(formats), codes)


def _apply_formats(sheets: Sheets, special: dict[str, tuple[str, bool]]):
    """Numbers in cells formatted as dates, times, percentages or fractions, as the clerk sees them."""
    for name, styles in sheets.styles.items():
        values = sheets.values.get(name, {})
        for ref, style in styles.items():
            value = values.get(ref)
            if style in special and type(value) in (int, float):
                kind, with_year = special[style]
                values[ref] = displayed(value, kind, with_year, sheets.date1904)


def _shared_strings(z: zipfile.ZipFile, name: str) -> list[str]:
    etree = _lxml()
    strings, first = [], True
    try:
        with z.open(name) as f:
            for _, el in etree.iterparse(
                f, events=("end",), resolve_entities=False, load_dtd=False, no_network=True
            ):
                if first:
                    first = False
                    if el.getroottree().docinfo.doctype:
                        raise _declared(name)
                if local(el.tag) == "si":
                    strings.append(item_text(el))
                    el.clear()
    except etree.XMLSyntaxError:
        raise InputError(f"工作簿已损坏：{name} 不是完整的 XML") from None
    return strings


def read_rows(path, max_rows: int = 20000, max_cols: int = 40) -> list[list[object]]:
    """The first sheet's rows as lists of values (a name list, say), within the same budgets."""
    try:
        with _open(path, None) as z:
            package = _package(z)
            if not package.sheets:
                raise InputError("工作簿中没有工作表")
            part = package.sheets[0][1]
            _budget(z, [part] + ([package.strings] if package.strings else []))
            strings = _shared_strings(z, package.strings) if package.strings else []
            return _all_rows(z, part, strings, max_rows, max_cols)
    except BROKEN:
        raise InputError(_DAMAGED) from None


def _all_rows(z, part, strings, max_rows: int, max_cols: int) -> list[list[object]]:
    rows: dict[int, dict[int, object]] = {}
    for row, col, _, el in _cells(z, part):
        if row <= max_rows and col <= max_cols:
            value, _ = _value(el, strings)
            if value not in ("", None) and value is not NO_VALUE:
                rows.setdefault(row, {})[col] = value
    return [[rows[r].get(c, "") for c in range(1, max(rows[r]) + 1)] for r in sorted(rows)]


def _keywords(z: zipfile.ZipFile, part: str | None, data: bytes | None = None) -> str:
    """The workbook's keywords (its core properties): giagen marks the workbooks it compiles."""
    try:
        if part is None or z.getinfo(part).file_size > 65536:
            return ""
        xml = _member(z, part, data)
        if b"keywords" not in xml:
            return ""  # most workbooks have none: no need to parse
        root = _xml(xml, part)
    except (*BROKEN, InputError):
        return ""  # damaged properties say nothing; the sheets decide whether the file is readable
    return " ".join(el.text or "" for el in root.iter() if local(el.tag) == "keywords")
