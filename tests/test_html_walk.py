"""The page reader's XSLT walk against the reference: lxml.html's tree walked in Python.

The reference is how giagen read pages before the walk moved into C: `lxml.html` parses the
decoded text, scripts, styles, comments and the head are taken out with their tails kept, and
every element is visited in Python (`htmltext.walked_tokens`). The fast path must give the same
tokens — text, where each stands, cell or not — and the same title and meta tags, on pages made
by the variants generator, the benchmark's site pages, and random hostile markup. The reader's
other shortcuts (plain lines, figures, tokens read once, names cleaned, an edition's marks
found by bisection) are held likewise to the general way, on generated inputs.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import lxml.html
import published_variants as pv
import pytest
from lxml import etree

from giagen.core.exceptions import InputError
from giagen.published import frames, htmltext
from giagen.published.documents import decode, read_document

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import shapes  # noqa: E402


def reference(text: str, base: Path | None = None):
    """Tokens and meta as the Python walk over lxml.html's tree gives them."""

    def parse(source):
        try:
            return lxml.html.document_fromstring(source)
        except (etree.ParserError, ValueError):
            raise InputError("无法解析 HTML") from None

    root = parse(text)
    meta = htmltext._meta(root)
    frames.inline(root, base, lambda data: decode(data, html=True), parse)
    return htmltext.walked_tokens(root), meta


def same_as_reference(tmp_path, page: str | bytes, name="page.html"):
    path = tmp_path / name
    path.write_bytes(page.encode("utf-8") if isinstance(page, str) else page)
    document = read_document(path)
    assert document.kind == "html"
    tokens, meta = reference(decode(path.read_bytes(), html=True), base=tmp_path)
    assert document.meta == meta
    for fast, slow in zip(document.tokens, tokens):
        assert fast == slow
    assert len(document.tokens) == len(tokens)


BLOCKS = pv.blocks_of(pv.report_with_counts())


@pytest.mark.parametrize("tag", sorted(pv.HEADING_TAGS))
@pytest.mark.parametrize("blank", ["", "&nbsp;", "—"])
def test_variant_pages(tmp_path, tag, blank):
    same_as_reference(tmp_path, pv.saved_page(pv.article(BLOCKS, heading_tag=tag, blank=blank)))


@pytest.mark.parametrize("layout", ["layout_table", "br_in_labels", "split_three", "body"])
def test_variant_layouts(tmp_path, layout):
    body = pv.article(
        BLOCKS, br_in_labels=layout == "br_in_labels", split_three=layout == "split_three"
    )
    page = body if layout == "body" else pv.saved_page(body, layout_table=layout == "layout_table")
    same_as_reference(tmp_path, page)


@pytest.mark.parametrize("shape", ["saved", "article"])
def test_benchmark_site_pages(tmp_path, shape):
    rng = random.Random(3)
    from giagen.core.synthetic import synthetic_report

    report = synthetic_report(rng, year=2023, agency="某某县统计局", busy=True)
    same_as_reference(tmp_path, shapes.page_of(report, shape, rng))


def test_framed_page(tmp_path):
    inner = pv.saved_page(pv.article(BLOCKS))
    (tmp_path / "inner.html").write_text(inner, encoding="utf-8")
    srcdoc = inner.replace("&", "&amp;").replace('"', "&quot;")
    page = (
        f'<html><body><p>外层</p><iframe srcdoc="{srcdoc}"></iframe><p>尾</p>'
        '<iframe src="inner.html"></iframe>后<iframe srcdoc=""></iframe></body></html>'
    )
    same_as_reference(tmp_path, page)


@pytest.mark.parametrize("encoding", ["gb18030", "big5hkscs", "utf-8-sig", "utf-16"])
def test_pages_in_other_encodings(tmp_path, encoding):
    page = pv.saved_page(pv.article(BLOCKS), charset=None)
    same_as_reference(tmp_path, page.encode(encoding, errors="xmlcharrefreplace"))


def test_a_page_declared_as_xml_is_read(tmp_path):
    page = '<?xml version="1.0" encoding="utf-8"?>\n' + pv.saved_page(pv.article(BLOCKS))
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    tokens, meta = reference(pv.saved_page(pv.article(BLOCKS)))  # lxml.html takes no declaration
    read = read_document(path).tokens  # a line further down: the declaration's own line
    assert [(t.text, t.cell) for t in read] == [(t.text, t.cell) for t in tokens]


@pytest.mark.parametrize(
    "held",
    [
        "<p>&#xfdd0;标记&#xfdd2;</p>",  # references
        "<p>行政许可&#64977;12&#X0FDD2;3</p>",  # decimal, upper case, leading zeros
        "<p>行政许可\ufdd112\ufdd23</p>",  # the characters themselves
        "<p>前\ufdd0后</p>",
        "<table><tr><td>1\ufdd0 2</td></tr></table>",  # in a cell
        '<iframe srcdoc="&lt;p&gt;&amp;#xfdd0;框架&lt;/p&gt;"></iframe>',  # a frame's page
        '<p title="\ufdd0">标题里</p>',  # in an attribute only: walked in Python all the same
    ],
)
@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_page_holding_the_walks_marks_is_walked_in_python(tmp_path, held, encoding):
    page = pv.saved_page(held + pv.article(BLOCKS))
    if encoding != "utf-8":
        page = page.replace('charset="utf-8"', 'charset="gb18030"')
    same_as_reference(tmp_path, page.encode(encoding))


