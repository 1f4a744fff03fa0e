"""Units whose prose is copied from one another: MinHash sketches, compared only where a copy can be."""

from __future__ import annotations

import functools
import hashlib
import re
import struct
import unicodedata
from bisect import bisect_right
from collections import Counter
from itertools import chain

from ..core import definitions as d
from ..core.findings import WARNING, Finding
from ..core.identity import region_stripped
from ..core.nfkc import nfkc

SECTIONS = (("一", "overview"), ("五", "problems"))

SHINGLE = 5  # characters
SKETCH = 64  # the smallest shingle hashes kept of each text (a bottom-k MinHash sketch)
SHARED = 8  # sketch values two texts must share before they are compared at all
COPIED_AT = 0.9  # Dice similarity of shingles, as yearly.similar gives it for long texts
MIN_CHARS = 60  # shorter texts (无。, a line) say too little to be called copied
COMMON = 500  # a value in more sketches than this is boilerplate, not evidence
# Early values two sketches that may be copies must share before theirs are compared in full:
# a copy shares its rarest values with its source; two units of one field share one or two.
EARLY = 4


# How a unit speaks of itself: what a copy adapted in a minute changes first (我局 → 本局).
_SELF = re.compile(
    r"[我本](?:单位|中心|街道|委员会|机关|部门|局|委|办|院|厅|部|镇|乡|区|县|市|处|所|站|馆|队|会|署)"
)


@functools.lru_cache(maxsize=16)  # an audit compares each page's prose as this year's and as last
def comparable(text: str, agency: str = "") -> str:
    """The words only, as a copy that was adapted would still share them: the agency's names
    (full, and without its region), how it speaks of itself (我局/本单位/我镇…), digits and
    years, punctuation of either width and spaces taken out."""
    text = nfkc(text)
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

    One hash per shingle and a sort: about half a millisecond for a page's prose. The hashes
    are sorted as their bytes (big-endian: as their numbers), and a text of Chinese characters
    alone (three bytes each in UTF-8) has its shingles' bytes sliced from the whole.
    """
    if len(text) < MIN_CHARS:
        return None
    end, hashed = len(text) - SHINGLE + 1, hashlib.blake2b
    if "\u0800" <= min(text) and max(text) <= "\uffff":
        whole, width = text.encode(), 3 * SHINGLE
        digests = {
            hashed(whole[i : i + width], digest_size=8).digest() for i in range(0, 3 * end, 3)
        }
    else:
        digests = {
            hashed(text[i : i + SHINGLE].encode(), digest_size=8).digest() for i in range(end)
        }
    return [int.from_bytes(h, "big") for h in sorted(digests)[:SKETCH]]


def packed(sketch: list[int] | None) -> str | None:
    """A sketch as text (hex, eight bytes a value): small to keep between the audit's phases."""
    return struct.pack(f">{len(sketch)}Q", *sketch).hex() if sketch else None


def unpacked(text: str | None) -> list[int] | None:
    """The sketch a `packed` text holds; ValueError when it holds none."""
    if not text:
        return None
    data = bytes.fromhex(text)
    if not 0 < len(data) <= 8 * SKETCH or len(data) % 8:
        raise ValueError("not a sketch")
    return list(struct.unpack(f">{len(data) // 8}Q", data))


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
    sharing at least r of them share the first EARLY of those among the first len - r + EARLY of
    each. A province's units share their boilerplate: counting every pair that shares a value
    would grow with their square, and so would comparing every pair that shares one early value.
    """
    counts = Counter(chain.from_iterable(filter(None, items.values())))
    keys = sorted(k for k, sketch in items.items() if sketch)  # a key's number: its place here
    telling: list[set[int]] = []  # each sketch's telling values
    least: list[int] = []  # how many of them a copy shares
    early: list[list[int]] = []  # those a copy shares EARLY of (none when too few to share enough)
    index: dict[int, list[int]] = {}  # a value: the sketches that hold it early (their numbers)
    for n, key in enumerate(keys):
        sketch = items[key]
        values = sorted(h for h in sketch if 1 < counts[h] <= COMMON)
        values.sort(key=counts.__getitem__)  # rarest first, then by value (the sort is stable)
        common = sum(counts[h] > COMMON for h in sketch)
        least.append(max(SHARED, int(_LEAST_SHARED * len(sketch)) - common))
        telling.append(set(values))
        early.append(values[: len(values) - least[n] + EARLY] if len(values) >= least[n] else [])
        for h in early[n]:
            index.setdefault(h, []).append(n)
    pairs = []
    for a, values in enumerate(early):
        these, needed = telling[a], least[a]
        # each list is in the sketches' order: those after `a` are its tail, counted in C
        met = Counter(chain.from_iterable(index[h][bisect_right(index[h], a) :] for h in values))
        for b in sorted(b for b, n in met.items() if n >= EARLY):
            if len(these & telling[b]) >= max(needed, least[b]):
                alike = _similarity(items[keys[a]], items[keys[b]])
                if alike >= COPIED_AT:
                    pairs.append((keys[a], keys[b], round(alike, 3)))
    return pairs


def signatures(report) -> dict[str, list[int] | None]:
    """The signatures of a report's 一 and 五, agency names, years and digits taken out."""
    return {
        section: signature(comparable(getattr(report, field) or "", report.agency))
        for section, field in SECTIONS
    }


def cross_copies(entries: list[tuple[str, str, dict]], unpack=None) -> dict[str, list[Finding]]:
    """PROSE-COPIED on both units of every pair whose 一 or 五 are alike; entries are (key,
    agency, signatures), each signature `unpack`ed first when given (one section at a time:
    a province's sketches as numbers would take a hundred megabytes)."""
    agency = {key: name for key, name, _ in entries}
    found: dict[str, list[Finding]] = {}
    for section, _ in SECTIONS:
        items = {key: (sigs or {}).get(section) for key, _, sigs in entries}
        if unpack is not None:
            items = {key: unpack(sig) for key, sig in items.items()}
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
