"""The clerk's Excel workbook, written: template or filled, one sheet per table as published."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..core import definitions as d
from ..core.exceptions import WriteError
from ..core.files import collect_quietly, os_error_of, write_bytes
from ..core.model import Report
from ..core.numbers import MAX_COUNT, WAN_DOUBT, format_value
from ..core.tables import (
    PROACTIVE_WIDTH,
    Grid,
    litigation_grid,
    proactive_grid,
    requests_grid,
    value_of,
)
from ..core.totals import expected_total
from .cells import (
    FACTS_SHEET,
    FIRST_FACT_ROW,
    GRID_TOP,
    GUIDE_SHEET,
    _ref,
    fact_rows,
    sum_of,
)

PASS, FAIL = "通过", "不通过"
NOT_APPLICABLE = "—"
_TABLE_OF = {section: table for table, section in d.TABLE_SECTIONS.items()}


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

NUMBER_FORMATS = {d.COUNT: "0", d.SIGNED: "+0;-0;0", d.AMOUNT: "0.####", d.YUAN: "0.##"}
_MAX = str(MAX_COUNT)


def _validation(kind: str) -> DataValidation:
    if kind in (d.AMOUNT, d.YUAN):
        # A warning only: the clerk must be able to type the unit (`35600万元`, `174360元`).
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
        dv.errorStyle = "warning"
        dv.error = (
            "金额以"
            + ("万元" if kind == d.AMOUNT else "元")
            + "为单位；单位不同时请连单位一起填写，如“174360元”"
        )
    elif kind == d.SIGNED:
        dv = DataValidation(type="whole", operator="between", formula1="-" + _MAX, formula2=_MAX)
        dv.error = "请填写整数，增加为正数，减少为负数"
    else:
        dv = DataValidation(type="whole", operator="between", formula1="0", formula2=_MAX)
        dv.error = "请填写不小于 0 的整数；没有发生的填 0，不要填“无”或“—”"
    dv.errorTitle, dv.showErrorMessage = "填写有误", True
    return dv


def typed_form(value, kind: str):
    """A value as the workbook holds it so that reading it back gives the same value:
    a 万元 amount of 10,000 or more carries its unit, or it would read as a doubtful one."""
    if value is None:
        return NOT_APPLICABLE
    if kind == d.AMOUNT and value >= WAN_DOUBT:
        return f"{format_value(value, kind)}万元"
    return value


class _Sheet:
    """A worksheet with the few writing moves the tables need."""

    def __init__(self, ws, validations: dict):
        self.ws, self.validations = ws, validations

    def label(self, row, col, text, *, rows=1, cols=1, font=FONT, fill=None, align=CENTER):
        """A label cell (merged over `rows` × `cols`) with its borders."""
        cell = self.ws.cell(row=row, column=col, value=text)
        cell.font, cell.alignment = font, align
        if fill:
            cell.fill = fill
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                self.ws.cell(row=r, column=c).border = BORDER
        if rows > 1 or cols > 1:
            self.ws.merge_cells(
                start_row=row, start_column=col, end_row=row + rows - 1, end_column=col + cols - 1
            )
        return cell

    def number(self, row, col, value, kind, *, cols=1):
        """An input cell for a value of `kind`, unlocked and validated."""
        cell = self.label(row, col, None, cols=cols)
        cell.value = typed_form(value, kind)
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
        """A 通过/不通过 formula cell."""
        cell = self.label(row, col, f'=IF({condition},"{PASS}","{FAIL}")', font=BOLD, **merge)
        return cell

    def widths(self, *widths):
        """Column widths, left to right."""
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w

    def protect(self, status_range: str | None = None):
        """Lock the sheet (no password) and colour its status cells."""
        if status_range:
            green = PatternFill("solid", fgColor="C6EFCE")
            red = PatternFill("solid", fgColor="FFC7CE")
            self.ws.conditional_formatting.add(
                status_range,
                CellIsRule(
                    operator="equal", formula=[f'"{PASS}"'], fill=green, font=Font(color="006100")
                ),
            )
            self.ws.conditional_formatting.add(
                status_range,
                CellIsRule(
                    operator="equal", formula=[f'"{FAIL}"'], fill=red, font=Font(color="9C0006")
                ),
            )
        # Protection without a password: labels and formulas stay put, nobody gets stuck.
        p = self.ws.protection
        p.sheet, p.formatColumns, p.formatRows = True, False, False

    def page(self, landscape: bool, title_rows: str | None = None):
        """Print on A4, as wide as the paper; `title_rows` ("2:4") repeat on every page."""
        _print_setup(self.ws, landscape)
        if title_rows:
            self.ws.print_title_rows = title_rows


def write_workbook(report: Report, path: str | Path, keywords: str = "") -> Path:
    """Write `report` as the clerk's workbook (a blank report gives the template).

    `keywords` go into the file's properties: a region's workbook is marked so.
    """
    return write_bytes(path, workbook_bytes(report, keywords, path))


def workbook_bytes(report: Report, keywords: str = "", path: str | Path = "工作簿") -> bytes:
    """The clerk's workbook of `report` as bytes; a refusal of the disk is a WriteError naming
    `path`, the file it was made for."""
    wb = Workbook()
    wb.properties.creator = "giagen"
    wb.properties.keywords = keywords or None
    validations: dict = {}
    _guide(wb.active, report)
    _facts(_Sheet(wb.create_sheet(FACTS_SHEET), validations), report)
    _proactive(_Sheet(wb.create_sheet("二"), validations), report)
    _requests(_Sheet(wb.create_sheet("三"), validations), report)
    _litigation(_Sheet(wb.create_sheet("四"), validations), report)
    wb.active = 1
    buffer = io.BytesIO()  # made whole in memory: a full disk fails at the one write below
    try:
        wb.save(buffer)  # openpyxl writes each sheet through a temporary file first
        failure = None
    except (OSError, etree.SerialisationError) as exc:
        failure = os_error_of(exc)
    if failure is not None:
        collect_quietly()  # the traceback is gone: openpyxl's half-written sheets can be closed
        raise WriteError(path, failure)
    return buffer.getvalue()


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
        # the hint and the label wrap in their columns: room for every line of both
        sheet.ws.row_dimensions[row].height = max(
            20, 14 * max(-(-len(hint) // 17), -(-len(label) // 10)) + 4
        )
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


def _draw(sheet: _Sheet, grid: Grid, report: Report):
    """Lay a table's grid on the sheet: labels locked, numbers open, totals as formulas."""
    for cell in grid.cells:
        row, col = GRID_TOP[grid.section] + cell.row, cell.col + 1
        if cell.key is None:
            wide = cell.colspan > PROACTIVE_WIDTH  # a 第二十条 row of 二
            sheet.label(
                row,
                col,
                cell.text,
                rows=cell.rowspan,
                cols=cell.colspan,
                font=BOLD if cell.row < grid.header_rows or wide else FONT,
                fill=HEAD_FILL if wide else None,
                align=LEFT if grid.align(cell) == "left" else CENTER,
            )
            continue
        total = sum_of(report.edition, cell.key)
        if total is None:
            sheet.number(row, col, value_of(report, cell.key), cell.kind, cols=cell.colspan)
        else:
            sheet.total(
                row, col, f"={total}", value_of(report, cell.key), derived_value(report, cell.key)
            )


