"""Who published a report, for which year, on which date: from the title or wherever else it is."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from .exceptions import InputError
from .hanzi import simplified


@dataclass
class Given:
    """What the person auditing states of a published report: identity it lacks, --partial."""

    agency: str | None = None
    year: int | None = None
    date: str | None = None
    partial: bool = False


_REPORT = r"政府信息公开(?:工作)?(?:年度)?(?:报告|年报)"
# `{机关}{年}年(度)政府信息公开工作年度报告` and `{年}年(度){机关}政府信息公开工作年度报告`
TITLE_AGENCY_FIRST = re.compile(rf"^(?P<agency>.*?)(?P<year>(?:19|20)\d\d)年度?(?:的)?{_REPORT}")
TITLE_YEAR_FIRST = re.compile(rf"^(?P<year>(?:19|20)\d\d)年度?(?P<agency>.+?){_REPORT}")
PERIOD = re.compile(r"统计期限(?:为|是)?自?((?:19|20)\d\d)年1月1日(?:起)?至\1年12月31日")
DATE = re.compile(
    r"^((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?$"
)
SOURCE = re.compile(
    r"(?:来源|发布机构|发布单位|信息来源)[:：]\s*([^\s　|，,:：]{2,40}?)"
    r"(?=\s|$|[|，,【\[]|发布|时间|日期|浏览|阅读|作者|字号|点击|责任)"
)
PUBLISHED = re.compile(
    r"(?:发布时间|发布日期|成文日期|时间)[:：]\s*((?:19|20)\d\d[-年/.]\d{1,2}[-月/.]\d{1,2})"
)
# What ends an agency's name: the 落款 line is one of these, short and without a sentence.
_AGENCY_END = re.compile(
    r"(局|委|办|办公室|府|会|院|厅|署|中心|队|所|站|馆|部|处|室|委员会|政府|街道|"
    r"街道办事处|管委会|公司|镇|乡|支队|大队|分局|集团|协会|学校|医院|法院|检察院)$"
)
_MARKED = re.compile(r"^[\[【(（]?(?:全文|正文)[\]】)）]?|\[bookmark:[^\]]*\]")


def clean(text: str) -> str:
    """A title or name as compared: NFKC, bookmarks, markdown and spaces taken out."""
    text = unicodedata.normalize("NFKC", text)
    if "bookmark:" in text or "文" in text[:4]:  # rare: the patterns first, then the rest
        text = _MARKED.sub("", text)
    text = "".join(text.split())  # every space a regular expression's \s matches
    for mark in "#*>":  # markdown's
        if mark in text:
            text = text.replace(mark, "")
    return text


def trimmed(name: str) -> str:
    """A name without the punctuation around it; a bracket stays where it closes one of the
    name's own (`某某县城市管理局(综合执法局)` keeps its closing bracket)."""
    while True:
        name = name.strip("：:，,-—| ")
        if len(name) < 2:
            return name
        opened, closed = name.count("(") + name.count("（"), name.count(")") + name.count("）")
        if name[0] in "(（" and opened > closed:
            name = name[1:]
        elif name[-1] in ")）" and closed > opened:
            name = name[:-1]
        elif name[0] in "(（" and name[-1] in ")）" and _nested(name[1:-1]):
            name = name[1:-1]  # the whole name in brackets
        else:
            return name


def _nested(text: str) -> bool:
    """Whether every bracket in `text` closes one opened before it, and all are closed."""
    depth = 0
    for ch in text:
        depth += (ch in "(（") - (ch in ")）")
        if depth < 0:
            return False
    return depth == 0


