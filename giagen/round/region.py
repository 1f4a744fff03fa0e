"""The region's report: the numbers of the ready units added up, once each, with who is in it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from pathlib import Path

from ..core import definitions as d
from ..core.compose import compose
from ..core.exceptions import GiagenError, RefusedError, UsageError
from ..core.files import write_bytes, write_text
from ..core.findings import ERROR
from ..core.identity import name_key
from ..core.model import Report, report_from_data
from ..output.docx import render_docx
from ..output.html import html_bytes
from ..pipeline.checking import check_loaded
from ..pipeline.collecting import collect, commonest_year
from ..pipeline.reports import load, save
from . import board as b
from .units import REGION_MARK, Unit, report_of

PLACEHOLDER = "【待填写】"


def region_title(region: str, year: int) -> str:
    """The region's report title for a year."""
    return f"{region}{year}年政府信息公开工作年度报告"


def sum_reports(
    reports: list[Report],
    agency: str,
    annex: str = "",
    title: str | None = None,
    units: int | None = None,
) -> Report:
    """Every number of 二、三、四 (and the 信息处理费) summed over `reports`, with a prose skeleton.

    `units`: how many units the sums stand for, when `reports` holds them already added up."""
    first = reports[0]
    ed = first.spec
    data: dict = {"edition": ed.id, "year": first.year, "agency": agency, "title": title}
    for table in d.TABLE_SECTIONS:
        lines, fields_of = d.table_shape(ed, table)
        data[table] = {
            ln.id: {
                f.id: _sum(getattr(r, table)[ln.id][f.id] for r in reports)
                for f in fields_of(ln.id)
            }
            for ln in lines
        }
    fees = [r.processing_fee for r in reports if r.processing_fee is not None]
    if ed.has_processing_fee and fees:
        data["processing_fee"] = {
            f.id: _sum(getattr(fee, f.id) for fee in fees) for f in d.PROCESSING_FEE_FIELDS
        }
    requests = data["requests"]
    data["overview"] = (
        f"本报告汇总了{agency}所属{units or len(reports)}个单位的政府信息公开工作年度报告数据"
        f"（名单见六、其他需要报告的事项）。\n"
        f"（一）主动公开情况。{PLACEHOLDER}\n"
        f"（二）依申请公开情况。{first.year}年共收到政府信息公开申请{requests['new_received']['total']}件，"
        f"上年结转{requests['carried_over']['total']}件，结转下年度继续办理{requests['carried_forward']['total']}件。"
        f"{PLACEHOLDER}\n（三）政府信息管理。{PLACEHOLDER}\n（四）政府信息公开平台建设。{PLACEHOLDER}\n"
        f"（五）监督保障。{PLACEHOLDER}"
    )
    data["problems"] = "【待填写：存在的主要问题、改进措施及上年问题的整改情况】"
    data["other"] = annex or "无。"
    report, findings = report_from_data(json.loads(json.dumps(data, default=str)), formed=True)
    assert not findings
    return report


def _sum(values):
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = sum(present)
    return str(total) if isinstance(total, Decimal) else total


def annex(included: list[str], excluded: list[tuple[str, str]]) -> str:
    """附：汇总范围 — who is counted, and who is not and why."""
    text = f"附：汇总范围。本报告汇总了以下 {len(included)} 个单位的数据：{'、'.join(included)}。"
    if excluded:
        text += "\n未汇总的单位：" + "；".join(f"{name}（{why}）" for name, why in excluded) + "。"
    return text


def write_region(
    report: Report, out: Path, draft: bool, template: Path | None, formats=("docx", "html")
) -> list[Path]:
    """`OUT/{title}.xlsx` with the DOCX and HTML beside it; marked so no round collects it as a unit."""
    # lazy: openpyxl (~180 ms) only when the round sums a region
    from ..workbook.writer import write_workbook

    stem = report.full_title
    paths = [write_workbook(report, out / f"{stem}.xlsx", keywords=REGION_MARK)]
    composition = compose(report, draft=draft)
    if "docx" in formats:
        paths.append(write_bytes(out / f"{stem}.docx", render_docx(composition, template)))
    if "html" in formats:
        paths.append(write_bytes(out / f"{stem}.html", html_bytes(composition)))
    return paths


