"""The DOCX: a docxtpl template compiled once, filled with paragraphs and tables, zipped reproducibly."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.exceptions import SecurityError
from markupsafe import Markup

from ..core.compose import DRAFT_MARK, Composition, Paragraph, Table
from ..core.exceptions import InputError, os_reason
from ..core.packages import xml_parser as _parser
from ..core.xmltext import escape
from .templating import TEMPLATES, Inserts, environment

DEFAULT_TEMPLATE = TEMPLATES / "report.docx"
TEXT_WIDTH = 8844  # twips: the 156 mm text block of GB/T 9704
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same report gives the same bytes

# Style ids of the template (tools/make_docx_template.py).
BODY, HEADING, SUBHEADING, SIGNATURE = (
    "GiagenBody",
    "GiagenHeading1",
    "GiagenSubheading",
    "GiagenSignature",
)
TABLE_TEXT, TABLE_SMALL = "GiagenTable", "GiagenTableSmall"


def _run(text: str, style: str | None = None) -> str:
    rpr = f'<w:rPr><w:rStyle w:val="{style}"/></w:rPr>' if style else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraph(runs: str, style: str, ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{ppr}</w:pPr>{runs}</w:p>'


def prose(paragraphs: tuple[Paragraph, ...]) -> Markup:
    """Paragraphs as DOCX XML in the body style, （一） leads in 楷体."""
    xml = "".join(
        _paragraph(
            (_run(p.lead, SUBHEADING) if p.lead else "") + (_run(p.text) if p.text else ""), BODY
        )
        for p in paragraphs
    )
    return Markup(xml or _paragraph("", BODY))


# Every border once, on the table (insideH/insideV draw the cells' edges); no cell repeats them,
# which kept half of document.xml and changed nothing on the page.
_BORDERS = "".join(
    f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
    for side in ("top", "left", "bottom", "right", "insideH", "insideV")
)


def table(t: Table) -> Markup:
    """A `w:tbl` with real merges (gridSpan, vMerge), every border, repeating header rows."""
    return Markup(table_xml(t).decode("utf-8"))


def table_xml(t: Table) -> bytes:
    """The `w:tbl` as UTF-8: the grid's parts encoded once, each cell's run once per text."""
    parts, slots = _table_slots(t.grid, t.small)
    out = list(parts)
    texts = t.texts
    for i, position in slots:
        out[i] = _cell_run(texts[position])
    return b"".join(out)


@functools.lru_cache(maxsize=4096)
def _cell_run(text: str) -> bytes:
    """A table cell's run; a table's values are mostly the same few numbers, each escaped once."""
    return _run(text).encode("utf-8")


@functools.lru_cache(maxsize=None)
def _table_slots(grid, small: bool) -> tuple[tuple, tuple]:
    """The table's XML parts as UTF-8, and where in them each cell's text goes: (index, (row, col))."""
    parts = _table_parts(grid, small)
    return (
        tuple(p.encode("utf-8") if isinstance(p, str) else p for p in parts),
        tuple((i, p) for i, p in enumerate(parts) if not isinstance(p, str)),
    )


@functools.lru_cache(maxsize=None)
def _table_parts(grid, small: bool) -> tuple:
    """The table's XML once per grid, with the (row, col) of each cell's text left as a slot."""
    total = sum(grid.widths)
    widths = [TEXT_WIDTH * w // total for w in grid.widths]
    widths[-1] += TEXT_WIDTH - sum(widths)
    style = TABLE_SMALL if small else TABLE_TEXT
    parts: list = [
        f'<w:tbl><w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:jc w:val="center"/>'
        f'<w:tblBorders>{_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="45" w:type="dxa"/><w:right w:w="45" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        + "</w:tblGrid>"
    ]
    for r, slots in enumerate(grid.slots):
        header = "<w:tblHeader/>" if r < grid.header_rows else ""
        parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        # header rows and 二's block sub-headers stay on the page of the rows they head
        keep = "<w:keepNext/>" if all(cell.key is None for cell, _ in slots) else ""
        for cell, continued in slots:
            width = sum(widths[cell.col : cell.col + cell.colspan])
            span = f'<w:gridSpan w:val="{cell.colspan}"/>' if cell.colspan > 1 else ""
            merge = (
                ("<w:vMerge/>" if continued else '<w:vMerge w:val="restart"/>')
                if cell.rowspan > 1
                else ""
            )
            align = '<w:jc w:val="left"/>' if grid.align(cell) == "left" else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span}{merge}'
                f'<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep}{align}</w:pPr>'
            )
            if not continued:
                parts.append((cell.row, cell.col))
            parts.append("</w:p></w:tc>")
        parts.append("</w:tr>")
    # Word needs a paragraph between a table and what follows.
    parts.append("</w:tbl>" + _paragraph("", BODY))
    return tuple(parts)


def _width(text: str) -> float:
    """Printed width in characters: ASCII digits and letters are half as wide."""
    return sum(0.5 if ord(ch) < 128 else 1 for ch in text)


def signature(agency: str, date: str) -> Markup:
    """The 落款 of GB/T 9704: the date four characters from the right, the agency centred over it."""
    wa, wd = _width(agency), _width(date)
    right_date, right_agency = 4.0, (4 + (wd - wa) / 2 if date else 4.0)
    if (
        right_agency < 2
    ):  # a long name keeps two characters from the right; the date centres under it
        right_agency, right_date = 2.0, 2 + (wa - wd) / 2
    lines = [(agency, right_agency)] + ([(date, right_date)] if date else [])
    ind = '<w:ind w:rightChars="{}" w:right="{}" w:firstLineChars="0" w:firstLine="0"/>'
    return Markup(
        _paragraph("", BODY)
        + "".join(
            _paragraph(_run(text), SIGNATURE, ind.format(int(chars * 100), int(chars * 320)))
            for text, chars in lines
        )
    )


def context(c: Composition, inserts: Inserts | None = None) -> dict:
    """What the template's placeholders receive.

    With `inserts`, each table is a token in the context and its XML, already UTF-8, goes
    into `inserts` to be put in place after rendering."""
    ctx = {
        "title": Markup('</w:t><w:br/><w:t xml:space="preserve">').join(
            c.title_lines or (c.title,)
        ),
        "title_text": c.title,
        "draft_mark": DRAFT_MARK if c.draft else "",
        "agency": c.agency,
        "year": c.year,
        "date": c.date,
        "preamble": prose(c.preamble),
        "stamp": c.stamp,
        "signature": signature(c.agency, c.date),
    }
    for i, section in enumerate(c.sections, start=1):
        ctx[f"section_{i}"] = Markup(_paragraph(_run(section.title), HEADING))
        if section.table is not None:
            if inserts is None:
                ctx[f"table_{i}"] = table(section.table)
            else:
                ctx[f"table_{i}"] = inserts.token(table_xml(section.table))
    by_key = {s.key: s for s in c.sections}
    ctx["overview"], ctx["problems"], ctx["other"] = (
        prose(by_key[key].paragraphs) for key in ("一", "五", "六")
    )
    return ctx


# A template may come from another agency: it is data, so it renders in the sandbox.
_ENV = environment()


def undefined_name(exc: jinja2.UndefinedError) -> str:
    """The placeholder's name out of jinja's English message (`'unit_head' is undefined`)."""
    match = re.search(r"'([^']+)' is undefined", exc.message or "")
    return match.group(1) if match else (exc.message or "")


# The default template's parts as docxtpl patches them (tools/make_docx_template.py records
# them beside it): giagen's own template compiles without loading docxtpl and python-docx,
# a tenth of a second of every start. Any other template, or this one changed, is patched.
PATCHED_RECORD = TEMPLATES / "report.docx.patched.json"


def recorded_parts(raw: bytes) -> dict[str, str] | None:
    """The patched XML of a template's parts, when the record beside the default template is of these bytes."""
    try:
        record = json.loads(PATCHED_RECORD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record.get("parts") if record.get("sha256") == hashlib.sha256(raw).hexdigest() else None


def patched_parts(path: Path) -> dict[str, str]:
    """Every templated part of a DOCX template as docxtpl patches it (what the record holds)."""
    patch, parts = _patcher(path), {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if _templated(name, data):
                parts[name] = patch(data.decode("utf-8"))
    return parts


def _templated(name: str, data: bytes) -> bool:
    """Whether a part of a DOCX template holds placeholders (the document, headers, properties)."""
    return (name.startswith("word/") or name == "docProps/core.xml") and (
        b"{{" in data or b"{%" in data
    )


def _patcher(path: Path):
    """docxtpl's clean-up of Jinja tags split across Word's runs (opening the file checks it is a DOCX)."""
    # lazy: docxtpl and python-docx (~75 ms) only for an agency's own template
    from docxtpl import DocxTemplate

    return DocxTemplate(str(path)).patch_xml


def _part_name(name: str) -> str:
    """A template part as the agency knows it."""
    if name == "word/document.xml":
        return "正文"
    if name.startswith("word/header"):
        return "页眉"
    if name.startswith("word/footer"):
        return "页脚"
    return "文档属性" if name.startswith("docProps/") else f"的 {name} "


def _check_template(path: Path, parts: list[tuple[str, bytes]]):
    """An agency's template is a whole Word document: a body, every XML part complete and UTF-8."""
    # lazy: lxml (~15 ms) only when an agency's template is checked
    from lxml import etree

    if "word/document.xml" not in dict(parts):
        raise InputError(f"{path}：模板中没有正文（word/document.xml），不是完整的 Word 文档")
    for name, data in parts:
        if name.endswith((".xml", ".rels")):
            try:
                etree.fromstring(data, _parser())
            except etree.XMLSyntaxError:
                try:
                    data.decode("utf-8")
                    utf8 = True
                except UnicodeDecodeError as exc:
                    utf8 = (
                        exc.start >= len(data) - 3
                    )  # cut short inside a character: damaged, not another code
                reason = "已损坏（XML 不完整）" if utf8 else "不是 UTF-8 编码"
                raise InputError(
                    f"{path}：模板{_part_name(name)}{reason}，请在 Word 中重新保存"
                ) from None


def _check_placeholders(path: Path, body: str):
    """The body (its patched source) places everything giagen's own template places: without them a
    report would lack a section, a table or the 落款, and nothing would say so."""
    used = meta.find_undeclared_variables(_ENV.parse(body)) if body else set()
    missing = sorted(_body_placeholders() - used)
    if missing:
        raise InputError(
            f"{path}：模板正文缺少这些占位符：{'、'.join(missing)}；"
            "报告的法定内容会缺失（可用的占位符见 README）"
        )


@functools.cache
def _body_placeholders() -> frozenset[str]:
    """The placeholders in the body of giagen's own template (from the record beside it)."""
    record = recorded_parts(DEFAULT_TEMPLATE.read_bytes()) or {}
    body = record.get("word/document.xml")
    return frozenset(meta.find_undeclared_variables(_ENV.parse(body))) if body else frozenset()


class CompiledDocx:
    """A docxtpl template with its parts patched and compiled once, rendered many times."""

    def __init__(self, path: Path):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}：无法读取模板（{os_reason(exc)}）") from None
        recorded = recorded_parts(raw)
        self.members = []
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                parts = [(info.filename, z.read(info)) for info in z.infolist()]
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            ValueError,
            EOFError,
            zlib.error,
        ):
            raise InputError(
                f"{path}：不是 Word 的 .docx 文件，或文件已损坏"
                "（.doc、.wps 请在 Word 或 WPS 中另存为 .docx）"
            ) from None
        if recorded is None:  # an agency's own template: checked, then patched as docxtpl does
            _check_template(path, parts)
            patch = _patcher(path)
        body = ""
        for name, data in parts:
            template = None
            if _templated(name, data):
                source = recorded[name] if recorded else patch(data.decode("utf-8"))
                body = source if name == "word/document.xml" else body
                try:
                    template = _ENV.from_string(source)
                except jinja2.TemplateSyntaxError:
                    raise InputError(
                        f"{path}：模板{_part_name(name)}中的占位符写法有误"
                        "（每个 {{ 要有对应的 }}，每个 {% 要有对应的 %}）"
                    ) from None
            self.members.append((name, data, template))
        if recorded is None:
            _check_placeholders(path, body)

    def render(self, ctx: dict, inserts: Inserts | None = None) -> bytes:
        """The DOCX bytes of the template filled with `ctx`, tokens replaced by their `inserts`."""
        entries = []
        for name, data, template in self.members:
            if template is None:
                entries.append(self.static[name])  # compressed once, for every report
                continue
            try:
                data = template.render(ctx).encode("utf-8")
            except jinja2.UndefinedError as exc:
                raise InputError(
                    f"模板中有 giagen 不提供的占位符：{undefined_name(exc)}"
                    "（可用的占位符见 README）"
                ) from None
            except (SecurityError, TypeError, AttributeError, ValueError):
                raise InputError(
                    "模板中有不允许的写法：模板只能使用 README 列出的占位符，"
                    "不能调用函数或访问其内部属性"
                ) from None
            if inserts:
                data = inserts.put_in(data)
            # a small part (properties, headers) is stored: deflating it costs more than it saves
            entries.append(_deflated(name, data) if len(data) > _SMALL else _stored(name, data))
        return _zip(entries)

    @functools.cached_property
    def static(self) -> dict[str, tuple]:
        """The parts no report changes, deflated once."""
        return {
            name: _deflated(name, data) for name, data, template in self.members if template is None
        }


