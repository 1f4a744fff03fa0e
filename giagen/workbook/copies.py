"""Many workbooks at once: each edition's workbook built once, then every unit's values patched in."""

from __future__ import annotations

from pathlib import Path

from ..core import definitions as d
from ..core.files import write_bytes
from ..core.model import Report, blank_report
from ..core.tables import value_of
from .cells import FACTS_SHEET, FIRST_FACT_ROW, cell_map, fact_rows, sum_of
from .writer import NOT_APPLICABLE, derived_value, typed_form, workbook_bytes
from .xlsxpatch import PatchableWorkbook


def _kind_of(edition_id: str, key) -> str:
    section, row, column = key
    if section != "二":
        return d.COUNT
    return next(f.kind for f in d.edition(edition_id).block_of(row).fields if f.id == column)


def cell_values(report: Report) -> dict[str, object]:
    """What `write_workbook` would put in each input cell, as `{"三!D5": 4}`; totals that
    agree with their parts are left to their formulas."""
    values: dict[str, object] = {}
    for i, (key, _, _) in enumerate(fact_rows(report.edition)):
        ref = f"{FACTS_SHEET}!B{FIRST_FACT_ROW + i}"
        if key.startswith("processing_fee."):
            fee = report.processing_fee
            value = getattr(fee, key.split(".", 1)[1]) if fee else None
            values[ref] = NOT_APPLICABLE if fee and value is None else value
        elif key == "date":
            values[ref] = (
                f"{report.date.year}年{report.date.month}月{report.date.day}日"
                if report.date
                else None
            )
        elif key != "edition":
            values[ref] = getattr(report, key)
    for key, ref in cell_map(report.edition).items():
        if key[0] in ("二", "三", "四"):
            value = value_of(report, key)
            if sum_of(report.edition, key) is None:
                values[ref] = typed_form(value, _kind_of(report.edition, key))
            elif value is not None and value != derived_value(report, key):
                values[ref] = value
    return values


def write_workbooks(reports_and_paths) -> list[Path]:
    """Write many reports as workbooks: each edition's workbook is built once, then patched."""

    bases, written = {}, []
    for report, path in reports_and_paths:
        if report.edition not in bases:
            blank = workbook_bytes(blank_report(report.year), path=path)
            bases[report.edition] = PatchableWorkbook(blank)
        written.append(write_bytes(path, bases[report.edition].fill(cell_values(report))))
    return written
