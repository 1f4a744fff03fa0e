"""What the rules share: a finding at a cell of a table, a blank counted as 0, the rows that hold given columns."""

from __future__ import annotations

from collections.abc import Iterator

from ..core import definitions as d
from ..core.findings import Finding
from ..core.model import Report


def count_of(value) -> int:
    """A cell's number, a blank ("does not apply") counting 0."""
    return 0 if value is None else value


def cell_finding(
    report, rule, severity, section, row, column, expected, actual, message
) -> Finding:
    """A finding at one cell, its message led by the place as the report's tables name it."""
    place = d.describe(report.spec, section, row, column)
    return Finding(rule, severity, section, row, column, expected, actual, f"{place}：{message}")


def lines_with(report: Report, *field_ids: str) -> Iterator[tuple[str, dict]]:
    """The rows of 二 that hold every one of `field_ids`, with their values."""
    for line in report.spec.proactive_lines:
        row = report.proactive[line.id]
        if all(f in row and row[f] is not None for f in field_ids):
            yield line.id, row
