"""What the coordinator reads after every run: status.csv, index.html, round-log.csv, 专栏.html, findings.csv, units.xlsx."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

from ..core.files import atomic_path, write_bytes, write_text
from ..core.findings import SEVERITY_NAMES
from ..output.templating import environment
from ..workbook.xlsxwrite import Cells, cells, write_table
from . import board as b
from .units import number_columns, numbers_row

STATE = ".giagen-round.json"  # each unit's status at the last run, for round-log.csv
STATUS_COLUMNS = ["单位", "状态", "逾期", "文件", "错误数", "警告数", "通知"]


def _csv(rows: list[list]) -> bytes:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8-sig")  # the BOM: Excel opens it as UTF-8


def write_status(rows: list[b.Row], out: Path, links: dict[str, dict[str, str]]):
    """status.csv: one row per unit, then one per file of no unit."""
    table = [STATUS_COLUMNS]
    for r in rows:
        table.append(
            [
                r.unit,
                r.status,
                "是" if r.late else "",
                r.file,
                r.errors,
                r.warnings,
                links.get(r.unit, {}).get("notice", ""),
            ]
        )
    write_bytes(out / "status.csv", _csv(table))


def write_findings(rows: list[b.Row], out: Path):
    """findings.csv: every finding of every unit (UTF-8 with BOM)."""
    table = [["单位", "状态", "文件", "规则", "级别", "单元格", "应为", "实际", "说明"]]
    for r in rows:
        for f in r.findings:
            data = f.to_json()  # expected and actual as JSON (and findings.csv) write them
            table.append(
                [
                    r.unit,
                    r.status,
                    r.file,
                    f.rule,
                    SEVERITY_NAMES.get(f.severity, f.severity),
                    f.cell or "",
                    _plain(data["expected"]),
                    _plain(data["actual"]),
                    f.message,
                ]
            )
    write_bytes(out / "findings.csv", _csv(table))


def _plain(value) -> str:
    return "" if value is None else str(value)


def append_log(rows: list[b.Row], out: Path, now: dt.datetime) -> int:
    """round-log.csv: a line for every unit whose status changed since the last run; how many."""
    try:
        before = json.loads((out / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    state = {
        r.unit or f"文件:{Path(r.file).name}": [r.status, Path(r.file).name if r.file else ""]
        for r in rows
    }
    changes = [
        [
            now.strftime("%Y-%m-%d %H:%M:%S"),
            key if not key.startswith("文件:") else "",
            before.get(key, ["", ""])[0],
            status,
            file,
        ]
        for key, (status, file) in state.items()
        if before.get(key) != [status, file]
    ]
    gone = [
        [
            now.strftime("%Y-%m-%d %H:%M:%S"),
            key if not key.startswith("文件:") else "",
            status,
            "（已移除）",
            file,
        ]
        for key, (status, file) in before.items()
        if key not in state
    ]
    log = out / "round-log.csv"
    new = not log.exists()
    if changes or gone:
        with atomic_path(log) as tmp:
            old = log.read_bytes() if log.exists() else b""
            header = _csv([["时间", "单位", "原状态", "新状态", "文件"]]) if new else b""
            body = _csv(changes + gone).removeprefix(b"\xef\xbb\xbf")
            tmp.write_bytes(old + header + body)
    write_text(out / STATE, json.dumps(state, ensure_ascii=False))
    return len(changes) + len(gone)


def write_index(rows: list[b.Row], out: Path, links: dict, year, deadline, region: dict | None):
    """index.html: the counts per status and a row per unit."""

    entries = [
        (r, _links(links, r), _file_name(r.file), [_file_name(s) for s in r.superseded])
        for r in rows
    ]
    html = (
        environment()
        .get_template("board.html.j2")
        .render(
            rows=rows,
            entries=entries,
            counts=b.counts(rows),
            year=year,
            deadline=deadline,
            region=region,
            needs_action=b.NEEDS_ACTION,
        )
    )
    write_text(out / "index.html", html)


def write_column(rows: list[b.Row], out: Path, links: dict, year, region: dict | None):
    """专栏.html: the page a website's 年报 column shows, plain HTML a CMS accepts."""

    ready = [(r, _links(links, r)) for r in rows if r.status == b.READY]
    write_text(
        out / "专栏.html",
        environment()
        .get_template("column.html.j2")
        .render(entries=ready, year=year, region=region),
    )


def _links(links: dict, row: b.Row) -> dict[str, str]:
    """A unit's links by kind, every kind present (empty when there is none): templates test them plainly."""
    return {"html": "", "docx": "", "notice": "", **links.get(row.unit, {})}


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def write_numbers(rows: list[b.Row], path: Path):
    """汇总明细表 units.xlsx: one row per unit with every statutory number (written directly: fast)."""

    columns = number_columns()
    head = ["单位", "文件", "年度", "版本", "状态", "错误数", "警告数"] + [h for _, h in columns]
    body = []
    for r in rows:
        u = r.record
        # the worker that read the file wrote its numbers' cells; a unit from the cache gets them here
        numbers = (
            Cells(u.row_cells)
            if u and u.row_cells
            else cells(numbers_row((u.numbers or {}) if u else {}))
        )
        body.append(
            [
                r.unit,
                r.file,
                u.year if u else None,
                f"{u.edition}版" if u and u.edition else None,
                r.status,
                r.errors,
                r.warnings,
                numbers,
            ]
        )
    write_table(path, "汇总明细", head, body, frozen="C2")
