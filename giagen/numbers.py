"""Reading numbers as people write them: `４`, `12件`, `1,234`, `20 万元`, `—`."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from .definitions import AMOUNT, COUNT, SIGNED

# Marks published for "does not apply".
NOT_APPLICABLE = {"—", "——", "-", "--", "/", "－", "－－", "／", "\\", "─", "无", "N/A", "n/a"}
_UNITS = ("件", "个", "项", "条", "次", "份", "宗", "人", "家")
_SPACES = re.compile(r"[\s\u3000\u00a0]+")


class BadValue(ValueError):
    """A value that is not a number of the expected kind; its text is the Chinese reason."""


def _clean(text: str) -> str:
    # NFKC folds full-width digits, signs, commas and the ideographic space.
    text = unicodedata.normalize("NFKC", text)
    if re.search(r"\d[\s\u00a0]+\d", text):  # `4 5` is two numbers, not 45
        raise BadValue("应为一个数字，中间不能有空格")
    return _SPACES.sub("", text).replace(",", "")


def parse_value(value, kind: str):
    """The number a cell or JSON value holds: int, Decimal, or None for "does not apply".

    None (JSON null) does not apply; blank text is 0. Raises BadValue with a Chinese reason for anything else that is not a
    number of `kind`; never guesses.
    """
    # Negative numbers are read as written: the VALUE-NEGATIVE rule reports them.
    return parse_amount(value) if kind == AMOUNT else parse_count(value)


def parse_count(value) -> int | None:
    if value is None:  # JSON null: does not apply
        return None
    if isinstance(value, bool):
        raise BadValue("应为整数")
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)):
        if value != int(value):
            raise BadValue("应为整数，不能有小数")
        return int(value)
    if not isinstance(value, str):
        raise BadValue("应为整数")
    text = _clean(value)
    if text == "":
        return 0
    if text in NOT_APPLICABLE or value.strip() in NOT_APPLICABLE:
        return None
    for unit in _UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    if not re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        raise BadValue("应为整数")
    return int(Decimal(text))


def parse_amount(value) -> Decimal | None:
    """An amount in 万元; `元` amounts are converted."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadValue("应为数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return canonical(Decimal(repr(value)))
    if isinstance(value, Decimal):
        return canonical(value)
    if not isinstance(value, str):
        raise BadValue("应为数字")
    text = _clean(value)
    if text == "":
        return Decimal(0)
    if text in NOT_APPLICABLE or value.strip() in NOT_APPLICABLE:
        return None
    divisor = 1
    if text.endswith("万元"):
        text = text[:-2]
    elif text.endswith("元"):
        text, divisor = text[:-1], 10000
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise BadValue("应为数字（金额）")
    try:
        return canonical(Decimal(text) / divisor)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above rules it out
        raise BadValue("应为数字（金额）") from exc


def canonical(amount: Decimal) -> Decimal:
    """The shortest plain form of an amount (20, not 20.00 or 2E+1)."""
    normal = amount.normalize()
    return normal.quantize(Decimal(1)) if normal.as_tuple().exponent > 0 else normal


def format_value(value, kind: str = COUNT) -> str:
    """A number as it is published: `—` for does-not-apply, a sign on 本年增/减."""
    if value is None:
        return "—"
    if kind == SIGNED and value > 0:
        return f"+{value}"
    if kind == AMOUNT:
        return format(canonical(Decimal(value)), "f")
    return str(value)
