"""Units whose prose is copied from one another: MinHash signatures, banded, so 3,000 units stay fast."""

from __future__ import annotations

import hashlib
import re
from itertools import combinations

from . import definitions as d
from .findings import WARNING, Finding

SECTIONS = (("一", "overview"), ("五", "problems"))

SHINGLE = 5  # characters
HASHES, BANDS = 64, 16  # 16 bands of 4: pairs from about 0.6 Jaccard up are compared
COPIED_AT = 0.9  # Dice similarity of shingles, as rules.similar gives it for long texts
MIN_CHARS = 60  # shorter texts (无。, a line) say too little to be called copied
_MASK = (1 << 61) - 1
_SEEDS = [int(hashlib.sha256(str(i).encode()).hexdigest()[:15], 16) | 1 for i in range(HASHES)]


def comparable(text: str, agency: str = "") -> str:
    """The words only: agency names, years, digits and spaces taken out."""
    if agency:
        text = text.replace(agency, "")
    return re.sub(r"\s+|\d+|年度?", "", text)


def signature(text: str) -> list[int] | None:
    """A MinHash signature of the text's shingles; None for a text too short to judge."""
    if len(text) < MIN_CHARS:
        return None
    found = [int.from_bytes(hashlib.blake2b(text[i:i + SHINGLE].encode(), digest_size=8).digest(), "big")
             for i in range(len(text) - SHINGLE + 1)]
    return [min((h * seed) & _MASK for h in found) for seed in _SEEDS]


def copied_pairs(items: dict[str, list[int] | None]) -> list[tuple[str, str, float]]:
    """(a, b, similarity) for every pair whose signatures say ≥ COPIED_AT, found through bands."""
    rows = HASHES // BANDS
    buckets: dict[tuple, list[str]] = {}
    for key, sig in items.items():
        if sig:
            for band in range(BANDS):
                buckets.setdefault((band, *sig[band * rows:(band + 1) * rows]), []).append(key)
    candidates = {tuple(sorted(pair)) for keys in buckets.values() if 1 < len(keys) < 500
                  for pair in combinations(keys, 2)}
    pairs = []
    for a, b in sorted(candidates):
        jaccard = sum(x == y for x, y in zip(items[a], items[b])) / HASHES
        dice = 2 * jaccard / (1 + jaccard)
        if dice >= COPIED_AT:
            pairs.append((a, b, round(dice, 3)))
    return pairs


def signatures(report) -> dict[str, list[int] | None]:
    """The signatures of a report's 一 and 五, agency names, years and digits taken out."""
    return {section: signature(comparable(getattr(report, field) or "", report.agency))
            for section, field in SECTIONS}


def cross_copies(entries: list[tuple[str, str, dict]]) -> dict[str, list[Finding]]:
    """PROSE-COPIED on both units of every pair whose 一 or 五 are alike; entries are (key, agency, signatures)."""
    agency = {key: name for key, name, _ in entries}
    found: dict[str, list[Finding]] = {}
    for section, _ in SECTIONS:
        items = {key: (sigs or {}).get(section) for key, _, sigs in entries}
        for a, b, alike in copied_pairs(items):
            if agency[a] == agency[b]:
                continue  # one unit's two files: superseded, not copied
            for this, other in ((a, b), (b, a)):
                found.setdefault(this, []).append(Finding(
                    "PROSE-COPIED", WARNING, section, None, None, f"< {COPIED_AT:.0%}", alike,
                    f"{d.SECTION_TITLES[section]}与“{agency[other]}”的报告相似度 {alike:.0%}"
                    "（已去除数字、年份和单位名称），内容雷同"))
    return found
