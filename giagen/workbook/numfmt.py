"""What a cell's number format makes of a number: a date, a time, a percentage or a fraction."""

from __future__ import annotations

import datetime as dt
import functools
import re
from fractions import Fraction

from ..core.numbers import Displayed

# Excel's built-in formats (ECMA-376 §18.8.30, with the ids a Chinese Excel or WPS uses for
# its own date and time formats). The rest are numbers or text.
_BUILTIN = {9: "百分比", 10: "百分比", 12: "分数", 13: "分数", 22: "日期"}
_BUILTIN.update({i: "日期" for i in (14, 15, 16, 17, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54)})
_BUILTIN.update({i: "日期" for i in (57, 58)})
_BUILTIN.update({i: "时间" for i in (18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56)})
_NO_YEAR = {16, 28, 29, 58}  # d-mmm, m"月"d"日": a date shown without its year

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')  # literal text, escaped characters, padding
_BRACKETS = re.compile(r"\[(?!h+\]|m+\]|s+\])[^\]]*\]", re.I)  # [Red], [$-804]; not [h]
_FRACTION = re.compile(r"[#0?]\s*/\s*[#0?1-9]")


@functools.lru_cache(maxsize=256)
def kind_of_format(code: str) -> str | None:
    """日期, 时间, 百分比 or 分数 for a format code that shows a number as such; None otherwise."""
    plain = _BRACKETS.sub("", _QUOTED.sub("", code.split(";")[0])).lower()
    if "%" in plain:
        return "百分比"
    if _FRACTION.search(plain):
        return "分数"
    plain = plain.replace("general", "")
    if re.search(r"[yd]|e(?![+-])", plain) or "b1" in plain or "b2" in plain:
        return "日期"
    if re.search(r"[hs]|\[m+\]", plain) or "am/pm" in plain or "上午/下午" in code:
        return "时间"
    return None


def special_styles(
    xf_formats: tuple[int, ...], codes: dict[int, str]
) -> dict[str, tuple[str, bool]]:
    """The cell styles (`s` indices, as text) whose number format is a date, time, percentage or
    fraction: which it is, and for a date whether its year shows. `xf_formats` is each style's
    numFmtId, `codes` the workbook's own formats."""
    special = {}
    for index, format_id in enumerate(xf_formats):
        if format_id in codes:
            kind = kind_of_format(codes[format_id])
            with_year = "y" in _QUOTED.sub("", codes[format_id]).lower()
        else:
            kind, with_year = _BUILTIN.get(format_id), format_id not in _NO_YEAR
        if kind:
            special[str(index)] = (kind, with_year)
    return special


def displayed(
    value: int | float, kind: str, with_year: bool = True, date1904: bool = False
) -> Displayed:
    """The number as the cell shows it, in Chinese: “1月2日”, “09:30”, “45%”, “3/4”."""
    if kind == "日期":
        base = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)
        try:
            day = base + dt.timedelta(days=value)
        except (OverflowError, ValueError):
            return Displayed(value, kind, str(value))
        text = f"{day.month}月{day.day}日"
        return Displayed(value, kind, f"{day.year}年{text}" if with_year else text)
    if kind == "时间":
        minutes = round((value % 1) * 24 * 60)
        return Displayed(value, kind, f"{minutes // 60:02d}:{minutes % 60:02d}")
    if kind == "百分比":
        return Displayed(value, kind, f"{value * 100:g}%")
    whole, part = divmod(Fraction(value).limit_denominator(99), 1)
    text = f"{part.numerator}/{part.denominator}" if part else ""
    return Displayed(value, kind, f"{whole} {text}".strip() if whole else text or "0")
