"""Warnings the coordinator confirmed as true (`--confirmed`): read from rows of findings.csv,
applied to the board while the unit's finding stays the same."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from ..core.exceptions import InputError, os_reason
from ..core.files import decode_text
from ..core.findings import CATALOGUE, ERROR, WARNING, Finding
from ..core.identity import name_key
from . import board as b

COLUMNS = ("单位", "规则", "单元格", "实际")  # what identifies a finding in findings.csv


@dataclass(frozen=True)
class Confirmation:
    """One confirmed warning: the unit, its rule, its cell and the value it was about."""

    unit: str
    rule: str
    cell: str
    actual: str
    line: int  # the row of the confirmation file, for messages

    def matches(self, finding: Finding) -> bool:
        """Whether this confirms `finding` (the same rule, cell and value)."""
        return (self.rule, self.cell, self.actual) == (
            finding.rule,
            finding.cell or "",
            _plain(finding.to_json()["actual"]),
        )


def _plain(value) -> str:
    return "" if value is None else str(value)


def read_confirmed(path: str | Path) -> tuple[list[Confirmation], list[str]]:
    """The confirmations of a CSV copied from findings.csv (UTF-8 with or without BOM, or GBK),
    and a line for each row refused: an error, which cannot be confirmed, or no known rule."""
    path = Path(path)
    try:
        text = decode_text(path.read_bytes(), "确认文件")
    except OSError as exc:
        raise InputError(f"{path}：无法读取（{os_reason(exc)}）") from None
    rows = list(csv.reader(io.StringIO(text)))
    header = [cell.strip() for cell in rows[0]] if rows else []
    if not {"单位", "规则"} <= set(header):
        raise InputError(
            f"{path}：第 1 行应为 findings.csv 的表头（至少含 单位、规则 两列，"
            "以及 单元格、实际），请从 findings.csv 中复制要确认的行"
        )
    at = {name: header.index(name) for name in COLUMNS if name in header}
    found, refused = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        value = {name: (row[i].strip() if i < len(row) else "") for name, i in at.items()}
        unit, rule = value.get("单位", ""), value.get("规则", "")
        entry = CATALOGUE.get(rule)
        if entry is None:
            refused.append(f"第 {number} 行：没有规则“{rule}”，未采用")
        elif entry.severity == ERROR:
            refused.append(
                f"第 {number} 行：{unit} 的 {rule} 是错误，错误不能确认，须改正后重新报送"
            )
        elif entry.severity == WARNING:
            found.append(
                Confirmation(unit, rule, value.get("单元格", ""), value.get("实际", ""), number)
            )
    return found, refused


def apply_confirmed(rows: list[b.Row], confirmations: list[Confirmation]) -> None:
    """Mark each unit's confirmed warnings; a unit whose only findings are confirmed warnings
    becomes 可发布. A confirmation that no longer matches (a new file, another value) is void:
    the unit's row says so."""
    by_unit: dict[str, list[Confirmation]] = {}
    for c in confirmations:
        by_unit.setdefault(name_key(c.unit), []).append(c)
    for row in rows:
        mine = by_unit.get(name_key(row.unit)) if row.unit else None
        if not mine:
            continue
        warnings = [f for f in row.findings if f.severity == WARNING]
        row.confirmed = [f for f in warnings if any(c.matches(f) for c in mine)]
        for c in mine:
            if not any(c.matches(f) for f in warnings):
                row.notes.append(
                    f"确认文件第 {c.line} 行（{c.rule} {c.cell} {c.actual}）已失效："
                    "当前报告中已没有这一问题或其值已改变"
                )
        if row.status == b.WARNINGS and len(row.confirmed) == len(warnings):
            row.status = b.READY
