"""Published reports (web pages, text, DOCX, PDF) read back into data, every number as printed."""

from __future__ import annotations

import bisect
import re
from pathlib import Path

from ..core import definitions as d
from ..core import identity
from ..core.exceptions import InputError
from ..core.identity import Given
from ..core.nfkc import nfkc
from . import fees
from .documents import Document, Token, norm, read_document
from .structure import Reader, label_core, split_headings
from .tablereader import TableReader
from .tokens import radicals_folded

# What a published report may be saved as; the content decides how it is read.
SUFFIXES = (".txt", ".html", ".htm", ".shtml", ".xhtml", ".mhtml", ".mht", ".docx", ".pdf", ".md")
# Lines after 六 that belong to the web page, not the report.
_FOOTER = re.compile(
    r"版权所有|主办单位|承办单位|网站标识码|ICP|备案|联系我们|网站地图|【打印】|【关闭】|"
    r"打印本页|关闭窗口|分享到|扫一扫|政务服务|技术支持|相关链接|上一篇|下一篇|【字体|"
    r"附件[:：]|责任编辑|浏览次数|阅读次数"
)
ORDER = ("一", "二", "三", "四", "五", "六")


def import_data(path: str | Path, given: Given | None = None, data: bytes | None = None) -> dict:
    """A published report as raw JSON-shaped data, numbers as printed, with an `import` block
    saying where each thing came from; InputError when it cannot be read at all."""
    path = Path(path)
    if data is None and not path.is_file():
        raise InputError(f"{path}：文件不存在")
    try:
        document = read_document(path, data)
        return _read(document, given or Given(), path.name)
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from None


def _read(document: Document, given: Given, name: str) -> dict:
    tokens = split_headings(
        [t for t in radicals_folded(document.tokens) if t.cell or t.text.strip()]
    )
    reader = Reader(tokens)
    n = len(tokens)
    if not n and document.kind == "pdf":  # pages that are pictures: a scan, or a print to image
        raise InputError(
            "没有文字内容：PDF 里没有可复制的文字（扫描件或空白页），请提供网页或可复制文字的 PDF"
        )
    if not n:
        raise InputError("没有文字内容")
    anchors = _anchors(reader)
    if all(a is None for a in anchors.values()):
        raise InputError(
            "找不到二、三、四中的任何一张表格：不是一份政府信息公开年度报告，或者表格在图片里"
        )
    heads = _headings(reader, anchors)
    record = {"source": name, "fields": {}, "headings": {}, "blank": {}, "unreadable": []}
    for section, i in heads.items():
        seen = tokens[i].text.strip()
        if norm(seen) != norm(d.SECTION_TITLES[section]):
            record["headings"][section] = seen
    ident = _identity(reader, document, heads, anchors, given, record)
    ed = d.edition(_edition(reader, ident["year"]))
    tables = TableReader(reader, ed, record)
    start = lambda *options: next((i for i in options if i is not None), None)  # noqa: E731
    end_of = lambda *options: next((i for i in options if i is not None), n)  # noqa: E731
    two_at = start(heads.get("二"), anchors["二"])
    three_at = start(heads.get("三"), anchors["三"])
    proactive, two_end = tables.read(
        "proactive", two_at if two_at is not None else n, end_of(three_at, anchors["三"])
    )
    three_from = start(anchors["三"], three_at, n)
    requests, three_end = tables.read(
        "requests", three_from, end_of(heads.get("四"), anchors["四"])
    )
    requests, three_end = second_table(
        reader,
        tables,
        ed,
        record,
        (three_at, three_from, three_end),
        end_of(heads.get("四"), anchors["四"]),
        requests,
    )
    four_at = start(heads.get("四"), anchors["四"], three_end)
    litigation, four_end = tables.litigation(
        four_at if four_at is not None else n, end_of(heads.get("五"))
    )
    found = {"二": bool(proactive), "三": bool(requests), "四": bool(litigation)}
    _missing(reader, heads, found, given, record, (two_end, three_end, four_end))
    if not any(found.values()):
        raise InputError("找不到二、三、四中的任何一张表格，不是一份年度报告，或表格在图片里")
    for table, section in d.TABLE_SECTIONS.items():
        if not found[section]:  # a table not there at all: every row unreadable, named once
            record["unreadable"] = [u for u in record["unreadable"] if u["table"] != table]
            record["unreadable"].append(
                {
                    "table": table,
                    "row": None,
                    "where": None,
                    "message": f"{d.SECTION_TITLES[section]}：找不到这张表格",
                }
            )
    six = _six(reader, heads, ident, four_end)
    other, fee = fees.fee_sentence_of("\n".join(six))
    if fee is None and ed.has_processing_fee:
        fee = fees.fee_in_prose(other)
        if fee is not None:
            record["fields"]["processing_fee"] = "六的文字"
    data = {
        "edition": ed.id,
        "year": ident["year"],
        "agency": ident["agency"],
        "date": ident["date"],
        "preamble": ident["preamble"],
        "overview": _prose(
            reader, heads.get("一"), start(heads.get("二"), anchors["二"]), document
        ),
        "proactive": _rows(proactive),
        "requests": _rows(requests),
        "litigation": _rows(litigation),
        "problems": _prose(reader, heads.get("五"), end_of(heads.get("六")), document),
        "other": other,
        "import": {k: v for k, v in record.items() if v or k == "source"},
    }
    if fee is not None and ed.has_processing_fee:
        data["processing_fee"] = fee
    return data