def derived_value(report: Report, key):
    """What a total cell holds when left to its formula: the sum of its parts."""
    section, row, column = key
    table = _TABLE_OF[section]
    return expected_total(report.spec, table, getattr(report, table), row, column)


def _proactive(sheet: _Sheet, report: Report):
    _title(sheet, d.SECTION_TITLES["二"], 1 + PROACTIVE_WIDTH)
    _draw(sheet, proactive_grid(report.spec), report)
    sheet.widths(26, 20, 20, 20)
    sheet.page(landscape=False)
    sheet.protect()


def _requests(sheet: _Sheet, report: Report):
    ed, grid = report.spec, requests_grid(report.spec)
    _title(sheet, d.SECTION_TITLES["三"], grid.cols)
    _draw(sheet, grid, report)
    first_row = GRID_TOP["三"] + grid.header_rows
    check_row, status_col = GRID_TOP["三"] + grid.rows, grid.cols + 1
    sheet.label(
        GRID_TOP["三"], status_col, "本行校验", rows=grid.header_rows, font=BOLD, fill=HEAD_FILL
    )
    for i, line in enumerate(ed.request_lines):
        key = ("三", line.id, "total")
        sheet.status(first_row + i, status_col, f"{_ref(ed.id, key)}={sum_of(ed.id, key)}")
    sheet.label(
        check_row,
        1,
        "勾稽校验：一＋二＝（七）＋四，（七）＝（一）至（六）之和",
        cols=3,
        font=BOLD,
        fill=HEAD_FILL,
    )
    for j, field in enumerate(d.REQUEST_FIELDS):
        new, old, done, forward = (
            _ref(ed.id, ("三", row, field.id))
            for row in ("new_received", "carried_over", "total", "carried_forward")
        )
        results = sum_of(ed.id, ("三", "total", field.id))
        sheet.status(check_row, 4 + j, f"AND({new}+{old}={done}+{forward},{done}={results})")
    first, last = get_column_letter(4), get_column_letter(grid.cols)
    s = get_column_letter(status_col)
    sheet.status(
        check_row,
        status_col,
        f'COUNTIF({first}{check_row}:{last}{check_row},"{FAIL}")'
        f'+COUNTIF({s}{first_row}:{s}{check_row - 1},"{FAIL}")=0',
    )
    sheet.widths(9, 14, 34, 10, 10, 10, 12, 12, 10, 10, 10)
    for r in range(first_row, check_row):
        sheet.ws.row_dimensions[r].height = 30
    sheet.ws.freeze_panes = sheet.ws.cell(row=first_row, column=4)
    sheet.page(landscape=False, title_rows=f"{GRID_TOP['三']}:{first_row - 1}")
    sheet.protect(f"{first}{first_row}:{s}{check_row}")


