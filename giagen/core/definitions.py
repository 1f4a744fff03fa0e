"""The official labels and ids of both editions: the one table every other module reads."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

SCHEMA = "giagen/report@1"

SECTION_TITLES = {
    "一": "一、总体情况",
    "二": "二、主动公开政府信息情况",
    "三": "三、收到和处理政府信息公开申请情况",
    "四": "四、政府信息公开行政复议、行政诉讼情况",
    "五": "五、存在的主要问题及改进情况",
    "六": "六、其他需要报告的事项",
}

# The prose fields of a report under the section they print in.
PROSE_SECTIONS = {"overview": "一", "problems": "五", "other": "六"}
TEXT_FIELDS = ("title", "preamble", *PROSE_SECTIONS)  # every field of a report that is text


def text_key(field: str) -> tuple:
    """Where a finding about a text field stands: (section, None, None) for prose, else (None, field, None)."""
    section = PROSE_SECTIONS.get(field)
    return (section, None, None) if section else (None, field, None)


# Value kinds: a whole count ≥ 0, a signed whole number (2019 本年增/减), a decimal amount in
# 万元 (二's columns), a decimal amount in 元 (六's 信息处理费).
COUNT, SIGNED, AMOUNT, YUAN = "count", "signed", "amount", "yuan"


@dataclass(frozen=True)
class Field:
    """One column of a table: JSON id, official label, value kind."""

    id: str
    label: str
    kind: str = COUNT
    unit: str = ""  # printed after the value where the header does not state it


@dataclass(frozen=True)
class Line:
    """One data row of a table; `path` holds its label cells from the outermost in."""

    id: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        """The row's own label, the last of its path."""
        return self.path[-1]


@dataclass(frozen=True)
class Block:
    """A section-二 block: the 第二十条 item, its columns and its rows."""

    heading: str
    fields: tuple[Field, ...]
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Edition:
    """Everything that differs between editions, as data: code asks the edition, never its id."""

    id: str
    issued_by: str
    blocks: tuple[Block, ...]
    request_lines: tuple[Line, ...]
    has_processing_fee: bool
    years: tuple[int, int | None] = (0, None)  # the report years it applies to, both included
    marks: tuple[str, ...] = ()  # header words that tell it apart when a table is read back
    guide: str = ""  # what the workbook's 填表说明 says of this edition's own cells

    @property
    def years_text(self) -> str:
        """The report years the edition applies to, as the workbook says them."""
        first, last = self.years
        return f"{first}—{last} 年度" if last else f"{first} 年度及以后"

    def __hash__(self) -> int:
        """By id alone: equal editions share it, and hashing every row and column is slow (caches key on editions)."""
        return hash(self.id)

    def block_of(self, line_id: str) -> Block:
        """The section-二 block a row belongs to."""
        return self._block_by_line[line_id]

    # An edition never changes: what is worked out from it is kept (a batch asks thousands of times).
    @functools.cached_property
    def _block_by_line(self) -> dict[str, Block]:
        return {ln.id: b for b in self.blocks for ln in b.lines}

    @functools.cached_property
    def proactive_lines(self) -> tuple[Line, ...]:
        """Every row of 二, block by block."""
        return tuple(ln for b in self.blocks for ln in b.lines)

    @functools.cached_property
    def result_lines(self) -> tuple[Line, ...]:
        """The rows （一）…（六） that （七）总计 adds up: every row under 三、本年度办理结果 but （七）."""
        return tuple(ln for ln in self.request_lines if ln.path[0] == RESULTS and ln.id != "total")


def _lines(*rows: tuple[str, tuple[str, ...]]) -> tuple[Line, ...]:
    return tuple(Line(i, p) for i, p in rows)


# ---- Section 二 -------------------------------------------------------------------------

INFO_CONTENT = "信息内容"
_ITEM = "第二十条第（{}）项"

_DECISIONS_2019 = (
    Field("last_year_items", "上一年项目数量"),
    Field("change", "本年增/减", SIGNED),
    Field("decisions", "处理决定数量"),
)

BLOCKS_2019 = (
    Block(
        _ITEM.format("一"),
        (
            Field("new_made", "本年新制作数量"),
            Field("new_published", "本年新公开数量"),
            Field("total_published", "对外公开总数量"),
        ),
        _lines(("rules", ("规章",)), ("normative_documents", ("规范性文件",))),
    ),
    Block(
        _ITEM.format("五"),
        _DECISIONS_2019,
        _lines(("licensing", ("行政许可",)), ("other_services", ("其他对外管理服务事项",))),
    ),
    Block(
        _ITEM.format("六"),
        _DECISIONS_2019,
        _lines(("penalty", ("行政处罚",)), ("enforcement", ("行政强制",))),
    ),
    Block(_ITEM.format("八"), _DECISIONS_2019[:2], _lines(("admin_fees", ("行政事业性收费",)))),
    Block(
        _ITEM.format("九"),
        (Field("projects", "采购项目数量"), Field("amount_wan", "采购总金额", AMOUNT, "万元")),
        _lines(("procurement", ("政府集中采购",))),
    ),
)

