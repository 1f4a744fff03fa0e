"""The structure of a published report, found by meaning: section headings, table rows, figures."""

from __future__ import annotations

import difflib
import re
import unicodedata

from ..core import definitions as d
from ..core.hanzi import T2S
from ..core.numbers import NOT_APPLICABLE, PRINTED, BadValue, parse_amount, parse_count
from .documents import Token, norm

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
_MAY_BE_HEADING = re.compile(r"^[#>*\s]*第?[一二三四五六]")
_MARKDOWN = re.compile(r"^[#>*\s]+|\*+$")
# `一、` `一．` `一 `, and `第一部分` `第一章` `第一节` (never `第一，`: that is prose counting its points)
_ORDINAL = re.compile(
    r"^\s*(?:第([一二三四五六])(?:部分|章|节)?\s*([、.:．：]|\s)?|([一二三四五六])\s*([、.,:．，：]|\s)?)\s*"
)
_HEADING_TAIL = re.compile(r"^[^，。；,;]{0,12}?(?:情况|事项|措施|方向|问题)")
_BLANK = {"", "无", "—", "——", "－", "-", "/", "／", "－－", "--"}


# ---- Headings ------------------------------------------------------------------------------


def heading(text: str, section: str) -> tuple[str, str] | None:
    """(heading as seen, text running on after it) when `text` starts with `section`'s heading."""
    if not _MAY_BE_HEADING.match(text):  # most tokens: one C-level look at their start
        return None
    original = _MARKDOWN.sub("", text).strip()
    text = unicodedata.normalize("NFKC", original).translate(T2S)  # traditional: as simplified
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
        found = next((h for s in SECTION_KEYS if (h := heading(token.text, s))), None)
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
    text = token.text.strip()
    if not text:
        return token.cell
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


class Reader:
    """Walks the tokens of one document; every refusal names the row and where it stands."""

    def __init__(self, tokens: list[Token]):
        self.tokens = tokens
        self.keys = [t.key for t in tokens]
        self.values = [is_value(t) for t in tokens]

    def find(self, start: int, end: int, predicate) -> int | None:
        """The first token between `start` and `end` whose key satisfies `predicate`."""
        return next(
            (i for i in range(start, min(end, len(self.keys))) if predicate(self.keys[i])), None
        )

    def find_heading(self, start: int, end: int, section: str, last: bool = False) -> int | None:
        """The first (or last) token that is `section`'s heading."""
        found = [
            i
            for i in range(start, min(end, len(self.tokens)))
            if not self.values[i] and heading(self.tokens[i].text, section)
        ]
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

        i = self.find(start, end, matches)
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


def label_core(key: str) -> str:
    """A row label as compared: numbering unified, explanations in brackets left out."""
    key = re.sub(r"^(\d+)[、.．]", r"\1.", key)
    key = re.sub(r"^(\(\d+\))", lambda m: m.group(1)[1:-1] + ".", key)
    if key.startswith("(") and ")" in key[1:]:  # keep the ordinal `(二)`, drop what follows it
        head, _, tail = key.partition(")")
        return head + ")" + re.sub(r"\([^)]{4,}\)?$", "", tail)
    return re.sub(r"\([^)]{4,}\)?$", "", key)


# ---- Tables ----------------------------------------------------------------------------------


