"""Copied prose seen as a person sees it: through the edits a copy is adapted with, not through
shared boilerplate."""

from __future__ import annotations

import random

import pytest

from giagen.checks.similarity import cross_copies, signatures
from giagen.core.synthetic import synthetic_report

WORDS = (
    "坚持以公开为常态不公开为例外",
    "围绕中心工作",
    "持续深化政务公开",
    "认真落实条例要求",
    "加强组织领导",
    "完善工作机制",
    "拓宽公开渠道",
    "规范依申请公开办理",
    "强化政策解读",
    "回应社会关切",
    "推进基层政务公开标准化规范化",
    "提升政府网站建设水平",
    "加强政务新媒体管理",
    "做好重点领域信息公开",
    "健全信息发布审核制度",
    "开展业务培训",
    "落实考核评议",
    "及时更新公开目录",
    "优化政府信息公开专栏",
    "畅通依申请公开渠道",
)
REGULATION = (
    "根据《中华人民共和国政府信息公开条例》第五十条规定，行政机关应当在每年1月31日前"
    "向本级政府信息公开工作主管部门提交本行政机关上一年度政府信息公开工作年度报告并向社会公布。"
)


def prose(rng: random.Random, self_name: str, agency: str, year: int, n: int = 16) -> str:
    """An 一 of the usual kind: numbered parts, the agency's name, how it speaks of itself."""
    parts = []
    for i in range(n):
        phrase = "，".join(rng.sample(WORDS, 3))
        parts.append(
            f"（{i % 5 + 1}）{year}年，{self_name}{phrase}；{agency}全年共开展{rng.randint(2, 30)}次。"
        )
    return "".join(parts)


def unit(agency: str, overview: str, year: int = 2025):
    report = synthetic_report(random.Random(agency), year=year, agency=agency)
    return report.replace(overview=overview)


def adapted(text: str, edit: str, agency: str, other: str) -> str:
    """The copy as another unit adapts it, with one kind of edit."""
    short, other_short = agency.removeprefix("某某县"), other.removeprefix("某某县")
    if edit == "self-reference":
        return text.replace("我局", "本单位")
    if edit == "agency-names":
        return text.replace(agency, other)
    if edit == "short-name":
        return text.replace(agency, other_short).replace(short, other_short)
    if edit == "punctuation-width":
        return text.translate(str.maketrans("，；（）。", ",;().")).replace("，", ", ")
    if edit == "year":
        return text.replace("2025年", "2025年度")
    if edit == "all":
        for step in ("self-reference", "agency-names", "punctuation-width", "year"):
            text = adapted(text, step, agency, other)
        return text
    raise ValueError(edit)


EDITS = ["self-reference", "agency-names", "short-name", "punctuation-width", "year", "all"]


def flagged(a, b) -> bool:
    found = cross_copies([("a", a.agency, signatures(a)), ("b", b.agency, signatures(b))])
    return any(f.rule == "PROSE-COPIED" for f in found.get("a", []))


@pytest.mark.parametrize("edit", EDITS)
@pytest.mark.parametrize("seed", range(3))
def test_a_copy_adapted_with_small_edits_is_still_a_copy(edit, seed):
    rng = random.Random(seed)
    agency, other = "某某县统计局", "某某县审计局"
    text = prose(rng, "我局", agency, 2025)
    copy = adapted(text, edit, agency, other)
    if edit != "short-name":  # a copy names its own unit: the edit comes on top of that
        copy = copy.replace(agency, other)
    assert flagged(unit(agency, text), unit(other, copy))


@pytest.mark.parametrize("seed", range(3))
def test_units_that_share_only_boilerplate_are_no_copies(seed):
    rng = random.Random(100 + seed)
    a = unit("某某县统计局", REGULATION + prose(rng, "我局", "某某县统计局", 2025, n=8))
    b = unit("某某县审计局", REGULATION + prose(rng, "我局", "某某县审计局", 2025, n=8))
    assert not flagged(a, b)


def _pairs_counted_for_every_shared_value(items, common, shared):
    """How copied pairs were found before prefix filtering: every pair sharing a telling value
    counted, and those sharing `shared` or more compared (the reference for the quick way)."""
    from itertools import combinations

    from giagen.checks.similarity import COPIED_AT, _similarity

    index = {}
    for key, sketch in items.items():
        for h in sketch or ():
            index.setdefault(h, []).append(key)
    counted = {}
    for keys in index.values():
        if 1 < len(keys) <= common:
            for pair in combinations(sorted(keys), 2):
                counted[pair] = counted.get(pair, 0) + 1
    pairs = []
    for (a, b), n in sorted(counted.items()):
        if n >= shared:
            alike = _similarity(items[a], items[b])
            if alike >= COPIED_AT:
                pairs.append((a, b, round(alike, 3)))
    return pairs