_DECISIONS_2021 = (Field("decisions", "本年处理决定数量"),)

BLOCKS_2021 = (
    Block(
        _ITEM.format("一"),
        (
            Field("issued", "本年制发件数"),
            Field("abolished", "本年废止件数"),
            Field("in_force", "现行有效件数"),
        ),
        _lines(("rules", ("规章",)), ("normative_documents", ("行政规范性文件",))),
    ),
    Block(_ITEM.format("五"), _DECISIONS_2021, _lines(("licensing", ("行政许可",)))),
    Block(
        _ITEM.format("六"),
        _DECISIONS_2021,
        _lines(("penalty", ("行政处罚",)), ("enforcement", ("行政强制",))),
    ),
    Block(
        _ITEM.format("八"),
        (Field("amount_wan", "本年收费金额（单位：万元）", AMOUNT),),
        _lines(("admin_fees", ("行政事业性收费",))),
    ),
)

# ---- Section 三 -------------------------------------------------------------------------

REQUESTS_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = "申请人情况"
LEGAL_PERSONS = "法人或其他组织"

REQUEST_FIELDS = (
    Field("natural_person", "自然人"),
    Field("commercial", "商业企业"),
    Field("research", "科研机构"),
    Field("social_welfare", "社会公益组织"),
    Field("legal_service", "法律服务机构"),
    Field("other_org", "其他"),
    Field("total", "总计"),
)
REQUEST_PARTS = tuple(f.id for f in REQUEST_FIELDS[:-1])
LEGAL_PERSON_IDS = REQUEST_PARTS[1:]

RESULTS = _R = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNAVAILABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