class TableReader:
    """Reads the rows of one table; a row that cannot be read is recorded, not fatal."""

    def __init__(self, reader: Reader, ed: d.Edition, record: dict):
        self.reader, self.ed, self.record = reader, ed, record

    def unreadable(self, table: str, row: str, message: str, where: str):
        """Record a row that could not be read, with why and where."""
        self.record["unreadable"].append(
            {"table": table, "row": row, "message": message, "where": where}
        )

    def values(
        self, table: str, row: str | None, place: str, run: list[Token], count: int, at: Token
    ) -> list | None:
        """The `count` figures of a row, or None (recorded, with why) when there are more or fewer."""
        while len(run) > count and not run[0].text.strip():
            run = run[1:]  # empty cells of a label spanning columns: layout, not numbers
        while len(run) > count and not run[-1].text.strip():
            run = run[:-1]  # empty cells after the last figure: likewise
        if len(run) == count:
            return run
        fused = next(
            (
                t.text.strip()
                for t in run
                if len(run) < count
                and re.fullmatch(r"\d{%d,}" % (count - len(run) + 1), t.text.strip())
            ),
            None,
        )
        if fused:
            message = (
                f"{place}：数字连在一起（“{fused}”），分不清 {count} 个单元格；"
                "请改用网页的 HTML 原文（另存为网页），其中单元格是分开的"
            )
        elif len(run) > count:
            shown = " ".join(t.text.strip() or "（空）" for t in run)
            message = f"{place}：应有 {count} 个数字，有 {len(run)} 个（{shown}），这一行未读入"
        else:
            message = f"{place}：应有 {count} 个数字，只找到 {len(run)} 个，这一行未读入"
        self.unreadable(table, row, message, at.where)
        return None

    def read(self, table: str, start: int, end: int) -> tuple[dict, int | None]:
        """The rows of `table` between `start` and `end`; where its last row ended.

        A 序号 column before the labels is recognised by its header and its numbers dropped
        (each stands after the row before it, as a figure too many)."""
        lines, fields_of = d.table_shape(self.ed, table)
        data, at, found, last = {}, start, 0, None
        # the header may stand before `start` (the table's first row label)
        serials = self.reader.find(max(0, start - 30), end, lambda key: key == "序号") is not None
        for line in lines:
            if line.id in data:
                continue  # read already, as part of an older layout's row
            fields = fields_of(line.id)
            span = self.reader.row(at, end, (line.label, *d.ROW_ALIASES.get(line.id, ())))
            if span is None and (near := self.reader.near_row(at, end, line.label)) is not None:
                span = (near, near)
                self.record.setdefault("near_labels", []).append(
                    {"table": table, "row": line.id, "seen": self.reader.tokens[near].text}
                )
            if span is None and (old := self._older_row(table, line, at, end)) is not None:
                rows, at = old
                data.update(rows)
                found += 1
                last = at
                continue
            if span is None:
                data[line.id] = None
                self.unreadable(
                    table,
                    line.id,
                    f"{d.describe(self.ed, d.TABLE_SECTIONS[table], line.id, None)}："
                    f"在表格中找不到这一行",
                    self.reader.tokens[min(at, len(self.reader.tokens) - 1)].where,
                )
                continue
            found += 1
            label_end = span[1]
            run = self.reader.run(label_end, end)
            serial = (
                serials and len(run) == len(fields) + 1 and re.fullmatch(r"\d{1,3}", run[-1].text)
            )
            if serial:
                run = run[:-1]  # the next row's 序号
            place = d.describe(self.ed, d.TABLE_SECTIONS[table], line.id, None)
            values = self.values(
                table, line.id, place, run, len(fields), self.reader.tokens[span[0]]
            )
            at = label_end + 1 + len(run) + (1 if serial else 0)
            last = at
            data[line.id] = (
                None
                if values is None
                else {f.id: self.cell(table, line.id, f, t) for f, t in zip(fields, values)}
            )
        if not found:
            return {}, None
        return data, last

    def _older_row(self, table: str, line: d.Line, at: int, end: int):
        """The 2019 layout's single row (`（六）其他处理` with its seven figures) standing where a
        newer table has that row's parts: read as the last part (`3.其他`), the others 0, and
        recorded. None when the table has the parts, or not that row."""
        if len(line.path) < 3 or line.path[0] != d.RESULTS:
            return None
        group = line.path[1]
        parts = [ln for ln in self.ed.request_lines if ln.path[:2] == (d.RESULTS, group)]
        span = self.reader.row(at, end, (group,))
        if not parts or parts[0].id != line.id or span is None:
            return None
        run = self.reader.run(span[1], end)
        fields = d.table_shape(self.ed, table)[1](line.id)
        if len([t for t in run if t.text.strip()]) != len(fields):
            return None  # the group's label with its parts below, as the newer layout has it
        run = [t for t in run if t.text.strip()]
        rows = {ln.id: {f.id: 0 for f in fields} for ln in parts[:-1]}
        rows[parts[-1].id] = {
            f.id: self.cell(table, parts[-1].id, f, t) for f, t in zip(fields, run)
        }
        self.record.setdefault("older_rows", []).append(
            {
                "table": table,
                "row": group,
                "as": parts[-1].label,
                "where": self.reader.tokens[span[0]].where,
            }
        )
        return rows, span[1] + 1 + len(self.reader.run(span[1], end))

    def cell(self, table: str, row: str, field: d.Field, token: Token):
        """A cell's value as the rules read it: blanks in 三 and 四 count 0 and are listed."""
        text = token.text.strip()
        if text in _BLANK and (table != "proactive" or not text):
            self.record["blank"].setdefault(d.TABLE_SECTIONS[table], []).append([row, field.id])
            return 0 if field.kind != d.AMOUNT else "0"
        return text

    def litigation(self, start: int, end: int) -> tuple[dict, int | None]:
        """四: one row of 15 figures under a three-level header."""
        heads = {norm(f.label) for f in d.LITIGATION_FIELDS} | {
            "行政复议",
            "行政诉讼",
            "未经复议直接起诉",
            "复议后起诉",
        }
        last_head = None
        for i in range(start, min(end, len(self.reader.keys))):
            key = self.reader.keys[i]
            if key in heads or (len(key) < 60 and any(h in key for h in heads)):
                last_head = i
        if last_head is None:
            return {}, None
        run = self.reader.run(last_head, end)
        if not run and last_head + 1 < end and len(self.reader.keys[last_head + 1]) <= 6:
            last_head += 1  # a label cell before the figures (`件数`, `数量（件）`)
            run = self.reader.run(last_head, end)
        count = len(d.LITIGATION_GROUPS) * len(d.LITIGATION_FIELDS)
        values = self.values(
            "litigation",
            None,
            "四、行政复议和行政诉讼的数字行",
            run,
            count,
            self.reader.tokens[last_head],
        )
        if values is None:  # the one row of 四: every group
            return {g.id: None for g in d.LITIGATION_GROUPS}, last_head + 1 + len(run)
        fields = d.LITIGATION_FIELDS
        data = {
            g.id: {
                f.id: self.cell("litigation", g.id, f, values[i * len(fields) + j])
                for j, f in enumerate(fields)
            }
            for i, g in enumerate(d.LITIGATION_GROUPS)
        }
        return data, last_head + 1 + len(run)
