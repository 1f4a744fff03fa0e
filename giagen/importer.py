"""Published reports (text, HTML, DOCX) read back into data, every number kept as printed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import definitions as d
from .exceptions import InputError
from .numbers import BadValue, NOT_APPLICABLE, parse_amount, parse_count

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")
# Lines after 六 that belong to the web page, not the report.
_FOOTER = re.compile(r"版权所有|主办单位|承办单位|网站标识码|ICP|备案|联系我们|网站地图|【打印】|【关闭】|"
                     r"打印本页|关闭窗口|分享到|扫一扫|政务服务|技术支持")
_DATE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
_TITLE = re.compile(r"^(.*?)(\d{4})\s*年度?\s*政府信息公开(?:工作)?年度报告$")
_NUMBER = r"[+\-]?[\d.,]+(?:\s*(?:件|个|项|万元|元))?"
_TRAILING_NUMBERS = re.compile(rf"^(.*?[^\d\s.,+\-])((?:\s+{_NUMBER})+)\s*$")
_ONLY_NUMBERS = re.compile(rf"^\s*{_NUMBER}(?:\s+{_NUMBER})+\s*$")
_PAGE_NUMBER = re.compile(r"^[—－-]\s*\d+\s*[—－-]$")  # `— 3 —` between two pages


@dataclass(frozen=True)
class Token:
    """A line of text or a table cell, and where it stands in the document."""

    text: str
    where: str

    @property
    def key(self) -> str:
        return norm(self.text)


def norm(text: str) -> str:
    """A label as compared: NFKC, no spaces or markdown marks, straight quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r"[\s#*|>`]+", "", text)
    return text.translate(str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "〝": '"', "〞": '"'}))


# ---- Documents as token streams ---------------------------------------------------------


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError("无法识别文件编码（应为 UTF-8 或 GB18030）")


def text_tokens(text: str) -> list[Token]:
    """Plain text: each line split at tabs and pipes; numbers trailing a label split off."""
    tokens = []
    for n, line in enumerate(text.splitlines(), start=1):
        where = f"第 {n} 行"
        for cell in re.split(r"[\t|]", line):
            cell = cell.strip(" \u3000\u00a0")
            match = _TRAILING_NUMBERS.match(cell)
            if _PAGE_NUMBER.match(cell):
                continue
            if _ONLY_NUMBERS.match(cell):  # `0 0 0 0 0 0 0` on a line of its own
                tokens += [Token(v, where) for v in re.findall(_NUMBER, cell)]
            elif match and len(norm(match.group(1))) <= 40:  # `行政许可 0 0 0`, `息 0 0 0` from a PDF
                tokens.append(Token(match.group(1).strip(), where))
                tokens += [Token(v, where) for v in re.findall(_NUMBER, match.group(2))]
            else:
                tokens.append(Token(cell, where))
    return tokens


def html_tokens(data: bytes) -> list[Token]:
    import lxml.html

    try:
        root = lxml.html.document_fromstring(_decode(data))
    except Exception:  # lxml raises several kinds for what is not HTML at all
        raise InputError("无法解析 HTML") from None
    for bad in root.xpath("//script|//style|//caption|//head"):
        bad.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    tokens = []
    blocks = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "div", "section", "article",
              "pre", "blockquote", "dt", "dd"}
    for el in root.iter():
        if not isinstance(el.tag, str) or el.tag not in blocks:
            continue
        if el.tag not in ("td", "th") and any(isinstance(c.tag, str) and c.tag in blocks for c in el.iterdescendants()):
            # a container: only its own loose text counts here, its blocks come on their own
            loose = (el.text or "") + "".join(c.tail or "" for c in el)
            tokens += text_tokens_at(loose, el.sourceline)
            continue
        if el.getparent() is not None and any(a.tag in ("td", "th") for a in el.iterancestors()):
            continue  # inside a cell: the cell carries the text
        tokens += text_tokens_at(el.text_content(), el.sourceline, cell=el.tag in ("td", "th"))
    return tokens


def text_tokens_at(text: str, line: int | None, cell: bool = False) -> list[Token]:
    where = f"第 {line} 行" if line else "HTML"
    if cell:
        return [Token(" ".join(text.split()), f"{where}（表格单元格）")]
    return [Token(t.text, where) for t in text_tokens(text)]