_REQUESTS_HEAD = (
    ("new_received", ("一、本年新收政府信息公开申请数量",)),
    ("carried_over", ("二、上年结转政府信息公开申请数量",)),
    ("granted", (_R, "（一）予以公开")),
    ("partially_granted", (_R, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")),
    ("withheld_state_secret", (_R, _WITHHELD, "1.属于国家秘密")),
    ("withheld_law_prohibited", (_R, _WITHHELD, "2.其他法律行政法规禁止公开")),
    ("withheld_security_stability", (_R, _WITHHELD, "3.危及“三安全一稳定”")),
    ("withheld_third_party", (_R, _WITHHELD, "4.保护第三方合法权益")),
    ("withheld_internal_affairs", (_R, _WITHHELD, "5.属于三类内部事务信息")),
    ("withheld_process_info", (_R, _WITHHELD, "6.属于四类过程性信息")),
    ("withheld_enforcement_files", (_R, _WITHHELD, "7.属于行政执法案卷")),
    ("withheld_inquiry_matters", (_R, _WITHHELD, "8.属于行政查询事项")),
    ("unavailable_not_held", (_R, _UNAVAILABLE, "1.本机关不掌握相关政府信息")),
    ("unavailable_needs_creation", (_R, _UNAVAILABLE, "2.没有现成信息需要另行制作")),
    ("unavailable_unclear", (_R, _UNAVAILABLE, "3.补正后申请内容仍不明确")),
    ("not_processed_complaint", (_R, _NOT_PROCESSED, "1.信访举报投诉类申请")),
    ("not_processed_duplicate", (_R, _NOT_PROCESSED, "2.重复申请")),
    ("not_processed_publication", (_R, _NOT_PROCESSED, "3.要求提供公开出版物")),
    ("not_processed_excessive", (_R, _NOT_PROCESSED, "4.无正当理由大量反复申请")),
    ("not_processed_confirmation", (_R, _NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息")),
)
_OTHER_2019 = (("other", (_R, _OTHER)),)
_OTHER_2021 = (
    (
        "other_no_correction",
        (_R, _OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ),
    (
        "other_fee_unpaid",
        (_R, _OTHER, "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ),
    ("other_other", (_R, _OTHER, "3.其他")),
)
_REQUESTS_TAIL = (
    ("total", (_R, "（七）总计")),
    ("carried_forward", ("四、结转下年度继续办理",)),
)

REQUEST_LINES_2019 = _lines(*_REQUESTS_HEAD, *_OTHER_2019, *_REQUESTS_TAIL)
REQUEST_LINES_2021 = _lines(*_REQUESTS_HEAD, *_OTHER_2021, *_REQUESTS_TAIL)

# ---- Section 四 -------------------------------------------------------------------------

LITIGATION_FIELDS = (
    Field("upheld", "结果维持"),
    Field("corrected", "结果纠正"),
    Field("other", "其他结果"),
    Field("pending", "尚未审结"),
    Field("total", "总计"),
)
LITIGATION_PARTS = tuple(f.id for f in LITIGATION_FIELDS[:-1])
LITIGATION_GROUPS = _lines(
    ("review", ("行政复议",)),
    ("suit_direct", ("行政诉讼", "未经复议直接起诉")),
    ("suit_after_review", ("行政诉讼", "复议后起诉")),
)

# ---- Section 六: 信息处理费 (2021 edition) ----------------------------------------------

PROCESSING_FEE_FIELDS = (
    Field("notices", "发出收费通知的件数"),
    Field("notice_amount_yuan", "收费通知的总金额（元）", YUAN),
    Field("collected_yuan", "实际收取的总金额（元）", YUAN),
)

# ---- The editions -----------------------------------------------------------------------

EDITION_2019 = Edition(
    "2019",
    "国办公开办函〔2019〕60号",
    BLOCKS_2019,
    REQUEST_LINES_2019,
    False,
    (2019, 2020),
    (
        "本年新制作数量",
        "本年新公开数量",
        "对外公开总数量",
        "上一年项目数量",
        "处理决定数量",
        "其他对外管理服务事项",
        "政府集中采购",
        "采购项目数量",
    ),
    "“二”表的“本年增/减”填带符号的整数：增加填正数（如 16），减少填负数（如 -32）。"
    "政府集中采购的“采购总金额”以万元为单位。",
)
EDITION_2021 = Edition(
    "2021",
    "国办公开办函〔2021〕30号",
    BLOCKS_2021,
    REQUEST_LINES_2021,
    True,
    (2021, None),
    (
        "本年制发件数",
        "本年废止件数",
        "本年度止件数",
        "现行有效件",
        "本年处理决定数量",
        "本年收费金额",
        "申请人无正当理由逾期不补正",
        "申请人逾期未按收费通知要求缴纳费用",
    ),
    "“基本信息”表中须填写信息处理费：发出收费通知的件数、通知总金额和实际收取的总金额，"
    "金额以元为单位（没有的填 0）。实际收取的不能多于通知金额；有金额就要有通知件数，反之亦然。",
)
# The editions in force, oldest first. A new one is added here as data, nothing else.
BY_ID = {"2019": EDITION_2019, "2021": EDITION_2021}


def editions() -> tuple[Edition, ...]:
    """Every edition, oldest first."""
    return tuple(sorted(BY_ID.values(), key=lambda e: e.years[0]))


def edition_for_year(year: int) -> Edition:
    """The edition the State Council's office prescribes for a report year (the first for earlier years)."""
    ordered = editions()
    return next(
        (e for e in ordered if e.years[0] <= year <= (e.years[1] or year)),
        ordered[0] if year < ordered[0].years[0] else ordered[-1],
    )


def edition(edition_id: str) -> Edition:
    """The edition of an id."""
    return BY_ID[edition_id]


def schema_version() -> str:
    """A digest of every edition's rows and columns: cached numbers of another shape are not reused."""

    shape = [
        (
            e.id,
            [(b.heading, [f.id for f in b.fields], [ln.id for ln in b.lines]) for b in e.blocks],
            [ln.id for ln in e.request_lines],
        )
        for e in editions()
    ]
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:16]


def field_label(fields: tuple[Field, ...], field_id: str) -> str:
    """The label of a column by its id."""
    return next(f.label for f in fields if f.id == field_id)


def line_label(lines: tuple[Line, ...], line_id: str) -> str:
    """The label of a row by its id."""
    return next(ln.label for ln in lines if ln.id == line_id)


# ---- Where a value stands, for messages --------------------------------------------------

TABLE_SECTIONS = {"proactive": "二", "requests": "三", "litigation": "四"}


def table_shape(ed: Edition, table: str) -> tuple[tuple[Line, ...], callable]:
    """The rows of a table and, per row id, its columns."""
    if table == "proactive":
        return ed.proactive_lines, lambda row: ed.block_of(row).fields
    if table == "requests":
        return ed.request_lines, lambda row: REQUEST_FIELDS
    return LITIGATION_GROUPS, lambda row: LITIGATION_FIELDS


def row_caption(line: Line) -> str:
    """A row's label in messages; 四's suit groups carry their parent (`行政诉讼（复议后起诉）`)."""
    if line.id in ("suit_direct", "suit_after_review"):
        return f"{line.path[0]}（{line.path[1]}）"
    return line.label


@functools.lru_cache(maxsize=4096)  # every place of a table, named again on every page
def describe(ed: Edition, section: str, row: str | None, column: str | None) -> str:
    """A place as a clerk reads it in the table, e.g. `三、（七）总计 · 自然人`."""
    table = next((t for t, s in TABLE_SECTIONS.items() if s == section), None)
    if table is None:
        return SECTION_TITLES.get(section, section)
    lines, fields_of = table_shape(ed, table)
    parts = []
    if row is not None:
        parts.append(row_caption(next(ln for ln in lines if ln.id == row)))
    if column is not None:
        column_label = field_label(fields_of(row or lines[0].id), column)
        parts.append(column_label if row is not None else f"{column_label}列")
    return f"{section}、" + " · ".join(parts)


# ---- Labels as published documents also write them (the importer reads these) -----------

# Row labels of other forms seen in published tables, by row id.
ROW_ALIASES = {
    "normative_documents": ("规范性文件", "行政规范性文件"),
}