@pytest.mark.parametrize("common", [500, 12, 4])
@pytest.mark.parametrize("seed", range(4))
def test_prefix_filtering_finds_the_pairs_that_counting_every_shared_value_finds(
    monkeypatch, seed, common
):
    """Units that write from one stock of sentences (a province's boilerplate), some of them
    copies of another adapted with a few edits, a few texts too short to judge; and a stock so
    shared that its values pass COMMON: the same pairs, the same figures, in the same order."""
    from giagen.checks import similarity

    monkeypatch.setattr(similarity, "COMMON", common)
    rng = random.Random(seed)
    texts = {}
    for i in range(60):
        if texts and rng.random() < 0.3:  # a copy of another unit's, a little edited
            source = list(rng.choice(list(texts.values())))
            for _ in range(rng.randint(0, 6)):
                source[rng.randrange(len(source))] = rng.choice("的了和在是")
            texts[f"u{i:02d}"] = "".join(source)
        else:
            size = rng.choice([2, 6, 12, 20])
            texts[f"u{i:02d}"] = "，".join(rng.choice(WORDS) for _ in range(size))
    items = {key: similarity.signature(similarity.comparable(t)) for key, t in texts.items()}
    found = similarity.copied_pairs(items)
    assert found == _pairs_counted_for_every_shared_value(items, common, similarity.SHARED)
    assert found or common == 4  # copies were there to be found


@pytest.mark.parametrize("common", [500, 30, 6])
@pytest.mark.parametrize("seed", range(6))
def test_prefix_filtering_misses_no_pair_on_the_edge_of_copied(monkeypatch, seed, common):
    """Sketches made to straddle COPIED_AT: copies of a unit with 0 to 20 of its 64 values
    changed, most around the 11 or 12 at which a copy stops being one; some short; over a stock
    of values that many units share (some past COMMON): the pairs every pair compared finds.
    Each of the two shortcuts' bounds made one value tighter fails here."""
    from giagen.checks import similarity

    monkeypatch.setattr(similarity, "COMMON", common)
    rng = random.Random(seed)
    stock = rng.sample(range(1, 1 << 40), 300)  # values many units hold (a field's phrasing)
    fresh = iter(rng.sample(range(1 << 40, 1 << 41), 20000))  # values one unit holds
    items = {}
    for i in range(200):
        size = rng.choice([64, 64, 64, 40, 20])
        if items and rng.random() < 0.5:
            source = rng.choice([v for v in items.values() if len(v) == size] or [None])
            if source is not None:
                changed = set(rng.sample(source, rng.choice([0, 3, *range(8, 16), 20])))
                items[f"u{i:03d}"] = sorted(
                    [v for v in source if v not in changed] + [next(fresh) for _ in changed]
                )
                continue
        shared = rng.randint(0, size)
        values = set(rng.sample(stock, shared))
        while len(values) < size:
            values.add(next(fresh))
        items[f"u{i:03d}"] = sorted(values)
    assert similarity.copied_pairs(items) == _pairs_counted_for_every_shared_value(
        items, common, similarity.SHARED
    )


@pytest.mark.parametrize("seed", range(3))
def test_a_sketch_is_the_smallest_hashes_of_its_shingles(seed):
    """The sketch as defined (each shingle encoded and hashed, the numbers sorted) whatever the
    text's characters: Chinese alone (whose shingles are sliced from the whole text's bytes),
    with Latin letters, two-byte letters, or characters beyond the BMP."""
    import hashlib

    from giagen.checks import similarity

    def defined(text):
        if len(text) < similarity.MIN_CHARS:
            return None
        n = similarity.SHINGLE
        hashes = {
            int.from_bytes(hashlib.blake2b(text[i : i + n].encode(), digest_size=8).digest())
            for i in range(len(text) - n + 1)
        }
        return sorted(hashes)[: similarity.SKETCH]

    rng = random.Random(seed)
    pools = ["".join(WORDS), "".join(WORDS) + "abcXYZ", "".join(WORDS) + "ÅÉßж", "中文𠀀𠀁字"]
    for _ in range(50):
        pool = rng.choice(pools)
        text = "".join(rng.choice(pool) for _ in range(rng.randint(50, 400)))
        assert similarity.signature(text) == defined(text)


@pytest.mark.parametrize("seed", range(3))
def test_copied_pairs_agree_with_the_exact_similarity_of_the_texts(seed):
    """The sketches stand for the texts: against the exact Dice similarity of every pair's
    shingles (no sketch at all), a pair nearly the same is found, and a pair far apart is not."""
    from itertools import combinations

    from giagen.checks import similarity

    rng = random.Random(seed)
    texts = {}
    for i in range(80):
        if texts and rng.random() < 0.3:
            source = list(rng.choice(list(texts.values())))
            for _ in range(rng.choice([0, 1, 3, 10, 40])):
                source[rng.randrange(len(source))] = rng.choice("的了和在是")
            texts[f"u{i:02d}"] = "".join(source)
        else:
            texts[f"u{i:02d}"] = "，".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25)))
    comparable = {k: similarity.comparable(t) for k, t in texts.items()}
    found = {
        (a, b)
        for a, b, _ in similarity.copied_pairs(
            {k: similarity.signature(t) for k, t in comparable.items()}
        )
    }

    def shingles(text):
        return {text[i : i + similarity.SHINGLE] for i in range(len(text) - similarity.SHINGLE + 1)}

    exact = {}
    for a, b in combinations(sorted(comparable), 2):
        x, y = shingles(comparable[a]), shingles(comparable[b])
        if len(comparable[a]) >= similarity.MIN_CHARS <= len(comparable[b]):
            exact[a, b] = 2 * len(x & y) / (len(x) + len(y))
    alike = {pair for pair, dice in exact.items() if dice >= 0.97}
    apart = {pair for pair, dice in exact.items() if dice < 0.75}
    assert alike and alike <= found
    assert not found & apart
