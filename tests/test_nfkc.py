"""The quick NFKC for Chinese text against Python's own normalisation."""

from __future__ import annotations

import random
import sys
import unicodedata

import pytest

from giagen.core.nfkc import nfkc


def test_every_character_alone_and_before_a_combining_mark():
    for c in range(sys.maxunicode + 1):
        if 0xD800 <= c <= 0xDFFF:
            continue
        for text in (chr(c), chr(c) + "\u0301", "\uff21" + chr(c)):
            assert nfkc(text) == unicodedata.normalize("NFKC", text), hex(c)


_POOL = (
    [chr(c) for c in range(0x20, 0x250)]
    + [chr(c) for c in range(0x3000, 0x3100)]
    + [chr(c) for c in range(0xFF00, 0xFFF0)]
    + list("中文公开政府信息年度报告，。；：？！（）“”、《》")
    + ["\u0301", "\u0308", "\u0327", "\u3099", "\u309a", "\uf900", "\u2160", "\u00bd", "\U0001d400"]
)


@pytest.mark.parametrize("seed", range(4))
def test_random_texts(seed):
    rng = random.Random(seed)
    for _ in range(20000):
        text = "".join(rng.choice(_POOL) for _ in range(rng.randint(0, 16)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), repr(text)