# ---- Random markup, as broken as sites write it ------------------------------------------------

_TAGS = [
    "p", "div", "span", "a", "b", "font", "li", "ul", "table", "tr", "td", "th", "tbody",
    "br", "script", "style", "noscript", "template", "caption", "h1", "center", "section",
    "select", "button", "textarea", "o:p", "svg", "form", "hr", "pre", "em",
]  # fmt: skip
_TEXTS = [
    "一、总体情况", "二、主动公开政府信息情况", "行政许可", "0", "12", " 3 ", "（一）予以公开",
    "　", "\n", "\t", " | ", "第二十条第(一)项", "— 3 —", "规章305", "件", "&nbsp;",
    "&lt;b&gt;", "&amp;", "中\n文", "Ａ１", "政務公開", "2023年1月20日", "x" * 30, "&#12354;",
]  # fmt: skip


def _markup(rng: random.Random, depth: int = 0) -> str:
    parts = []
    for _ in range(rng.randint(1, 6)):
        roll = rng.random()
        if roll < 0.35 or depth > 5:
            parts.append(rng.choice(_TEXTS))
        elif roll < 0.4:
            parts.append(rng.choice(["<!-- 注释 -->", "<?php x ?>", "<br>", "<br/>", "<hr>"]))
        else:
            tag = rng.choice(_TAGS)
            attrs = rng.choice(["", ' class="c"', " rowspan=2", ' style="x:1"'])
            close = "" if rng.random() < 0.15 else f"</{tag}>"  # left open, as sites do
            newline = "\n" if rng.random() < 0.3 else ""
            parts.append(f"<{tag}{attrs}>{newline}{_markup(rng, depth + 1)}{close}")
    return "".join(parts)


@pytest.mark.parametrize("seed", range(40))
def test_random_markup(tmp_path, seed):
    rng = random.Random(seed)
    for n in range(10):
        head = rng.choice(
            ["", "<head><title>标题 一</title><meta name=PubDate content=2024-01-02>"]
        )
        page = f"<html>{head}<body>{_markup(rng)}</body></html>"
        if rng.random() < 0.3:
            page = "<p>" + _markup(rng)  # a fragment: no html, no body
        same_as_reference(tmp_path, page, name=f"p{n}.html")


# Byte sequences UTF-8 refuses, each beside its neighbours that it accepts
_SEQUENCES = [
    b"\xc0\x80", b"\xc1\xbf", b"\xc2\x80", b"\xdf\xbf", b"\xe0\x80\x80", b"\xe0\xa0\x80",
    b"\xed\x9f\xbf", b"\xed\xa0\x80", b"\xed\xbf\xbf", b"\xee\x80\x80", b"\xef\xbf\xbe",
    b"\xef\xbf\xbf", b"\xef\xb7\x90", b"\xf0\x80\x80\x80", b"\xf0\x90\x80\x80",
    b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80", b"\xf8\x88\x80\x80\x80",
    b"\xfc\x84\x80\x80\x80\x80", b"\xfe", b"\xff", b"\x80", b"\xbf", b"\xe4\xb8", b"\xe4",
    b"\xf0\x9f\x98", b"\x00", b"\x01", b"\x7f", b"\xd6\xd0", b"\xa1\xa1", b"\xb1\xa8\xb8\xe6",
    "行政许可".encode(), "報告".encode(), b"<br>", b"&#xfdd0;", b" ", b"\n", b"0",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(20))
