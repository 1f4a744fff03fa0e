"""The round tells the truth: whose file it is, when it came, what the region's report says."""

from __future__ import annotations

import csv
import datetime as dt
import os
import random
import shutil
import time

import pytest
import round_fixture as rf

from giagen.api import batch
from giagen.pipeline.reports import load, save


def status_rows(out):
    with open(out / "status.csv", encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def by_unit(out) -> dict[str, dict]:
    return {r["单位"]: r for r in status_rows(out) if r["单位"]}


def batch_cli(giagen, folder, *extra):
    """`giagen batch` over the round's collected files, as a coordinator types it."""
    return giagen(
        "batch", folder / "收回", "--units", folder / "单位名单.csv", "-o", folder / "结果", *extra
    )


def run(folder, **options):
    options.setdefault("units", folder / "单位名单.csv")
    return batch([folder / "收回"], folder / "结果", jobs=1, **options)


@pytest.fixture
def made(tmp_path):
    rf.make_round(tmp_path)
    return tmp_path


READY = [n for n in rf.NAMES if n not in rf.CASES and n != rf.LATE]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_file_named_for_one_unit_holding_anothers_workbook_is_held_back(made, seed, giagen):
    sender, owner = random.Random(seed).sample(READY, 2)
    back = made / "收回"
    shutil.copy(back / f"{owner}.xlsx", back / f"{sender}.xlsx")  # filled the owner's copy
    result = run(made, rollup=rf.REGION)
    units = by_unit(made / "结果")
    assert units[sender]["状态"] == "未报送"  # its own report never arrived
    assert units[owner]["状态"] == "可发布"
    assert units[owner]["文件"].endswith(f"{owner}.xlsx")  # superseded by nothing
    held = [r for r in status_rows(made / "结果") if not r["单位"]]
    assert [r["文件"].rsplit("/", 1)[-1] for r in held] == [f"{sender}.xlsx"]
    notices = made / "结果" / "notices"
    told_sender = (notices / f"{sender}.txt").read_text("utf-8")
    told_owner = (notices / f"{owner}.txt").read_text("utf-8")
    assert owner in told_sender and "基本信息!B3" in told_sender
    assert sender in told_owner and "未计入" in told_owner
    assert "完全相同" in told_sender and "完全相同" in told_owner  # byte for byte the same
    region = load(result.region[0]).report
    assert f"{owner}、" in region.other or region.other.count(owner) == 1
    said = giagen("batch", made / "收回", "--units", made / "单位名单.csv", "-o", made / "结果")
    assert f"文件名是“{sender}”" in said.stderr


def test_a_unit_whose_only_file_cannot_be_read_is_named_by_its_file(made):
    name = READY[0]
    back = made / "收回"
    (back / f"{name}.xlsx").unlink()
    (back / f"{name}2025年年报.pdf").write_bytes(b"%PDF-1.4\n")
    run(made)
    units = by_unit(made / "结果")
    assert units[name]["状态"] == "无法读取"
    assert not [r for r in status_rows(made / "结果") if not r["单位"]]
    notice = (made / "结果" / "notices" / f"{name}.txt").read_text("utf-8")
    assert ".xlsx" in notice


def _stamp(path, when: dt.datetime):
    os.utime(path, (when.timestamp(), when.timestamp()))


def test_a_file_from_a_clock_in_the_future_neither_wins_nor_is_late(made):
    name = READY[1]
    back = made / "收回"
    deadline = dt.date.today() + dt.timedelta(days=30)
    future = dt.datetime.now() + dt.timedelta(days=400)
    wrong = rf.report(name, 7).to_data()
    wrong["requests"]["total"]["total"] += 1
    from giagen.core.model import report_from_data

    first = save(report_from_data(wrong)[0], back / f"{name}（初稿）.xlsx")
    _stamp(first, future)
    (back / f"{name}.xlsx").unlink()
    run(made, deadline=deadline)
    units = by_unit(made / "结果")
    assert units[name]["状态"] == "有错误" and units[name]["逾期"] == ""
    index = (made / "结果" / "index.html").read_text("utf-8")
    assert "晚于现在" in index
    time.sleep(0.01)
    corrected = save(rf.report(name, 7), back / f"{name}.xlsx")  # sent later, a true clock
    _stamp(corrected, dt.datetime.now())
    run(made, deadline=deadline)
    units = by_unit(made / "结果")
    assert units[name]["状态"] == "可发布" and units[name]["文件"].endswith(f"{name}.xlsx")


def test_a_file_received_after_the_deadline_is_late(made):
    run(made, deadline=dt.date(2026, 1, 20))
    assert by_unit(made / "结果")[rf.LATE]["逾期"] == "是"


def test_notices_after_the_deadline_ask_for_the_file_at_once(made):
    run(made, deadline=dt.date(2026, 1, 20))  # the past, seen from today
    notice = (made / "结果" / "notices" / "某某县信访局.txt").read_text("utf-8")
    assert "1月20日前" not in notice and "尽快" in notice and "已过" in notice
    run(made, deadline=dt.date.today() + dt.timedelta(days=10))
    notice = (made / "结果" / "notices" / "某某县信访局.txt").read_text("utf-8")
    assert "前" in notice and "已过" not in notice


def test_final_that_cannot_be_honoured_says_who_stops_it(made, giagen):
    said = batch_cli(giagen, made, "--rollup", rf.REGION, "--final")
    assert (
        said.code == 1 and "未生成正式稿" in said.stderr and "某某县信访局（未报送）" in said.stderr
    )
    column = (made / "结果" / "专栏.html").read_text("utf-8")
    assert f"{rf.REGION}{rf.YEAR}年政府信息公开工作年度报告" not in column


def test_a_rollup_with_no_unit_ready_says_so(tmp_path, giagen):
    rf.unit_list(tmp_path / "名单.csv")
    (tmp_path / "收回").mkdir()
    said = giagen(
        "batch",
        tmp_path / "收回",
        "--units",
        tmp_path / "名单.csv",
        "-o",
        tmp_path / "结果",
        "--rollup",
        rf.REGION,
    )
    assert said.code == 1 and "未生成本地区报告" in said.stderr


def test_the_region_report_states_the_units_it_sums(made):
    result = run(made, rollup=rf.REGION)
    report = load(result.region[0]).report
    ready = [r for r in status_rows(made / "结果") if r["状态"] == "可发布"]
    assert f"所属{len(ready)}个单位" in report.overview
    assert f"以下 {len(ready)} 个单位" in report.other


def test_rollup_refuses_one_agency_given_twice(made, giagen):
    back = made / "收回"
    name = READY[2]
    shutil.copy(back / f"{name}.xlsx", made / "另一份.xlsx")
    both = ["rollup", back / f"{name}.xlsx", made / "另一份.xlsx", "--agency", rf.REGION]
    said = giagen(*both, "-o", made / "r.xlsx")
    assert said.code == 1 and "另一份.xlsx" in said.stderr and f"{name}.xlsx" in said.stderr
    assert not (made / "r.xlsx").exists()
    forced = giagen(*both, "-o", made / "r.xlsx", "--force")
    assert forced.code == 0 and (made / "r.xlsx").exists()


def _late_dated(made, name, day):
    path = made / "收回" / f"{name}.xlsx"
    save(rf.report(name, rf.NAMES.index(name)).replace(date=dt.date(2026, 2, day)), path)
    return path


def _confirmation(made, name, encoding="utf-8-sig"):
    """The rows of findings.csv about `name`, copied as a coordinator would."""
    with open(made / "结果" / "findings.csv", encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    chosen = [table[0]] + [row for row in table[1:] if row[0] == name]
    path = made / "确认.csv"
    with open(path, "w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(chosen)
    return path


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk"])
def test_a_confirmed_warning_lets_the_unit_be_published_until_its_file_changes(made, encoding):
    name = READY[3]
    _late_dated(made, name, 15)
    run(made, rollup=rf.REGION)
    assert by_unit(made / "结果")[name]["状态"] == "有警告"
    confirmed = _confirmation(made, name, encoding)
    result = run(made, rollup=rf.REGION, confirmed=confirmed)
    out = made / "结果"
    assert by_unit(out)[name]["状态"] == "可发布"
    assert not (out / "notices" / f"{name}.txt").exists()
    assert (out / "units" / f"{name}.html").exists()
    assert "已确认" in (out / "index.html").read_text("utf-8")
    assert name in load(result.region[0]).report.other.split("未汇总")[0]
    _late_dated(made, name, 20)  # a new file with another value: the confirmation is void
    run(made, rollup=rf.REGION, confirmed=confirmed)
    assert by_unit(out)[name]["状态"] == "有警告"
    assert "已失效" in (out / "index.html").read_text("utf-8")


def test_errors_cannot_be_confirmed(made, giagen):
    run(made)
    confirmed = _confirmation(made, "某某县公安局")  # a cross-sum error
    said = batch_cli(giagen, made, "--confirmed", confirmed)
    assert (
        "错误不能确认" in said.stderr and by_unit(made / "结果")["某某县公安局"]["状态"] == "有错误"
    )


def test_a_bad_name_in_a_list_is_one_line_and_the_rest_are_made(tmp_path, giagen):
    listing = tmp_path / "名单.csv"
    listing.write_text("序号,单位名称\n1,甲局\n2,12345\n3,XXX局\n4,乙局\n", encoding="utf-8")
    said = giagen("template", "--year", "2025", "--agencies", listing, "-o", tmp_path / "发出")
    assert said.code == 1
    assert "第 3 行" in said.stderr and "第 4 行" in said.stderr and "第 2 行" not in said.stderr
    assert sorted(p.name for p in (tmp_path / "发出").iterdir()) == ["乙局.xlsx", "甲局.xlsx"]


@pytest.mark.parametrize("agencies", [False, True])
def test_a_file_size_limit_is_a_chinese_line_naming_the_file(tmp_path, agencies):
    import resource
    import subprocess
    import sys

    listing = tmp_path / "名单.txt"
    listing.write_text("甲局\n乙局\n", encoding="utf-8")
    target = (
        ["--agencies", str(listing), "-o", str(tmp_path / "发出")]
        if agencies
        else ["--agency", "甲局", "-o", str(tmp_path / "甲局.xlsx")]
    )

    def limited():
        resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))

    done = subprocess.run(
        [sys.executable, "-m", "giagen", "template", "--year", "2025", *target],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=120,
    )
    assert done.returncode == 2 and "文件超过系统允许的大小" in done.stderr
    assert "甲局.xlsx" in done.stderr and "Traceback" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_batch_into_the_collected_folder_itself_is_refused_plainly(made, giagen):
    said = giagen("batch", made / "收回", "-o", made / "收回")
    assert said.code == 2 and "就是收集报告的文件夹" in said.stderr


def test_the_audit_keeps_a_bracketed_agency_whole(made, giagen):
    name = "某某县城市管理局(综合执法局)"
    saved = save(rf.report(name, 3).replace(date=dt.date(2026, 1, 15)), made / "cg.xlsx")
    giagen("render", saved, "-o", made / "r", "--to", "html")
    giagen("audit", made / "r" / "cg.html", "-o", made / "审核")
    index = (made / "审核" / "index.html").read_text("utf-8")
    assert f"{name}</" in index or f"{name}2025" in index
    imported = giagen("import", made / "r" / "cg.html", "-o", made / "cg.json")
    assert imported.code == 0 and load(made / "cg.json").report.agency == name