_OWN = re.compile(r"本级|本机关|本部门|本单位|本局|本委|本办|机关本级")
_SUMMARY = re.compile(r"全[县区市省州旗]|汇总|合计|所属|各[乡镇街部单]|下属|全系统")


def second_table(reader, tables, ed, record, at: tuple, end: int, first: dict):
    """A second 三 after the first (本级 and 全县, 本机关 and 汇总): both are read; the agency's
    own is the one its heading says is its own (本级/本机关), else the one not said to be a
    summary (全县/汇总), else the first; the other is kept in the import block to be checked
    too, and the choice is recorded. Returns the agency's own rows and where 三 ended."""
    heading_at, first_at, first_end = at
    label = ed.request_lines[0].label
    again = reader.row(first_end, end, (label,)) if first and first_end is not None else None
    if again is None:
        return first, first_end
    second, second_end = tables.read("requests", again[0], end)
    if not second:
        return first, first_end

    def heading(begin, stop) -> str:
        return "".join(t.text for t in reader.tokens[max(begin, stop - 12) : stop] if t.text)

    said = [heading(heading_at or first_at, first_at), heading(first_end, again[0])]
    own = next((i for i, h in enumerate(said) if _OWN.search(h)), None)
    if own is None:
        summary = [i for i, h in enumerate(said) if _SUMMARY.search(h)]
        own = 1 if summary == [0] else 0
    chosen, other = (first, second) if own == 0 else (second, first)
    record["second_table"] = {
        "section": "三",
        "chosen": ["第一张", "第二张"][own],
        "headings": said,
        "other": _rows(other),
    }
    return chosen, max(first_end, second_end or first_end)


def _rows(table: dict) -> dict:
    """Rows as read; an unreadable row has no figures (the import block says why)."""
    return {row: values for row, values in table.items() if values is not None}


# ---- Structure -----------------------------------------------------------------------------


def _anchors(reader: Reader) -> dict[str, int | None]:
    """Where each table begins, by its first rows: the surest landmarks of a report."""
    n = len(reader.tokens)
    two = reader.find(0, n, lambda k: k.startswith("第二十条第(一)项") or k == "规章")
    first_row = reader.row(two or 0, n, (d.REQUEST_LINES_2021[0].label,))
    three = first_row[0] if first_row else None
    four = (
        reader.find(three, n, lambda k: k.startswith("行政复议") and len(k) <= 12)
        if three is not None
        else None
    )
    return {"二": two, "三": three, "四": four}