def title_parts(text: str) -> tuple[str, int] | None:
    """(agency, year) of a title in any of its forms; agency may be '' (on the line before)."""
    original = clean(text)
    text = simplified(original)  # one character for one: the agency is cut from the original
    if len(text) > 80:  # a sentence that mentions the report, not its title
        return None
    for pattern in (TITLE_YEAR_FIRST, TITLE_AGENCY_FIRST):
        match = pattern.search(text)
        if match:
            agency = trimmed(match.group("agency"))
            agency = re.sub(r"^(关于|印发|公布)|(关于|的)$", "", agency)
            if len(agency) > 40 or (pattern is TITLE_YEAR_FIRST and not looks_like_agency(agency)):
                continue
            if re.search(r"[，。；,;：:、]", agency) or len(text) - match.end() > 8:
                continue  # a sentence of the preamble that names the report, not its title
            at = text.find(agency, match.start("agency"))
            return original[at : at + len(agency)] if agency else "", int(match.group("year"))
    return None


_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "O": 0,
}
_CN_DATE = re.compile(
    r"^([〇零○ＯO一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$"
)


def cn_year(text: str) -> int | None:
    """二〇二三 as 2023; None for anything else."""
    if len(text) != 4 or any(c not in _CN_DIGITS for c in text):
        return None
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _cn_number(text: str) -> int:
    """一 … 三十一 as a number (a 落款 date's month or day)."""
    if "十" not in text:
        return _CN_DIGITS[text]
    tens, _, units = text.partition("十")
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def date_of(text: str) -> str | None:
    """`2024-01-20` from `2024年1月20日`, `2024-1-20`, `2024.1.20` or `二〇二四年一月二十日`."""
    written = _CN_DATE.match(clean(text))
    if written:
        year = cn_year(written.group(1))
        text = f"{year}年{_cn_number(written.group(2))}月{_cn_number(written.group(3))}日"
    match = DATE.match(clean(text))
    if not match:
        return None
    year, month, day = map(int, match.groups())
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def looks_like_agency(text: str) -> bool:
    """A line that can be an agency's name in a 落款: short, no sentence, ending like a name."""
    text = clean(text)
    return (
        2 <= len(text) <= 40
        and not re.search(r"[。，；！？、,.;:：]", text)
        and bool(_AGENCY_END.search(text))
    )


def period_year(text: str) -> int | None:
    """The year of a 统计期限 sentence, if the text has one."""
    match = PERIOD.search(simplified(clean(text)))
    return int(match.group(1)) if match else None


def source_agency(text: str) -> str | None:
    """The agency of a `来源：` line, if the text has one."""
    match = SOURCE.search(unicodedata.normalize("NFKC", text))
    if match and looks_like_agency(match.group(1)):
        return match.group(1)
    return None


def published_date(text: str) -> str | None:
    """The date of a `发布时间：` line, if the text has one."""
    match = PUBLISHED.search(unicodedata.normalize("NFKC", text))
    return date_of(match.group(1)) if match else None


_BRACKETS = str.maketrans(
    {"【": "(", "〔": "(", "[": "(", "〈": "(", "】": ")", "〕": ")", "]": ")", "〉": ")"}
)


# A parent region written before an agency's name: 淮安市, 江苏省淮安市, 某某自治州.
_REGION_PREFIX = re.compile(r"(?:.{1,8}?(?:省|自治区|市|自治州|州|盟|地区|县|区|旗))+")
_SUFFIXES = ("人民政府办公室", "人民政府办公厅", "人民政府", "办公室", "办公厅")


def agency_keys(names) -> dict[str, str]:
    """One key per agency among `names`: a parent region written before the name
    (`淮安市洪泽区人民政府` ≈ `洪泽区人民政府`) and a 人民政府/办公室-style suffix are dropped,
    but only where that is unambiguous among these names (`南京市鼓楼区` and `福州市鼓楼区`
    stay apart)."""
    names = {n for n in names if n}
    keys = {n: _without_suffix(name_key(n)) for n in names}
    distinct = set(keys.values())
    into: dict[str, str] = {}
    for key in distinct:  # its own ends that are names too: linear in the names, not square
        shorter = [
            key[at:]
            for at in range(1, len(key))
            if key[at:] in distinct and _REGION_PREFIX.fullmatch(key[:at])
        ]
        if len(shorter) == 1:
            into[key] = shorter[0]
    sources: dict[str, set[str]] = {}
    for key, target in into.items():
        sources.setdefault(target, set()).add(key)
    for folded in sources.values():
        if len(folded) > 1:  # two regions' agencies of one name: not one agency
            for key in folded:
                del into[key]
    return {n: into.get(k, k) for n, k in keys.items()}


