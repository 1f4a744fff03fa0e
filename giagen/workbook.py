"""The clerk's Excel workbook: writing it (template or filled) and reading it back."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from . import definitions as d
from .exceptions import InputError
from .files import atomic_path
from .model import Cells, ProcessingFee, Report, derived_total, report_from_data

FACTS_SHEET, GUIDE_SHEET = "基本信息", "填表说明"
PASS, FAIL = "通过", "不通过"
NOT_APPLICABLE = "—"

# The facts and prose sheet: (key, label, hint). Keys are Report fields or processing_fee.*.
FACT_ROWS = (
    ("agency", "机关名称", "填写机关全称，如：西工区统计局"),
    ("year", "报告年度", "四位年份，如 2023；2020 年及以前用 2019 版格式，2021 年起用 2021 版格式"),
    ("edition", "格式版本", "由本工作簿决定，请勿修改"),
    ("date", "落款日期", "如 2024-01-20；可不填"),
    ("title", "报告标题", "可不填；不填时为“机关名称+年度+年政府信息公开工作年度报告”"),
    ("preamble", "前言", "可不填；不填时自动生成引用《条例》和统计期限的标准前言"),
    ("overview", d.SECTION_TITLES["一"], "分段填写（Alt+Enter 换行）；可用（一）…（五）分层"),
    ("problems", d.SECTION_TITLES["五"], "写明存在的问题、改进措施，以及上年问题的整改情况"),
    ("other", d.SECTION_TITLES["六"], "没有其他事项时填写：无。"),
)
FEE_ROWS = tuple(
    (f"processing_fee.{f.id}", f"信息处理费：{f.label}", "按国办函〔2020〕109号报告；没有填 0")
    for f in d.PROCESSING_FEE_FIELDS
)
FIRST_FACT_ROW = 3
REQUEST_FIRST_ROW = 5  # sheet 三: title, three header rows, then data
LITIGATION_ROW = 5  # sheet 四: title, three header rows, then the one data row
REQUEST_COL = 4  # sheet 三: three label columns, then the seven numbers
PROACTIVE_COL = 2  # sheet 二: 信息内容, then up to three numbers
PROACTIVE_WIDTH = 3


# ---- Where everything stands ------------------------------------------------------------


@dataclass(frozen=True)
class BlockRows:
    block: d.Block
    heading: int
    header: int
    lines: dict[str, int]


@functools.cache
def proactive_rows(edition_id: str) -> tuple[BlockRows, ...]:
    rows, row = [], 3
    for block in d.edition(edition_id).blocks:
        lines = {l.id: row + 2 + i for i, l in enumerate(block.lines)}
        rows.append(BlockRows(block, row, row + 1, lines))
        row += 2 + len(block.lines)
    return tuple(rows)


def fact_rows(edition_id: str):
    return FACT_ROWS + (FEE_ROWS if d.edition(edition_id).has_processing_fee else ())


@functools.cache
def cell_map(edition_id: str) -> dict[tuple[str, str, str], str]:
    """(section, row id, column id) → `三!D5`, for every number of the edition."""
    ed, cells = d.edition(edition_id), {}
    for rows in proactive_rows(edition_id):
        for line_id, r in rows.lines.items():
            for i, field in enumerate(rows.block.fields):
                cells[("二", line_id, field.id)] = f"二!{get_column_letter(PROACTIVE_COL + i)}{r}"
    for i, line in enumerate(ed.request_lines):
        for j, field in enumerate(d.REQUEST_FIELDS):
            cells[("三", line.id, field.id)] = f"三!{get_column_letter(REQUEST_COL + j)}{REQUEST_FIRST_ROW + i}"
    for g, group in enumerate(d.LITIGATION_GROUPS):
        for j, field in enumerate(d.LITIGATION_FIELDS):
            cells[("四", group.id, field.id)] = f"四!{get_column_letter(1 + g * 5 + j)}{LITIGATION_ROW}"
    for i, (key, _, _) in enumerate(fact_rows(edition_id)):
        if key.startswith("processing_fee."):
            cells[("六", "processing_fee", key.split(".", 1)[1])] = f"{FACTS_SHEET}!B{FIRST_FACT_ROW + i}"
    return cells


def prose_cells(edition_id: str) -> Cells:
    """Where the prose sections stand, for findings about them."""
    rows = {key: FIRST_FACT_ROW + i for i, (key, _, _) in enumerate(fact_rows(edition_id))}
    return {("一", None, None): f"{FACTS_SHEET}!B{rows['overview']}",
            ("五", None, None): f"{FACTS_SHEET}!B{rows['problems']}",
            ("六", None, None): f"{FACTS_SHEET}!B{rows['other']}"}


# ---- Writing ----------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
TOTAL_FILL = PatternFill("solid", fgColor="E7E6E6")
WRONG_FILL = PatternFill("solid", fgColor="F4B6B6")
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
FONT = Font(name="宋体", size=11)
BOLD = Font(name="宋体", size=11, bold=True)
TITLE = Font(name="黑体", size=14)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
UNLOCKED = Protection(locked=False)

NUMBER_FORMATS = {d.COUNT: "0", d.SIGNED: "+0;-0;0", d.AMOUNT: "0.####"}


def _validation(kind: str) -> DataValidation:
    if kind == d.AMOUNT:
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        dv.error = "请填写不小于 0 的数字（单位见表头）"
    elif kind == d.SIGNED:
        dv = DataValidation(type="whole", operator="between", formula1="-999999", formula2="999999")
        dv.error = "请填写整数，增加为正数，减少为负数"
    else:
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        dv.error = "请填写不小于 0 的整数"
    dv.errorTitle, dv.showErrorMessage = "填写有误", True
    return dv


class _Sheet:
    """A worksheet with the few writing moves the tables need."""

    def __init__(self, ws, validations: dict):
        self.ws, self.validations = ws, validations

    def label(self, row, col, text, *, rows=1, cols=1, font=FONT, fill=None, align=CENTER):
        cell = self.ws.cell(row=row, column=col, value=text)
        cell.font, cell.alignment = font, align
        if fill:
            cell.fill = fill
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                self.ws.cell(row=r, column=c).border = BORDER
        if rows > 1 or cols > 1:
            self.ws.merge_cells(start_row=row, start_column=col,
                                end_row=row + rows - 1, end_column=col + cols - 1)
        return cell

    def number(self, row, col, value, kind, *, cols=1):
        cell = self.label(row, col, None, cols=cols)
        cell.value = NOT_APPLICABLE if value is None else value
        cell.number_format = NUMBER_FORMATS[kind]
        cell.fill, cell.protection = INPUT_FILL, UNLOCKED
        key = (self.ws.title, kind)
        if key not in self.validations:
            self.validations[key] = _validation(kind)
            self.ws.add_data_validation(self.validations[key])
        self.validations[key].add(cell.coordinate)
        return cell

    def total(self, row, col, formula, given, derived):
        """A total: its formula when the given value agrees with its parts, else the value."""
        cell = self.label(row, col, None)
        cell.number_format = "0"
        if given is None or given == derived:
            cell.value, cell.fill = formula, TOTAL_FILL
        else:  # kept as given so that nothing is lost; marked for the clerk to correct
            cell.value, cell.fill, cell.protection = given, WRONG_FILL, UNLOCKED
        return cell

    def status(self, row, col, condition, **merge):
        cell = self.label(row, col, f'=IF({condition},"{PASS}","{FAIL}")', font=BOLD, **merge)
        return cell

    def widths(self, *widths):
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def protect(self, status_range: str | None = None):
        if status_range:
            green = PatternFill("solid", fgColor="C6EFCE")
            red = PatternFill("solid", fgColor="FFC7CE")
            self.ws.conditional_formatting.add(status_range, CellIsRule(
                operator="equal", formula=[f'"{PASS}"'], fill=green, font=Font(color="006100")))
            self.ws.conditional_formatting.add(status_range, CellIsRule(
                operator="equal", formula=[f'"{FAIL}"'], fill=red, font=Font(color="9C0006")))
        # Protection without a password: labels and formulas stay put, nobody gets stuck.
        p = self.ws.protection
        p.sheet, p.formatColumns, p.formatRows = True, False, False

    def page(self, landscape: bool):
        """Print on A4, as wide as the paper, so the printed copy can be checked too."""
        setup = self.ws.page_setup
        setup.paperSize = self.ws.PAPERSIZE_A4
        setup.orientation = "landscape" if landscape else "portrait"
        setup.fitToWidth, setup.fitToHeight = 1, 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True


def blank_report(year: int, agency: str = "") -> Report:
    """An all-zero report of the right edition for `year`, as the template holds it."""
    report, _ = report_from_data({"year": year, "agency": agency or "-"})
    fee = ProcessingFee() if report.spec.has_processing_fee else None
    return report.model_copy(update={"agency": agency, "processing_fee": fee})


def write_workbook(report: Report, path: str | Path) -> Path:
    """Write `report` as the clerk's workbook (a blank report gives the template)."""
    wb = Workbook()
    validations: dict = {}
    _guide(wb.active, report)
    _facts(_Sheet(wb.create_sheet(FACTS_SHEET), validations), report)
    _proactive(_Sheet(wb.create_sheet("二"), validations), report)
    _requests(_Sheet(wb.create_sheet("三"), validations), report)
    _litigation(_Sheet(wb.create_sheet("四"), validations), report)
    wb.active = 1
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _title(sheet: _Sheet, text: str, cols: int):
    cell = sheet.ws.cell(row=1, column=1, value=text)
    cell.font, cell.alignment = TITLE, CENTER
    sheet.ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=cols)
    sheet.ws.row_dimensions[1].height = 28


