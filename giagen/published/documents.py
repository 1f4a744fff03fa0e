"""Published documents as streams of tokens: lines of text and table cells, where they stand.

The kind of file is told from its content, not its name: a saved web page named `.txt`,
a DOCX named `.doc`, HTML in any encoding a Chinese website serves.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..core.exceptions import InputError
from ..core.packages import MAX_MEMBER, MAX_RATIO, MAX_TOTAL
from . import docxread, mhtml
from .tokens import (
    MAX_PIECES,
    MAX_TOKENS,
    Token,
    collapse,
    line_count,
    line_tokens,
    norm,
    text_tokens,
    within,
)

__all__ = ["Document", "Token", "collapse", "line_tokens", "norm", "read_document", "text_tokens"]

MAX_TEXT = 20 * 1024 * 1024  # bytes of a published page or text; a real one is under 2 MB


@dataclass
class Document:
    """A document's tokens and what its page says about it (`<title>`, meta tags)."""

    tokens: list[Token]
    kind: str  # html, docx, pdf, text
    meta: dict[str, str] = field(default_factory=dict)


# ---- Which kind of file, which encoding --------------------------------------------------


_UTF16_BOMS, _UTF8_BOM = (b"\xff\xfe", b"\xfe\xff"), b"\xef\xbb\xbf"
_GB = frozenset(("gb2312", "gbk", "gb18030", "x-gbk", "cp936"))
_BIG5 = frozenset(("big5", "big5-hkscs", "big5hkscs", "cp950", "x-x-big5"))
_CHARSET = re.compile(rb"charset\s*=\s*[\"']?([\w-]+)", re.I)


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003's compound file: .doc, .wps, .xls


def sniff(data: bytes) -> str:
    """docx, pdf, mhtml, html or text, by content; ole or rtf for what giagen does not read."""
    if data[:4] == b"PK\x03\x04":
        return "docx"
    if data[:8] == _OLE:
        return "ole"
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    if data[:64].lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    if mhtml.is_mhtml(data):
        return "mhtml"
    head = data[:8192].lower()
    if head.startswith(_UTF16_BOMS):
        head = data[:16384].decode("utf-16", errors="ignore").lower().encode()
    if re.search(rb"<(!doctype\s+html|html|body|head|meta|div|p|table|td|span|br)\b", head):
        return "html"
    return "text"


def decode(data: bytes, html: bool = False) -> str:
    """Text in UTF-8, GBK/GB18030 (declared or not) or UTF-16 with a BOM."""
    return _decoded(data, html)[0]


def _decoded(data: bytes, html: bool = False) -> tuple[str, bytes | None]:
    """The text, and its bytes when they are whole UTF-8 (a parser may read those directly)."""
    if data.startswith(_UTF16_BOMS):
        return data.decode("utf-16", errors="replace"), None
    if data.startswith(_UTF8_BOM):
        try:
            return data[3:].decode("utf-8"), data[3:]
        except UnicodeDecodeError:
            return data[3:].decode("utf-8", errors="replace"), None
    candidates = ["utf-8", "gb18030", "big5hkscs"]
    declared = _declared(data) if html else None
    if declared in _GB:
        candidates = ["gb18030", "utf-8"]
    elif declared in _BIG5:
        candidates = ["big5hkscs", "utf-8"]
    decoded = []
    for encoding in candidates:
        try:
            decoded.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if encoding != "gb18030":
            return decoded[-1], data if encoding == "utf-8" else None
        # Big5 bytes often decode as GB18030 too, into nonsense: the one that reads words wins
    if decoded:
        return max(decoded, key=_words_read), None
    return data.decode("gb18030", errors="replace"), None


def _declared(data: bytes) -> str | None:
    """The charset a page's head declares, lower case."""
    found = _CHARSET.search(data, 0, 4096)
    return found.group(1).decode("ascii", "ignore").lower() if found else None


def _utf8_first(data: bytes) -> bytes | None:
    """A page's bytes (its UTF-8 BOM taken off) when `_decoded` tries them as UTF-8 first."""
    if data.startswith(_UTF16_BOMS):
        return None
    if data.startswith(_UTF8_BOM):
        return data[3:]
    return None if _declared(data) in _GB | _BIG5 else data


_WORDS = re.compile("政府|信息|公开|公開|申请|申請|报告|報告|年度|行政|情况|情況")


def _words_read(text: str) -> int:
    """How many of a report's common words a decoding reads: the right encoding reads many."""
    return len(_WORDS.findall(text[:20000]))


def read_document(path: Path, data: bytes | None = None) -> Document:
    """The tokens of a published report, whatever its kind; InputError when it cannot be read
    or holds more than a report could.

    `data`: the file's bytes when the caller has read them already (they are not read again)."""
    document = _document(path, data)
    within(len(document.tokens), "文件", "个文字行和单元格", MAX_TOKENS)
    return document


def _document(path: Path, data: bytes | None) -> Document:
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_TEXT:
        raise InputError(
            f"文件有 {size // (1024 * 1024)} MB，超出上限 {MAX_TEXT // (1024 * 1024)} MB；"
            "年度报告的网页或文档不会这么大"
        )
    data = path.read_bytes() if data is None else data
    kind = sniff(data)
    if kind in ("ole", "rtf"):
        raise InputError(_not_read(kind, data))
    if kind == "docx":
        return Document(docx_tokens(io.BytesIO(data)), "docx")
    if kind == "pdf":
        return Document(pdf_tokens(data), "pdf")
    if kind == "mhtml":  # a page saved as one file: read as the page it holds
        page, parts = mhtml.archive(data)
        return html_document(page, parts=parts)
    if kind == "html":
        return html_document(data, base=path.parent)
    return Document(text_tokens(decode(data)), "text")


