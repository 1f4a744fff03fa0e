"""Published documents as streams of tokens: lines of text and table cells, where they stand.

The kind of file is told from its content, not its name: a saved web page named `.txt`,
a DOCX named `.doc`, HTML in any encoding a Chinese website serves.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.exceptions import InputError
from ..core.hanzi import simplified
from ..core.packages import MAX_MEMBER, MAX_RATIO, MAX_TOTAL
from . import docxread, frames

MAX_TEXT = 20 * 1024 * 1024  # bytes of a published page or text; a real one is under 2 MB
MAX_LINE = 4000  # characters of one line looked at for labels and numbers

_NUMBER = r"[+\-－]?[\d.,]+(?:\s*(?:件|个|项|万元|元))?"
_TRAILING_NUMBERS = re.compile(rf"^(.*?[^\d\s.,+\-－])((?:\s+{_NUMBER})+)\s*$")
_ONLY_NUMBERS = re.compile(rf"^\s*{_NUMBER}(?:\s+{_NUMBER})+\s*$")
_PAGE_NUMBER = re.compile(r"^[—－-]\s*\d+\s*[—－-]$")  # `— 3 —` between two pages
# A label with its figures run on without a space (`行政许可0`, `规章305` copied from a table)
_FUSED = re.compile(r"^(.*?[^\d\s.,+\-－:：(（])(\d+)$")


@dataclass(frozen=True)
class Token:
    """A line of text or a table cell, and where it stands in the document."""

    text: str
    where: str
    cell: bool = False  # a table cell (or a field between tabs): may be blank

    @property
    def key(self) -> str:
        """The token's text as labels are compared."""
        return norm(self.text)


@dataclass
class Document:
    """A document's tokens and what its page says about it (`<title>`, meta tags)."""

    tokens: list[Token]
    kind: str  # html, docx, pdf, text
    meta: dict[str, str] = field(default_factory=dict)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"'})


def norm(text: str) -> str:
    """A label as compared: NFKC, no spaces or markdown marks, straight quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s#*|>`\u200b\ufeff]+", "", text)
    return simplified(text.translate(_QUOTES))  # traditional characters match as simplified


# ---- Which kind of file, which encoding --------------------------------------------------


def sniff(data: bytes) -> str:
    """docx, pdf, html or text, by content."""
    if data[:4] == b"PK\x03\x04":
        return "docx"
    if data[:1024].lstrip().startswith(b"%PDF"):
        return "pdf"
    head = data[:8192].lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = data[:16384].decode("utf-16", errors="ignore").lower().encode()
    if re.search(rb"<(!doctype\s+html|html|body|head|meta|div|p|table|td|span|br)\b", head):
        return "html"
    return "text"


def decode(data: bytes, html: bool = False) -> str:
    """Text in UTF-8, GBK/GB18030 (declared or not) or UTF-16 with a BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    declared = re.search(rb"charset\s*=\s*[\"']?([\w-]+)", data[:4096], re.I) if html else None
    candidates = ["utf-8", "gb18030", "big5hkscs"]
    if declared:
        name = declared.group(1).decode("ascii", "ignore").lower()
        if name in ("gb2312", "gbk", "gb18030", "x-gbk", "cp936"):
            candidates = ["gb18030", "utf-8"]
        elif name in ("big5", "big5-hkscs", "big5hkscs", "cp950", "x-x-big5"):
            candidates = ["big5hkscs", "utf-8"]
    decoded = []
    for encoding in candidates:
        try:
            decoded.append(data.decode(encoding))
        except UnicodeDecodeError:
            continue
        if encoding != "gb18030":
            return decoded[-1]
        # Big5 bytes often decode as GB18030 too, into nonsense: the one that reads words wins
    if decoded:
        return max(decoded, key=_words_read)
    return data.decode("gb18030", errors="replace")


_WORDS = re.compile("政府|信息|公开|公開|申请|申請|报告|報告|年度|行政|情况|情況")


def _words_read(text: str) -> int:
    """How many of a report's common words a decoding reads: the right encoding reads many."""
    return len(_WORDS.findall(text[:20000]))


def read_document(path: Path, data: bytes | None = None) -> Document:
    """The tokens of a published report, whatever its kind; InputError when it cannot be read.

    `data`: the file's bytes when the caller has read them already (they are not read again)."""
    size = path.stat().st_size if data is None else len(data)
    if size > MAX_TEXT:
        raise InputError(
            f"文件有 {size // (1024 * 1024)} MB，超出上限 {MAX_TEXT // (1024 * 1024)} MB；"
            "年度报告的网页或文档不会这么大"
        )
    data = path.read_bytes() if data is None else data
    kind = sniff(data)
    if kind == "docx":
        return Document(docx_tokens(io.BytesIO(data)), "docx")
    if kind == "pdf":
        return Document(pdf_tokens(io.BytesIO(data)), "pdf")
    if kind == "html":
        return html_document(decode(data, html=True), base=path.parent)
    return Document(text_tokens(decode(data)), "text")


# ---- Plain text ----------------------------------------------------------------------------


