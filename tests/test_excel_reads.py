"""What Excel shows is what giagen reads: held to openpyxl and to the specifications, not to itself."""

from __future__ import annotations

import datetime as dt
import io
import random
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES
from openpyxl.utils.datetime import to_excel
from serialisations import FORMS, rewritten, serialised

from giagen.api import check
from giagen.core.numbers import NO_VALUE, Displayed
from giagen.core.synthetic import synthetic_report
from giagen.pipeline.reports import load, save
from giagen.workbook import xlsxread
from giagen.workbook.cells import cell_map
from giagen.workbook.reader import _layout, read_workbook

# Forms that openpyxl, the reference, cannot read as the specification says; for these the
# reference is the same workbook in its ordinary form, which the specifications make equal.
REFERENCE_CANNOT = {
    "x-escaped": "openpyxl leaves Excel's _xHHHH_ escapes undecoded",
    "strict": "openpyxl does not read Strict Open XML",
    "upper-case-parts": "openpyxl looks parts up by their exact case",
}
NEW_RECEIVED = cell_map("2021")[("三", "new_received", "natural_person")]  # 三!D…: a count


def _normal(value):
    """A cell's value as both readers can state it."""
    if isinstance(value, Displayed):
        value = value.value
    if value is None or value is NO_VALUE:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return to_excel(value)
    return str(value) if isinstance(value, str) else value


def _giagen_cells(data: bytes) -> dict:
    wanted, extent = _layout()
    sheets = xlsxread.read_sheets("工作簿.xlsx", wanted, extent, data=data)
    return {(s, r): _normal(sheets.get(s, r)) for s, refs in wanted.items() for r in refs}