_RESAVE = "请在 Word 或 WPS 中另存为 .docx 或 PDF 后再试"


def _not_read(kind: str, data: bytes) -> str:
    """What a file of a kind giagen does not read is, by its content, and what to do."""
    if kind == "rtf":
        return f"这是 RTF 文档（按内容判断）；{_RESAVE}"
    if "WordDocument".encode("utf-16-le") in data:
        return f"这是 Word 97-2003 文档或 WPS 文字文件（.doc、.wps，按内容判断）；{_RESAVE}"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return (
            "这是 Excel 97-2003 工作簿（.xls，按内容判断），不是发布的年度报告；"
            "请找这份报告的网页、DOCX 或 PDF 版本"
        )
    return f"这是 Office 97-2003 格式的文件（按内容判断）；{_RESAVE}"


def _other_package(z: zipfile.ZipFile) -> str | None:
    """What a zip package that is no Word document is (OFD, OpenDocument, a workbook), and what
    to do; None for a Word document, or one too damaged to tell (said as a DOCX's)."""
    names = {name.lower(): name for name in z.namelist()}
    if "word/document.xml" in names:
        return None
    if "ofd.xml" in names:
        return (
            "这是 OFD 版式文件（按内容判断），giagen 不读 OFD；请用 OFD 阅读器另存为 PDF，"
            "或找这份报告的网页、DOCX 或 PDF 版本"
        )
    if "mimetype" in names:  # its first bytes only: a member can inflate to gigabytes
        with z.open(names["mimetype"]) as member:
            if member.read(100).startswith(b"application/vnd.oasis.opendocument.text"):
                return f"这是 OpenDocument 文本（.odt，按内容判断）；{_RESAVE}"
    if "xl/workbook.xml" in names:
        return "这是 Excel 工作簿（按内容判断），不是发布的年度报告；填报的工作簿请以 .xlsx 命名"
    return None


# ---- Web pages -----------------------------------------------------------------------------


def html_document(data: bytes, base: Path | None = None, parts=None) -> Document:
    """A saved page or an article body: its cells and lines, and its title and meta tags.

    A frame's page is read in its place: its `srcdoc`, its file when it lies under `base`
    (the saved page's folder), or its page among `parts` (an archive's, by name). Bytes that
    are whole UTF-8 are parsed as they are; others are decoded first."""
    # lazy: lxml (~25 ms) only for HTML, not for text or DOCX
    from .htmltext import html_tokens, whole_utf8_tree

    if len(data) > 3 * MAX_PIECES:  # a tag takes three bytes at least: a smaller page has room
        within(data.count(b"<"), "网页", "个标签")
    page = _utf8_first(data)
    root = whole_utf8_tree(page) if page is not None else None
    if root is None:
        text, page = _decoded(data, html=True)
        page = text if page is None else page
    tokens, meta = html_tokens(page, base, lambda framed: decode(framed, html=True), root, parts)
    return Document(tokens, "html", meta)


# ---- DOCX and PDF --------------------------------------------------------------------------


def docx_tokens(source) -> list[Token]:
    """A Word document as displayed: its paragraphs a line each, its tables a cell each."""
    _docx_budget(source)
    tokens, paragraphs, tables = [], 0, 0
    for block in docxread.body(source):
        if isinstance(block, str):
            paragraphs += 1
            for line in block.split("\n"):
                tokens += line_tokens(line, f"第 {paragraphs} 段")
            continue
        tables += 1
        for r, row in enumerate(block, start=1):
            for col, text in row:
                where = f"第 {tables} 个表格第 {r} 行第 {col + 1} 列"
                tokens.append(Token(" ".join(text.split()), where, cell=True))
    return tokens


def _docx_budget(source):
    """Refuse a package that is no Word document, saying what it is, and a DOCX whose parts
    claim more than a report could hold, before inflating any."""
    try:
        with zipfile.ZipFile(source) as z:
            infos, other = z.infolist(), _other_package(z)
    except (zipfile.BadZipFile, OSError, NotImplementedError, RuntimeError, zlib.error):
        raise InputError("无法读取 DOCX（文件损坏或不是 Word 文档）") from None
    if other:
        raise InputError(other)
    total = 0
    for info in infos:
        total += info.file_size
        if (
            info.file_size > MAX_MEMBER
            or total > MAX_TOTAL
            or len(infos) > 2000
            or (
                info.file_size > 1024 * 1024
                and info.file_size / max(1, info.compress_size) > MAX_RATIO
            )
        ):
            raise InputError(
                f"DOCX 的 {info.filename} 解压后 {info.file_size // (1024 * 1024)} MB，超出上限"
                f"（单个部件 {MAX_MEMBER // (1024 * 1024)} MB）；年度报告不会这么大"
            )


def pdf_tokens(data: bytes) -> list[Token]:
    """A PDF's text, page by page, as a browser's viewer gives it (PDFium, the engine of
    Chromium's), read like plain text: its tables come out a row a line."""
    # lazy: the PDF reader and its child's limits (ctypes, resource) only for a PDF
    from .pdfread import pdf_pages

    pages = pdf_pages(data)
    within(sum(map(line_count, pages)), "PDF 的文字", "行")
    tokens = []
    for number, text in enumerate(pages, start=1):
        tokens += text_tokens(text, f"第 {number} 页第 {{}} 行")
    return tokens
