"""The three statutory tables as grids of merged cells: the one layout every output draws."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from . import definitions as d

Key = tuple[str, str, str]  # (section, row id, column id)


@dataclass(frozen=True)
class Cell:
    """One cell of a table: where it starts, how far it spans, a label or the key of a value."""

    row: int
    col: int
    text: str = ""
    rowspan: int = 1
    colspan: int = 1
    head: bool = False
    key: Key | None = None
    kind: str = d.COUNT


@dataclass(frozen=True, eq=False)
class Grid:
    """A table: its cells, its size, and how many leading rows are headers."""

    section: str
    cells: tuple[Cell, ...]
    rows: int
    cols: int
    header_rows: int
    widths: tuple[int, ...]  # relative column widths

    def align(self, cell: Cell) -> str:
        """Row labels of 三 read from the left; everything else is centred."""
        label = cell.key is None and cell.row >= self.header_rows and cell.rowspan == 1
        return "left" if self.section == "三" and label else "center"

    @functools.cached_property
    def rows_of_cells(self) -> list[list[Cell]]:
        """The cells that start in each row, left to right."""
        rows: list[list[Cell]] = [[] for _ in range(self.rows)]
        for cell in sorted(self.cells, key=lambda c: (c.row, c.col)):
            rows[cell.row].append(cell)
        return rows

    @functools.cached_property
    def slots(self) -> list[list[tuple[Cell, bool]]]:
        """Per row, each cell that starts or continues (vertically) there, with a continuation flag.

        Word has no rowspan: a vertically merged cell repeats in every row it covers.
        """
        rows: list[list[tuple[Cell, bool]]] = [[] for _ in range(self.rows)]
        for cell in self.cells:
            for r in range(cell.row, cell.row + cell.rowspan):
                rows[r].append((cell, r != cell.row))
        return [sorted(r, key=lambda s: s[0].col) for r in rows]


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

    Consecutive rows sharing a label at a level share one cell (vertical merge); a path
    shorter than `depth` lets its last label span the remaining label columns.
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


PROACTIVE_WIDTH = 3  # data columns of 二 beside 信息内容


def proactive_grid(ed: d.Edition) -> Grid:
    """二: per block a full-width 第二十条 row, a 信息内容 header row, then its rows."""
    cells, row = [], 0
    for block in ed.blocks:
        cells.append(Cell(row, 0, block.heading, colspan=1 + PROACTIVE_WIDTH, head=True))
        cells.append(Cell(row + 1, 0, d.INFO_CONTENT, head=True))
        n = len(block.fields)
        # The last column of a narrow block spans what is left of the table's width.
        spans = [1] * (n - 1) + [PROACTIVE_WIDTH - n + 1]
        for i, field in enumerate(block.fields):
            cells.append(Cell(row + 1, 1 + i, field.label, colspan=spans[i], head=True))
        for k, line in enumerate(block.lines, start=2):
            cells.append(Cell(row + k, 0, line.label, head=True))
            for i, field in enumerate(block.fields):
                cells.append(
                    Cell(
                        row + k,
                        1 + i,
                        colspan=spans[i],
                        key=("二", line.id, field.id),
                        kind=field.kind,
                    )
                )
        row += 2 + len(block.lines)
    return Grid("二", tuple(cells), row, 1 + PROACTIVE_WIDTH, 0, (30, 23, 23, 24))


REQUEST_HEADER_ROWS = 3


def requests_grid(ed: d.Edition) -> Grid:
    """三: the 勾稽 corner, the three-level applicant header, label paths, seven numbers."""
    parts = len(d.LEGAL_PERSON_IDS)
    cells = [
        Cell(0, 0, d.REQUESTS_CORNER, rowspan=3, colspan=3, head=True),
        Cell(0, 3, d.APPLICANTS, colspan=len(d.REQUEST_FIELDS), head=True),
        Cell(1, 3, d.REQUEST_FIELDS[0].label, rowspan=2, head=True),
        Cell(1, 4, d.LEGAL_PERSONS, colspan=parts, head=True),
        Cell(1, 4 + parts, d.REQUEST_FIELDS[-1].label, rowspan=2, head=True),
    ]
    cells += [Cell(2, 4 + i, f.label, head=True) for i, f in enumerate(d.REQUEST_FIELDS[1:-1])]
    top = REQUEST_HEADER_ROWS
    for span in label_spans(ed.request_lines):
        cells.append(Cell(top + span.row, span.level, span.text, span.rows, span.cols, head=True))
    for i, line in enumerate(ed.request_lines):
        for j, field in enumerate(d.REQUEST_FIELDS):
            cells.append(Cell(top + i, 3 + j, key=("三", line.id, field.id)))
    widths = (8, 12, 26, 8, 8, 8, 8, 8, 7, 7)
    return Grid("三", tuple(cells), top + len(ed.request_lines), 10, REQUEST_HEADER_ROWS, widths)


def litigation_grid() -> Grid:
    """四: 行政复议 | 行政诉讼 (未经复议直接起诉 · 复议后起诉), five columns each, one row of numbers."""
    cells, width = [], len(d.LITIGATION_FIELDS)
    col = 0
    for top in dict.fromkeys(g.path[0] for g in d.LITIGATION_GROUPS):
        n = sum(g.path[0] == top for g in d.LITIGATION_GROUPS)
        cells.append(Cell(0, col, top, colspan=width * n, head=True))
        col += width * n
    for g, group in enumerate(d.LITIGATION_GROUPS):
        col = g * width
        nested = len(group.path) > 1
        if nested:
            cells.append(Cell(1, col, group.path[1], colspan=width, head=True))
        for j, field in enumerate(d.LITIGATION_FIELDS):
            cells.append(
                Cell(
                    2 if nested else 1, col + j, field.label, rowspan=1 if nested else 2, head=True
                )
            )
            cells.append(Cell(3, col + j, key=("四", group.id, field.id)))
    n = width * len(d.LITIGATION_GROUPS)
    return Grid("四", tuple(cells), 4, n, 3, (1,) * n)


@functools.cache
def grids(ed: d.Edition) -> dict[str, Grid]:
    """The three grids of an edition, built once: they never change."""
    return {"二": proactive_grid(ed), "三": requests_grid(ed), "四": litigation_grid()}


def value_of(report, key: Key):
    """The value a table cell holds in a report."""
    section, row, column = key
    table = next(t for t, s in d.TABLE_SECTIONS.items() if s == section)
    return getattr(report, table)[row][column]
