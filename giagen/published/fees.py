"""The 信息处理费 of a published 六: the sentence giagen writes, or the agency's own words."""

from __future__ import annotations

import re

_FEE_NONE = "本年度未发出信息处理费收费通知，未收取信息处理费。"
_FEE = re.compile(
    r"本年度共发出信息处理费收费通知(\d+)件，通知金额([\d.]+)元，实际收取信息处理费([\d.]+)元。"
)


_AMOUNT = r"([\d,]+(?:\.\d+)?)\s*(万?元)"
_FEE_PROSE = {
    "notices": re.compile(
        r"(?:发出|开具|送达)[^。；]{0,12}?收费通知(?:书)?[^。；\d]{0,4}(\d+)\s*(?:件|份|次)"
    ),
    "notice_amount_yuan": re.compile(
        r"通知(?:书)?(?:的)?(?:金额|收费金额|应收)[^。；\d]{0,6}" + _AMOUNT
    ),
    "collected_yuan": re.compile(
        r"(?:实际)?(?:收取|收缴|收到)[^。；\d]{0,6}信息处理费(?:共计|合计|共|计)?[^。；\d]{0,4}"
        + _AMOUNT
    ),
}
_FEE_NOTHING = re.compile(
    r"(?:未|没有|无)(?:收取|收)[^。；]{0,6}信息处理费|信息处理费[^。；]{0,4}(?:为)?0\s*元"
)


def fee_in_prose(other: str) -> dict | None:
    """The 信息处理费 figures an agency states in its own words in 六, when its table has none:
    `发出收费通知 2 件`, `通知金额 5000 元`, `收取信息处理费 3940 元`, `未收取信息处理费`."""
    found = {}
    for key, pattern in _FEE_PROSE.items():
        match = pattern.search(other)
        if match:
            found[key] = (
                int(match.group(1))
                if key == "notices"
                else match.group(1).replace(",", "") + match.group(2)
            )
    if found:
        return {"notices": None, "notice_amount_yuan": None, "collected_yuan": None, **found}
    if _FEE_NOTHING.search(other):
        return {"notices": 0, "notice_amount_yuan": "0", "collected_yuan": "0"}
    return None


def fee_sentence_of(other: str) -> tuple[str, dict | None]:
    """六 without the 信息处理费 sentence giagen writes, and its figures."""
    if other.startswith(_FEE_NONE):
        return other[len(_FEE_NONE) :].strip(), {
            "notices": 0,
            "notice_amount_yuan": "0",
            "collected_yuan": "0",
        }
    match = _FEE.match(other)
    if match:
        fee = dict(zip(("notices", "notice_amount_yuan", "collected_yuan"), match.groups()))
        return other[match.end() :].strip(), {**fee, "notices": int(fee["notices"])}
    return other, None
