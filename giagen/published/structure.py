"""The structure of a published report, found by meaning: section headings, table rows, figures."""

from __future__ import annotations

import bisect
import difflib
import functools
import re

from ..core import definitions as d
from ..core.hanzi import simplified
from ..core.nfkc import nfkc
from ..core.numbers import NOT_APPLICABLE, PRINTED, BadValue, parse_amount, parse_count
from .tokens import SHORT, Token, norm, remembered_when_short

# What each section's heading says, after its ordinal; the ordinal is the stable part.
SECTION_KEYS = {
    "一": re.compile(r"总体情况|基本情况|总体概况|工作概况|概况|概述|总述|总体"),
    "二": re.compile(r"主动公开"),
    "三": re.compile(
        r"(?:收到|受理|处理|办理)[^，。；]{0,12}申请|申请[^，。；]{0,8}(?:情况|办理)|依申请"
    ),
    "四": re.compile(r"复议|诉讼"),
    "五": re.compile(r"问题|改进|不足|整改"),
    "六": re.compile(r"其他|其它|需要报告"),
}
_MAY_BE_HEADING = re.compile(r"^[#>*\s]*第?([一二三四五六])")  # its ordinal: the section
_MARKDOWN = re.compile(r"^[#>*\s]+|\*+$")
# `一、` `一．` `一 `, and `第一部分` `第一章` `第一节` (never `第一，`: that is prose counting its points)
_ORDINAL = re.compile(
    r"^\s*(?:第([一二三四五六])(?:部分|章|节)?\s*([、.:．：]|\s)?|([一二三四五六])\s*([、.,:．，：]|\s)?)\s*"
)
_HEADING_TAIL = re.compile(r"^[^，。；,;]{0,12}?(?:情况|事项|措施|方向|问题)")
BLANK_MARKS = {"", "无", "—", "——", "－", "-", "/", "／", "－－", "--"}


# ---- Headings ------------------------------------------------------------------------------


def heading(text: str, section: str) -> tuple[str, str] | None:
    """(heading as seen, text running on after it) when `text` starts with `section`'s heading."""
    may_be = _MAY_BE_HEADING.match(text)  # most tokens: one C-level look at their start
    if not may_be or may_be.group(1) != section:
        return None
    return _heading(text, section)


# a table's row labels (`三、本年度办理结果`) look like headings and come on every page
@remembered_when_short(1 << 12)
def _heading(text: str, section: str) -> tuple[str, str] | None:
    original = _MARKDOWN.sub("", text).strip()
    text = simplified(nfkc(original))  # traditional: as simplified
    if len(text) != len(original):  # where NFKC changed lengths, the folded text stands
        original = text
    match = _ORDINAL.match(text)
    if not match or (match.group(1) or match.group(3)) != section:
        return None
    rest = text[match.end() :]
    if match.group(1) and rest.startswith(("，", ",")):
        return None  # 第一，…: prose counting its points
    if match.group(3) and not match.group(4) and re.match(r"[是要者则来类级批]|方面", rest):
        return None  # 一是…, 二要…: enumerations in prose
    key = SECTION_KEYS[section].search(rest[:40])
    if key is None or key.start() > 24:
        if not _close(rest, section):
            return None
        end = min(len(rest), len(d.SECTION_TITLES[section]) - 2)
    else:
        end = key.end()
        tail = _HEADING_TAIL.match(rest[end:])
        if tail and SECTION_KEYS[section].search(rest[:end]) and len(tail.group(0)) <= 12:
            end += tail.end()
    cut = match.end() + end
    return original[:cut].strip(), original[cut:].lstrip(" :：")


def _close(rest: str, section: str) -> bool:
    """A heading with a typo in its key words: most of the official wording is there."""

    official = d.SECTION_TITLES[section][2:]
    return difflib.SequenceMatcher(None, rest[: len(official) + 4], official).ratio() >= 0.75


def split_headings(tokens: list[Token]) -> list[Token]:
    """A heading with its paragraph running on (`一、总体情况2021年，我区……`) as two tokens."""
    out = []
    for token in tokens:
        may_be = _MAY_BE_HEADING.match(token.text)  # most tokens: one look at their start
        found = may_be and heading(token.text, may_be.group(1))
        if found and found[1]:
            out.append(Token(found[0], token.where, token.cell))
            out.append(Token(found[1], token.where, token.cell))
        else:
            out.append(token)
    return out


# ---- Values ----------------------------------------------------------------------------------


_MAYBE_VALUE = re.compile(r"^[\s\d０-９+\-－—/／\\─.,，无增减新NnA]")


def is_value(token: Token) -> bool:
    """A printed number, a does-not-apply mark, or a blank table cell."""
    return _is_value(token.text, token.cell)


@remembered_when_short(1 << 15)  # labels, menus and figures recur page after page
def _is_value(text: str, cell: bool) -> bool:
    text = text.strip()
    if not text:
        return cell
    if text.isdigit() and len(text) <= 80:
        return True  # figures that ran together: the table's reader splits them
    if len(text) > 24 or not _MAYBE_VALUE.match(text):
        return False
    if text in NOT_APPLICABLE:
        return True
    for parse in (parse_count, parse_amount):
        try:
            parse(text, mode=PRINTED)
            return True
        except BadValue:
            continue
    return False