def _headings(reader: Reader, anchors: dict) -> dict[str, int]:
    """Each section's heading: the one nearest before its table, or the first after the last."""
    n, heads = len(reader.tokens), {}
    bounds = {
        "二": (0, anchors["二"]),
        "三": (anchors["二"] or 0, anchors["三"]),
        "四": (anchors["三"] or 0, anchors["四"]),
    }
    for section, (lo, hi) in bounds.items():
        if hi is not None:
            found = reader.find_heading(lo, hi, section, last=True)
        else:
            after = max([i for i in heads.values()] + [lo or 0])
            found = reader.find_heading(after, n, section)
        if found is not None:
            heads[section] = found
    first_table = min([i for i in (*heads.values(), *anchors.values()) if i is not None], default=n)
    one = reader.find_heading(0, first_table, "一")
    if one is not None:
        heads["一"] = one
    after_four = max(
        [i for i in (heads.get("四"), anchors["四"], anchors["三"]) if i is not None], default=0
    )
    five = reader.find_heading(after_four, n, "五")
    if five is not None:
        heads["五"] = five
    six = reader.find_heading(heads.get("五", after_four), n, "六")
    if six is not None:
        heads["六"] = six
    return {s: heads[s] for s in ORDER if s in heads}


def _missing(reader, heads, found, given: Given, record: dict, ends):
    """Sections not found; a copy that stops early is refused unless --partial."""
    present = {s for s in ORDER if s in heads or found.get(s)}
    missing = [s for s in ORDER if s not in present]
    if not missing:
        return
    last_present = max((ORDER.index(s) for s in present), default=-1)
    truncated = all(ORDER.index(s) > last_present for s in missing)
    if not truncated:
        record["headings"].update({s: None for s in missing})  # not found: said as a finding
        return
    titles = "、".join(d.SECTION_TITLES[s] for s in missing)
    last = reader.tokens[-1]
    where = f"在{last.where}处结束（最后是“{last.text.strip()[:20]}”）"
    if not given.partial:
        raise InputError(
            f"文本不完整：{where}，缺少{titles}。这似乎是截断的副本；"
            "加 --partial 可只审核已有的部分"
        )
    record["partial"] = {"missing": missing, "ends": where}


def _edition(reader: Reader, year: int) -> str:
    """The edition the tables are in, by their header words; the year decides a tie."""
    # the share of an edition's own header words the tables show: an edition with few marks
    # (one that differs from another by a row) is not outvoted by one with many. A mark is
    # shown when a short token starts with its first 12 characters: in sorted order, the first
    # token not before it.
    keys = sorted(k for k in reader.keys if len(k) < 40)

    def shown(mark: str) -> bool:
        i = bisect.bisect_left(keys, mark)
        return i < len(keys) and keys[i].startswith(mark)

    score = {}
    for e in d.editions():
        marks = [norm(m)[:12] for m in e.marks]
        score[e.id] = sum(map(shown, marks)) / max(1, len(marks))
    best = max(score.values())
    leaders = [e for e, n in score.items() if n == best]
    return leaders[0] if len(leaders) == 1 else d.edition_for_year(year).id


# ---- Identity --------------------------------------------------------------------------------