_SMALL = 4096  # bytes: a part this small is stored, not deflated


def _deflated(name: str, data: bytes) -> tuple[bytes, bytes, int, int, int, int]:
    """A part as the zip stores it: name, raw deflate at level 1 (the XML is so repetitive that
    it shrinks nearly as well, much faster), CRC, sizes, method."""
    packer = zlib.compressobj(1, zlib.DEFLATED, -15)
    packed = packer.compress(data) + packer.flush()
    return name.encode("utf-8"), packed, zlib.crc32(data), len(packed), len(data), 8


def _stored(name: str, data: bytes) -> tuple[bytes, bytes, int, int, int, int]:
    """A part as the zip stores it uncompressed (method 0)."""
    return name.encode("utf-8"), data, zlib.crc32(data), len(data), len(data), 0


_DOS_DATE = (ZIP_DATE[0] - 1980) << 9 | ZIP_DATE[1] << 5 | ZIP_DATE[2]


def _zip(entries) -> bytes:
    """A zip of deflated parts with fixed dates and 0644, as zipfile would write it."""
    body, directory = [], []
    offset = 0
    for name, packed, crc, size, raw, method in entries:
        flags = 0 if name.isascii() else 0x800
        header = struct.pack(
            "<4s5H3L2H",
            b"PK\x03\x04",
            20,
            flags,
            method,
            0,
            _DOS_DATE,
            crc,
            size,
            raw,
            len(name),
            0,
        )
        body += [header, name, packed]
        directory.append(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20 | (3 << 8),
                20,
                flags,
                method,
                0,
                _DOS_DATE,
                crc,
                size,
                raw,
                len(name),
                0,
                0,
                0,
                0,
                0o644 << 16,
                offset,
            )
            + name
        )
        offset += len(header) + len(name) + size
    central = b"".join(directory)
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central), offset, 0
    )
    return b"".join(body) + central + end


@functools.lru_cache(maxsize=8)
def compiled(path: Path, mtime: float) -> CompiledDocx:
    """The compiled template of a file, kept while the file is unchanged."""
    return CompiledDocx(path)


def template_for(template: Path | None = None) -> CompiledDocx:
    """The compiled DOCX template: the default one or an agency's own, compiled once while unchanged."""
    path = Path(
        os.path.abspath(template or DEFAULT_TEMPLATE)
    )  # no resolve(): one stat a report, not one a folder
    try:
        found = os.stat(path)
    except OSError:
        found = None
    if found is None or not stat.S_ISREG(found.st_mode):
        raise InputError(f"{path}：模板文件不存在")
    return compiled(path, found.st_mtime)


def render_docx(c: Composition, template: Path | None = None) -> bytes:
    """The DOCX bytes of a composed report, through the default template or an agency's own."""
    inserts = Inserts()
    ctx = context(c, inserts)
    return template_for(template).render(ctx, inserts)
