"""A finding of a check, as data: rule, severity, place, expected, actual, message."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

ERROR, WARNING, INFO = "error", "warning", "info"  # info: what reading saw, never a defect


@dataclass
class Finding:
    rule: str
    severity: str
    section: str | None
    row: str | None
    column: str | None
    expected: object
    actual: object
    message: str
    cell: str | None = None
    file: str | None = None

    @property
    def key(self) -> tuple:
        return (self.rule, self.row, self.column)

    def to_json(self) -> dict:
        data = asdict(self)
        data["expected"], data["actual"] = _plain(self.expected), _plain(self.actual)
        order = ("file", "rule", "severity", "section", "row", "column", "cell")
        return {k: data[k] for k in order} | {
            k: data[k] for k in ("expected", "actual", "message")
        }


def _plain(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def has_errors(findings) -> bool:
    return any(f.severity == ERROR for f in findings)


def exit_status(findings) -> int:
    """0 no errors, 1 errors in the input, 2 an input that could not be read."""
    if any(f.rule == "INPUT" for f in findings):
        return 2
    return 1 if has_errors(findings) else 0