def _identity(
    reader: Reader, document: Document, heads: dict, anchors: dict, given: Given, record: dict
) -> dict:
    """Agency, year, date and preamble, each from the best place that has it."""
    tokens, fields = reader.tokens, record["fields"]
    top = min(
        [i for i in (*heads.values(), *anchors.values()) if i is not None], default=len(tokens)
    )
    found: dict = {"agency": None, "year": None, "date": None}
    # folded once: each reading below folds its text again, which is quick once it is folded
    text = nfkc("\n".join(t.text for t in tokens[:top]))
    period = identity.period_year(text)
    title_at = None
    for i in range(top - 1, -1, -1):  # the title nearest before 一 that agrees with 统计期限
        parts = identity.title_parts(tokens[i].text) or (
            identity.title_parts(tokens[i - 1].text + tokens[i].text) if i else None
        )
        if parts and (period is None or parts[1] == period):
            agency, year = parts
            if not agency and i and identity.looks_like_agency(tokens[i - 1].text):
                agency = identity.clean(tokens[i - 1].text)
            found.update(agency=agency or None, year=year)
            fields.update({"year": "标题"} | ({"agency": "标题"} if agency else {}))
            title_at = i
            break
    signature = _signature(reader, heads)
    for key, value in signature.items():
        if value and not found[key]:
            found[key], fields[key] = value, "落款"
    for name in ("ArticleTitle", "title", "Title", "og:title"):
        parts = identity.title_parts(document.meta.get(name, ""))
        if parts and (period is None or parts[1] == period):
            for key, value in zip(("agency", "year"), parts):
                if value and not found[key]:
                    found[key], fields[key] = value, "网页标题"
    if not found["agency"]:
        source = identity.source_agency(text) or identity.source_agency(
            document.meta.get("ContentSource", "")
        )
        if source:
            found["agency"], fields["agency"] = source, "来源"
    preamble = _preamble(reader, title_at, top)
    if not found["year"]:
        year = period or identity.period_year(preamble or "")
        if year:
            found["year"], fields["year"] = year, "统计期限"
    if not found["date"]:
        date = identity.date_of(document.meta.get("PubDate", "")[:10]) or identity.published_date(
            text
        )
        if date:
            found["date"], fields["date"] = date, "发布时间"
    for key in ("agency", "year", "date"):
        value = getattr(given, key)
        if value:
            found[key], fields[key] = value, "指定"
    if not found["year"]:
        raise InputError("找不到报告年度（标题、落款、统计期限中都没有）；请用 --year 指定")
    return {
        "agency": found["agency"] or "",
        "year": int(found["year"]),
        "date": found["date"],
        "preamble": preamble,
    }


def _preamble(reader: Reader, title_at: int | None, top: int) -> str | None:
    """The paragraphs between the title and 一; without a title, those that read like a preamble."""
    if title_at is not None:
        return _prose(reader, title_at, top, None) or None
    lines = []
    for token in reversed(reader.tokens[:top]):
        if not re.search(r"条例|统计期限|本报告|年度报告", token.text):
            break
        lines.insert(0, token.text.strip())
    return "\n".join(lines) or None


def _signature(reader: Reader, heads: dict) -> dict:
    """The 落款 at the end: an agency's name over a date."""
    tokens = _six_tokens(reader, heads, None)
    found = {"agency": None, "date": None}
    if tokens and identity.date_of(tokens[-1].text):
        found["date"] = identity.date_of(tokens[-1].text)
        tokens = tokens[:-1]
    if tokens and identity.looks_like_agency(tokens[-1].text):
        found["agency"] = identity.clean(tokens[-1].text)
    return found


def _six_tokens(reader: Reader, heads: dict, after: int | None) -> list[Token]:
    start = heads.get("六")
    if start is None:
        return []
    tokens = [t for t in reader.tokens[start + 1 :] if t.text.strip()]
    stop = next((i for i, t in enumerate(tokens) if _FOOTER.search(t.text)), len(tokens))
    return tokens[:stop]


def _six(reader: Reader, heads: dict, ident: dict, after) -> list[str]:
    """六's paragraphs, without the 落款 and the page's footer."""
    lines = [t.text.strip() for t in _six_tokens(reader, heads, after)]
    if lines and identity.date_of(lines[-1]):
        lines.pop()
    if lines and ident["agency"] and label_core(norm(lines[-1])) == norm(ident["agency"]):
        lines.pop()
    elif lines and identity.looks_like_agency(lines[-1]) and len(lines) > 1:
        lines.pop()
    return lines


def _prose(reader: Reader, start: int | None, end: int | None, document: Document | None) -> str:
    """The paragraphs between a heading and what follows; a PDF's broken lines joined back."""
    if start is None:
        return ""
    lines = [t.text.strip() for t in reader.tokens[start + 1 : end] if t.text.strip()]
    if document is not None and document.kind == "pdf":
        joined = []
        for line in lines:
            if (
                joined
                and not re.search(r"[。；：！？:;!?）)]$", joined[-1])
                and not re.match(r"[（(一二三四五六七八九十\d]+[、.)）]", line)
            ):
                joined[-1] += line
            else:
                joined.append(line)
        lines = joined
    return "\n".join(lines)