def _facts(sheet: _Sheet, report: Report):
    _title(sheet, "基本信息与文字部分", 3)
    for col, text in enumerate(("项目", "填写内容", "说明"), start=1):
        sheet.label(2, col, text, font=BOLD, fill=HEAD_FILL)
    fee = report.processing_fee
    for i, (key, label, hint) in enumerate(fact_rows(report.edition)):
        row = FIRST_FACT_ROW + i
        sheet.label(row, 1, label, font=BOLD, align=LEFT)
        sheet.label(row, 3, hint, align=LEFT).font = Font(name="宋体", size=10, color="595959")
        if key.startswith("processing_fee."):
            field = next(f for f in d.PROCESSING_FEE_FIELDS if key.endswith("." + f.id))
            cell = sheet.number(row, 2, getattr(fee, field.id) if fee else None, field.kind)
            if fee is None:  # not stated at all: left blank, not "does not apply"
                cell.value = None
            continue
        value = report.edition if key == "edition" else getattr(report, key)
        cell = sheet.label(row, 2, value, align=TOP_LEFT if key in _PROSE else LEFT)
        if key == "edition":
            cell.fill = TOTAL_FILL
        else:
            cell.fill, cell.protection = INPUT_FILL, UNLOCKED
        if key == "date":
            cell.number_format = 'yyyy"年"m"月"d"日"'
        if key in _PROSE:
            sheet.ws.row_dimensions[row].height = 150
    sheet.widths(22, 90, 36)
    sheet.page(landscape=True)
    sheet.protect()