@remembered_when_short(1 << 15)  # figures, labels and a site's menus: each read once
def _reading(text: str, cell: bool) -> tuple[str, bool]:
    """A token's key, and whether it is a value."""
    return norm(text), _is_value(text, cell)


class Reader:
    """Walks the tokens of one document; every refusal names the row and where it stands."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.keys, self.values = keys, values = [], []
        # the tokens that may be a heading, and those that are no value (a row's label is among
        # them), in order: each is looked for among those only
        self.may_head, self.labels = may_head, labels = [], []
        remembered, may_be = _reading.remembered, _MAY_BE_HEADING.match  # a page's every token
        for i, (text, _, cell) in enumerate(tokens):
            key, value = remembered(text, cell) if len(text) <= SHORT else _reading(text, cell)
            keys.append(key)
            values.append(value)
            if not value:
                labels.append(i)
                if may_be(text):
                    may_head.append(i)

    def find(self, start: int, end: int, predicate) -> int | None:
        """The first token between `start` and `end` whose key satisfies `predicate`."""
        return next(
            (i for i in range(start, min(end, len(self.keys))) if predicate(self.keys[i])), None
        )

    def find_heading(self, start: int, end: int, section: str, last: bool = False) -> int | None:
        """The first (or last) token that is `section`'s heading."""
        within = self.may_head[
            bisect.bisect_left(self.may_head, start) : bisect.bisect_left(self.may_head, end)
        ]
        found = [i for i in within if heading(self.tokens[i].text, section)]
        return (found[-1] if last else found[0]) if found else None

    def row(self, start: int, end: int, labels: tuple[str, ...]) -> tuple[int, int] | None:
        """(first, last) token of a row's label: one of `labels`, maybe split over several tokens."""
        wanted = [label_core(norm(ln)) for ln in labels]

        def matches(key: str) -> bool:
            core = label_core(key)
            return any(
                core == w
                or (len(core) >= min(6, len(w)) and w.startswith(core))
                # a flattened merge: the parent's label in the same cell (`三、本年度办理结果(一)予以公开`)
                or (len(w) >= 4 and core.endswith(w) and len(core) - len(w) <= 16)
                for w in wanted
            )

        labels = self.labels  # a label is never a value: the values are passed over
        within = labels[bisect.bisect_left(labels, start) : bisect.bisect_left(labels, end)]
        i = next((i for i in within if matches(self.keys[i])), None)
        if i is None:
            return None
        first, label = i, label_core(self.keys[i])
        # `5.要求行政机关确认或重新` / `出具已获取信息`: the rest of a label split across lines
        while (
            label not in wanted
            and i + 1 < end
            and not self.values[i + 1]
            and any(w.startswith(label_core(label + self.keys[i + 1])) for w in wanted)
        ):
            i += 1
            label = label_core(label + self.keys[i])
        # `（二）部分公开（区分处理的，只` / `计这一情形，不计其他情形）`: an explanation broken off
        opened = "".join(self.keys[first : i + 1])
        while (
            opened.count("(") > opened.count(")")
            and i + 1 < min(end, first + 4)
            and not self.values[i + 1]
        ):
            i += 1
            opened += self.keys[i]
        return first, i

    def near_row(self, start: int, end: int, label: str, within: int = 40) -> int | None:
        """A label written with a character or two missing or wrong (`2.其他法律行政止公开`),
        followed by figures: the first close enough to `label`, among the next `within` tokens."""
        wanted = label_core(norm(label))
        for i in range(start, min(end, start + within, len(self.keys))):
            core = label_core(self.keys[i])
            if (
                not self.values[i]
                and i + 1 < len(self.values)
                and self.values[i + 1]
                and abs(len(core) - len(wanted)) <= 3
                and len(wanted) >= 5
                and difflib.SequenceMatcher(None, core, wanted).ratio() >= 0.8
            ):
                return i
        return None

    def run(self, at: int, end: int) -> list[Token]:
        """The values (blank cells included) that follow the token at `at`."""
        out, i = [], at + 1
        while i < end and self.values[i]:
            out.append(self.tokens[i])
            i += 1
        return out


@functools.lru_cache(maxsize=8192)  # the same labels come again and again, page after page
def label_core(key: str) -> str:
    """A row label as compared: numbering unified, explanations in brackets left out."""
    key = _NUMBERED.sub(r"\1.", key)
    key = _BRACKETED_NUMBER.sub(lambda m: m.group(1)[1:-1] + ".", key)
    if key.startswith("(") and ")" in key[1:]:  # keep the ordinal `(二)`, drop what follows it
        head, _, tail = key.partition(")")
        return head + ")" + _EXPLANATION.sub("", tail)
    return _EXPLANATION.sub("", key)


_NUMBERED = re.compile(r"^(\d+)[、.．]")
_BRACKETED_NUMBER = re.compile(r"^(\(\d+\))")
_EXPLANATION = re.compile(r"\([^)]{4,}\)?$")
