"""Web pages as tokens: every line and table cell a browser shows, where it stands in the page.

The page is parsed by libxml2 (lxml) and walked in C by one XSLT transform that marks where
lines break, where cells stand and which source line each piece of text comes from; Python
only splits what it writes. `walked_tokens` is the same walk in Python, element by element:
the reference the transform is held to (tests/test_html_walk.py), and the reader for the rare
page whose text holds one of the transform's marks.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from ..core.exceptions import InputError
from . import frames
from .tokens import Token, collapse, line_tokens

BLOCKS = frozenset(
    "p div section article h1 h2 h3 h4 h5 h6 li ul ol table tbody thead tfoot tr pre "
    "blockquote dt dd dl center header footer main form hr caption figure figcaption "
    "address".split()
)
# Never shown, or (a table's caption) a copy of the heading above it.
HIDDEN = frozenset(
    "script style noscript template iframe object svg select button textarea head caption".split()
)
# Taken out of the page before it is read: their text never counts, even inside a cell.
REMOVED = ("script", "style", "noscript", "template", "head")

# The transform's marks: noncharacters, which no page's text holds (one that does is walked
# in Python). A line break; a piece of text, its source line, then the text; a table cell.
BREAK, PIECE, LINE_END, CELL = "\ufdd0", "\ufdd1", "\ufdd2", "\ufdd3"
# A mark in a page's source: the character itself, or a numeric reference to it (a frame's
# page is looked at in the tree instead: its `srcdoc` holds references escaped once more).
# Each pattern is looked for alone: one that starts with a fixed string is found at C speed.
_REFERENCE = r"&#(?:[xX]0*[fF][dD][dD][0-3]|0*6497[6-9])"
_REFERENCE_TEXT, _REFERENCE_BYTES = re.compile(_REFERENCE), re.compile(_REFERENCE.encode())
_MARK_BYTES = re.compile(rb"\xef\xb7[\x90-\x93]")  # the marks in UTF-8

_KEPT = " or ".join(f"ancestor::{name}" for name in REMOVED)
_NO_TABLE = f"not(.//table[not({_KEPT})])"
# A piece of text belongs to the element it follows (it is that element's tail), else to its
# parent; an element taken out of the page hands its tail to the one before it.
_OWNER = "(..|preceding-sibling::*[not({})][1])[last()]".format(
    " or ".join(f"self::{name}" for name in REMOVED)
)
_WALK = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:saxon="http://icl.com/saxon">
  <xsl:output method="text" encoding="utf-8"/>
  <xsl:template match="{"|".join(sorted(HIDDEN - {"caption"}))}"/>
  <xsl:template match="caption">{BREAK}</xsl:template>
  <xsl:template match="br">{BREAK}</xsl:template>
  <xsl:template match="td[{_NO_TABLE}]|th[{_NO_TABLE}]">{BREAK}{CELL}<xsl:value-of
      select="saxon:line-number()"/>{LINE_END}<xsl:apply-templates
      mode="cell"/>{BREAK}</xsl:template>
  <xsl:template match="{"|".join(REMOVED)}" mode="cell"/>
  <xsl:template match="td|th"><xsl:apply-templates/>{BREAK}</xsl:template>
  <xsl:template match="{"|".join(sorted(BLOCKS - {"caption"}))}"
    >{BREAK}<xsl:apply-templates/>{BREAK}</xsl:template>
  <xsl:template match="text()">{PIECE}<xsl:value-of
      select="saxon:line-number({_OWNER})"/>{LINE_END}<xsl:value-of select="."/></xsl:template>
</xsl:stylesheet>"""
_transform = None  # compiled on first use
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)
_UTF8_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, encoding="utf-8")
# A page that begins as XHTML does: `<?xml … encoding="…"?>` (lxml takes no declaration in text)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# A piece's mark that is not the first of its line or cell (the first says where it stands)
_LATER_MARK = re.compile(f"(?<!{BREAK})[{PIECE}{CELL}]-?\\d*{LINE_END}")
# A line or a cell: its kind, its source line, its text up to the next break
_CHUNK = re.compile(f"{BREAK}([{PIECE}{CELL}])(-?\\d*){LINE_END}([^{BREAK}]*)")
_SPACES = re.compile(r"\s+")