def docx_tokens(path: Path) -> list[Token]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception:  # python-docx raises many kinds for a file that is no DOCX
        raise InputError("无法读取 DOCX（文件损坏或不是 Word 文档）") from None
    tokens, paragraphs, tables = [], 0, 0
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            for line in Paragraph(element, document).text.split("\n"):
                tokens += [Token(t.text, f"第 {paragraphs} 段") for t in text_tokens(line)]
        elif tag == "tbl":
            tables += 1
            seen = set()
            for r, row in enumerate(Table(element, document).rows, start=1):
                for c, cell in enumerate(row.cells, start=1):
                    if cell._tc in seen:  # the element itself: ids of lxml proxies are reused
                        continue  # a merged cell repeats in every grid column and row it covers
                    seen.add(cell._tc)
                    tokens.append(Token(" ".join(cell.text.split()), f"第 {tables} 个表格第 {r} 行第 {c} 列"))
    return tokens


def pdf_tokens(path: Path) -> list[Token]:
    """A PDF's text, page by page, read like plain text (its tables come out a row a line)."""
    try:
        from pypdf import PdfReader
    except ImportError:
        raise InputError("读取 PDF 需要 pypdf：pip install 'giagen[pdf]'") from None
    try:
        pages = [page.extract_text() or "" for page in PdfReader(str(path)).pages]
    except Exception:  # pypdf raises many kinds for a damaged file
        raise InputError("无法读取 PDF（文件损坏或加密）") from None
    tokens = []
    for number, text in enumerate(pages, start=1):
        tokens += [Token(t.text, f"第 {number} 页{t.where}") for t in text_tokens(text)]
    return tokens


def tokens_of(path: Path) -> list[Token]:
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return docx_tokens(path)
    if suffix == ".pdf":
        return pdf_tokens(path)
    data = path.read_bytes()
    if suffix in (".html", ".htm"):
        return html_tokens(data)
    return text_tokens(_decode(data))


# ---- Reading the report out of the tokens -----------------------------------------------


def is_value(text: str) -> bool:
    if text.strip() in NOT_APPLICABLE:
        return True
    for parse in (parse_count, parse_amount):
        try:
            parse(text)
            return True
        except BadValue:
            continue
    return False


class Reader:
    """Walks the tokens of one document; every refusal names the row and where it stands."""

    def __init__(self, tokens: list[Token]):
        self.tokens = [t for t in tokens if t.text.strip()]
        self.keys = [t.key for t in self.tokens]

    def find(self, start: int, end: int, predicate) -> int | None:
        return next((i for i in range(start, end) if predicate(self.keys[i])), None)

    def headings(self) -> dict[str, int]:
        """Where each of the six section headings stands (first occurrence after the title)."""
        found, start = {}, 0
        for key, title in d.SECTION_TITLES.items():
            i = self.find(start, len(self.tokens), lambda k, t=norm(title): k == t or k.rstrip(":") == t)
            if i is not None:
                found[key] = i
                start = i + 1
        return found

    def numbers(self, at: int, count: int, what: str, end: int) -> tuple[list[str], int]:
        """The `count` values after the label at `at`; refuses too few or too many."""
        values, i = [], at + 1
        while len(values) < count:
            if i >= end or not is_value(self.tokens[i].text):
                raise InputError(f"{self.tokens[at].where}：{what} 应有 {count} 个数字，只找到 {len(values)} 个")
            values.append(self.tokens[i].text)
            i += 1
        if i < end and is_value(self.tokens[i].text):
            raise InputError(f"{self.tokens[i].where}：{what} 多出数字 {self.tokens[i].text}（应为 {count} 个）")
        return values, i

    def row(self, start: int, end: int, labels: tuple[str, ...]) -> int | None:
        """Where the label of a row ends: one of `labels`, maybe split over several tokens."""
        wanted = [norm(l) for l in labels]

        def matches(key: str) -> bool:
            return any(key == w or (len(key) >= min(6, len(w)) and w.startswith(key)) for w in wanted)

        i = self.find(start, end, matches)
        if i is None:
            return None
        label = self.keys[i]
        # `5.要求行政机关确认或重新` / `出具已获取信息`: the rest of a label split across lines
        while (label not in wanted and i + 1 < end and not is_value(self.tokens[i + 1].text)
               and any(w.startswith(label + self.keys[i + 1]) for w in wanted)):
            i += 1
            label += self.keys[i]
        return i


def edition_of(reader: Reader, year: int) -> str:
    """The edition the tables are in, by their header words; the year decides a tie."""
    score = {e: sum(any(k.startswith(norm(m)) for m in marks) for k in reader.keys)
             for e, marks in d.EDITION_MARKS.items()}
    if score["2021"] == score["2019"]:
        return d.edition_for_year(year).id
    return max(score, key=score.get)


def _title(reader: Reader, first_heading: int) -> tuple[str, int, int]:
    """Agency and year from the title; the agency may stand on the line before the year."""
    for i in range(first_heading):
        # the title on one line, or wrapped over two (a PDF); Word's bookmark markers dropped
        for end in (i + 1, i + 2):
            text = re.sub(r"\[bookmark:[^\]]*\]", "", "".join(reader.keys[i:end]))
            match = _TITLE.match(text)
            if match:
                agency = match.group(1) or (reader.tokens[i - 1].key if i else "")
                if agency:
                    return agency, int(match.group(2)), end - 1
    raise InputError("找不到标题（应为“机关名称＋年份＋年政府信息公开工作年度报告”）")


