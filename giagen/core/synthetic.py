"""Synthetic balanced reports, for tests and benchmarks: most units quiet, some busy."""

from __future__ import annotations

import random
from decimal import Decimal

from . import definitions as d
from .model import Report, report_from_data


def _small(rng: random.Random, busy: bool) -> int:
    if not busy:
        return 0 if rng.random() < 0.85 else rng.randint(1, 3)
    return 0 if rng.random() < 0.4 else rng.randint(1, 60)


def synthetic_report(
    rng: random.Random, year: int = 2023, agency: str = "某某局", busy: bool | None = None
) -> Report:
    """A report that passes every rule, totals included, for `year`'s edition."""
    ed = d.edition_for_year(year)
    busy = rng.random() < 0.2 if busy is None else busy
    requests: dict = {ln.id: {} for ln in ed.request_lines}
    for column in d.REQUEST_PARTS:
        done = 0
        for line in ed.result_lines:
            requests[line.id][column] = value = _small(rng, busy)
            done += value
        forward = _small(rng, busy)
        carried = rng.randint(0, done + forward)
        requests["carried_over"][column] = carried
        requests["carried_forward"][column] = forward
        requests["new_received"][column] = done + forward - carried
    litigation = {
        g.id: {f: _small(rng, busy) for f in d.LITIGATION_PARTS} for g in d.LITIGATION_GROUPS
    }
    proactive = {}
    for block in ed.blocks:
        for line in block.lines:
            row = {}
            for field in block.fields:
                if field.kind == d.AMOUNT:
                    row[field.id] = str(Decimal(rng.randint(0, 50000)) / 100)
                elif field.kind == d.SIGNED:
                    row[field.id] = rng.randint(-row.get("last_year_items", 0), 20)
                else:
                    row[field.id] = _small(rng, busy)
            if "total_published" in row:
                row["total_published"] += row["new_published"]
            proactive[line.id] = row
    data = {
        "year": year,
        "agency": agency,
        "date": f"{year + 1}-01-{rng.randint(10, 28)}",
        "overview": f"（一）主动公开情况。{agency}{year}年主动公开政府信息。\n（二）依申请公开情况。依法办理。",
        "problems": "一是公开的及时性有待加强，二是解读不够深入。\n下一步将加强培训，上年提出的问题已整改到位。",
        "other": "无。",
        "proactive": proactive,
        "requests": requests,
        "litigation": litigation,
    }
    if ed.has_processing_fee:
        data["processing_fee"] = {"notices": 0, "notice_amount_yuan": "0", "collected_yuan": "0"}
    report, findings = report_from_data(data, formed=True)
    assert not findings
    return report
