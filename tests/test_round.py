"""A county's round from the unit list to the region's report, and the re-run after corrections."""

import csv
import shutil

import pytest
import round_fixture as rf

from giagen import load
from giagen.api import batch
from giagen.round.units import report_of


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def round_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("round")
    expected = rf.make_round(folder)
    out = folder / "结果"
    result = batch(
        [folder / "收回"],
        out,
        units=folder / "单位名单.csv",
        rollup=rf.REGION,
        deadline=__import__("datetime").date(2026, 1, 20),
        jobs=2,
    )
    return folder, out, expected, result


def test_every_unit_ends_in_the_status_its_case_implies(round_run):
    folder, out, expected, result = round_run
    status = {r["单位"]: r for r in rows(out / "status.csv") if r["单位"]}
    assert {name: r["状态"] for name, r in status.items()} == expected
    assert list(rows(out / "status.csv")[0]) == [
        "单位",
        "状态",
        "逾期",
        "文件",
        "错误数",
        "警告数",
        "通知",
    ]
    assert status[rf.LATE]["逾期"] == "是" and status["某某县教育局"]["逾期"] == ""
    assert status["某某县统计局"]["文件"].endswith(
        "某某县统计局.xlsx"
    )  # the newer of its two files
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count('<tr data-status="可发布"') == 21 and "已被取代" in index
    assert 'data-status="未报送"' in index and "逾期" in index
    assert (
        f"{rf.OWN}（本级）" in index and "联系人：联系人1" in index
    )  # the list's optional columns


def test_notices_exactly_for_the_units_that_need_action_naming_their_cells(round_run):
    folder, out, expected, result = round_run
    needing = {name for name, status in expected.items() if status != "可发布"}
    notices = {p.stem for p in (out / "notices").glob("*.txt")}
    assert notices == needing and {p.stem for p in (out / "notices").glob("*.docx")} == needing
    assert "三!D7" in (out / "notices" / "某某县自然资源局.txt").read_text(encoding="utf-8")
    balance = (out / "notices" / "某某县公安局.txt").read_text(encoding="utf-8")
    assert "三!D5、三!D6、三!D28、三!D29" in balance and "2026年1月20日" in balance
    assert "35600元" in (out / "notices" / "某某县生态环境分局.txt").read_text(encoding="utf-8")
    assert "尚未收到" in (out / "notices" / "某某县信访局.txt").read_text(encoding="utf-8")


def test_published_set_and_region_report_count_each_ready_unit_once(round_run):
    folder, out, expected, result = round_run
    ready = sorted(name for name, status in expected.items() if status == "可发布")
    assert sorted(p.stem for p in (out / "units").glob("*.html")) == ready
    title = f"{rf.REGION}{rf.YEAR}年政府信息公开工作年度报告"
    region = load(out / f"{title}.xlsx").report
    assert region.full_title == title and region.agency == rf.REGION
    assert (out / f"{title}.docx").exists() and (out / f"{title}.html").exists()
    assert "草稿" in (out / f"{title}.html").read_text(encoding="utf-8")
    parts = [report_of(r.record) for r in result.rows if r.status == "可发布"]
    assert len(parts) == 21
    for row, values in region.requests.items():
        for column, value in values.items():
            assert value == sum(p.requests[row][column] or 0 for p in parts)
    assert "某某县信访局（未报送）" in region.other and "某某县审计局（年度不符）" in region.other
    assert any(f.rule == "PLACEHOLDER" for f in __import__("giagen").check([out / f"{title}.xlsx"]))
    column = (out / "专栏.html").read_text(encoding="utf-8")
    # the region's report is a draft while units are not ready: never listed as published
    assert title not in column and column.count("<tr>") == 22  # header, 21 units


def test_three_corrections_rerun_only_them_and_the_log_shows_them(round_run, tmp_path):
    folder, out, expected, result = round_run
    copy = tmp_path / "round"
    shutil.copytree(folder, copy, symlinks=True)
    rf.correct(copy)
    before = len(rows(copy / "结果" / "round-log.csv"))
    again = batch([copy / "收回"], copy / "结果", units=copy / "单位名单.csv", rollup=rf.REGION)
    assert again.processed == 3
    log = rows(copy / "结果" / "round-log.csv")[before:]
    assert sorted((r["单位"], r["原状态"], r["新状态"]) for r in log) == sorted(
        (name, "有错误", "可发布") for name in rf.CORRECTED
    )
    published = {p.name for p in (copy / "结果" / "units").iterdir()}
    assert published == {
        f"{name}.{fmt}"
        for name, status in expected.items()
        if status == "可发布" or name in rf.CORRECTED
        for fmt in ("docx", "html")
    }
    assert not any((copy / "结果" / "notices" / f"{name}.txt").exists() for name in rf.CORRECTED)


def test_a_region_report_copied_into_the_collected_folder_is_never_a_unit(round_run, tmp_path):
    folder, out, expected, result = round_run
    copy = tmp_path / "round"
    shutil.copytree(folder, copy)
    title = f"{rf.REGION}{rf.YEAR}年政府信息公开工作年度报告"
    shutil.copy(copy / "结果" / f"{title}.xlsx", copy / "收回" / f"{title}.xlsx")
    (copy / "收回" / "说明.xls").write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    again = batch([copy / "收回"], copy / "结果", units=copy / "单位名单.csv")
    files = [r for r in again.rows if not r.unit]
    assert [(r.status, r.file.rsplit("/", 1)[1]) for r in files] == [("无法读取", "说明.xls")]
    assert "另存为 .xlsx" in files[0].reason


def test_a_round_with_no_ready_unit_still_writes_its_board(tmp_path):
    import datetime as dt
    import json
    import random

    from giagen.core.synthetic import synthetic_report

    folder = tmp_path / "收回"
    folder.mkdir()
    data = synthetic_report(random.Random(1), year=2023, agency="甲局").to_data()
    data["problems"] = "无"  # a warning: not ready
    (folder / "甲局.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = batch([folder], tmp_path / "结果", rollup="某某县", deadline=dt.date(2024, 1, 31))
    assert [r.status for r in result.rows] == ["有警告"] and not result.region
    assert (tmp_path / "结果" / "专栏.html").exists() and (
        tmp_path / "结果" / "index.html"
    ).exists()


def test_an_output_folder_inside_the_collected_one_is_never_collected(round_run, tmp_path):
    folder, out, expected, result = round_run
    copy = tmp_path / "round"
    shutil.copytree(folder / "收回", copy)
    first = batch([copy], copy / "结果", units=folder / "单位名单.csv", rollup=rf.REGION)
    again = batch([copy], copy / "结果", units=folder / "单位名单.csv", rollup=rf.REGION)
    assert again.processed == 0 and len(again.rows) == len(first.rows)
    assert not [r for r in again.rows if "结果" in r.file]