def _openpyxl_cells(data: bytes) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    wanted, _ = _layout()
    return {(s, r): _normal(wb[s][r].value) for s, refs in wanted.items() for r in refs}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[tuple[str, bytes]]:
    """The examples and clerks' workbooks with text that escaping touches: line breaks, & < > " ',
    characters beyond the basic plane, leading and trailing spaces."""
    folder = tmp_path_factory.mktemp("corpus")
    rng = random.Random(22)
    books = [(p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.xlsx"))]
    for i in range(3):
        report = synthetic_report(rng, year=rng.choice([2020, 2024]), busy=i == 0)
        report = report.replace(
            overview=f"  第一段 & <甲> “乙” '丙' 𠀀\n第二段{i}  ",
            other="无。\n（一）说明：a < b & c > d",
        )
        path = save(report, folder / f"u{i}.xlsx")
        books.append((path.name, path.read_bytes()))
    return books


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_serialisation_reads_as_the_reference_does(corpus, form):
    for name, data in corpus:
        variant = serialised(data, form)
        ours = _giagen_cells(variant)
        assert ours == _giagen_cells(data), (name, form)  # equal by the specifications
        reference = _openpyxl_cells(data if form in REFERENCE_CANNOT else variant)
        differing = {k: (ours[k], reference[k]) for k in ours if ours[k] != reference[k]}
        assert not differing, (name, form, list(differing.items())[:3])
        assert read_workbook(name, variant)[0] == read_workbook(name, data)[0]


def test_the_quick_path_and_the_walk_agree_on_every_form(corpus, monkeypatch):
    for form in FORMS:
        for name, data in corpus[:2]:
            quick = _giagen_cells(serialised(data, form))
            with monkeypatch.context() as m:
                m.setattr(xlsxread, "_fast_sheet", lambda *args: False)
                assert _giagen_cells(serialised(data, form)) == quick, (name, form)


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_a_workbook_saved_again_by_libreoffice_reads_the_same(tmp_path):
    source = tmp_path / "xigong-2023.xlsx"
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", source)
    out = tmp_path / "resaved"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    resaved = (out / source.name).read_bytes()
    assert _giagen_cells(resaved) == _openpyxl_cells(resaved)
    assert load(out / source.name).report == load(source).report


def _edited(tmp_path: Path, name: str, change) -> Path:
    wb = openpyxl.load_workbook(EXAMPLES / "xigong-2023.xlsx")
    change(wb)
    path = tmp_path / name
    wb.save(path)
    return path


def _at(ref: str):
    sheet, cell = ref.split("!")
    return sheet, cell


@pytest.mark.parametrize(
    ("value", "number_format", "said"),
    [
        (46024, 'm"月"d"日"', "Excel 把输入变成了日期“1月2日”"),
        (46024, "mm-dd-yy", "Excel 把输入变成了日期“2026年1月2日”"),
        (0.45, "0%", "显示为 45%"),
        (1, "0%", "显示为 100%"),
        (0.75, "# ?/?", "显示为 3/4"),
        (0.5, "h:mm", "Excel 把输入变成了时间“12:00”"),
    ],
)
def test_a_count_formatted_as_a_date_or_percentage_is_refused_at_its_cell(
    tmp_path, value, number_format, said
):
    sheet, cell = _at(NEW_RECEIVED)

    def change(wb):
        wb[sheet][cell] = value
        wb[sheet][cell].number_format = number_format

    loaded = load(_edited(tmp_path, "formatted.xlsx", change))
    found = [f for f in loaded.findings if f.cell == NEW_RECEIVED]
    assert [f.rule for f in found] == ["VALUE-TYPE"], loaded.findings
    assert said in found[0].message and "常规" in found[0].message


def test_a_date_cell_formatted_as_a_date_is_still_the_date(tmp_path):
    def change(wb):
        wb["基本信息"]["B6"] = dt.date(2024, 1, 20)
        wb["基本信息"]["B6"].number_format = "yyyy-mm-dd"

    assert load(_edited(tmp_path, "date.xlsx", change)).report.date == dt.date(2024, 1, 20)


def test_a_line_break_pasted_from_word_is_no_literal_escape(tmp_path, giagen):
    path = _edited(
        tmp_path, "x000d.xlsx", lambda wb: wb["基本信息"].__setitem__("B8", "第一段_x000D_\n第二段")
    )
    assert load(path).report.preamble == "第一段\n第二段"
    giagen("render", path, "-o", tmp_path / "out", "--to", "docx,html")
    for made in (tmp_path / "out").iterdir():
        text = made.read_text("utf-8") if made.suffix == ".html" else _docx_text(made)
        assert "_x000D_" not in text and "第二段" in text


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def _with_sheet_xml(data: bytes, change) -> bytes:
    return rewritten(data, "xl/worksheets/sheet4.xml", change)  # 三


def test_a_dtd_or_an_undeclared_entity_is_refused_naming_the_part():
    data = (EXAMPLES / "xigong-2023.xlsx").read_bytes()
    declared = _with_sheet_xml(
        data, lambda b: b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "1">]>' + b
    )
    with pytest.raises(Exception, match="DTD") as refused:
        xlsxread.read_sheets("x.xlsx", *_layout(), data=declared)
    assert "xl/worksheets/sheet4.xml" in str(refused.value)
    entity = _with_sheet_xml(data, lambda b: b.replace(b"<v>", b"<v>&xxe;", 1))
    with pytest.raises(Exception, match="损坏") as refused:
        xlsxread.read_sheets("x.xlsx", *_layout(), data=entity)
    assert "sheet4.xml" in str(refused.value)


def test_a_comment_holding_a_cell_changes_nothing():
    data = (EXAMPLES / "xigong-2023.xlsx").read_bytes()
    sheet, cell = _at(NEW_RECEIVED)
    fake = f'<!-- <c r="{cell}"><v>999</v></c> -->'.encode()
    commented = _with_sheet_xml(data, lambda b: b.replace(b"<sheetData>", b"<sheetData>" + fake))
    assert _giagen_cells(commented) == _giagen_cells(data)
    assert _giagen_cells(commented)[(sheet, cell)] != 999


def test_a_copy_the_clerk_filled_beside_the_template_zeros_is_refused(tmp_path, giagen):
    sheet, cell = _at(NEW_RECEIVED)

    def change(wb):
        copy = wb.copy_worksheet(wb[sheet])
        copy.title = "三 (2)"
        copy[cell] = 4  # the clerk filled the copy; 三 keeps the template's zeros

    run = giagen("check", _edited(tmp_path, "copy.xlsx", change))
    said = run.stdout + run.stderr
    assert run.code == 2 and "「三」" in said and "「三 (2)」" in said and cell in said
    assert "会读「三」" in said


def test_a_hidden_original_beside_the_visible_copy_is_never_read_silently(tmp_path, giagen):
    sheet, cell = _at(NEW_RECEIVED)

    def change(wb):
        copy = wb.copy_worksheet(wb[sheet])
        copy.title = "表三（填报）"
        copy[cell] = 7
        wb[sheet].sheet_state = "hidden"

    run = giagen("check", _edited(tmp_path, "hidden.xlsx", change))
    said = run.stdout + run.stderr
    assert run.code == 2 and "「三」（隐藏）" in said and "会读「表三（填报）」" in said


def test_a_copy_with_the_same_numbers_is_read(tmp_path):
    path = _edited(
        tmp_path, "same.xlsx", lambda wb: setattr(wb.copy_worksheet(wb["三"]), "title", "三 (2)")
    )
    assert load(path).report == load(EXAMPLES / "xigong-2023.xlsx").report


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("本局.ods", b"PK", "OpenDocument"),
        ("本局.xlsb", b"PK", ".xlsb"),
        ("本局.xls", b"\xd0\xcf\x11\xe0", "97-2003"),
        ("本局.csv", "项目,数字\n".encode(), "CSV"),
    ],
)
def test_other_kinds_of_spreadsheet_are_asked_to_be_saved_as_xlsx(
    tmp_path, giagen, name, content, said
):
    path = tmp_path / name
    path.write_bytes(content)
    run = giagen("check", path)
    assert run.code == 2 and said in run.stdout + run.stderr