def rollup(
    inputs, agency: str, output: str | Path, year: int | None = None, force: bool = False
) -> tuple[Path, list]:
    """The region's report from unit files; units with errors, unread or of another year are refused.

    Two files of one agency would count it twice: refused, naming them, unless `force`."""

    files = collect(inputs)
    if not files:
        raise UsageError("没有找到报告文件")
    good, refused = [], []
    for path in files:
        try:
            loaded = load(path)
        except GiagenError as exc:
            refused.append((str(path), str(exc).removeprefix(f"{path}：")))
            continue
        if any(f.severity == ERROR for f in check_loaded(loaded)):
            refused.append((str(path), "有错误，未汇总"))
        else:
            good.append((path, loaded.report))
    year = year or commonest_year(r.year for _, r in good)
    included = []
    for path, report in good:
        if report.year != year:
            refused.append(
                (str(path), f"{report.year} 年度（{report.edition} 版），与汇总的 {year} 年度不同")
            )
        else:
            included.append(report)
    if not included:
        raise UsageError("没有可以汇总的单位（全部有错误或年度不同）")
    twice = _same_agency([(p, r) for p, r in good if r in included])
    if twice and not force:
        raise RefusedError(
            "同一机关有多个文件，汇总会重复计算："
            + "；".join(f"{agency}：{'、'.join(files)}" for agency, files in twice)
            + "。请只保留每个机关的一个文件，或加 --force 全部汇总"
        )
    names = [r.agency for r in included]
    report = sum_reports(
        included, agency, annex(names, [(Path(p).name, why) for p, why in refused])
    )
    return save(report, output), refused


def _same_agency(reports) -> list[tuple[str, list[str]]]:
    """Agencies given by more than one file, with the files' names."""
    by_agency: dict[str, list] = {}
    for path, report in reports:
        by_agency.setdefault(name_key(report.agency), []).append((report.agency, Path(path).name))
    return [(files[0][0], [f for _, f in files]) for files in by_agency.values() if len(files) > 1]


def compile_region(rows, region: str, year, out: Path, final: bool, template, formats):
    """The region's report from the ready units, once each; a draft until every unit is ready."""

    ready = [r for r in rows if r.unit and r.status == b.READY]
    others = [(r.unit, r.status) for r in rows if r.unit and r.status != b.READY]
    if not ready:
        return [], True, {"state": "没有可发布的单位，未生成", "links": [], "final": False}
    title = region_title(region, year)
    draft = not (final and not others)
    # the same units, the same files, the same settings: the region's report is as it was
    key = hashlib.sha256(
        json.dumps(
            [sorted(r.record.digest for r in ready), others, draft, title, str(template), formats]
        ).encode()
    ).hexdigest()
    paths = [out / f"{title}.{ext}" for ext in ("xlsx", *formats)]
    marker = out / ".giagen-region"
    if not (marker.is_file() and marker.read_text() == key and all(p.exists() for p in paths)):
        report = sum_reports(
            [summed(ready)],
            region,
            annex([r.unit for r in ready], others),
            title=title,
            units=len(ready),
        )
        paths = write_region(report, out, draft, template, formats)
        write_text(marker, key)
    state = (
        "草稿：仍有单位未就绪" if others else ("草稿：加 --final 生成正式稿" if draft else "正式稿")
    )
    links = [(p.suffix[1:].upper(), p.name) for p in paths]
    return (
        paths,
        draft,
        {
            "state": state,
            "links": links,
            "title": title,
            "agency": region,
            "html": f"{title}.html",
            "docx": f"{title}.docx",
            "final": not draft,  # a draft is never listed where reports are published
            "date": dt.date.today().isoformat() if not draft else None,
            "waiting": others,  # the units that keep it a draft, with their status
        },
    )


def summed(rows) -> object:
    """One report holding the sums of the ready units' numbers, added key by key (fast for thousands)."""

    totals: dict[str, object] = {}
    for r in rows:
        for key, value in (r.record.numbers or {}).items():
            if value is None:
                totals.setdefault(key, None)
                continue
            value = Decimal(value) if isinstance(value, str) else value
            totals[key] = value if totals.get(key) is None else totals[key] + value
    first = rows[0].record
    numbers = {k: str(v) if isinstance(v, Decimal) else v for k, v in totals.items()}
    return report_of(Unit("", "", "ok", first.agency, first.year, first.edition, numbers=numbers))
