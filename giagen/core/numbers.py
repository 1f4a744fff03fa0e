"""Reading numbers as people write them: `４`, `12件`, `1,234`, `20 万元`, `174360元`.

Three ways of reading, by who wrote the value:
- TYPED: a clerk typed it into a workbook cell — strict: a count is a whole number, `无` or
  `—` in a count is refused with what to type instead, a bare 万元 amount of 10,000 or more
  asks whether 元 was meant;
- DATA: the JSON form — as strict, but `null` means "does not apply" and amounts are taken
  as given;
- PRINTED: a published report — as printed: `—`, `/`, `无` are "does not apply".
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal

from .definitions import AMOUNT, SIGNED, YUAN
from .exceptions import BadValue


class CellError(str):
    """An Excel error value as the cell shows it: `#DIV/0!`, `#REF!`, `#N/A`."""


class NoValue:
    """A formula that Excel never computed: the file holds the formula but no result."""

    def __repr__(self):
        return "（公式，无计算结果）"

    def __str__(self):
        return ""


NO_VALUE = NoValue()


class Displayed:
    """A number the cell's format shows as something else: Excel turned `1-2` into a date, 45
    into 45%. What the clerk sees is not the number stored, so it is never read as a count."""

    __slots__ = ("value", "what", "text")

    def __init__(self, value, what: str, text: str):
        self.value, self.what, self.text = value, what, text  # what: 日期, 时间, 百分比, 分数

    def __repr__(self):
        return f"“{self.text}”"

    def __eq__(self, other):
        return isinstance(other, Displayed) and (self.value, self.what) == (other.value, other.what)

    def __hash__(self):
        return hash((self.value, self.what))


TYPED, DATA, PRINTED = "typed", "data", "printed"

# Marks published for "does not apply".
NOT_APPLICABLE = {"—", "——", "-", "--", "/", "－", "－－", "／", "\\", "─", "无", "N/A", "n/a"}
_UNITS = ("件", "个", "项", "条", "次", "份", "宗", "人", "家")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
MAX_COUNT = 9_999_999
MAX_AMOUNT = Decimal(10) ** 12
# A bare number in a 万元 cell from which the clerk more likely meant 元 (≥ 1 亿元).
WAN_DOUBT = 10_000


def _clean(text: str) -> str:
    # Superscripts, subscripts, fractions and circled digits look like digits but are not:
    # NFKC would turn `²` into 2 and `½` into 1⁄2.
    odd = next((c for c in text if unicodedata.category(c) == "No"), None)
    if odd:
        raise BadValue(f"含有“{odd}”（上标、下标、分数或带圈数字），请只填阿拉伯数字")
    # NFKC folds full-width digits, signs, commas and the ideographic space.
    text = unicodedata.normalize("NFKC", text)
    if re.search(r"\d[\s\u00a0]+\d", text):  # `4 5` is two numbers, not 45
        raise BadValue("应为一个数字，中间不能有空格")
    text = _SPACES.sub("", text)
    if "," in text:
        if not _GROUPED.fullmatch(re.sub(r"[^\d,.+-]+$", "", text)):
            raise BadValue("千位分隔符只能每三位一个（如 1,234），请去掉逗号")
        text = text.replace(",", "")
    return text


def _special(value):
    """What Excel puts in a cell that is no value: an error such as #DIV/0!, a formula never computed."""
    if isinstance(value, CellError):
        raise BadValue(f"单元格显示错误值 {value}，请直接填写数字（没有发生的填 0）")
    if value is NO_VALUE:
        raise BadValue("单元格是公式但没有计算结果，请直接填写数字（没有发生的填 0）")
    if isinstance(value, Displayed):
        if value.what in ("日期", "时间"):
            raise BadValue(
                f"Excel 把输入变成了{value.what}“{value.text}”，"
                "请把单元格格式改为“常规”后重新输入数字"
            )
        raise BadValue(
            f"单元格格式为{value.what}，显示为 {value.text}（实际存的是 {_plain(value.value)}），"
            "请把单元格格式改为“常规”后重新输入数字"
        )


def shown(raw) -> str:
    """A value as the clerk sees it in the cell (or a JSON file holds it), for messages."""
    if isinstance(raw, float) and math.isfinite(raw) and raw == int(raw) and abs(raw) < 1e15:
        return str(int(raw))
    text = repr(raw) if not isinstance(raw, str) else f"“{raw}”"
    return text if len(text) <= 40 else text[:37] + "…"


def _plain(number) -> str:
    return str(int(number)) if float(number).is_integer() else f"{number:g}"


