"""Units whose prose is copied from one another: MinHash signatures, banded, so 3,000 units stay fast."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from itertools import combinations

from ..core import definitions as d
from ..core.findings import WARNING, Finding
from ..core.identity import region_stripped

SECTIONS = (("一", "overview"), ("五", "problems"))

SHINGLE = 5  # characters
SKETCH = 64  # the smallest shingle hashes kept of each text (a bottom-k MinHash sketch)
SHARED = 8  # sketch values two texts must share before they are compared at all
COPIED_AT = 0.9  # Dice similarity of shingles, as yearly.similar gives it for long texts
MIN_CHARS = 60  # shorter texts (无。, a line) say too little to be called copied
COMMON = 500  # a value in more sketches than this is boilerplate, not evidence


# How a unit speaks of itself: what a copy adapted in a minute changes first (我局 → 本局).
_SELF = re.compile(
    r"[我本](?:单位|中心|街道|委员会|机关|部门|局|委|办|院|厅|部|镇|乡|区|县|市|处|所|站|馆|队|会|署)"
)


def comparable(text: str, agency: str = "") -> str:
    """The words only, as a copy that was adapted would still share them: the agency's names
    (full, and without its region), how it speaks of itself (我局/本单位/我镇…), digits and
    years, punctuation of either width and spaces taken out."""
    text = unicodedata.normalize("NFKC", text)
    for name in agency_names(agency):
        text = text.replace(name, "")
    text = _SELF.sub("", text)
    return re.sub(r"[\W_\d]+|年度?", "", text)


def agency_names(agency: str) -> list[str]:
    """An agency's name as its own text may write it: in full, and without its region
    (`某某县统计局` → `统计局`), longest first."""
    agency = unicodedata.normalize("NFKC", agency or "").strip()
    if not agency:
        return []
    short = region_stripped(agency)
    return [agency] + ([short] if short != agency and len(short) >= 2 else [])


def signature(text: str) -> list[int] | None:
    """The SKETCH smallest hashes of the text's shingles; None for a text too short to judge.

    One hash per shingle and a sort: about 0.3 ms for a page of prose.
    """
    if len(text) < MIN_CHARS:
        return None
    hashes = {
        int.from_bytes(
            hashlib.blake2b(text[i : i + SHINGLE].encode(), digest_size=8).digest(), "big"
        )
        for i in range(len(text) - SHINGLE + 1)
    }
    return sorted(hashes)[:SKETCH]


def _similarity(a: list[int], b: list[int]) -> float:
    """Dice similarity estimated from two bottom-k sketches."""
    union = sorted(set(a) | set(b))[:SKETCH]
    both = set(a) & set(b)
    jaccard = sum(h in both for h in union) / len(union)
    return 2 * jaccard / (1 + jaccard)


# The least share of their sketches' values two texts that read as copied hold in common: a
# Dice of COPIED_AT is a Jaccard of COPIED_AT / (2 - COPIED_AT), estimated over at least as many
# values as either sketch holds (taken a little low: a pair is never missed by rounding).
_LEAST_SHARED = COPIED_AT / (2 - COPIED_AT) - 1e-9


def copied_pairs(items: dict[str, list[int] | None]) -> list[tuple[str, str, float]]:
    """(a, b, similarity) for every pair whose sketches say ≥ COPIED_AT and that share at least
    SHARED values found in at most COMMON sketches (a value in more is boilerplate, not evidence).

    Only pairs that can reach COPIED_AT are compared, found by prefix filtering: with each
    sketch's telling values (those in at most COMMON sketches) ordered rarest first, two sketches
    sharing at least r of them share one among the first len - r + 1 of each. A province's units
    share their boilerplate: counting every pair that shares a value would grow with their square.
    """
    sketches = {key: sketch for key, sketch in items.items() if sketch}
    counts: dict[int, int] = {}
    for sketch in sketches.values():
        for h in sketch:
            counts[h] = counts.get(h, 0) + 1
    telling: dict[str, set[int]] = {}
    index: dict[int, list[str]] = {}
    for key, sketch in sketches.items():
        values = sorted(
            (h for h in sketch if 1 < counts[h] <= COMMON), key=lambda h: (counts[h], h)
        )
        common = sum(counts[h] > COMMON for h in sketch)
        least = max(SHARED, int(_LEAST_SHARED * len(sketch)) - common)
        if len(values) < least:
            continue
        telling[key] = set(values)
        for h in values[: len(values) - least + 1]:
            index.setdefault(h, []).append(key)
    candidates = {pair for keys in index.values() for pair in combinations(sorted(keys), 2)}
    pairs = []
    for a, b in sorted(candidates):
        if len(telling[a] & telling[b]) >= SHARED:
            alike = _similarity(items[a], items[b])
            if alike >= COPIED_AT:
                pairs.append((a, b, round(alike, 3)))
    return pairs


def signatures(report) -> dict[str, list[int] | None]:
    """The signatures of a report's 一 and 五, agency names, years and digits taken out."""
    return {
        section: signature(comparable(getattr(report, field) or "", report.agency))
        for section, field in SECTIONS
    }


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
                found.setdefault(this, []).append(
                    Finding(
                        "PROSE-COPIED",
                        WARNING,
                        section,
                        None,
                        None,
                        f"< {COPIED_AT:.0%}",
                        alike,
                        f"{d.SECTION_TITLES[section]}与“{agency[other]}”的报告相似度 {alike:.0%}"
                        "（已去除数字、年份和单位名称），内容雷同",
                    )
                )
    return found
