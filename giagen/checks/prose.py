"""What the prose says, held against the tables and the year: counts, statements, the wrong year, an empty 五."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..core import definitions as d
from ..core.findings import WARNING, Finding

PROSE = (("一", "overview"), ("五", "problems"), ("六", "other"))


def _n(value) -> int:
    return 0 if value is None else value


def _suits(r) -> int:
    return _n(r.litigation["suit_direct"]["total"]) + _n(r.litigation["suit_after_review"]["total"])


# Where each figure the prose may state stands in the tables: (section, row) and its value.
FIGURES = {
    "new_received": (("三", "new_received"), lambda r: r.requests["new_received"]["total"]),
    "carried_over": (("三", "carried_over"), lambda r: r.requests["carried_over"]["total"]),
    "carried_forward": (
        ("三", "carried_forward"),
        lambda r: r.requests["carried_forward"]["total"],
    ),
    "review": (("四", "review"), lambda r: r.litigation["review"]["total"]),
    "suits": (("四", None), _suits),
    "fee": (("六", None), lambda r: _n(r.processing_fee.collected_yuan) if r.processing_fee else 0),
}

# Counts stated in the prose: (pattern, figure).
_NUM = r"\s*(\d+)\s*"
COUNTS = (
    (
        re.compile(
            r"(?:新收到|共收到|收到|受理|新收)[^，。；,;]{0,12}?申请(?:共|总计|合计)?" + _NUM + "件"
        ),
        "new_received",
    ),
    (re.compile(r"上年结转(?:的?申请)?(?:共)?" + _NUM + "件"), "carried_over"),
    (
        re.compile(r"结转下一?年度?(?:继续办理)?(?:的?申请)?(?:共)?" + _NUM + "件"),
        "carried_forward",
    ),
    (re.compile(r"行政复议(?:案件|申请)?(?:共)?" + _NUM + "(?:件|起)"), "review"),
    (re.compile(r"行政诉讼(?:案件)?(?:共)?" + _NUM + "(?:件|起)"), "suits"),
)

# Statements that say a figure is zero (`none`) or more than zero (`some`).
STATEMENTS = (
    (
        re.compile(r"(?:全部|均已|均|全都|已全部)(?:依法)?(?:办结|按时答复|予以答复|答复完毕)"),
        "carried_forward",
        "none",
        "说申请已全部办结",
    ),
    (
        re.compile(r"(?:未|没有|无)(?:收到|受理)[^，。；]{0,10}申请"),
        "new_received",
        "none",
        "说没有收到申请",
    ),
    (
        re.compile(r"(?:未|没有|无)(?:发生|出现|涉及|收到)?[^，。；]{0,8}行政复议"),
        "review",
        "none",
        "说没有行政复议",
    ),
    (
        re.compile(r"(?:未|没有|无)(?:发生|出现|涉及)?[^，。；]{0,8}行政诉讼"),
        "suits",
        "none",
        "说没有行政诉讼",
    ),
    (
        re.compile(r"(?:未|没有|不)收取[^，。；]{0,8}(?:费用|信息处理费)"),
        "fee",
        "none",
        "说没有收取费用",
    ),
    (
        re.compile(
            r"(?<![未没不])(?:共|实际)?收取[^，。；]{0,6}信息处理费[^，。；]{0,6}?(?:共|合计)?\s*[1-9]"
        ),
        "fee",
        "some",
        "说收取了信息处理费",
    ),
)
_SENTENCE = re.compile(r"[^。；！？\n]*[。；！？]?")


def _place(report, figure: str) -> str:
    (section, row), _ = FIGURES[figure]
    if section == "六":
        return "六、信息处理费 · 实际收取的总金额"
    if row is None:
        return "四、行政诉讼 · 总计"
    return d.describe(report.spec, section, row, "total")


def _sentence(text: str, at: int) -> str:
    start = max(text.rfind(c, 0, at) for c in "。；！？\n") + 1
    ends = [i for i in (text.find(c, at) for c in "。；！？\n") if i >= 0]
    return text[start : min(ends) + 1 if ends else len(text)].strip()


def text_table(report) -> Iterator[Finding]:
    """A count stated in 一, 五 or 六 that contradicts the table."""
    for section, field in PROSE:
        text = getattr(report, field) or ""
        for pattern, figure in COUNTS:
            for match in pattern.finditer(text):
                stated, actual = int(match.group(1)), _n(FIGURES[figure][1](report))
                if stated != actual:
                    yield Finding(
                        "TEXT-TABLE",
                        WARNING,
                        section,
                        figure,
                        "total",
                        actual,
                        stated,
                        f"{d.SECTION_TITLES[section]}写“{match.group(0).strip()}”，"
                        f"与{_place(report, figure)} {actual} 不一致",
                    )
                    break


def prose_table(report) -> Iterator[Finding]:
    """A statement in the prose that the tables contradict: 全部办结 beside cases carried forward …"""
    for section, field in PROSE:
        text = getattr(report, field) or ""
        for pattern, figure, claim, what in STATEMENTS:
            match = pattern.search(text)
            if not match:
                continue
            actual = _n(FIGURES[figure][1](report))
            if (claim == "none") == (actual > 0):
                sentence = _sentence(text, match.start())
                yield Finding(
                    "PROSE-TABLE",
                    WARNING,
                    section,
                    figure,
                    "total",
                    "0" if claim == "none" else "> 0",
                    actual,
                    f"{d.SECTION_TITLES[section]}“{sentence[:60]}”{what}，"
                    f"但{_place(report, figure)}为 {actual}",
                )


_YEAR_LEAD = re.compile(
    r"(?:^|(?<=[。；\n]))\s*(?:[（(][一二三四五六七八九十][）)]\s*[^。；\n]{0,20}?[。：:]?\s*)?"
    r"((?:19|20)\d{2})\s*年(?:度)?\s*[，,、]?\s*(?=我|本|全|区|县|市|局|委|办|[^以来前后底末初])"
)


def prose_year(report) -> Iterator[Finding]:
    """一 or 五 speaking of an earlier year as this one (`2024年，我局……` in a 2025 report)."""
    for section, field in PROSE[:2]:
        for number, paragraph in enumerate((getattr(report, field) or "").splitlines(), start=1):
            for match in _YEAR_LEAD.finditer(paragraph):
                year = int(match.group(1))
                if year < report.year:
                    yield Finding(
                        "PROSE-YEAR",
                        WARNING,
                        section,
                        None,
                        None,
                        report.year,
                        year,
                        f"{d.SECTION_TITLES[section]}第 {number} 段以“{match.group(0).strip()[:20]}”"
                        f"开头，把 {year} 年当作本年度（报告年度为 {report.year} 年）：是否沿用了旧报告？",
                    )
                    break


_SAYS_NOTHING = re.compile(
    r"^(?:无|暂无|没有|暂无问题|无问题|没有问题|暂未发现问题|无明显问题|不存在问题)[。.！!]?$"
)
MIN_PROBLEMS = 30  # characters: the problems, the improvements and last year's follow-up need more


def problems_empty(report) -> Iterator[Finding]:
    """五 that states no problem, no improvement and nothing of last year's problems."""
    text = re.sub(r"\s", "", report.problems or "")
    if text and (_SAYS_NOTHING.match(text) or len(text) < MIN_PROBLEMS):
        yield Finding(
            "PROBLEMS-EMPTY",
            WARNING,
            "五",
            None,
            None,
            f"≥ {MIN_PROBLEMS} 字",
            len(text),
            f"{d.SECTION_TITLES['五']}只写了“{text[:20]}”：应写明存在的主要问题、改进情况，"
            "以及上年问题的整改情况",
        )


PROSE_RULES = (text_table, prose_table, prose_year, problems_empty)