def parse(text: str, utf8: bytes | None = None):
    """The page's tree, comments and processing instructions left out; None when empty.
    `utf8`: the same page as UTF-8 bytes, parsed in place of the text (faster)."""
    try:
        if utf8 is not None:
            return etree.fromstring(utf8, _UTF8_PARSER)
        return etree.fromstring(_XML_DECLARATION.sub("", text, count=1), _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        raise InputError("无法解析 HTML") from None


def html_tokens(
    text: str, base: Path | None = None, decode=None, utf8: bytes | None = None
) -> tuple[list[Token], dict]:
    """A saved page or an article body: its cells and lines, and its title and meta tags.

    A frame's page is read in its place: its `srcdoc`, or its file when it lies under `base`
    (the saved page's folder); `decode` reads such a file's bytes as text. `utf8`: the page
    as UTF-8 bytes, when it is."""
    root = parse(text, utf8)
    if root is None:
        raise InputError("无法解析 HTML")
    meta = _meta(root)
    if frames.inline(root, base, decode, parse):
        marked = _holds_marks(etree.tostring(root, method="text", encoding=str))
    else:
        marked = _holds_marks(utf8 if utf8 is not None else text)
    if marked:
        return walked_tokens(root), meta
    return _transformed_tokens(root), meta


def _holds_marks(source: str | bytes) -> bool:
    """Whether the page's source (or text) may hold one of the transform's marks."""
    if isinstance(source, bytes):
        return bool(_MARK_BYTES.search(source) or _REFERENCE_BYTES.search(source))
    return any(mark in source for mark in (BREAK, PIECE, LINE_END, CELL)) or bool(
        _REFERENCE_TEXT.search(source)
    )


def _transformed_tokens(root) -> list[Token]:
    """The tokens, from what the transform writes: each line or cell keeps its first piece's
    mark (its source line) and loses the others, whitespace as a browser shows it (all at once),
    then a token per cell and the tokens of each line."""
    global _transform
    if _transform is None:
        _transform = etree.XSLT(etree.XML(_WALK))
    out = _SPACES.sub(" ", _LATER_MARK.sub("", BREAK + str(_transform(root))))
    tokens: list[Token] = []
    cells: dict[str, str] = {}  # a page's lines are few: each one's words made once
    lines: dict[str, str] = {}
    for kind, line, text in _CHUNK.findall(out):
        if " " in text:
            text = collapse(text)
        if kind == CELL:
            at = cells.get(line)
            if at is None:
                at = cells[line] = f"{_where(line)}（表格单元格）"
            tokens.append(Token(text, at, True))
        elif text:
            at = lines.get(line)
            if at is None:
                at = lines[line] = _where(line)
            tokens += line_tokens(text, at)
    return tokens


def walked_tokens(root) -> list[Token]:
    """The same tokens, walking the tree element by element in Python (`root` is changed)."""
    removed = [f"//{name}" for name in REMOVED] + ["//comment()", "//processing-instruction()"]
    for bad in root.xpath("|".join(removed)):
        _drop(bad)
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
            if tag is None or tag in HIDDEN:
                walker.skip_subtree()  # its tail still comes with its end
            elif tag == "br":
                flush()
            elif tag in ("td", "th") and el.find(".//table") is None:
                flush()
                text = collapse("".join(el.itertext()))
                tokens.append(Token(text, f"{_where(el.sourceline)}（表格单元格）", cell=True))
                walker.skip_subtree()
            else:
                if tag in BLOCKS:
                    flush()
                add(el.text, el.sourceline)
        else:
            if tag in BLOCKS or tag in ("td", "th"):
                flush()
            if el is not root:
                add(el.tail, el.sourceline)
    flush()
    return tokens


def _drop(el) -> None:
    """Take an element out of the tree, its tail kept where it stood."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is None:
            parent.text = (parent.text or "") + el.tail
        else:
            previous.tail = (previous.tail or "") + el.tail
    parent.remove(el)


def _where(line) -> str:
    return f"第 {line} 行" if line and int(line) > 0 else "HTML"


def _meta(root) -> dict[str, str]:
    meta = {}
    title = root.find(".//title")
    if title is not None and "".join(title.itertext()).strip():
        meta["title"] = " ".join("".join(title.itertext()).split())
    for el in root.iter("meta"):
        name = (el.get("name") or el.get("property") or "").strip()
        content = " ".join((el.get("content") or "").split())
        if name and content:
            meta[name] = content
    return meta
