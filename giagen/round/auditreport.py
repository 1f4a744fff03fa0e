"""What an audit writes: index.html (a sortable row per report) and findings.csv."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core.files import write_chunks
from ..core.findings import ERROR, WARNING, Finding

PASSED, ERRORS, WARNINGS, UNREADABLE = "通过", "有错误", "有警告", "无法读取"
CSV, INDEX = "findings.csv", "index.html"  # in the output folder


@dataclass
class Audited:
    """One report of an audit: where it came from, who and which year, what was found."""

    path: Path
    agency: str = ""
    year: int | None = None
    findings: list[Finding] = field(default_factory=list)
    reason: str = ""  # why it could not be read

    @property
    def status(self) -> str:
        """The report's standing: 通过, 有警告, 有错误 or 无法读取."""
        if self.reason:
            return UNREADABLE
        if any(f.severity == ERROR for f in self.findings):
            return ERRORS
        return WARNINGS if any(f.severity == WARNING for f in self.findings) else PASSED

    def count(self, severity: str) -> int:
        """How many findings of `severity` the report has."""
        return sum(f.severity == severity for f in self.findings)


def write_audit(results: list[Audited], out: Path):
    """OUT/index.html (one sortable row per report) and OUT/findings.csv (UTF-8 with BOM),
    each written as it is made."""
    # lazy: jinja2 (~40 ms) only when the audit writes its index page
    from ..output.templating import environment

    write_chunks(out / CSV, _csv_lines(results), encoding="utf-8-sig")
    counts = {
        s: sum(r.status == s for r in results) for s in (PASSED, WARNINGS, ERRORS, UNREADABLE)
    }
    home = out.resolve()
    page = (
        environment()
        .get_template("audit.html.j2")
        .generate(
            results=results,
            counts=counts,
            ERROR=ERROR,
            WARNING=WARNING,
            links={
                r.path: Path(os.path.relpath(r.path.resolve(), home)).as_posix() for r in results
            },
        )
    )
    write_chunks(out / INDEX, page)


def _csv_lines(results: list[Audited]):
    """findings.csv, a line at a time."""
    line = io.StringIO()
    writer = csv.writer(line)
    writer.writerow(
        ["文件", "机关", "年度", "状态", "规则", "级别", "位置", "应为", "实际", "说明"]
    )
    levels = {ERROR: "错误", WARNING: "警告", "info": "提示"}
    for item in results:
        status = item.status
        for f in item.findings:
            yield line.getvalue()
            line.seek(0)
            line.truncate()
            writer.writerow(
                [
                    str(item.path),
                    item.agency,
                    item.year or "",
                    status,
                    f.rule,
                    levels.get(f.severity, f.severity),
                    f.cell or "",
                    "" if f.expected is None else f.expected,
                    "" if f.actual is None else f.actual,
                    f.message,
                ]
            )
    yield line.getvalue()