def _ole(*streams: str) -> bytes:
    """The start of a compound file naming its streams, as .xls and encrypted workbooks are."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 504
        + b"".join(s.encode("utf-16-le") for s in streams)
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (_ole("EncryptionInfo", "EncryptedPackage"), "密码保护"),
        (_ole("Workbook"), "97-2003"),
        (b"\xef\xbb\xbf<html><body>", "网页"),
        ("机关名称,统计局\n".encode(), "文本"),
        (zipfile.ZipFile, "OpenDocument"),
    ],
)
def test_a_file_named_xlsx_that_is_something_else_says_what_it_is(tmp_path, giagen, content, said):
    path = tmp_path / "本局.xlsx"
    if content is zipfile.ZipFile:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<office:document-content/>")
    else:
        path.write_bytes(content)
    run = giagen("check", path)
    assert run.code == 2 and said in run.stdout + run.stderr and "Traceback" not in run.stderr


@pytest.mark.parametrize("agency", [12345, "123456789", "  "])
def test_an_agency_that_is_a_number_or_blank_is_named_at_its_cell(tmp_path, agency):
    path = _edited(tmp_path, "agency.xlsx", lambda wb: wb["基本信息"].__setitem__("B3", agency))
    found = [f for f in check([path]) if f.cell == "基本信息!B3"]
    assert found and found[0].rule in ("VALUE-TYPE", "REQUIRED")


@pytest.mark.parametrize(
    ("written", "read", "note"),
    [
        ("2024年元月20日", dt.date(2024, 1, 20), False),
        ("二〇二四年元月二十日", dt.date(2024, 1, 20), False),
        ("2024-01-20 09:30", dt.date(2024, 1, 20), True),
        ("2024年1月20日 9:30:00", dt.date(2024, 1, 20), True),
    ],
)
def test_official_date_forms_are_read(tmp_path, written, read, note):
    loaded = load(
        _edited(tmp_path, "date.xlsx", lambda wb: wb["基本信息"].__setitem__("B6", written))
    )
    assert loaded.report.date == read
    notes = [f for f in loaded.findings if f.rule == "VALUE-READ" and f.cell == "基本信息!B6"]
    assert bool(notes) == note


def test_a_lunar_month_is_refused(tmp_path):
    loaded = load(
        _edited(
            tmp_path, "lunar.xlsx", lambda wb: wb["基本信息"].__setitem__("B6", "2024年正月20日")
        )
    )
    found = [f for f in loaded.findings if f.cell == "基本信息!B6"]
    assert found[0].rule == "VALUE-TYPE" and "农历" in found[0].message


def test_convert_takes_a_workbook_whose_only_finding_is_a_note(tmp_path, giagen):
    sheet, cell = _at(NEW_RECEIVED)
    path = _edited(tmp_path, "note.xlsx", lambda wb: wb[sheet].__setitem__(cell, "４"))
    assert any(f.rule == "VALUE-READ" for f in load(path).findings)
    run = giagen("convert", path, "-o", tmp_path / "note.json")
    assert run.code == 0 and "None" not in run.stdout + run.stderr
    assert load(tmp_path / "note.json").report.requests["new_received"]["natural_person"] == 4
