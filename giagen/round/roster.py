"""The units of a round: the list a coordinator keeps, and which file belongs to which unit."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from ..checks.completeness import PLACEHOLDER
from ..core.exceptions import InputError
from ..core.files import decode_text
from ..core.identity import name_key, only_a_number
from ..workbook.xlsxread import read_rows

NAME_HEADERS = (
    "机关名称",
    "单位名称",
    "名称",
    "单位",
    "部门名称",
    "部门",
    "报送单位",
    "agency",
    "name",
)
OWN_HEADERS = ("本级",)
CONTACT_HEADERS = ("联系人", "联系方式", "联系电话")
PARENT_HEADERS = ("上级", "上级单位", "主管单位")
_YES = {"是", "√", "✓", "1", "y", "yes", "本级", "true", "●"}
# Suffixes one unit's name is written with or without; stripped only where that stays unambiguous.
_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "人民政府", "办公室", "办公厅")


@dataclass(frozen=True)
class Member:
    """One unit of the round, as the list names it."""

    name: str
    own: bool = False  # 本级: the government's own office, which files like any unit
    contact: str = ""
    parent: str = ""
    line: int = 0  # the row of the list it stands on (1 = the first), for messages


def stripped(key: str) -> str:
    """A name key without its 人民政府/办公室-style suffix."""
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


class Roster:
    """The units expected, and how a file's agency name finds its unit."""

    def __init__(self, members: list[Member], repeated: list[str] | None = None):
        self.members = members
        self.repeated = (
            repeated or []
        )  # names listed twice, each said once: "“甲 局”与“甲局”是同一单位"
        self.by_key = {name_key(m.name): m for m in members}
        short: dict[str, list[Member]] = {}
        for m in members:
            short.setdefault(stripped(name_key(m.name)), []).append(m)
        self.by_short = short

    def named_in(self, file_name: str) -> Member | None:
        """The unit a file's name names (`某某县公安局2025年报`): the longest full unit name found
        in it, or the whole name as `match` reads it; None when it names none, or two alike."""
        whole, _ = self.match(file_name)
        if whole is not None:
            return whole
        key = name_key(file_name)
        for size in range(len(key), 2, -1):
            found = {
                m.name: m
                for i in range(len(key) - size + 1)
                if (m := self.by_key.get(key[i : i + size])) is not None
            }
            if found:
                return next(iter(found.values())) if len(found) == 1 else None
        return None

    def match(self, agency: str) -> tuple[Member | None, list[Member]]:
        """(the unit, []) when `agency` names exactly one; (None, candidates) when it names several or none."""
        key = name_key(agency)
        if not key:
            return None, []
        if key in self.by_key:
            return self.by_key[key], []
        candidates = self.by_short.get(stripped(key), [])
        if len(candidates) == 1:
            return candidates[0], []
        return None, candidates


def _rows(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return [[_cell(c) for c in row] for row in read_rows(path)]
    if suffix in (".xls", ".et", ".wps", ".xlsm"):
        raise InputError(f"{suffix} 格式无法读取，请另存为 .xlsx 或 CSV")
    text = decode_text(path.read_bytes(), "名单")
    if suffix == ".csv" or (suffix != ".txt" and "," in text and "\t" not in text):
        return [row for row in csv.reader(io.StringIO(text))]
    if "\t" in text:  # Excel's "Unicode 文本" and "文本文件(制表符分隔)"
        return [line.split("\t") for line in text.splitlines()]
    return [[line] for line in text.splitlines()]


def _cell(value) -> str:
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


def _column(header: list[str], names) -> int | None:
    cleaned = [re.sub(r"\s", "", h).lower() for h in header]
    return next((i for i, h in enumerate(cleaned) if h in names), None)


def read_roster(path: str | Path) -> Roster:
    """The units a list names: a text file (a name a line) or a table with a name column.

    A title row above the header, a 序号 column and optional 本级/联系人/上级 columns are
    understood; a list that cannot be read for certain is refused with the reason.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}：单位名单文件不存在")
    try:
        rows = [[c.strip().strip("\ufeff") for c in row] for row in _rows(path)]
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from None
    lines = [n for n, row in enumerate(rows, start=1) if any(row)]
    rows = [row for row in rows if any(row)]
    if not rows:
        raise InputError(f"{path}：单位名单是空的")
    header_at = next(
        (i for i, row in enumerate(rows[:6]) if _column(row, NAME_HEADERS) is not None), None
    )
    if header_at is not None:
        header, body = rows[header_at], rows[header_at + 1 :]
        name_col = _column(header, NAME_HEADERS)
    else:
        header, body = [], rows
        name_col = _first_name_column(rows)
    own_col, contact_col, parent_col = (
        _column(header, h) for h in (OWN_HEADERS, CONTACT_HEADERS, PARENT_HEADERS)
    )

    def at(row, col):
        return row[col] if col is not None and col < len(row) else ""

    members, seen, repeated = [], {}, []
    first = len(rows) - len(body)
    for number, row in zip(lines[first:], body):
        name = at(row, name_col)
        if not name:
            continue
        if name_key(name) in seen:
            first = seen[name_key(name)]
            repeated.append(
                f"名单中“{name}”出现两次，只算一个单位"
                if name == first
                else f"名单中“{name}”与“{first}”是同一单位，只算一个"
            )
            continue
        seen[name_key(name)] = name
        members.append(
            Member(
                name,
                at(row, own_col).lower() in _YES,
                at(row, contact_col),
                at(row, parent_col),
                number,
            )
        )
    _refuse_doubtful(path, members)
    return Roster(members, repeated)


def name_problem(name: str) -> str | None:
    """Why a name in a unit list cannot be a unit's name, or None: what a workbook cannot be
    made for (a number, a placeholder, a name too long for a file, invisible characters)."""
    if only_a_number(name):
        return "只有数字，不是单位名称（是否选错了列？）"
    if re.search(r"[\x00-\x1f\x7f]", name):
        return "含有不可见的控制字符"
    if PLACEHOLDER.search(name):
        return "是占位文字，不是单位名称"
    if len(name) > 50 or len(name.encode("utf-8")) > 200:
        return "过长（超过 50 个字），不像一个单位名称"
    return None


def _first_name_column(rows: list[list[str]]) -> int:
    """Without a header: the first column that holds names, not numbers."""
    width = max(len(r) for r in rows)
    for col in range(width):
        values = [r[col] for r in rows if col < len(r) and r[col]]
        if values and sum(only_a_number(v) for v in values) < len(values) / 2:
            return col
    return 0


def _refuse_doubtful(path: Path, members: list[Member]):
    if not members:
        raise InputError(f"{path}：没有找到单位名称（表头应有“单位名称”或“名称”一列）")
    numbers = sum(only_a_number(m.name) for m in members)
    if numbers > len(members) / 2:
        raise InputError(
            f"{path}：名单中的“单位名称”大多是数字（如“{members[0].name}”），"
            "可能选错了列（如“序号”）；请在表头写明“单位名称”"
        )
    garbled = [m.name for m in members if "\ufffd" in m.name or re.search(r"[À-ÿ]{2,}", m.name)]
    if garbled:
        raise InputError(
            f"{path}：名单中有乱码（如“{garbled[0]}”），编码可能不对；"
            "请另存为 UTF-8 或 GBK 编码的 CSV，或 .xlsx"
        )