def line_tokens(line: str, where: str) -> list[Token]:
    """One line: split at tabs and pipes; numbers trailing a label split off."""
    line = line[:MAX_LINE]
    fields = re.split(r"[\t|]", line)
    delimited = len(fields) > 1
    tokens = []
    for i, cell in enumerate(fields):
        cell = cell.strip(" \u3000\u00a0\r")
        if not cell:
            # a blank between two fields is a blank cell; leading tabs are only indentation
            inner = delimited and 0 < i < len(fields) - 1 and any(f.strip() for f in fields[:i])
            if inner:
                tokens.append(Token("", where, cell=True))
            continue
        if _PAGE_NUMBER.match(cell):
            continue
        match = _TRAILING_NUMBERS.match(cell)
        if _ONLY_NUMBERS.match(cell):  # `0 0 0 0 0 0 0` on a line of its own
            tokens += [Token(v, where, cell=True) for v in re.findall(_NUMBER, cell)]
        elif match and len(norm(match.group(1))) <= 40:  # `行政许可 0 0 0`, `息 0 0 0` from a PDF
            tokens.append(Token(match.group(1).strip(), where, cell=delimited))
            tokens += [Token(v, where, cell=True) for v in re.findall(_NUMBER, match.group(2))]
        elif (fused := _FUSED.match(cell)) and len(norm(fused.group(1))) <= 40:
            tokens += [
                Token(fused.group(1).strip(), where, cell=delimited),
                Token(fused.group(2), where, cell=True),
            ]
        else:
            tokens.append(Token(cell, where, cell=delimited))
    return tokens


def text_tokens(text: str, where: str = "第 {} 行") -> list[Token]:
    """Plain text, a line at a time."""
    tokens = []
    for n, line in enumerate(text.splitlines(), start=1):
        tokens += line_tokens(line, where.format(n))
    return tokens


# ---- Web pages -----------------------------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "pre",
    "blockquote",
    "dt",
    "dd",
    "dl",
    "center",
    "header",
    "footer",
    "main",
    "form",
    "hr",
    "caption",
    "figure",
    "figcaption",
    "address",
}
# Never shown, or (a table's caption) a copy of the heading above it.
_DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "object",
    "svg",
    "select",
    "button",
    "textarea",
    "head",
    "caption",
}


def html_document(text: str, base: Path | None = None) -> Document:
    """A saved page or an article body: its cells and lines, and its title and meta tags.

    A frame's page is read in its place: its `srcdoc`, or its file when it lies under `base`
    (the saved page's folder)."""
    # lazy: lxml (~25 ms) only for HTML, not for text or DOCX
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        raise InputError("无法解析 HTML") from None
    meta = _meta(root)
    frames.inline(root, base, lambda data: decode(data, html=True))
    # what is never shown: scripts, styles, comments (their tails stay)
    for bad in root.xpath(
        "//script|//style|//noscript|//template|//head|//comment()|//processing-instruction()"
    ):
        bad.drop_tree()
    tokens: list[Token] = []
    line: list[str] = []
    line_at = [None]

    def flush():
        if line:
            tokens.extend(line_tokens(collapse("".join(line)), _where(line_at[0])))
            line.clear()

    def add(text_part: str | None, at):
        if text_part:
            if not line:
                line_at[0] = at
            line.append(text_part)

    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = el.tag if isinstance(el.tag, str) else None
        if event == "start":
            if tag is None or tag in _DROP:
                walker.skip_subtree()  # its tail still comes with its end
            elif tag == "br":
                flush()
            elif tag in ("td", "th") and el.find(".//table") is None:
                flush()
                tokens.append(
                    Token(
                        collapse(_cell_text(el)),
                        f"{_where(el.sourceline)}（表格单元格）",
                        cell=True,
                    )
                )
                walker.skip_subtree()
            else:
                if tag in _BLOCKS:
                    flush()
                add(el.text, el.sourceline)
        else:
            if tag in _BLOCKS or tag in ("td", "th"):
                flush()
            if el is not root:
                add(el.tail, el.sourceline)
    flush()
    return Document(tokens, "html", meta)


def _where(line) -> str:
    return f"第 {line} 行" if line else "HTML"


def _cell_text(td) -> str:
    """A cell's text; `<br>` and paragraphs inside it are joined."""
    return "".join(td.itertext())


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def collapse(text: str) -> str:
    """Whitespace as a browser shows it, without the spaces a page's line breaks put between CJK."""
    return _CJK_GAP.sub("", " ".join(text.split()))


def _meta(root) -> dict[str, str]:
    meta = {}
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        meta["title"] = " ".join(title.text_content().split())
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip()
        content = " ".join((el.get("content") or "").split())
        if name and content:
            meta[name] = content
    return meta


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
    """Refuse a DOCX whose parts claim more than a report could hold, before inflating any."""

    try:
        with zipfile.ZipFile(source) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError):
        raise InputError("无法读取 DOCX（文件损坏或不是 Word 文档）") from None
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


def pdf_tokens(source) -> list[Token]:
    """A PDF's text, page by page, read like plain text (its tables come out a row a line)."""
    # lazy: pypdf (~100 ms) only for a PDF
    from pypdf import PdfReader

    try:
        reader = PdfReader(source)
        if len(reader.pages) > 200:
            raise InputError(f"PDF 有 {len(reader.pages)} 页，超出上限 200 页")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception:  # pypdf raises many kinds for a damaged file
        raise InputError("无法读取 PDF（文件损坏或加密）") from None
    tokens = []
    for number, text in enumerate(pages, start=1):
        tokens += text_tokens(text, f"第 {number} 页第 {{}} 行")
    return tokens
