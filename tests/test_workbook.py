"""The clerk's workbook: layout, protection, forgiving and strict reading, cells in findings."""

import random
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES
from excel_forms import FORMS, as_saved

from giagen import load, save
from giagen.core.synthetic import synthetic_report
from giagen.workbook.cells import cell_map

# LibreOffice told to recalculate every formula when it opens an .xlsx.
RECALC_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>"""


def recalculated(path: Path, out: Path) -> Path:
    """The workbook as LibreOffice computes it, saved again with every formula's value."""
    profile = out / "profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_PROFILE, encoding="utf-8")
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out / "calc"),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / "calc" / path.name


@pytest.mark.parametrize("year, edition, rows", [(2020, "2019", 23), (2023, "2021", 25)])
def test_template_has_the_right_edition(giagen, tmp_path, year, edition, rows):
    path = tmp_path / "t.xlsx"
    run = giagen("template", "--year", year, "--agency", "某局", "-o", path)
    assert run.code == 0
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["填表说明", "基本信息", "二", "三", "四"]
    assert wb["基本信息"]["B5"].value == edition
    three = wb["三"]
    assert three["A5"].value == "一、本年新收政府信息公开申请数量"
    assert three.cell(row=4 + rows, column=1).value == "四、结转下年度继续办理"
    assert three["D5"].value == 0 and three["D5"].protection.locked is False
    assert three["A5"].protection.locked is not False and three.protection.sheet
    assert three.protection.password is None
    assert str(three["J5"].value).startswith("=SUM(")
    merged = {str(r) for r in three.merged_cells.ranges}
    assert {"A2:C4", "D2:J2", "D3:D4", "E3:I3", "J3:J4"} <= merged
    assert any(
        dv.type == "whole" and dv.operator == "between" and dv.formula1 == "0"
        for dv in three.data_validations.dataValidation
    )
    assert load(path).report.edition == edition


def test_blank_template_returned_as_sent_is_one_unfilled_error(giagen, tmp_path):
    path = tmp_path / "t.xlsx"
    giagen("template", "--year", 2023, "-o", path)
    run = giagen("check", "--json", path)
    assert run.code == 1 and [f["rule"] for f in run.json()] == ["UNFILLED"]


def _filled(tmp_path, year=2023) -> Path:
    path = tmp_path / "r.xlsx"
    save(synthetic_report(random.Random(3), year=year, busy=True), path)
    return path


def _set(path: Path, ref: str, value):
    sheet, cell = ref.split("!")
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def test_bad_count_is_value_type_at_its_cell(giagen, tmp_path):
    path = _filled(tmp_path)
    ref = cell_map("2021")[("三", "granted", "research")]
    _set(path, ref, "abc")
    before = path.read_bytes()
    findings = giagen("check", "--json", path).json()
    bad = [f for f in findings if f["rule"] == "VALUE-TYPE"]
    assert [(f["cell"], f["actual"]) for f in bad] == [(ref, "abc")]
    assert "应为整数" in bad[0]["message"]
    assert path.read_bytes() == before  # the input is never modified


def test_full_width_count_with_unit_reads_as_number(tmp_path):
    path = _filled(tmp_path)
    ref = cell_map("2021")[("四", "review", "upheld")]
    _set(path, ref, "４件")
    loaded = load(path)
    assert [(f.rule, f.severity, f.cell) for f in loaded.findings] == [("VALUE-READ", "info", ref)]
    assert "按 4 读入" in loaded.findings[0].message
    assert loaded.report.litigation["review"]["upheld"] == 4


def test_total_that_disagrees_is_an_error_at_that_cell(giagen, tmp_path):
    path = _filled(tmp_path)
    ref = cell_map("2021")[("三", "granted", "total")]
    _set(path, ref, 999)
    findings = giagen("check", "--json", path).json()
    assert {(f["rule"], f["cell"]) for f in findings if f["rule"] == "S3-ROW-TOTAL"} == {
        ("S3-ROW-TOTAL", ref)
    }


def test_formula_without_cached_value_is_derived(tmp_path):
    path = _filled(tmp_path)
    report = load(path).report
    wb = openpyxl.load_workbook(path)
    assert str(wb["三"]["J7"].value).startswith("=SUM")  # written by openpyxl: no cached value
    assert report.requests["granted"]["total"] == sum(
        v for k, v in report.requests["granted"].items() if k != "total"
    )


