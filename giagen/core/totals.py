"""What each total of 三 and 四 should be, from its parts."""

from __future__ import annotations

from decimal import Decimal
from typing import Optional

from . import definitions as d

Value = Optional[int | Decimal]
Table = dict[str, dict[str, Value]]


def derived_total(values: dict[str, Value], parts) -> Value:
    """The sum of `parts`, "does not apply" counting as 0; None when none applies."""
    total = None
    for part in parts:
        value = values.get(part)
        if value is not None:
            total = value if total is None else total + value
    return total


def row_sum(table: str, rows: Table, row: str) -> Value:
    """A row's 总计 from its parts: the applicant types of 三, the four results of 四."""
    return derived_total(rows[row], d.REQUEST_PARTS if table == "requests" else d.LITIGATION_PARTS)


def result_sum(ed: d.Edition, rows: Table, column: str) -> Value:
    """（七）总计 of a column of 三: the sum of the result rows （一）…（六）."""
    results = [ln.id for ln in ed.result_lines]
    return derived_total({r: rows[r][column] for r in results}, results)


def expected_total(ed: d.Edition, table: str, rows: Table, row: str, column: str) -> Value:
    """What a total cell holds when derived; the corner of 三 is its row's sum."""
    return row_sum(table, rows, row) if column == "total" else result_sum(ed, rows, column)


def is_total(table: str, row: str, column: str) -> bool:
    """Whether a cell of 三 or 四 is a total."""
    return table in ("requests", "litigation") and (column == "total" or row == "total")