def _prose(reader: Reader, start: int, end: int) -> str:
    return "\n".join(t.text.strip() for t in reader.tokens[start:end] if t.text.strip())


def _table(reader: Reader, ed: d.Edition, table: str, start: int, end: int) -> dict:
    lines, fields_of = d.table_shape(ed, table)
    section = d.TABLE_SECTIONS[table]
    data, at = {}, start
    for line in lines:
        fields = fields_of(line.id)
        labels = (line.label, *d.ROW_ALIASES.get(line.id, ()))
        i = reader.row(at, end, labels)
        if i is None:
            raise InputError(f"{d.describe(ed, section, line.id, None)}：在{d.SECTION_TITLES[section]}"
                             f"中找不到这一行（{reader.tokens[min(at, len(reader.tokens) - 1)].where}之后）")
        values, at = reader.numbers(i, len(fields), d.describe(ed, section, line.id, None), end)
        data[line.id] = {f.id: v for f, v in zip(fields, values)}
    return data


def _litigation(reader: Reader, start: int, end: int) -> dict:
    values = [t.text for t in reader.tokens[start:end] if is_value(t.text)]
    count = len(d.LITIGATION_GROUPS) * len(d.LITIGATION_FIELDS)
    if len(values) != count:
        raise InputError(f"{reader.tokens[start].where}：{d.SECTION_TITLES['四']} 应有 {count} 个数字，"
                         f"找到 {len(values)} 个")
    fields = [f.id for f in d.LITIGATION_FIELDS]
    return {g.id: dict(zip(fields, values[i * len(fields):(i + 1) * len(fields)]))
            for i, g in enumerate(d.LITIGATION_GROUPS)}


_FEE_NONE = "本年度未发出信息处理费收费通知，未收取信息处理费。"
_FEE = re.compile(r"本年度共发出信息处理费收费通知(\d+)件，通知金额([\d.]+)元，实际收取信息处理费([\d.]+)元。")


def _fee(other: str) -> tuple[dict | None, str]:
    """The 信息处理费 figures from the sentence giagen writes, and 六 without it."""
    if other.startswith(_FEE_NONE):
        return {"notices": 0, "notice_amount_yuan": "0", "collected_yuan": "0"}, other[len(_FEE_NONE):].strip()
    match = _FEE.match(other)
    if match:
        fee = dict(zip(("notices", "notice_amount_yuan", "collected_yuan"), match.groups()))
        return {**fee, "notices": int(fee["notices"])}, other[match.end():].strip()
    return None, other


def import_data(path: str | Path) -> dict:
    """A published report as raw JSON-shaped data, numbers as printed; InputError names what is missing."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}：文件不存在")
    try:
        reader = Reader(tokens_of(path))
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from None
    try:
        return _read(reader)
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from None


def _read(reader: Reader) -> dict:
    heads = reader.headings()
    missing = [d.SECTION_TITLES[k] for k in d.SECTION_TITLES if k not in heads]
    if missing:
        raise InputError(f"找不到这些标题：{'、'.join(missing)}")
    agency, year, title_at = _title(reader, heads["一"])
    ed = d.edition(edition_of(reader, year))
    end = len(reader.tokens)
    six = [t.text.strip() for t in reader.tokens[heads["六"] + 1:end]]
    stop = next((i for i, text in enumerate(six) if _FOOTER.search(text)), len(six))
    six = six[:stop]
    date = None
    if six and _DATE.match(norm(six[-1])):  # the 落款: agency over the date
        date = "-".join(_DATE.match(norm(six.pop())).groups())
        if six and norm(six[-1]) == norm(agency):
            six.pop()
    elif six and norm(six[-1]) == norm(agency):
        six.pop()
    fee, other = _fee("\n".join(six))
    data = {
        "edition": ed.id, "year": year, "agency": agency, "date": date,
        "preamble": _prose(reader, title_at + 1, heads["一"]) or None,
        "overview": _prose(reader, heads["一"] + 1, heads["二"]),
        "proactive": _table(reader, ed, "proactive", heads["二"] + 1, heads["三"]),
        "requests": _table(reader, ed, "requests", heads["三"] + 1, heads["四"]),
        "litigation": _litigation(reader, heads["四"] + 1, heads["五"]),
        "problems": _prose(reader, heads["五"] + 1, heads["六"]),
        "other": other,
    }
    if fee is not None and ed.has_processing_fee:
        data["processing_fee"] = fee
    return data