def only_a_number(value) -> bool:
    """A name that is a number: a cell typed over with a code, a 序号 column taken for names."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return True
    return isinstance(value, str) and bool(re.fullmatch(r"[\d\s.,，、\-—]+", value.strip()))


def region_stripped(name: str) -> str:
    """A name without the region written before it (`某某县统计局` → `统计局`), or the name."""
    best = name
    for at in range(1, len(name) - 1):
        if _REGION_PREFIX.fullmatch(name[:at]) and len(name) - at >= 2:
            best = name[at:]
    return best


def _without_suffix(key: str) -> str:
    for suffix in _SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 1:
            return key[: -len(suffix)]
    return key


def name_key(name: str) -> str:
    """A unit's name as compared: width, brackets and spaces unified."""
    name = unicodedata.normalize("NFKC", name or "")
    name = name.translate(_BRACKETS)
    return re.sub(r"[\s\u200b·•]", "", name)


def parse_year(raw) -> int:
    """The report year of JSON-shaped data, a whole number in reason."""
    try:
        year = int(str(raw).strip())
    except (TypeError, ValueError):
        raise InputError(f"报告年度 year 应为四位年份，实际为 {raw!r}") from None
    if not 1990 <= year <= 2200:
        raise InputError(f"报告年度 {year} 不合理")
    return year


def agency_of(raw) -> str:
    """The agency as written; a missing one is left empty for the REQUIRED rule to name."""
    if raw is None:
        return ""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return str(raw)
    if not isinstance(raw, str):
        raise InputError("机关名称 agency 应为文字")
    return agency_name(raw)


_CJK = r"[\u3400-\u9fff\uf900-\ufaff（）()〔〕【】]"


def agency_name(text: str) -> str:
    """A name as one line: a line break or spaces typed inside (`西工区\n统计局`) taken out between
    Chinese characters, any other run of spaces made one."""
    text = re.sub(rf"(?<={_CJK})[\s\u3000]+(?={_CJK})", "", text.strip())
    return re.sub(r"[\s\u3000]+", " ", text)


# A time of day after a date (`2024-01-20 09:30`, `2024-01-20T00:00:00Z`): the date counts.
TIME_OF_DAY = re.compile(r"(?:[T\s]+\d{1,2}[:：]\d{2}(?:[:：]\d{2})?(?:\.\d+)?Z?)$")
# Months of the lunar calendar: a 落款 date is a Gregorian date, so these are not guessed.
LUNAR_MONTH = re.compile(r"正月|冬月|腊月|闰\S月")


def parse_date(raw) -> dt.date | None:
    """A 落款 date as people write it: `2024-01-20`, `2024年1月20日`, `2024.1.20`, `20240120`,
    `2024年1月20号`, `二〇二四年一月二十日`, `2024年元月20日`, a date with a time of day.
    A lunar month (`正月`) is refused."""
    if raw in (None, ""):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = TIME_OF_DAY.sub("", unicodedata.normalize("NFKC", str(raw)).strip())
    lunar = LUNAR_MONTH.search(text)
    if lunar:
        raise InputError(
            f"落款日期 {raw!r} 写的是农历月份（{lunar.group()}），请写公历日期，如 2024年1月20日"
        )
    if "元月" in text:  # the first month, as official documents often write it
        text = text.replace(
            "元月", "一月" if re.search("[〇零一二三四五六七八九十]", text) else "1月"
        )
    if re.fullmatch(r"(?:19|20)\d{6}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    text = date_of(re.sub(r"号$", "日", text)) or text
    m = re.fullmatch(r"\s*(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})\s*日?\s*", text)
    try:
        return dt.date(*map(int, m.groups())) if m else _bad_date(raw)
    except ValueError:
        return _bad_date(raw)


def _bad_date(raw):
    raise InputError(f"落款日期 {raw!r} 无法识别，应写作 2024-01-20 或 2024年1月20日")
