"""Tokens: the lines of text and table cells a published document is read as, and their keys."""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from ..core.exceptions import InputError
from ..core.hanzi import simplified
from ..core.nfkc import nfkc

MAX_LINE = 4000  # characters of one line looked at for labels and numbers
# Lines, table cells or a page's tags of one document at most, counted before they are made: a
# report has a few thousand, a whole saved page some thousands of tags; ten million lines of a
# 19 MB text took 29 s and 2 GB
MAX_PIECES = 100_000
# Tokens of one document at most, once made (a line of figures makes several): a report makes a
# few thousand; each of a table's rows is looked for among them
MAX_TOKENS = 50_000
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where splitlines breaks

_NUMBER = r"[+\-－]?[\d.,]+(?:\s*(?:件|个|项|万元|元))?"
_TRAILING_NUMBERS = re.compile(rf"^(.*?[^\d\s.,+\-－])((?:\s+{_NUMBER})+)\s*$")
_ONLY_NUMBERS = re.compile(rf"^\s*{_NUMBER}(?:\s+{_NUMBER})+\s*$")
_PAGE_NUMBER = re.compile(r"^[—－-]\s*\d+\s*[—－-]$")  # `— 3 —` between two pages
# A label with its figures run on without a space (`行政许可0`, `规章305` copied from a table)
_FUSED = re.compile(r"^(.*?[^\d\s.,+\-－:：(（])(\d+)$")
_NUMBERS = re.compile(_NUMBER)
_FIELD = re.compile(r"[\t|]")
# The last characters a line ends with when one of the patterns above can match it
_NUMBER_ENDS = frozenset(".,件个项元—－-")


class Token(NamedTuple):
    """A line of text or a table cell, and where it stands in the document."""

    text: str
    where: str
    cell: bool = False  # a table cell (or a field between tabs): may be blank

    @property
    def key(self) -> str:
        """The token's text as labels are compared."""
        return norm(self.text)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"'})
_CURLY = re.compile("[“”‘’〝〞]")  # found at C speed; translate looks at every character
_UNSEEN = re.compile(r"[\s#*|>`\u200b\ufeff]+")


SHORT = 64  # characters: a label or a menu's link, not a paragraph (which never comes again)


def remembered_when_short(maxsize: int):
    """A function of a text (and more) that remembers what it gave for short texts: official
    labels, figures and a site's menus come again page after page (a province's audit meets
    some thousands of them); a paragraph never does, and is not kept."""

    def remembering(function):
        remembered = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(text: str, *rest):
            return remembered(text, *rest) if len(text) <= SHORT else function(text, *rest)

        call.remembered = remembered  # for a loop over a page's every token: a call the fewer
        return call

    return remembering


@remembered_when_short(1 << 15)
def norm(text: str) -> str:
    """A label as compared: NFKC, no spaces or markdown marks, straight quotes."""
    text = nfkc(text)
    return simplified(_straight(_UNSEEN.sub("", text)))  # traditional characters as simplified


def _straight(text: str) -> str:
    return text.translate(_QUOTES) if _CURLY.search(text) else text


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def collapse(text: str) -> str:
    """Whitespace as a browser shows it, without the spaces a page's line breaks put between CJK."""
    return _CJK_GAP.sub("", " ".join(text.split()))


def line_tokens(line: str, where: str) -> list[Token]:
    """One line: split at tabs and pipes; numbers trailing a label split off."""
    line = line[:MAX_LINE]
    if "\t" not in line and "|" not in line:
        # most lines (prose, a page's links) end in no figure: one token, no pattern to try
        cell = line.strip(" \u3000\u00a0\r")
        if cell.isdigit() and cell.isascii():  # a figure on a line of its own (text, PDF)
            return [Token(cell, where)]
        end = cell.rstrip()[-1:]
        if not (end.isdigit() or end in _NUMBER_ENDS):
            return [Token(cell, where)] if cell else []
    return fields_tokens(line, where)


def fields_tokens(line: str, where: str) -> list[Token]:
    """A line tried for every form: fields, page numbers, figures after a label (`line_tokens`
    spares a line that ends in no figure; tests hold the two to each other)."""
    line = line[:MAX_LINE]
    fields = _FIELD.split(line)
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
            tokens += [Token(v, where, cell=True) for v in _NUMBERS.findall(cell)]
        elif match and len(norm(match.group(1))) <= 40:  # `行政许可 0 0 0`, `息 0 0 0` from a PDF
            tokens.append(Token(match.group(1).strip(), where, cell=delimited))
            tokens += [Token(v, where, cell=True) for v in _NUMBERS.findall(match.group(2))]
        elif (fused := _FUSED.match(cell)) and len(norm(fused.group(1))) <= 40:
            tokens += [
                Token(fused.group(1).strip(), where, cell=delimited),
                Token(fused.group(2), where, cell=True),
            ]
        else:
            tokens.append(Token(cell, where, cell=delimited))
    return tokens


def within(count: int, what: str, unit: str, most: int = MAX_PIECES) -> None:
    """Refuse a document of more pieces than a report could have, before they are made."""
    if count > most:
        raise InputError(f"{what}有 {count} {unit}，超出上限 {most} {unit}；年度报告不会有这么多")


def line_count(text: str) -> int:
    """How many lines the text has at most (a CR LF counted twice), counted at C speed."""
    return sum(map(text.count, _LINE_BREAKS)) + 1


def text_tokens(text: str, where: str = "第 {} 行") -> list[Token]:
    """Plain text, a line at a time; InputError past MAX_PIECES lines."""
    within(line_count(text), "文本", "行")
    tokens = []
    for n, line in enumerate(text.splitlines(), start=1):
        tokens += line_tokens(line, where.format(n))
    return tokens


# Radicals written for the whole characters they look like: some PDFs' fonts map their glyphs
# to them (pypdf and copy-and-paste then give `⼀、总体情况`, `⼈⺠`, `12⽉31⽇`). The Kangxi
# radicals fold by NFKC; of the supplement, those that stand for a character used on its own.
_RADICAL = re.compile("[\u2e80-\u2fdf]")
_SUPPLEMENT = str.maketrans(
    "⺁⺜⺝⺩⺼⺠⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
    "厂日月王月民西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
)


def radicals_folded(tokens: list[Token]) -> list[Token]:
    """The tokens, with radicals standing for whole characters as those characters."""
    if not _RADICAL.search("".join(text for text, _, _ in tokens)):
        return tokens  # nearly every document: one look at C speed
    return [
        token._replace(text=_folded(token.text)) if _RADICAL.search(token.text) else token
        for token in tokens
    ]


def _folded(text: str) -> str:
    return "".join(nfkc(c) if "\u2f00" <= c <= "\u2fdf" else c for c in text.translate(_SUPPLEMENT))