def _litigation(sheet: _Sheet, report: Report):
    grid = litigation_grid()
    _title(sheet, d.SECTION_TITLES["四"], grid.cols)
    _draw(sheet, grid, report)
    check_row = GRID_TOP["四"] + grid.rows
    for group in d.LITIGATION_GROUPS:
        key = ("四", group.id, "total")
        total = _ref(report.edition, key)
        col = column_index_from_string(total.rstrip("0123456789"))
        sheet.label(
            check_row, col - 4, f"{d.row_caption(group)}总计校验", cols=4, font=BOLD, fill=HEAD_FILL
        )
        sheet.status(check_row, col, f"{total}={sum_of(report.edition, key)}")
    sheet.widths(*([9] * grid.cols))
    for r in (3, 4):
        sheet.ws.row_dimensions[r].height = 32
    sheet.page(landscape=True)
    sheet.protect(f"A{check_row}:{get_column_letter(grid.cols)}{check_row}")


def _guide(ws, report: Report):
    ws.title = GUIDE_SHEET
    ed = report.spec
    lines = [
        f"{report.year} 年度政府信息公开工作年度报告 · 填表说明",
        f"本工作簿采用 {ed.id} 版格式（{ed.issued_by}），适用于{ed.years_text}的年度报告。",
        "1. 只填黄色单元格；灰色的“总计”由公式自动计算，表头和行名已锁定（工作表保护没有密码，确需修改可“撤销工作表保护”）。"
        "不要插入、删除或移动任何行和列，包括“基本信息”表。",
        "2. 件数（“二”表的件数、决定数量、项目数量，“三”“四”表的每一格）只填 0 至 9999999 的整数："
        "没有发生的填 0（已预先填好），不要填“无”“—”“/”或文字；千位分隔符只能每三位一个（如 1,234）；"
        "不能有小数、上标、分数、科学计数法，也不能是显示 #DIV/0!、#REF! 的公式。",
        "3. 金额：“二”表的金额以万元为单位，按元填写时连单位一起写（如“174360元”，自动换算为万元）；"
        "数字达到 10000（即 1 亿元）时须写明单位（如“35600万元”），以免把元误填成万元。"
        "没有此类收费的金额可填“—”。",
        "4. “三”表的勾稽关系：每一列中，一（本年新收）＋二（上年结转）＝（七）总计＋四（结转下年度继续办理）；"
        "（七）总计＝（一）至（六）各项之和；每行的“总计”＝自然人与各类法人或其他组织之和。"
        "“三”“四”表最下方的“勾稽校验”随填随算：显示“通过”为绿色，“不通过”为红色，请改到全部“通过”。",
        "5. 部分公开的申请只计入“（二）部分公开”，不再计入其他情形。",
    ]
    lines.append(f"6. {ed.guide}")
    lines += [
        "7. “基本信息”表的机关名称、报告年度、落款日期和文字部分（一、总体情况；五、存在的主要问题及改进情况；"
        "六、其他需要报告的事项，没有的填“无。”）必须填写，不要留下“【待填写】”“XXX”“××”等占位文字。"
        "一个自然段占一行（单元格内按 Alt+Enter 换行）。落款日期在报告年度结束之后，一般不晚于次年 1 月 31 日。",
        "8. 填好后用 giagen check 检查本工作簿，全部通过后用 giagen render 生成报告。",
    ]
    for i, text in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.font = TITLE if i == 1 else FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.column_dimensions["A"].width = 64  # inside A4's printable width even unscaled
    for i in range(2, len(lines) + 1):  # 64 columns hold about 29 CJK characters a line
        ws.row_dimensions[i].height = 16 * -(-len(lines[i - 1]) // 28) + 4
    _print_setup(ws, landscape=False)


def _print_setup(ws, landscape: bool):
    """A4, as wide as the paper: the printed copy can be checked too."""
    setup = ws.page_setup
    setup.paperSize = ws.PAPERSIZE_A4
    setup.orientation = "landscape" if landscape else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