_PROSE = {"preamble", "overview", "problems", "other"}


def _proactive(sheet: _Sheet, report: Report):
    _title(sheet, d.SECTION_TITLES["二"], 1 + PROACTIVE_WIDTH)
    for rows in proactive_rows(report.edition):
        fields = rows.block.fields
        sheet.label(rows.heading, 1, rows.block.heading, cols=1 + PROACTIVE_WIDTH, font=BOLD,
                    fill=HEAD_FILL)
        sheet.label(rows.header, 1, d.INFO_CONTENT, font=BOLD)
        for i, field in enumerate(fields):
            span = _span(i, len(fields))
            sheet.label(rows.header, PROACTIVE_COL + i, field.label, cols=span, font=BOLD)
        for line in rows.block.lines:
            r = rows.lines[line.id]
            sheet.label(r, 1, line.label)
            for i, field in enumerate(fields):
                sheet.number(r, PROACTIVE_COL + i, report.proactive[line.id][field.id],
                             field.kind, cols=_span(i, len(fields)))
    sheet.widths(26, 20, 20, 20)
    sheet.page(landscape=False)
    sheet.protect()


def _span(i: int, count: int) -> int:
    """The last column of a narrow block spans what is left of the table's width."""
    return PROACTIVE_WIDTH - count + 1 if i == count - 1 else 1


