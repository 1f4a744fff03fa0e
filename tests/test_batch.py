"""A region at once: sending out workbooks, collecting, checking, rendering, compiling."""

import csv
import json
import random
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES
from template_variants import BAD_TEMPLATES

from giagen import load
from giagen.api import check
from giagen.core.files import safe_name
from giagen.core.synthetic import synthetic_report
from giagen.workbook.copies import write_workbooks


@pytest.fixture(scope="module")
def region(tmp_path_factory):
    """200 units of 2023: one corrupt, one with a wrong total, one 2019-edition workbook."""
    folder = tmp_path_factory.mktemp("region")
    units = [
        (
            synthetic_report(random.Random(i), agency=f"单位{i:03d}"),
            folder / "in" / f"u{i:03d}.xlsx",
        )
        for i in range(200)
    ]
    write_workbooks(units)
    (folder / "in" / "u000.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    wrong = units[1][0].to_data()
    wrong["requests"]["total"]["total"] += 3
    (folder / "in" / "u001.xlsx").unlink()
    (folder / "in" / "u001.json").write_text(
        json.dumps(wrong, ensure_ascii=False), encoding="utf-8"
    )
    write_workbooks(
        [
            (
                synthetic_report(random.Random(2), year=2020, agency="单位002"),
                folder / "in" / "u002.xlsx",
            )
        ]
    )
    return folder, [r for r, _ in units]


def rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_batch_lists_bad_units_renders_the_rest_and_reruns_only_what_changed(
    giagen, region, tmp_path
):
    folder, reports = region
    out = tmp_path / "out"
    run = giagen("batch", folder / "in", "-o", out, "--jobs", "2")
    assert run.code == 1 and "Traceback" not in run.stderr
    status = rows(out / "status.csv")
    assert (out / "status.csv").read_bytes().startswith(b"\xef\xbb\xbf")  # Excel reads the BOM
    bad = {
        (r["单位"], r["文件"].rsplit("/", 1)[1]): r["状态"] for r in status if r["状态"] != "可发布"
    }
    assert bad == {
        ("", "u000.xlsx"): "无法读取",
        ("单位001", "u001.json"): "有错误",
        ("单位002", "u002.xlsx"): "年度不符",
    }
    assert len(list((out / "units").glob("*.docx"))) == 197
    assert len(list((out / "units").glob("*.html"))) == 197
    reasons = {r["规则"] for r in rows(out / "findings.csv")}
    assert {"INPUT", "S3-ROW-TOTAL"} <= reasons
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "年度不符" in index and "u000.xlsx" in index and index.count("<tr data-status") == 200
    sheet = openpyxl.load_workbook(out / "units.xlsx", read_only=True)["汇总明细"]
    table = list(sheet.values)
    assert len(table) == 201
    column = table[0].index("三·一、本年新收政府信息公开申请数量·总计")
    by_agency = {row[0]: row[column] for row in table[1:] if len(row) > column}
    assert by_agency["单位005"] == reports[5].requests["new_received"]["total"]

    fixed = reports[1].to_data()
    (folder / "in" / "u001.json").write_text(
        json.dumps(fixed, ensure_ascii=False), encoding="utf-8"
    )
    run = giagen("batch", folder / "in", "-o", out)
    assert "本次读取 1 个文件" in run.stderr
    assert len(list((out / "units").glob("*.docx"))) == 198
    run = giagen("batch", folder / "in", "-o", out)
    assert "本次读取 0 个文件" in run.stderr and run.code == 1  # two files still fail


def test_what_another_version_of_giagen_rendered_is_rendered_again(
    giagen, region, tmp_path, monkeypatch
):
    """After an upgrade (here, its code's digest changed) every unit is read and rendered anew:
    a fix to rendering or checking is never hidden by what the older giagen made."""
    from giagen.round import batch

    folder, _ = region
    out = tmp_path / "out"
    giagen("batch", folder / "in", "-o", out, "--jobs", "1")
    assert "本次读取 0 个文件" in giagen("batch", folder / "in", "-o", out, "--jobs", "1").stderr
    monkeypatch.setattr(batch, "code_digest", lambda: "another version")
    assert "本次读取 200 个文件" in giagen("batch", folder / "in", "-o", out, "--jobs", "1").stderr


def test_rollup_equals_the_column_sums_and_passes_check(giagen, region, tmp_path):
    folder, reports = region
    out = tmp_path / "region.json"
    run = giagen("rollup", folder / "in", "--agency", "某某县人民政府", "-o", out)
    assert run.code == 1  # some units were refused, and said so
    assert "u000.xlsx" in run.stderr and "u002.xlsx" in run.stderr
    u001_wrong = any(f.severity == "error" for f in check([folder / "in" / "u001.json"]))
    refused = {0, 2} | ({1} if u001_wrong else set())  # another test may have corrected u001
    included = [r for i, r in enumerate(reports) if i not in refused]
    region_report = load(out).report
    for table in ("proactive", "requests", "litigation"):
        for row, values in getattr(region_report, table).items():
            for column, value in values.items():
                parts = [getattr(r, table)[row][column] for r in included]
                assert value == sum(p for p in parts if p is not None), (table, row, column)
    # the numbers pass; the prose skeleton and the date are still for the region's writers
    errors = {f.rule for f in check([out]) if f.severity == "error"}
    assert errors <= {"PLACEHOLDER", "REQUIRED"} and "PLACEHOLDER" in errors
    assert "单位003" in region_report.other and "未汇总" in region_report.other


def test_agency_names_stay_inside_out(giagen, tmp_path):
    report = synthetic_report(random.Random(1), agency="../../evil")
    source = tmp_path / "in" / "a.json"
    source.parent.mkdir()
    source.write_text(json.dumps(report.to_data(), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "deep" / "out"
    assert giagen("batch", source, "-o", out).code == 0
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(p.parts[0] in ("in", "deep") for p in written)
    assert (out / "units" / "evil.docx").exists()


@pytest.mark.parametrize(
    "name, safe",
    [
        ("../../etc/x", "etcx"),
        ("a\x00b\nc", "abc"),
        ("..", "未命名"),
        ("某局/办公室", "某局办公室"),
        ("  西工区统计局 ", "西工区统计局"),
    ],
)
def test_safe_names(name, safe):
    assert safe_name(name) == safe


def test_same_agency_twice_the_newest_counts(giagen, tmp_path):
    import os

    for i in (1, 2):
        report = synthetic_report(random.Random(i), agency="同名局")
        path = tmp_path / f"{i}.json"
        path.write_text(json.dumps(report.to_data(), ensure_ascii=False), encoding="utf-8")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    giagen("batch", tmp_path / "1.json", tmp_path / "2.json", "-o", tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out" / "units").glob("*.html")) == ["同名局.html"]
    [row] = rows(tmp_path / "out" / "status.csv")
    assert row["文件"].endswith("2.json") and row["状态"] == "可发布"


def test_interrupted_run_leaves_no_partial_file_and_the_next_completes(
    giagen, tmp_path, monkeypatch
):
    import giagen.round.batch as batch_module

    units = [
        (synthetic_report(random.Random(i), agency=f"单位{i}"), tmp_path / "in" / f"{i}.xlsx")
        for i in range(6)
    ]
    write_workbooks(units)
    real = batch_module.process
    calls = []

    def interrupted(task):
        calls.append(task)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(batch_module, "process", interrupted)
    run = giagen("batch", tmp_path / "in", "-o", tmp_path / "out", "--jobs", "1")
    assert run.code == 130
    assert not list((tmp_path / "out").rglob("*.part"))
    monkeypatch.setattr(batch_module, "process", real)
    run = giagen("batch", tmp_path / "in", "-o", tmp_path / "out", "--jobs", "1")
    assert run.code == 0 and "本次读取 3 个文件" in run.stderr
    assert len(list((tmp_path / "out" / "units").glob("*.docx"))) == 6


def test_a_staged_file_cut_short_by_a_killed_run_is_replaced_whole(giagen, tmp_path):
    """Staged documents are written in place only under names no cache record lists; one cut
    short (the run killed mid-write, its cache never written) is replaced by the next run."""
    import zipfile

    units = [
        (synthetic_report(random.Random(i), agency=f"单位{i}"), tmp_path / "in" / f"{i}.xlsx")
        for i in range(3)
    ]
    write_workbooks(units)
    out = tmp_path / "out"
    assert giagen("batch", tmp_path / "in", "-o", out, "--jobs", "1").code == 0
    staged = sorted((out / ".giagen-rendered").rglob("*.docx"))
    assert len(staged) == 3
    whole = staged[0].read_bytes()
    (out / ".giagen-batch.json").unlink()  # as if killed before the cache was written
    shutil.rmtree(out / "units")
    staged[0].write_bytes(whole[: len(whole) // 3])  # cut short mid-write
    run = giagen("batch", tmp_path / "in", "-o", out, "--jobs", "1")
    assert run.code == 0 and "本次读取 3 个文件" in run.stderr
    assert staged[0].read_bytes() == whole
    for docx in (out / "units").glob("*.docx"):
        assert zipfile.ZipFile(docx).testzip() is None


def test_template_for_every_unit_prefilled_from_last_year(giagen, tmp_path):
    last = synthetic_report(random.Random(4), year=2022, agency="乙局", busy=True)
    (tmp_path / "last").mkdir()
    (tmp_path / "last" / "乙局.json").write_text(
        json.dumps(last.to_data(), ensure_ascii=False), encoding="utf-8"
    )
    (tmp_path / "names.csv").write_text(
        "序号,单位名称\n1,甲局\n2,乙局\n3,../../丙局\n", encoding="utf-8"
    )
    run = giagen(
        "template",
        "--year",
        2023,
        "--agencies",
        tmp_path / "names.csv",
        "--previous",
        tmp_path / "last",
        "-o",
        tmp_path / "out",
    )
    assert run.code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "丙局.xlsx",
        "乙局.xlsx",
        "甲局.xlsx",
    ]
    b = load(tmp_path / "out" / "乙局.xlsx").report
    assert b.agency == "乙局" and b.year == 2023
    assert b.requests["carried_over"] == last.requests["carried_forward"]
    assert b.proactive["rules"]["in_force"] == last.proactive["rules"]["in_force"]
    assert load(tmp_path / "out" / "甲局.xlsx").report.requests["carried_over"]["total"] == 0
    findings = check([tmp_path / "out" / "乙局.xlsx"], previous=tmp_path / "last" / "乙局.json")
    assert not [f for f in findings if f.rule.startswith("PREV-")]


def test_names_list_formats(tmp_path):
    from giagen.round.roster import read_roster

    def names(path):
        return [m.name for m in read_roster(path).members]

    (tmp_path / "a.txt").write_text("甲局\n\n乙局\n甲局\n", encoding="utf-8")
    assert names(tmp_path / "a.txt") == ["甲局", "乙局"]
    wb = openpyxl.Workbook()
    wb.active.append(["机关名称", "联系人"])
    wb.active.append(["丙局", "张三"])
    wb.save(tmp_path / "b.xlsx")
    assert names(tmp_path / "b.xlsx") == ["丙局"]


def test_a_name_listed_twice_is_one_unit_and_said(giagen, tmp_path):
    from giagen.round.roster import read_roster

    listed = "单位名称,联系人\r\n某某县教育局,张三\r\n某某县财政局,李四\r\n某某县 教育局,王五\r\n某某县财政局,\r\n"
    path = tmp_path / "units.csv"
    path.write_bytes(listed.encode("gbk"))  # as Excel saves a CSV on a Chinese Windows
    roster = read_roster(path)
    assert [m.name for m in roster.members] == ["某某县教育局", "某某县财政局"]
    assert roster.repeated == [
        "名单中“某某县 教育局”与“某某县教育局”是同一单位，只算一个",
        "名单中“某某县财政局”出现两次，只算一个单位",
    ]
    run = giagen("template", "--year", "2025", "--agencies", path, "-o", tmp_path / "blanks")
    assert run.code == 0, run.stderr
    assert "“某某县 教育局”与“某某县教育局”是同一单位" in run.stderr
    assert sorted(p.name for p in (tmp_path / "blanks").iterdir()) == [
        "某某县教育局.xlsx",
        "某某县财政局.xlsx",
    ]
    run = giagen(
        "batch", tmp_path / "blanks", "-o", tmp_path / "out", "--units", path, "--jobs", "1"
    )
    assert "出现两次，只算一个单位" in run.stderr


def test_what_windows_macos_and_office_leave_in_a_folder_is_no_unit(tmp_path):
    from giagen.pipeline.collecting import collect, report_files

    sent = tmp_path / "收回"
    (sent / "__MACOSX" / "乙").mkdir(parents=True)
    (sent / "乙").mkdir(exist_ok=True)
    for name in ("甲.xlsx", "乙/乙.xlsx"):
        shutil.copy(EXAMPLES / "xigong-2023.xlsx", sent / name)
    for name in (
        "~$甲.xlsx",
        ".~lock.甲.xlsx#",
        "Thumbs.db",
        "desktop.ini",
        ".DS_Store",
        "__MACOSX/._甲.xlsx",
        "__MACOSX/乙/乙.xlsx",
        "乙/甲.wizard.json",
        "甲.xlsx.part",
    ):
        (sent / name).write_bytes(b"x")
    expected = [sent / "乙" / "乙.xlsx", sent / "甲.xlsx"]
    assert sorted(collect([sent])) == expected
    assert sorted(report_files([sent])) == expected


def test_what_a_browser_saves_beside_a_page_is_no_report(tmp_path):
    from giagen.pipeline.collecting import report_files

    (tmp_path / "年报_files").mkdir()
    (tmp_path / "其他_files").mkdir()
    for name in (
        "年报.html",
        "年报_files/ad.htm",
        "年报_files/saved_resource.html",
        "其他_files/乙.html",
    ):
        (tmp_path / name).write_text("<html></html>", encoding="utf-8")
    # A folder merely named …_files, with no page of that name beside it, is searched as any other.
    assert report_files([tmp_path]) == [tmp_path / "其他_files" / "乙.html", tmp_path / "年报.html"]


def test_a_photo_an_archive_or_an_old_workbook_is_unreadable_with_what_to_send(giagen, tmp_path):
    sent = tmp_path / "收回"
    sent.mkdir()
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", sent / "甲.xlsx")
    for name in ("乙.jpg", "丙.zip", "丁.rar", "戊.xls", "己.pdf"):
        (sent / name).write_bytes(b"\xff\xd8\xff not what was asked for")
    run = giagen("batch", sent, "-o", tmp_path / "out", "--jobs", "1")
    assert run.code == 1
    unreadable = [line for line in run.stderr.splitlines() if line.startswith("无法读取 /")]
    lines = {line.split("：")[0].rsplit("/", 1)[-1]: line for line in unreadable}
    assert (
        "这是图片" in lines["乙.jpg"]
        and "请解压" in lines["丙.zip"]
        and "请解压" in lines["丁.rar"]
    )
    assert "请另存为 .xlsx" in lines["戊.xls"] and ".xlsx 工作簿填报" in lines["己.pdf"]
    assert all(line.count(str(sent)) == 1 for line in lines.values())  # the file named once


def test_a_file_and_its_copy_under_another_name_each_named_on_a_rerun(giagen, tmp_path):
    sent = tmp_path / "收回"
    sent.mkdir()
    (sent / "乙.zip").write_bytes(b"PK\x05\x06" + bytes(18))
    (sent / "丙.rar").write_bytes(
        b"PK\x05\x06" + bytes(18)
    )  # the same bytes, another kind and name
    first = giagen("batch", sent, "-o", tmp_path / "out", "--jobs", "1").stderr
    again = giagen("batch", sent, "-o", tmp_path / "out", "--jobs", "1").stderr  # from the cache
    for run in (first, again):
        lines = sorted(line for line in run.splitlines() if line.startswith("无法读取 /"))
        assert [("丙.rar" in line, ".rar 文件" in line, "乙.zip" in line) for line in lines][0] == (
            True,
            True,
            False,
        )
        assert "乙.zip" in lines[1] and ".zip 文件" in lines[1] and "丙.rar" not in lines[1]


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("--deadline", "1月20日", "--deadline 1月20日 无法识别"),
        ("--jobs", "0", "--jobs 应为不小于 1 的整数"),
    ],
)
def test_round_options_written_wrongly_are_named(giagen, tmp_path, option, value, words):
    run = giagen("batch", tmp_path, "-o", tmp_path / "out", option, value)
    assert run.code == 2 and words in run.stderr and "落款" not in run.stderr


@pytest.mark.parametrize("kind", ["no body", "body cut short", "placeholders deleted"])
def test_batch_refuses_a_template_that_cannot_serve_before_writing_anything(giagen, tmp_path, kind):
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", source)
    make, said = BAD_TEMPLATES[kind]
    run = giagen("batch", source, "--template", make(tmp_path / "own.docx"), "-o", tmp_path / "out")
    assert run.code == 2 and said in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()
