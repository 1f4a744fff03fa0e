"""Where everything stands in the clerk's workbook: sheets, fact rows, the cell of every number."""

from __future__ import annotations

import functools

from ..core import definitions as d
from ..core.model import Cells
from ..core.tables import Cell, Grid, grids
from .sheetxml import column_letter as get_column_letter

FACTS_SHEET, GUIDE_SHEET = "基本信息", "填表说明"

# The facts and prose sheet: (key, label, hint). Keys are Report fields or processing_fee.*.
FACT_ROWS = (
    ("agency", "机关名称", "填写机关全称，如：西工区统计局"),
    ("year", "报告年度", "四位年份，如 2023；2020 年及以前用 2019 版格式，2021 年起用 2021 版格式"),
    ("edition", "格式版本", "由本工作簿决定，请勿修改"),
    ("date", "落款日期", "必填，如 2025-01-20：报告年度结束之后，一般不晚于次年 1 月 31 日"),
    ("title", "报告标题", "可不填；不填时为“机关名称+年度+年政府信息公开工作年度报告”"),
    ("preamble", "前言", "可不填；不填时自动生成引用《条例》和统计期限的标准前言"),
    ("overview", d.SECTION_TITLES["一"], "必填；分段填写（Alt+Enter 换行）；可用（一）…（五）分层"),
    ("problems", d.SECTION_TITLES["五"], "必填；写明存在的问题、改进措施，以及上年问题的整改情况"),
    ("other", d.SECTION_TITLES["六"], "必填；没有其他事项时填写：无。"),
)
FEE_ROWS = tuple(
    (
        f"processing_fee.{f.id}",
        f"信息处理费：{f.label}",
        "按国办函〔2020〕109号报告；没有填 0" + ("；单位为元" if f.kind == d.YUAN else ""),
    )
    for f in d.PROCESSING_FEE_FIELDS
)
FIRST_FACT_ROW = 3


# ---- Where everything stands ------------------------------------------------------------

# Each table's grid starts at this sheet row (1-based), below the sheet's title.
GRID_TOP = {"二": 3, "三": 2, "四": 2}


def fact_rows(edition_id: str):
    """The rows of the 基本信息 sheet for an edition, fee rows included where it has them."""
    return FACT_ROWS + (FEE_ROWS if d.edition(edition_id).has_processing_fee else ())


def address(grid: Grid, cell: Cell) -> str:
    """A grid cell's sheet address, e.g. `D7`."""
    return f"{get_column_letter(cell.col + 1)}{GRID_TOP[grid.section] + cell.row}"


@functools.cache
def cell_map(edition_id: str) -> dict[tuple[str, str, str], str]:
    """(section, row id, column id) → `三!D5`, for every number of the edition."""
    cells = {}
    for section, grid in grids(d.edition(edition_id)).items():
        for cell in grid.cells:
            if cell.key:
                cells[cell.key] = f"{section}!{address(grid, cell)}"
    for i, (key, _, _) in enumerate(fact_rows(edition_id)):
        if key.startswith("processing_fee."):
            cells[("六", "processing_fee", key.split(".", 1)[1])] = (
                f"{FACTS_SHEET}!B{FIRST_FACT_ROW + i}"
            )
    return cells


# The prose fields under the section they print in; the others are named by their field.
PROSE_SECTIONS = {"overview": "一", "problems": "五", "other": "六"}


def text_cells(edition_id: str) -> Cells:
    """Where the facts and prose stand, for findings about them."""
    return {
        d.text_key(key): f"{FACTS_SHEET}!B{FIRST_FACT_ROW + i}"
        for i, (key, _, _) in enumerate(fact_rows(edition_id))
        if not key.startswith("processing_fee.")
    }


def _ref(edition_id: str, key) -> str:
    return cell_map(edition_id)[key].split("!")[1]


def sum_of(edition_id: str, key) -> str | None:
    """What a total cell of 三 or 四 adds up (`SUM(D7:D26)`); None for a cell that is no total."""
    ed, (section, row, column) = d.edition(edition_id), key
    if section == "三" and column == "total":
        parts = [(section, row, p) for p in d.REQUEST_PARTS]
    elif section == "三" and row == "total":
        parts = [(section, ln.id, column) for ln in ed.result_lines]
    elif section == "四" and column == "total":
        parts = [(section, row, p) for p in d.LITIGATION_PARTS]
    else:
        return None
    return f"SUM({_ref(edition_id, parts[0])}:{_ref(edition_id, parts[-1])})"