def _requests(sheet: _Sheet, report: Report):
    ed, lines = report.spec, report.spec.request_lines
    last_col = REQUEST_COL + len(d.REQUEST_FIELDS) - 1
    status_col = last_col + 1
    _title(sheet, d.SECTION_TITLES["三"], last_col)
    sheet.label(2, 1, d.REQUESTS_CORNER, rows=3, cols=3, font=BOLD)
    sheet.label(2, REQUEST_COL, d.APPLICANTS, cols=len(d.REQUEST_FIELDS), font=BOLD)
    sheet.label(3, REQUEST_COL, d.REQUEST_FIELDS[0].label, rows=2, font=BOLD)
    sheet.label(3, REQUEST_COL + 1, d.LEGAL_PERSONS, cols=len(d.LEGAL_PERSON_IDS), font=BOLD)
    for j, field in enumerate(d.REQUEST_FIELDS[1:-1], start=1):
        sheet.label(4, REQUEST_COL + j, field.label, font=BOLD)
    sheet.label(3, last_col, d.REQUEST_FIELDS[-1].label, rows=2, font=BOLD)
    sheet.label(2, status_col, "本行校验", rows=3, font=BOLD, fill=HEAD_FILL)
    for span in label_spans(lines):
        sheet.label(REQUEST_FIRST_ROW + span.row, 1 + span.level, span.text, rows=span.rows,
                    cols=span.cols, align=CENTER if span.rows > 1 else LEFT)

    row_of = {l.id: REQUEST_FIRST_ROW + i for i, l in enumerate(lines)}
    results = [row_of[l.id] for l in ed.result_lines]
    first, last = get_column_letter(REQUEST_COL), get_column_letter(last_col - 1)
    for line in lines:
        r, values = row_of[line.id], report.requests[line.id]
        for j, field in enumerate(d.REQUEST_FIELDS[:-1]):
            col = REQUEST_COL + j
            if line.id == "total":
                letter = get_column_letter(col)
                column = {l.id: report.requests[l.id][field.id] for l in ed.result_lines}
                sheet.total(r, col, f"=SUM({letter}{results[0]}:{letter}{results[-1]})",
                            values[field.id], derived_total(column, list(column)))
            else:
                sheet.number(r, col, values[field.id], d.COUNT)
        sheet.total(r, last_col, f"=SUM({first}{r}:{last}{r})", values["total"],
                    derived_total(values, d.REQUEST_PARTS))
        sheet.status(r, status_col, f"{get_column_letter(last_col)}{r}=SUM({first}{r}:{last}{r})")

    check_row = REQUEST_FIRST_ROW + len(lines)
    sheet.label(check_row, 1, "勾稽校验：一＋二＝（七）＋四，（七）＝（一）至（六）之和", cols=3,
                font=BOLD, fill=HEAD_FILL)
    for j in range(len(d.REQUEST_FIELDS)):
        c = get_column_letter(REQUEST_COL + j)
        new, old = f"{c}{row_of['new_received']}", f"{c}{row_of['carried_over']}"
        done, forward = f"{c}{row_of['total']}", f"{c}{row_of['carried_forward']}"
        sheet.status(check_row, REQUEST_COL + j,
                     f"AND({new}+{old}={done}+{forward},{done}=SUM({c}{results[0]}:{c}{results[-1]}))")
    s = get_column_letter(status_col)
    everything = f"{first}{check_row}:{get_column_letter(last_col)}{check_row}"
    sheet.status(check_row, status_col,
                 f'COUNTIF({everything},"{FAIL}")+COUNTIF({s}{REQUEST_FIRST_ROW}:{s}{check_row - 1},"{FAIL}")=0')
    sheet.widths(9, 14, 34, 10, 10, 10, 12, 12, 10, 10, 10)
    for r in range(REQUEST_FIRST_ROW, check_row):
        sheet.ws.row_dimensions[r].height = 30
    sheet.ws.freeze_panes = sheet.ws.cell(row=REQUEST_FIRST_ROW, column=REQUEST_COL)
    sheet.page(landscape=False)
    sheet.protect(f"{first}{REQUEST_FIRST_ROW}:{s}{check_row}")


@dataclass(frozen=True)
class LabelSpan:
    """A merged label cell of 三: its first row (0-based), level, text and extent."""

    row: int
    level: int
    text: str
    rows: int
    cols: int


