"""Which sheet the clerk filled: the table's own, one renamed, or one of several copies."""

from __future__ import annotations

import functools
import re
import unicodedata

from ..core.exceptions import InputError
from .sheetxml import Sheets


def _plain(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@functools.lru_cache(maxsize=256)
def candidates(name: str, present: tuple[tuple[str, str, str], ...]) -> tuple:
    """The sheets that may be the table `name`: its own, then those a clerk renamed or copied
    from it (`三、收到和处理…`, ` 三 `, `表三`, `三 (2)`, `表三（填报）`), in the workbook's order."""
    pattern = re.compile(rf"表?{re.escape(name)}(?:[、.:：(（].*)?")
    exact = [s for s in present if s[0] == name]
    like = [s for s in present if s[0] != name and pattern.fullmatch(_plain(s[0]))]
    return tuple(exact + like)


def preferred(found: tuple) -> tuple[str, str, str]:
    """The copy giagen would read: a visible one over a hidden one, the table's own name first."""
    visible = [s for s in found if s[2] == "visible"]
    return (visible or list(found))[0]


def choose_sheets(present, wanted, sheets: Sheets, read):
    """Read each wanted table from the sheet the clerk filled, through `read(name, part, into)`.

    A copy of a table beside it (`三 (2)`, a hidden original behind a visible copy) is never
    chosen in silence: when the copies' cells differ the workbook is refused, naming them and
    saying which one giagen would read."""
    found = {name: candidates(name, present) for name in wanted}
    missing = [name for name, sheets_of in found.items() if not sheets_of]
    if missing:
        raise InputError(
            f"不是 giagen 的年报工作簿：缺少工作表「{'」「'.join(missing)}」"
            "（请用 giagen template 生成的工作簿填写）"
        )
    for name, copies in found.items():
        chosen = preferred(copies)
        if len(copies) > 1:
            readings = {}
            for copy in copies:
                readings[copy] = Sheets({}, date1904=sheets.date1904)
                read(name, copy[1], readings[copy])
            _refuse_if_different(name, copies, chosen, readings)
            one = readings[chosen]
            sheets.values[name] = one.values.get(name, {})
            sheets.styles[name] = one.styles.get(name, {})
            sheets.strays += one.strays
        else:
            read(name, chosen[1], sheets)
        if chosen[0] != name:
            sheets.renamed[name] = chosen[0]


def _refuse_if_different(name: str, copies, chosen, readings: dict):
    first = readings[copies[0]].values.get(name, {})
    for copy in copies[1:]:
        other = readings[copy].values.get(name, {})
        differing = sorted(
            (
                ref
                for ref in first.keys() | other.keys()
                if first.get(ref, "") != other.get(ref, "")
            ),
            key=lambda ref: (len(ref), ref),
        )
        if differing:
            ref = differing[0]
            listing = "、".join(
                f"「{c[0]}」" + ("（隐藏）" if c[2] != "visible" else "") for c in copies
            )
            raise InputError(
                f"工作簿中有 {len(copies)} 张「{name}」表：{listing}，内容不同"
                f"（如 {ref}：「{copies[0][0]}」中为 {_shown(first.get(ref, ''))}，"
                f"「{copy[0]}」中为 {_shown(other.get(ref, ''))}）。giagen 不替您选择；"
                f"不改动时会读「{chosen[0]}」。请删除不用的那张表（或把数字填到同一张表中）后重新保存"
            )


def _shown(value) -> str:
    return (
        "空白" if value in ("", None) else f"“{value}”" if isinstance(value, str) else repr(value)
    )