def parse_value(value, kind: str, mode: str = DATA):
    """The number a cell or JSON value holds: int, Decimal, or None for "does not apply".

    Blank text is 0. Raises BadValue with a Chinese reason, saying what to write instead,
    for anything that is not a number of `kind` read in `mode`; never guesses.
    """
    # Negative numbers are read as written: the VALUE-NEGATIVE rule reports them.
    if type(value) is int and kind not in (AMOUNT, YUAN) and -MAX_COUNT <= value <= MAX_COUNT:
        return value  # the common case, a count typed as a number, without the checks below
    if kind in (AMOUNT, YUAN):
        return parse_amount(value, kind, mode)
    return parse_count(value, mode)


def parse_count(value, mode: str = DATA) -> int | None:
    """A whole count (or 2019's signed 本年增/减)."""
    if value is None:  # JSON null: does not apply
        return None
    if type(value) is str and value.isascii() and value.isdigit():
        return _in_range(int(value))  # the common case, figures as printed, without the checks
    _special(value)
    if isinstance(value, bool):
        raise BadValue("应为整数")
    if isinstance(value, (float, Decimal)):
        if not math.isfinite(value):
            raise BadValue("应为整数")
        if value != int(value):
            raise BadValue("应为整数，不能有小数")
        value = int(value)
    if isinstance(value, int):
        return _in_range(value)
    if not isinstance(value, str):
        raise BadValue("应为整数")
    text = _clean(value)
    if text == "":
        return 0
    if text in NOT_APPLICABLE or value.strip() in NOT_APPLICABLE:
        if mode == PRINTED:
            return None
        raise BadValue(f"“{value.strip()}”不是件数，没有发生的请填 0")
    for unit in _UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if mode == PRINTED:  # 2019's 本年增/减 as some tables word it: `增加3`, `减少2`
        text = re.sub(r"^(?:增加|新增|增)(?=\d)", "+", text)
        text = re.sub(r"^(?:减少|减)(?=\d)", "-", text)
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return _in_range(int(Decimal(text)))
    if re.fullmatch(r"[+-]?\d*\.\d+", text):
        raise BadValue("应为整数，不能有小数")
    if re.fullmatch(r"[+-]?\d+(\.\d+)?[eE][+-]?\d+", text):
        raise BadValue("应为整数，不能用科学计数法，请直接填写件数")
    raise BadValue("应为整数（阿拉伯数字），没有发生的请填 0")


def _in_range(value: int) -> int:
    if abs(value) > MAX_COUNT:
        raise BadValue(f"数字过大，件数应为 0 至 {MAX_COUNT:,} 的整数，请核对")
    return value


def parse_amount(value, kind: str = AMOUNT, mode: str = DATA) -> Decimal | None:
    """An amount: in 万元 for AMOUNT (`元` text converted), in 元 for YUAN (`万元` text converted)."""
    if value is None:
        return None
    _special(value)
    if isinstance(value, bool):
        raise BadValue("应为数字")
    unit = None
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and not math.isfinite(value):
            raise BadValue("应为数字（金额）")
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise BadValue("应为数字（金额）")
    elif isinstance(value, str):
        text = _clean(value)
        if text == "":
            return Decimal(0)
        if text in NOT_APPLICABLE or value.strip() in NOT_APPLICABLE:
            if mode == PRINTED or text in NOT_APPLICABLE - {"无"}:
                return None  # an agency without such fees: `—`, as the published tables print it
            raise BadValue(f"“{value.strip()}”不是金额，没有的请填 0")
        for suffix in ("万元", "元"):
            if text.endswith(suffix):
                text, unit = text[: -len(suffix)], suffix
                break
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise BadValue("应为数字（金额），不能有文字或科学计数法")
        number = Decimal(text)
    else:
        raise BadValue("应为数字（金额）")
    if abs(number) >= MAX_AMOUNT:
        raise BadValue("金额过大，请核对")
    if kind == AMOUNT:
        if unit == "元":
            return canonical(number / 10000)
        if unit is None and mode == TYPED and number >= WAN_DOUBT:
            raise BadValue(
                f"本栏单位是万元，{format(canonical(number), 'f')} 万元即 "
                f"{format(canonical(number / 10000), 'f')} 亿元，是否按元填写了？"
                f"按元填写请写“{format(canonical(number), 'f')}元”，确为万元请写“{format(canonical(number), 'f')}万元”"
            )
        return canonical(number)
    return canonical(number * 10000 if unit == "万元" else number)


def canonical(amount: Decimal) -> Decimal:
    """The shortest plain form of an amount (20, not 20.00 or 2E+1)."""
    normal = amount.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def format_value(value, kind: str = "count") -> str:
    """A number as it is published: `—` for does-not-apply, a sign on 本年增/减."""
    if value is None:
        return "—"
    if kind == SIGNED and value > 0:
        return f"+{value}"
    if kind in (AMOUNT, YUAN):
        return format(canonical(Decimal(value)), "f")
    return str(value)