def label_spans(lines: tuple[d.Line, ...], depth: int = 3) -> list[LabelSpan]:
    """The merged label cells of a table whose rows carry label paths.

    Consecutive rows sharing a label at a level share one cell (vMerge); a path shorter
    than `depth` lets its last label span the remaining label columns (gridSpan). The
    workbook, the DOCX and the HTML all lay out 三 from this.
    """
    spans = []
    for level in range(depth):
        i = 0
        while i < len(lines):
            path = lines[i].path
            if len(path) <= level:
                i += 1
                continue
            j = i + 1
            while j < len(lines) and lines[j].path[: level + 1] == path[: level + 1]:
                j += 1
            cols = depth - level if len(path) == level + 1 else 1
            spans.append(LabelSpan(i, level, path[level], j - i, cols))
            i = j
    return sorted(spans, key=lambda s: (s.row, s.level))


def _litigation(sheet: _Sheet, report: Report):
    width = 5 * len(d.LITIGATION_GROUPS)
    _title(sheet, d.SECTION_TITLES["四"], width)
    sheet.label(2, 1, "行政复议", cols=5, font=BOLD)
    sheet.label(2, 6, "行政诉讼", cols=10, font=BOLD)
    for g, group in enumerate(d.LITIGATION_GROUPS):
        col = 1 + g * 5
        if len(group.path) > 1:
            sheet.label(3, col, group.path[1], cols=5, font=BOLD)
        for j, field in enumerate(d.LITIGATION_FIELDS):
            if len(group.path) > 1:
                sheet.label(4, col + j, field.label, font=BOLD)
            else:
                sheet.label(3, col + j, field.label, rows=2, font=BOLD)
        values = report.litigation[group.id]
        for j, field in enumerate(d.LITIGATION_FIELDS[:-1]):
            sheet.number(LITIGATION_ROW, col + j, values[field.id], d.COUNT)
        a, b = get_column_letter(col), get_column_letter(col + 3)
        total = get_column_letter(col + 4)
        sheet.total(LITIGATION_ROW, col + 4, f"=SUM({a}{LITIGATION_ROW}:{b}{LITIGATION_ROW})",
                    values["total"], derived_total(values, d.LITIGATION_PARTS))
        sheet.label(LITIGATION_ROW + 1, col, f"{d.row_caption(group)}总计校验", cols=4, font=BOLD,
                    fill=HEAD_FILL)
        sheet.status(LITIGATION_ROW + 1, col + 4,
                     f"{total}{LITIGATION_ROW}=SUM({a}{LITIGATION_ROW}:{b}{LITIGATION_ROW})")
    sheet.widths(*([9] * width))
    for r in (3, 4):
        sheet.ws.row_dimensions[r].height = 32
    sheet.page(landscape=True)
    sheet.protect(f"A{LITIGATION_ROW + 1}:{get_column_letter(width)}{LITIGATION_ROW + 1}")


def _guide(ws, report: Report):
    ws.title = GUIDE_SHEET
    ed = report.spec
    lines = [
        f"{report.year} 年度政府信息公开工作年度报告 · 填表说明",
        f"本工作簿采用 {ed.id} 版格式（{ed.issued_by}），适用于"
        + ("2019、2020 年度" if ed.id == "2019" else "2021 年度及以后") + "的年度报告。",
        "1. 只填黄色单元格；灰色的“总计”由公式自动计算，表头和行名已锁定（工作表保护没有密码，确需修改可“撤销工作表保护”）。",
        "2. 没有发生的事项填 0（已预先填好）；确实不适用的，二表中可填“—”。不要填“无”“暂无”等文字。",
        "3. “三”表的勾稽关系：每一列中，一（本年新收）＋二（上年结转）＝（七）总计＋四（结转下年度继续办理）；"
        "（七）总计＝（一）至（六）各项之和；每行的“总计”＝自然人与各类法人或其他组织之和。",
        "4. “三”“四”表最下方的“勾稽校验”随填随算：显示“通过”为绿色，“不通过”为红色，请改到全部“通过”。",
        "5. 部分公开的申请只计入“（二）部分公开”，不再计入其他情形。",
    ]
    if ed.id == "2019":
        lines.append("6. “二”表的“本年增/减”填带符号的整数：增加填正数（如 16），减少填负数（如 -32）。"
                     "政府集中采购的“采购总金额”以万元为单位。")
    else:
        lines.append("6. “二”表的“本年收费金额”以万元为单位。“基本信息”表中须填写信息处理费"
                     "（发出收费通知的件数、总金额和实际收取的总金额，单位元；没有的填 0）。")
    lines += [
        "7. 文字部分填在“基本信息”表：一、总体情况；五、存在的主要问题及改进情况；六、其他需要报告的事项。"
        "一个自然段占一行（单元格内按 Alt+Enter 换行）。",
        "8. 填好后用 giagen check 检查本工作簿，全部通过后用 giagen render 生成报告。",
    ]
    for i, text in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = TITLE if i == 1 else FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 110
    for i in range(2, len(lines) + 1):
        ws.row_dimensions[i].height = 36


