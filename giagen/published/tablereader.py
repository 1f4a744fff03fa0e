"""The rows of one published table read by their labels; a row that cannot be read is recorded, not fatal."""

from __future__ import annotations

import itertools
import re

from ..core import definitions as d
from .digitruns import MAX_TRIED_DOCUMENT, parts_and_total, readings
from .documents import Token, norm
from .structure import BLANK_MARKS, Reader

CANDIDATES = 12  # readings of one row kept for the columns to choose among


class TableReader:
    """Reads the rows of one table; a row that cannot be read is recorded, not fatal."""

    def __init__(self, reader: Reader, ed: d.Edition, record: dict):
        self.reader, self.ed, self.record = reader, ed, record
        self.pending: dict[tuple, tuple] = {}  # rows whose run-together figures split several ways
        self.splits_left = [MAX_TRIED_DOCUMENT]  # splits of run-together figures still to try

    def unreadable(self, table: str, row: str, message: str, where: str):
        """Record a row that could not be read, with why and where."""
        self.record["unreadable"].append(
            {"table": table, "row": row, "message": message, "where": where}
        )

    def values(
        self, table: str, row: str | None, place: str, run: list[Token], count: int, at: Token
    ) -> list | None:
        """The `count` figures of a row, or None (recorded, with why) when there are more or fewer."""
        while len(run) > count and not run[0].text.strip():
            run = run[1:]  # empty cells of a label spanning columns: layout, not numbers
        while len(run) > count and not run[-1].text.strip():
            run = run[:-1]  # empty cells after the last figure: likewise
        if len(run) == count:
            return run
        if run and len(run) < count and all(re.fullmatch(r"\d+", t.text.strip()) for t in run):
            split = self._split(table, row, place, run, count, at)
            if split is not None:
                return split
            return None
        fused = next(
            (
                t.text.strip()
                for t in run
                if len(run) < count
                and re.fullmatch(r"\d{%d,}" % (count - len(run) + 1), t.text.strip())
            ),
            None,
        )
        if fused:
            message = (
                f"{place}：数字连在一起（“{fused}”），分不清 {count} 个单元格；"
                "请改用网页的 HTML 原文（另存为网页），其中单元格是分开的"
            )
        elif len(run) > count:
            shown = " ".join(t.text.strip() or "（空）" for t in run)
            message = f"{place}：应有 {count} 个数字，有 {len(run)} 个（{shown}），这一行未读入"
        else:
            message = f"{place}：应有 {count} 个数字，只找到 {len(run)} 个，这一行未读入"
        self.unreadable(table, row, message, at.where)
        return None

    def _split(self, table, row, place, run, count, at) -> list[Token] | None:
        """Figures run together, read the one way the row's arithmetic allows; several ways are
        kept as candidates for the table's columns to decide (`resolve`)."""
        digits = [t.text.strip() for t in run]
        width = {"requests": len(d.REQUEST_FIELDS), "litigation": len(d.LITIGATION_FIELDS)}
        holds = parts_and_total(width[table]) if table in width else (lambda numbers: True)
        found, complete = readings(digits, count, holds, CANDIDATES, self.splits_left)
        if not complete:
            self.unreadable(
                table,
                row,
                f"{place}：数字连在一起（“{' '.join(digits)}”），拆分的方式太多，无法确定；"
                "请改用网页的 HTML 原文（另存为网页），其中单元格是分开的",
                at.where,
            )
            return None
        if len(found) == 1:
            return self._read_from(table, row, " ".join(digits), found[0], at)
        self.pending[(table, row)] = (found, place, " ".join(digits), at)
        return None

    def _read_from(self, table, row, digits: str, numbers: list[int], at: Token) -> list[Token]:
        self.record.setdefault("digit_runs", []).append(
            {"table": table, "row": row, "digits": digits, "read": numbers, "where": at.where}
        )
        return [Token(str(n), at.where, cell=True) for n in numbers]

    def resolve(self, table: str, data: dict):
        """Rows of 三 whose run-together figures split several ways: the one combination for
        which every column adds up ((七)总计 the sum of the results, 一+二 = (七)+四) is read;
        otherwise each such row is recorded as unreadable, with its candidates."""
        mine = [(row, entry) for (t, row), entry in self.pending.items() if t == table]
        chosen = None
        if mine and table == "requests" and all(entry[0] for _, entry in mine):
            fields = d.REQUEST_FIELDS
            combos = []
            for combo in itertools.islice(itertools.product(*(e[0] for _, e in mine)), 100_000):
                rows = {
                    r: dict(zip((f.id for f in fields), v, strict=True))
                    for (r, _), v in zip(mine, combo, strict=True)
                }
                if self._columns_add_up(data, rows):
                    combos.append(combo)
                    if len(combos) > 1:
                        break
            chosen = combos[0] if len(combos) == 1 else None
        for i, (row, (found, place, digits, at)) in enumerate(mine):
            if chosen is not None:
                tokens = self._read_from(table, row, digits, list(chosen[i]), at)
                fields = d.table_shape(self.ed, table)[1](row)
                data[row] = {
                    f.id: self.cell(table, row, f, t) for f, t in zip(fields, tokens, strict=True)
                }
                continue
            options = "；".join(" ".join(map(str, numbers)) for numbers in found[:2])
            why = (
                f"可读作 {options} 等，无法确定" if found else "无论怎样拆分都不符合表内的勾稽关系"
            )
            self.unreadable(
                table,
                row,
                f"{place}：数字连在一起（“{digits}”），{why}；请改用网页的 HTML 原文（另存为网页），"
                "其中单元格是分开的",
                at.where,
            )
        self.pending = {k: v for k, v in self.pending.items() if k[0] != table}

    def _columns_add_up(self, data: dict, trial: dict) -> bool:
        def value(row, field):
            values = trial.get(row) or data.get(row)
            text = str(values[field]) if values and field in values else ""
            return int(text) if text.isdigit() else None

        results = [ln.id for ln in self.ed.result_lines]
        for f in d.REQUEST_FIELDS:
            parts = [value(r, f.id) for r in results]
            total = value("total", f.id)
            if total is not None and None not in parts and sum(parts) != total:
                return False
            ends = [value(r, f.id) for r in ("new_received", "carried_over", "carried_forward")]
            if total is not None and None not in ends and ends[0] + ends[1] != total + ends[2]:
                return False
        return True

    def read(self, table: str, start: int, end: int) -> tuple[dict, int | None]:
        """The rows of `table` between `start` and `end`; where its last row ended.

        A 序号 column before the labels is recognised by its header and its numbers dropped
        (each stands after the row before it, as a figure too many)."""
        lines, fields_of = d.table_shape(self.ed, table)
        data, at, found, last = {}, start, 0, None
        # the header may stand before `start` (the table's first row label)
        serials = "序号" in self.reader.keys[max(0, start - 30) : end]
        for line in lines:
            if line.id in data:
                continue  # read already, as part of an older layout's row
            fields = fields_of(line.id)
            span = self.reader.row(at, end, (line.label, *d.ROW_ALIASES.get(line.id, ())))
            if span is None and (near := self.reader.near_row(at, end, line.label)) is not None:
                span = (near, near)
                self.record.setdefault("near_labels", []).append(
                    {"table": table, "row": line.id, "seen": self.reader.tokens[near].text}
                )
            if span is None and (old := self._older_row(table, line, at, end)) is not None:
                rows, at = old
                data.update(rows)
                found += 1
                last = at
                continue
            if span is None:
                data[line.id] = None
                self.unreadable(
                    table,
                    line.id,
                    f"{d.describe(self.ed, d.TABLE_SECTIONS[table], line.id, None)}："
                    f"在表格中找不到这一行",
                    self.reader.tokens[min(at, len(self.reader.tokens) - 1)].where,
                )
                continue
            found += 1
            label_end = span[1]
            run = self.reader.run(label_end, end)
            serial = (
                serials and len(run) == len(fields) + 1 and re.fullmatch(r"\d{1,3}", run[-1].text)
            )
            if serial:
                run = run[:-1]  # the next row's 序号
            place = d.describe(self.ed, d.TABLE_SECTIONS[table], line.id, None)
            values = self.values(
                table, line.id, place, run, len(fields), self.reader.tokens[span[0]]
            )
            at = label_end + 1 + len(run) + (1 if serial else 0)
            last = at
            data[line.id] = (
                None
                if values is None
                else {f.id: self.cell(table, line.id, f, t) for f, t in zip(fields, values)}
            )
        self.resolve(table, data)
        if not found:
            return {}, None
        return data, last

    def _older_row(self, table: str, line: d.Line, at: int, end: int):
        """The 2019 layout's single row (`（六）其他处理` with its seven figures) standing where a
        newer table has that row's parts: read as the last part (`3.其他`), the others 0, and
        recorded. None when the table has the parts, or not that row."""
        if len(line.path) < 3 or line.path[0] != d.RESULTS:
            return None
        group = line.path[1]
        parts = [ln for ln in self.ed.request_lines if ln.path[:2] == (d.RESULTS, group)]
        span = self.reader.row(at, end, (group,))
        if not parts or parts[0].id != line.id or span is None:
            return None
        run = self.reader.run(span[1], end)
        fields = d.table_shape(self.ed, table)[1](line.id)
        if len([t for t in run if t.text.strip()]) != len(fields):
            return None  # the group's label with its parts below, as the newer layout has it
        run = [t for t in run if t.text.strip()]
        rows = {ln.id: {f.id: 0 for f in fields} for ln in parts[:-1]}
        rows[parts[-1].id] = {
            f.id: self.cell(table, parts[-1].id, f, t) for f, t in zip(fields, run)
        }
        self.record.setdefault("older_rows", []).append(
            {
                "table": table,
                "row": group,
                "as": parts[-1].label,
                "where": self.reader.tokens[span[0]].where,
            }
        )
        return rows, span[1] + 1 + len(self.reader.run(span[1], end))

    def cell(self, table: str, row: str, field: d.Field, token: Token):
        """A cell's value as the rules read it: blanks in 三 and 四 count 0 and are listed."""
        text = token.text.strip()
        if text in BLANK_MARKS and (table != "proactive" or not text):
            self.record["blank"].setdefault(d.TABLE_SECTIONS[table], []).append([row, field.id])
            return 0 if field.kind != d.AMOUNT else "0"
        return text

    def litigation(self, start: int, end: int) -> tuple[dict, int | None]:
        """四: one row of 15 figures under a three-level header."""
        heads = {norm(f.label) for f in d.LITIGATION_FIELDS} | {
            "行政复议",
            "行政诉讼",
            "未经复议直接起诉",
            "复议后起诉",
        }
        last_head = None
        for i in range(start, min(end, len(self.reader.keys))):
            key = self.reader.keys[i]
            if key in heads or (len(key) < 60 and any(h in key for h in heads)):
                last_head = i
        if last_head is None:
            return {}, None
        run = self.reader.run(last_head, end)
        if not run and last_head + 1 < end and len(self.reader.keys[last_head + 1]) <= 6:
            last_head += 1  # a label cell before the figures (`件数`, `数量（件）`)
            run = self.reader.run(last_head, end)
        count = len(d.LITIGATION_GROUPS) * len(d.LITIGATION_FIELDS)
        values = self.values(
            "litigation",
            None,
            "四、行政复议和行政诉讼的数字行",
            run,
            count,
            self.reader.tokens[last_head],
        )
        if values is None:  # the one row of 四: every group
            return {g.id: None for g in d.LITIGATION_GROUPS}, last_head + 1 + len(run)
        fields = d.LITIGATION_FIELDS
        data = {
            g.id: {
                f.id: self.cell("litigation", g.id, f, values[i * len(fields) + j])
                for j, f in enumerate(fields)
            }
            for i, g in enumerate(d.LITIGATION_GROUPS)
        }
        return data, last_head + 1 + len(run)