def test_libxml2_takes_as_whole_utf8_what_python_decodes(seed):
    """A page's bytes are parsed as UTF-8 without Python decoding them first only when libxml2
    finds them whole: it must refuse every page Python's decoder refuses (and, to be useful,
    accept the others). Older libxml2 builds are never asked."""
    if not htmltext._JUDGES_UTF8:
        assert htmltext.whole_utf8_tree(b"<p>\xe4\xb8\xad</p>") is None
        return
    rng = random.Random(seed)
    for _ in range(500):
        middle = b"".join(rng.choice(_SEQUENCES) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.2:
            middle += bytes(rng.randrange(256) for _ in range(rng.randint(1, 6)))
        at_end = rng.random() < 0.2  # a sequence cut short by the end of the file
        page = b"<html><body><p>" + middle + (b"" if at_end else b"</p></body></html>")
        try:
            page.decode("utf-8")
            whole = True
        except UnicodeDecodeError:
            whole = False
        assert (htmltext.whole_utf8_tree(page) is not None) == whole, page


def test_a_page_that_is_not_whole_utf8_is_decoded_as_before(tmp_path):
    """Undeclared GBK whose bytes happen to parse: libxml2 refuses them, Python decodes them."""
    page = pv.saved_page(pv.article(BLOCKS), charset=None).encode("gb18030")
    assert htmltext.whole_utf8_tree(page) is None
    same_as_reference(tmp_path, page)


# ---- The shortcuts for plain lines and figures, against the general path ----------------------

_PIECES = ["行政许可", "0", "12", " ", "\u3000", "\u00a0", "|", "\t", "件", "万元", "元", "—", "-",
           ".", ",", "１２", "²", "（一）", "3 —", "第二十条", "a", "\r", "项", "个", "4 5"]  # fmt: skip


@pytest.mark.parametrize("seed", range(5))
def test_a_line_that_ends_in_no_figure_or_is_one_reads_as_every_form_would_read_it(seed):
    from giagen.published.tokens import fields_tokens, line_tokens

    rng = random.Random(seed)
    for _ in range(2000):
        line = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 7)))
        assert line_tokens(line, "第 1 行") == fields_tokens(line, "第 1 行"), repr(line)


def test_a_figure_is_its_own_key_and_a_value():
    from giagen.published.structure import Reader, _is_value
    from giagen.published.tokens import Token, norm

    _norm, _is_value = norm.__wrapped__, _is_value.__wrapped__  # each worked out anew

    rng = random.Random(3)
    figures = [
        str(rng.randint(0, 10 ** rng.randint(1, 12))).zfill(rng.randint(1, 4)) for _ in range(500)
    ]
    tokens = [Token(f, "第 1 行", cell=rng.random() < 0.5) for f in figures]
    reader = Reader(tokens)
    assert reader.keys == [_norm(f) for f in figures]
    assert reader.values == [_is_value(t.text, t.cell) for t in tokens]


def test_a_token_read_once_reads_as_it_would_anew():
    from giagen.published.structure import Reader, _is_value
    from giagen.published.tokens import Token, norm

    _norm, _is_value = norm.__wrapped__, _is_value.__wrapped__  # each worked out anew

    rng = random.Random(4)
    texts = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30))) for _ in range(3000)]
    tokens = [Token(t, "第 1 行", cell=rng.random() < 0.5) for t in texts]
    for reader in (Reader(tokens), Reader(tokens)):  # the second from what the first kept
        assert reader.keys == [_norm(t) for t in texts]
        assert reader.values == [_is_value(t.text, t.cell) for t in tokens]


_NAME_PIECES = ["全文", "正文", "[", "]", "【", "】", "(", "（", "）", "[bookmark:", "bookmark:",
                "#", "*", ">", " ", "\u3000", "\t", "\n", "\xa0", "\u2003", "\u200b", "\x1c",
                "某某", "局", "文", "ｘ", "①", "年"]  # fmt: skip


@pytest.mark.parametrize("seed", range(3))
def test_a_name_is_cleaned_as_the_one_pattern_cleans_it(seed):
    """clean() takes out bookmarks, a leading 全文/正文, markdown and spaces in two quick
    passes: the result is the one regular expression's, on generated names."""
    import unicodedata

    from giagen.core.identity import clean

    pattern = re.compile(r"^[\[【(（]?(?:全文|正文)[\]】)）]?|\[bookmark:[^\]]*\]|[#*>\s]")
    rng = random.Random(seed)
    for _ in range(3000):
        name = "".join(rng.choice(_NAME_PIECES) for _ in range(rng.randint(0, 9)))
        assert clean(name) == pattern.sub("", unicodedata.normalize("NFKC", name)), repr(name)


def test_an_editions_marks_are_found_as_a_scan_of_every_token_finds_them():
    """_edition finds a mark by bisection in the sorted keys; a scan of every key finds the same."""
    from giagen.core import definitions as d
    from giagen.published.importer import _edition
    from giagen.published.structure import Reader
    from giagen.published.tokens import Token, norm

    marks = [m for e in d.editions() for m in e.marks]
    rng = random.Random(5)
    for _ in range(300):
        texts = [
            rng.choice([*marks, *_PIECES])[: rng.randint(1, 40)] + rng.choice(["", "续", "（件）"])
            for _ in range(rng.randint(0, 25))
        ]
        reader = Reader([Token(t, "第 1 行", cell=True) for t in texts])
        keys = [k for k in reader.keys if len(k) < 40]
        score = {}
        for e in d.editions():  # the reference: every key looked at for every mark
            wanted = [norm(m) for m in e.marks]
            shown = sum(any(k[:12] == m[:12] or k.startswith(m) for k in keys) for m in wanted)
            score[e.id] = shown / max(1, len(wanted))
        leaders = [e for e, n in score.items() if n == max(score.values())]
        year = rng.choice([2020, 2022])
        expected = leaders[0] if len(leaders) == 1 else d.edition_for_year(year).id
        assert _edition(reader, year) == expected, texts