def test_non_workbook_named_xlsx_exits_2_with_one_chinese_line(giagen, tmp_path):
    path = tmp_path / "report.xlsx"
    path.write_text("这不是工作簿", encoding="utf-8")
    run = giagen("check", path)
    assert run.code == 2
    message = [ln for ln in run.stdout.splitlines() if "INPUT" in ln]
    assert len(message) == 1 and "这是文本" in message[0] and "giagen template" in message[0]
    assert "Traceback" not in run.stdout + run.stderr


def test_other_workbook_is_refused_clearly(giagen, tmp_path):
    path = tmp_path / "other.xlsx"
    openpyxl.Workbook().save(path)
    run = giagen("check", "--json", path)
    assert run.code == 2 and "缺少工作表" in run.json()[0]["message"]


def test_rows_moved_are_refused(giagen, tmp_path):
    path = _filled(tmp_path)
    wb = openpyxl.load_workbook(path)
    wb["三"].protection.sheet = False
    wb["三"].delete_rows(8)
    wb.save(path)
    run = giagen("check", path)
    assert run.code == 2 and "表格结构" in run.stdout


@pytest.mark.parametrize("name", ["dadukou-2020", "shizhong-2020", "xigong-2023"])
def test_example_workbooks_match_their_json(name):
    assert load(EXAMPLES / f"{name}.xlsx").report == load(EXAMPLES / f"{name}.json").report


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice absent")
def test_libreoffice_computes_the_status(tmp_path):
    blank, bad = tmp_path / "blank.xlsx", tmp_path / "bad.xlsx"
    save(synthetic_report(random.Random(1), year=2023), blank)
    shutil.copy(blank, bad)
    _set(bad, "三!D5", 999)  # 一、本年新收 · 自然人: now 一 + 二 ≠ （七） + 四
    status = {}
    for path in (blank, bad):
        ws = openpyxl.load_workbook(recalculated(path, tmp_path / path.stem), data_only=True)["三"]
        status[path.stem] = (ws["D30"].value, ws["K30"].value)
    assert status == {"blank": ("通过", "通过"), "bad": ("不通过", "不通过")}


@pytest.mark.parametrize(
    "renamed", ["三、收到和处理政府信息公开申请情况", " 三 ", "表三", "三．申请情况", "三(续)"]
)
def test_a_sheet_renamed_by_the_clerk_is_read_and_said(tmp_path, renamed):
    path = tmp_path / "renamed.xlsx"
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", path)
    wb = openpyxl.load_workbook(path)
    wb["三"].title = renamed
    wb.save(path)
    loaded = load(path)
    assert [(f.rule, f.severity, f.actual) for f in loaded.findings] == [
        ("SHEET-RENAMED", "info", renamed)
    ]
    assert loaded.report == load(EXAMPLES / "xigong-2023.xlsx").report


def test_two_renamed_sheets_are_read_when_alike_and_refused_when_not(tmp_path, giagen):
    path = tmp_path / "two.xlsx"
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", path)
    wb = openpyxl.load_workbook(path)
    wb["三"].title = "三、甲"
    wb.copy_worksheet(wb["三、甲"]).title = "三、乙"
    wb.save(path)
    assert load(path).report == load(EXAMPLES / "xigong-2023.xlsx").report
    wb["三、乙"]["D5"] = 99
    wb.save(path)
    run = giagen("check", path)
    said = run.stdout + run.stderr
    assert run.code == 2 and "「三、甲」" in said and "「三、乙」" in said and "D5" in said


@pytest.mark.parametrize("form", FORMS)
def test_workbook_as_excel_saves_it_reads_alike(tmp_path, monkeypatch, form):
    """Text in shared strings (as Excel and WPS save a workbook) reads as the inline text giagen
    wrote, through the quick reader and the lxml walk alike, for several clerks' workbooks."""
    from giagen.workbook import xlsxread
    from giagen.workbook.reader import _layout, read_workbook

    rng = random.Random(form)
    paths = [EXAMPLES / "xigong-2023.xlsx", EXAMPLES / "dadukou-2020.xlsx"]
    for i in range(6):
        path = save(
            synthetic_report(rng, year=rng.choice([2020, 2023]), busy=i % 2 == 0),
            tmp_path / f"u{i}.xlsx",
        )
        paths.append(path)
    for path in paths:
        data = as_saved(path.read_bytes(), form)
        quick = xlsxread.read_sheets(path, *_layout(), data=data)
        assert read_workbook(path, data)[0].to_data() == read_workbook(path)[0].to_data()
        with monkeypatch.context() as m:
            m.setattr(xlsxread, "_fast_sheet", lambda *args: False)  # every sheet walked with lxml
            walked = xlsxread.read_sheets(path, *_layout(), data=data)
        assert quick.values == walked.values and quick.strays == walked.strays