# ---- Reading ----------------------------------------------------------------------------


def read_workbook(path: str | Path) -> tuple[Report, list, Cells]:
    """Read a clerk's workbook: the report, the VALUE-TYPE findings, and where each value stands."""
    grids = _grids(path)
    facts = grids[FACTS_SHEET]
    edition_id = str(_value(facts, f"B{FIRST_FACT_ROW + 2}") or "").strip()
    if edition_id.endswith(".0"):
        edition_id = edition_id[:-2]
    if edition_id not in d.EDITIONS:
        raise InputError(f"{FACTS_SHEET}!B{FIRST_FACT_ROW + 2}：格式版本应为 2019 或 2021，实际为 {edition_id!r}")
    _check_labels(grids, edition_id)
    raw: dict = {"edition": edition_id}
    for i, (key, _, _) in enumerate(fact_rows(edition_id)):
        value = _value(facts, f"B{FIRST_FACT_ROW + i}")
        if key in ("edition",) or key.startswith("processing_fee."):
            continue
        if isinstance(value, str):
            value = value.replace("\r\n", "\n").strip()
        if key == "year" and value in ("", None):
            raise InputError(f"{FACTS_SHEET}!B{FIRST_FACT_ROW + i}：请填写报告年度")
        if key == "year" and isinstance(value, float) and value == int(value):
            value = int(value)
        raw[key] = None if value == "" else value
    if not raw.get("agency"):
        raise InputError(f"{FACTS_SHEET}!B{FIRST_FACT_ROW}：请填写机关名称")
    cells = cell_map(edition_id)
    fee = {}
    for (section, row, column), ref in cells.items():
        sheet, coordinate = ref.split("!")
        value = _value(grids[sheet], coordinate)
        if section == "六":
            if value != "":
                fee[column] = value
            continue
        table = next(t for t, s in d.TABLE_SECTIONS.items() if s == section)
        is_total = section in ("三", "四") and "total" in (row, column)
        if is_total and value == "":
            continue  # a formula with no cached value: derived
        raw.setdefault(table, {}).setdefault(row, {})[column] = value
    if fee:
        raw["processing_fee"] = fee
    report, findings = report_from_data(raw, cells)
    return report, findings, {**cells, **prose_cells(edition_id)}


def _grids(path) -> dict[str, list[list]]:
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        missing = [s for s in (FACTS_SHEET, "二", "三", "四") if s not in book.sheet_names]
        if missing:
            raise InputError(f"不是 giagen 的年报工作簿：缺少工作表「{'」「'.join(missing)}」"
                             "（请用 giagen template 生成的工作簿填写）")
        return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in (FACTS_SHEET, "二", "三", "四")}
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(f"{path}：无法读取工作簿，文件已损坏或不是 Excel .xlsx 格式") from None


def _value(grid: list[list], coordinate: str):
    from openpyxl.utils.cell import coordinate_to_tuple

    row, col = coordinate_to_tuple(coordinate)
    try:
        value = grid[row - 1][col - 1]
    except IndexError:
        return ""
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return "" if value is None else value


def _check_labels(grids, edition_id: str):
    """Refuse a workbook whose row labels are not this edition's: reading it would misplace numbers."""
    ed = d.edition(edition_id)
    for i, line in enumerate(ed.request_lines):
        row = REQUEST_FIRST_ROW + i
        found = [str(_value(grids["三"], f"{c}{row}")) for c in "ABC"]
        if line.label not in found:
            raise InputError(f"三!C{row}：应为“{line.label}”，工作簿的表格结构与 {ed.id} 版格式不符"
                             "（请勿插入或删除行）")
    for rows in proactive_rows(edition_id):
        for line in rows.block.lines:
            ref = f"A{rows.lines[line.id]}"
            if str(_value(grids["二"], ref)) != line.label:
                raise InputError(f"二!{ref}：应为“{line.label}”，工作簿的表格结构与 {ed.id} 版格式不符")
