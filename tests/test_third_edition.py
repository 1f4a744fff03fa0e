"""A third edition added as data only — one extra row in 三, one renamed column in 二 — works everywhere."""

import dataclasses
import json
import random

import pytest

from giagen.core import definitions as d

NEW_ROW, NEW_LABEL, RENAMED = "other_new", "4.申请人撤回申请", "本年作出处理决定数量"


def _clear_caches():
    from giagen.core import tables
    from giagen.round import units
    from giagen.workbook import cells
    from giagen.workbook import reader as workbook_reader

    for cached in (
        cells.cell_map,
        tables.grids,
        workbook_reader._layout,
        workbook_reader._table_labels,
        units._keys,
    ):
        cached.cache_clear()


@pytest.fixture
def third(monkeypatch):
    """Edition "2025" for report years from 2025: the 2021 edition with a row and a column label changed."""
    old = d.EDITION_2021
    blocks = list(old.blocks)
    blocks[1] = dataclasses.replace(blocks[1], fields=(d.Field("decisions", RENAMED),))
    lines = list(old.request_lines)
    at = next(i for i, line in enumerate(lines) if line.id == "other_other")
    lines.insert(at + 1, d.Line(NEW_ROW, (d.RESULTS, "（六）其他处理", NEW_LABEL)))
    edition = dataclasses.replace(
        old,
        id="2025",
        issued_by="国办公开办函〔2025〕1号",
        blocks=tuple(blocks),
        request_lines=tuple(lines),
        years=(2025, None),
        marks=(RENAMED, NEW_LABEL),
    )
    monkeypatch.setitem(d.BY_ID, "2021", dataclasses.replace(old, years=(2021, 2024)))
    monkeypatch.setitem(d.BY_ID, "2025", edition)
    _clear_caches()
    yield edition
    _clear_caches()


def _report(seed: int, agency: str, value: int):
    """A balanced 2025 report with `value` requests ended by the new row."""
    from giagen.core.model import report_from_data
    from giagen.core.synthetic import synthetic_report

    data = synthetic_report(random.Random(seed), year=2025, agency=agency).to_data()
    data["requests"][NEW_ROW]["natural_person"] += value
    data["requests"]["new_received"]["natural_person"] += value
    for row in data["requests"].values():
        row.pop("total", None)
    data["requests"].pop("total", None)
    return report_from_data(data)[0]


def test_template_fill_check_render_import_batch_rollup_rerun(third, tmp_path, giagen):
    from giagen import load
    from giagen.api import batch, check, render, template
    from giagen.pipeline.reports import save

    [blank] = template(2025, tmp_path / "blank.xlsx")
    assert load(blank).report.edition == "2025"
    report = _report(1, "甲局", 7)
    assert report.edition == "2025" and report.requests[NEW_ROW]["natural_person"] >= 7
    save(report, tmp_path / "甲局.xlsx")
    loaded = load(tmp_path / "甲局.xlsx").report
    assert loaded.requests[NEW_ROW] == report.requests[NEW_ROW]
    assert not [f for f in check([tmp_path / "甲局.xlsx"]) if f.severity == "error"]
    wrong = report.to_data()
    wrong["requests"][NEW_ROW]["natural_person"] += 1  # the new row counts in （七）总计
    (tmp_path / "wrong.json").write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    assert ("S3-ROW-TOTAL", NEW_ROW) in {(f.rule, f.row) for f in check([tmp_path / "wrong.json"])}

    paths = render(tmp_path / "甲局.xlsx", to="docx,html", output_dir=tmp_path / "out")
    page = next(p for p in paths if p.name == "甲局.html")
    assert NEW_LABEL in page.read_text(encoding="utf-8") and RENAMED in page.read_text(
        encoding="utf-8"
    )
    back = load(page).report
    assert back.edition == "2025" and back.requests[NEW_ROW] == report.requests[NEW_ROW]

    units = tmp_path / "units"
    units.mkdir()
    reports = [_report(i, f"单位{i}", i + 3) for i in range(3)]
    for i, r in enumerate(reports):
        save(r, units / f"{i}.xlsx")
    result = batch([units], tmp_path / "round", rollup="某某县")
    assert all(r.status == "可发布" for r in result.rows)
    region = load(next(p for p in result.region if p.suffix == ".xlsx")).report
    assert region.requests[NEW_ROW]["natural_person"] == sum(
        r.requests[NEW_ROW]["natural_person"] for r in reports
    )
    heading = next(
        h
        for h in __import__("giagen.round.units", fromlist=["x"]).number_columns()
        if NEW_LABEL in h[1]
    )
    assert heading[0] == f"requests/{NEW_ROW}/natural_person"
    again = batch([units], tmp_path / "round", rollup="某某县")
    assert again.processed == 0
    cached = load(next(p for p in again.region if p.suffix == ".xlsx")).report
    assert cached.requests[NEW_ROW] == region.requests[NEW_ROW]
