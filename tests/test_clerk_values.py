"""What a clerk types: every cell means one thing, money in its unit, a report filled or not."""

import datetime as dt
import random
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from giagen.api import check
from giagen.core import definitions as d
from giagen.core.synthetic import synthetic_report
from giagen.pipeline.reports import load, save
from giagen.workbook.cells import FACTS_SHEET, FIRST_FACT_ROW, cell_map, fact_rows

# What clerks really type into a count cell, and what it must mean: a number, or refused.
COUNTS_READ = [
    (0, 0),
    (7, 7),
    ("７", 7),
    ("12件", 12),
    ("1,234", 1234),
    (" 3 ", 3),
    ("", 0),
    (3.0, 3),
    ("１２个", 12),
    ("0", 0),
    (9_999_999, 9_999_999),
]
COUNTS_REFUSED = [
    "无",
    "—",
    "/",
    "－",
    "暂无",
    "abc",
    "十二",
    "1,2",
    "12,34",
    "1，2",
    "²",
    "2²",
    "½",
    "①",
    "3.5",
    3.5,
    "1E+20",
    1e20,
    "4 5",
    10_000_000,
    "#DIV/0!",
    "#REF!",
    "#N/A",
    "=1/0",
    "=A1*2",
    True,
]


def _workbook(tmp_path: Path, year=2023, **changes) -> Path:
    """A clean filled workbook of `year`, with `changes` ({"三!D7": value}) written by openpyxl."""
    path = tmp_path / f"r{year}.xlsx"
    save(synthetic_report(random.Random(5), year=year, agency="某某局"), path)
    if changes:
        wb = openpyxl.load_workbook(path)
        for ref, value in changes.items():
            sheet, cell = ref.split("!")
            wb[sheet].protection.sheet = False
            wb[sheet][cell] = value
        wb.save(path)
    return path


def _input_cells(edition_id: str, section: str):
    """The cells of `section` a clerk types into (not totals)."""
    return [
        ref
        for (s, row, column), ref in cell_map(edition_id).items()
        if s == section and "total" not in (row, column)
    ]


def fact(key: str, edition_id="2021") -> str:
    row = next(i for i, (k, _, _) in enumerate(fact_rows(edition_id)) if k == key)
    return f"{FACTS_SHEET}!B{FIRST_FACT_ROW + row}"


def test_every_kind_of_count_is_read_or_refused_at_its_cell(tmp_path):
    variants = [(v, e) for v, e in COUNTS_READ] + [(v, None) for v in COUNTS_REFUSED]
    cells = _input_cells("2021", "三")
    assert len(cells) >= len(variants)
    placed = dict(zip(cells, variants))
    path = _workbook(tmp_path, **{ref: v for ref, (v, _) in placed.items()})
    loaded = load(path)
    at = {f.cell: f for f in loaded.findings if f.rule == "VALUE-TYPE"}
    keys = {ref: key for key, ref in cell_map("2021").items()}
    for ref, (written, expected) in placed.items():
        if expected is None:
            assert ref in at, (ref, written)
            assert "请" in at[ref].message or "应为" in at[ref].message
        else:
            assert ref not in at, (ref, written, at.get(ref))
            _, row, column = keys[ref]
            assert loaded.report.requests[row][column] == expected, (ref, written)
    assert all(f.section == "三" for f in at.values())
    # Text read with some tolerance is said, at its cell; a number Excel stores as such is not.
    said = {f.cell: f for f in loaded.findings if f.rule == "VALUE-READ"}
    for ref, (written, expected) in placed.items():
        wordy = (
            expected is not None
            and isinstance(written, str)
            and not written.strip().isascii()
            or written == "1,234"
        )
        assert (ref in said) == wordy, (ref, written)
        if wordy:
            assert said[ref].severity == "info" and f"按 {expected} 读入" in said[ref].message


def test_nothing_is_published_as_dash_where_a_count_was_refused(tmp_path, giagen):
    ref = cell_map("2021")[("三", "granted", "natural_person")]
    path = _workbook(tmp_path, **{ref: "无"})
    run = giagen("check", path)
    assert run.code == 1 and f"VALUE-TYPE {ref}" in run.stdout and "请填 0" in run.stdout
    assert giagen("render", path, "-o", tmp_path / "out").code == 1
    assert not (tmp_path / "out").exists()


def test_counts_of_two_are_counts_too(tmp_path):
    ed = d.edition("2021")
    ref = cell_map("2021")[("二", "licensing", "decisions")]
    loaded = load(_workbook(tmp_path, **{ref: "—"}))
    assert [(f.rule, f.cell) for f in loaded.findings] == [("VALUE-TYPE", ref)]
    assert ed.block_of("licensing").fields[0].kind == d.COUNT


@pytest.mark.parametrize(
    "written, expected",
    [
        ("174360元", Decimal("17.436")),
        ("35600万元", Decimal(35600)),
        ("—", None),
        (12.5, Decimal("12.5")),
        ("1,250.5", Decimal("1250.5")),
        (9999, Decimal(9999)),
    ],
)
def test_wan_cell_converts_yuan_and_takes_a_stated_unit(tmp_path, written, expected):
    ref = cell_map("2021")[("二", "admin_fees", "amount_wan")]
    loaded = load(_workbook(tmp_path, **{ref: written}))
    # `35600万元` is how giagen writes a large amount itself, `—` is read as written: nothing to say.
    wordy = (
        isinstance(written, str)
        and expected is not None
        and not written.replace(".", "").isdigit()
        and written != f"{expected}万元"
    )
    assert [(f.rule, f.cell) for f in loaded.findings] == ([("VALUE-READ", ref)] if wordy else [])
    assert loaded.report.proactive["admin_fees"]["amount_wan"] == expected
    if wordy:
        assert f"按 {expected} 万元 读入" in loaded.findings[0].message


@pytest.mark.parametrize("written", [35600, "35600", 10000.0, "无", "二十万"])
def test_doubtful_or_wordy_amount_in_wan_is_refused_at_its_cell(tmp_path, written):
    ref = cell_map("2021")[("二", "admin_fees", "amount_wan")]
    loaded = load(_workbook(tmp_path, **{ref: written}))
    assert [(f.rule, f.cell) for f in loaded.findings] == [("VALUE-TYPE", ref)]
    if not isinstance(written, str) or written.isdigit():
        assert "元" in loaded.findings[0].message and "万元" in loaded.findings[0].message


def test_a_big_amount_written_by_giagen_reads_back_the_same(tmp_path):
    report = synthetic_report(random.Random(2), year=2020)
    data = report.to_data()
    data["proactive"]["procurement"]["amount_wan"] = "123456.5"
    path = tmp_path / "big.json"
    import json

    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    save(load(path).report, tmp_path / "big.xlsx")
    back = load(tmp_path / "big.xlsx")
    assert back.findings == []
    assert back.report.proactive["procurement"]["amount_wan"] == Decimal("123456.5")


def test_fee_in_yuan_keeps_yuan(tmp_path):
    path = _workbook(
        tmp_path,
        **{
            fact("processing_fee.notices"): 2,
            fact("processing_fee.notice_amount_yuan"): "174360元",
            fact("processing_fee.collected_yuan"): 1000,
        },
    )
    fee = load(path).report.processing_fee
    assert (fee.notices, fee.notice_amount_yuan, fee.collected_yuan) == (
        2,
        Decimal(174360),
        Decimal(1000),
    )
    assert not [f for f in check([path]) if f.severity == "error"]


@pytest.mark.parametrize(
    "notices, amount, collected, rule, key",
    [
        (1, 100, 200, "FEE-COLLECTED", "processing_fee.collected_yuan"),
        (0, 100, 100, "FEE-NOTICES", "processing_fee.notices"),
        (2, 0, 0, "FEE-AMOUNT", "processing_fee.notice_amount_yuan"),
    ],
)
def test_fee_figures_must_agree(tmp_path, notices, amount, collected, rule, key):
    path = _workbook(
        tmp_path,
        **{
            fact("processing_fee.notices"): notices,
            fact("processing_fee.notice_amount_yuan"): amount,
            fact("processing_fee.collected_yuan"): collected,
        },
    )
    errors = [(f.rule, f.cell) for f in check([path]) if f.severity == "error"]
    assert errors == [(rule, fact(key))]


# ---- A report is filled or it is not -------------------------------------------------------


@pytest.mark.parametrize("key", ["agency", "date", "overview", "problems", "other"])
def test_missing_required_field_is_an_error_at_its_cell(tmp_path, key):
    path = _workbook(tmp_path, **{fact(key): None})
    found = [(f.rule, f.cell) for f in check([path]) if f.severity == "error"]
    assert ("REQUIRED", fact(key)) in found


@pytest.mark.parametrize("text", ["【待填写】", "XXX局", "××年", "（此处填写主要问题）", "○○局"])
@pytest.mark.parametrize("key", ["problems", "agency", "preamble"])
def test_placeholders_left_in_text_are_errors_at_their_cell(tmp_path, key, text):
    path = _workbook(tmp_path, **{fact(key): f"本局{text}情况"})
    found = [(f.rule, f.cell) for f in check([path])]
    assert ("PLACEHOLDER", fact(key)) in found


def test_a_report_that_names_numbers_is_no_placeholder(tmp_path):
    path = _workbook(
        tmp_path, **{fact("problems"): "二〇二三年【政务公开】专栏更新 3 次；x 光检查。"}
    )
    assert not [f for f in check([path]) if f.rule == "PLACEHOLDER"]


def test_blank_return_is_one_unfilled_error_even_when_prefilled_from_last_year(tmp_path, giagen):
    last = tmp_path / "last"
    last.mkdir()
    prev = synthetic_report(random.Random(9), year=2022, agency="某某局", busy=True)
    save(prev, last / "某某局.xlsx")
    names = tmp_path / "names.txt"
    names.write_text("某某局\n", encoding="utf-8")
    assert (
        giagen(
            "template",
            "--year",
            2023,
            "--agencies",
            names,
            "--previous",
            last,
            "-o",
            tmp_path / "out",
        ).code
        == 0
    )
    findings = check([tmp_path / "out" / "某某局.xlsx"])
    assert [f.rule for f in findings] == ["UNFILLED"]


@pytest.mark.parametrize("year, rule", [(1999, "YEAR-RANGE"), (2099, "YEAR-RANGE")])
def test_implausible_year_is_an_error_at_the_year_cell(tmp_path, year, rule):
    path = _workbook(tmp_path, **{fact("year"): year})
    assert (rule, fact("year")) in [(f.rule, f.cell) for f in check([path])]


def test_year_missing_is_required_at_its_cell(tmp_path):
    path = _workbook(tmp_path, **{fact("year"): None})
    assert ("REQUIRED", fact("year")) in [(f.rule, f.cell) for f in check([path])]


@pytest.mark.parametrize(
    "written", ["2023年", "２０２３", "2023年度", "二〇二三", "二〇二三年", " 2023 ", 2023]
)
def test_a_year_written_as_people_do_is_read(tmp_path, written):
    path = _workbook(tmp_path, **{fact("year"): written})
    loaded = load(path)
    assert loaded.report.year == 2023
    said = [(f.rule, f.severity) for f in loaded.findings]
    assert said == ([] if str(written).strip() == "2023" else [("VALUE-READ", "info")])


@pytest.mark.parametrize("written", ["23", "2O23", "2023.5", "去年"])
def test_a_year_written_wrongly_is_one_error_not_also_missing(tmp_path, written):
    path = _workbook(tmp_path, **{fact("year"): written})
    at_year = [f.rule for f in check([path]) if f.cell == fact("year")]
    assert at_year == ["VALUE-TYPE"]


@pytest.mark.parametrize(
    "date, rule, severity",
    [
        ("2023-12-20", "DATE-RANGE", "error"),
        (dt.date.today() + dt.timedelta(days=30), "DATE-RANGE", "error"),
        ("2024年3月5日", "DATE-LATE", "warning"),
        ("一月", "VALUE-TYPE", "error"),
        ("1月20日", "VALUE-TYPE", "error"),
        ("20241301", "VALUE-TYPE", "error"),
    ],
)
def test_date_after_the_year_and_not_in_the_future(tmp_path, date, rule, severity):
    path = _workbook(tmp_path, **{fact("date"): date})
    found = [(f.rule, f.severity, f.cell) for f in check([path])]
    assert (rule, severity, fact("date")) in found


def test_excel_date_and_date_text_read_alike(tmp_path):
    for value in (
        dt.datetime(2024, 1, 20),
        "2024-01-20",
        "2024年1月20日",
        "2024.1.20",
        45311,
        "20240120",
        "二〇二四年一月二十日",
        "2024年1月20号",
        "2024-01-20 00:00:00",
        "２０２４年１月２０日",
    ):
        assert load(_workbook(tmp_path, **{fact("date"): value})).report.date == dt.date(
            2024, 1, 20
        )


# ---- Every sheet is verified ---------------------------------------------------------------


@pytest.mark.parametrize("move", ["delete", "insert", "swap"])
def test_moved_rows_of_facts_sheet_are_refused_with_the_cell(tmp_path, giagen, move):
    path = _workbook(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb[FACTS_SHEET]
    ws.protection.sheet = False
    if move == "delete":
        ws.delete_rows(FIRST_FACT_ROW + 5)
    elif move == "insert":
        ws.insert_rows(FIRST_FACT_ROW + 1)
    else:
        a, b = FIRST_FACT_ROW + 6, FIRST_FACT_ROW + 7
        for col in "ABC":
            ws[f"{col}{a}"].value, ws[f"{col}{b}"].value = (
                ws[f"{col}{b}"].value,
                ws[f"{col}{a}"].value,
            )
    wb.save(path)
    before = path.read_bytes()
    run = giagen("check", path)
    assert run.code == 2 and f"{FACTS_SHEET}!A" in run.stdout and "Traceback" not in run.stdout
    assert path.read_bytes() == before


def test_a_value_far_outside_the_tables_is_named_never_read(tmp_path):
    path = _workbook(tmp_path, **{"三!ZZ100000": 5, "四!XFD1048576": "x"})
    strays = {f.cell for f in load(path).findings if f.rule == "STRAY-VALUE"}
    assert strays == {"三!ZZ100000", "四!XFD1048576"}


@pytest.mark.parametrize("raw", ["NaN", "Infinity", "-Infinity", "1E+300", "1e400"])
def test_json_numbers_that_are_no_counts_are_refused(tmp_path, raw):
    import json

    data = synthetic_report(random.Random(1), year=2023).to_data()
    data["requests"]["granted"]["natural_person"] = "__RAW__"
    text = json.dumps(data, ensure_ascii=False).replace('"__RAW__"', raw)
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    found = [(f.rule, f.row, f.column) for f in check([path])]
    assert ("VALUE-TYPE", "granted", "natural_person") in found


def test_the_fast_reader_and_the_careful_one_read_alike(tmp_path, monkeypatch):
    """Cells read by the regular-expression pass equal those of the element walk, errors included."""
    from giagen.workbook import xlsxread

    refs = _input_cells("2021", "三")[:6]
    path = _workbook(
        tmp_path,
        **dict(zip(refs, ["无", "#DIV/0!", "=1/0", " 3 ", "1,234", "a&b<c>"])),
        **{fact("overview"): "甲 & 乙 <丙>\n第二段", "三!ZZ100000": 5},
    )
    fast = load(path)
    monkeypatch.setattr(xlsxread, "_fast_sheet", lambda *args: False)
    slow = load(path)
    assert fast.report == slow.report
    assert [(f.rule, f.cell, f.actual) for f in fast.findings] == [
        (f.rule, f.cell, f.actual) for f in slow.findings
    ]


def test_cells_written_with_their_attributes_in_another_order_are_all_read(tmp_path):
    """A writer that puts `s` before `r` (or leaves `r` out) gets the careful reader, never blanks."""
    import re as regex
    import zipfile

    path = _workbook(tmp_path, **{_input_cells("2021", "三")[0]: 5})
    expected = load(path).report
    shuffled = tmp_path / "shuffled.xlsx"
    with zipfile.ZipFile(path) as z, zipfile.ZipFile(shuffled, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            data = z.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = regex.sub(rb'<c r="([A-Z]+[0-9]+)" s="([0-9]+)"', rb'<c s="\2" r="\1"', data)
            out.writestr(info.filename, data)
    assert load(shuffled).report == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "utf-16"])
def test_a_report_json_saved_by_notepad_in_any_of_its_encodings_is_read(tmp_path, encoding):
    from conftest import EXAMPLES

    path = tmp_path / "report.json"
    path.write_text((EXAMPLES / "xigong-2023.json").read_text(encoding="utf-8"), encoding=encoding)
    assert load(path).report == load(EXAMPLES / "xigong-2023.json").report


def test_a_json_in_no_known_encoding_is_refused_by_name(tmp_path, giagen):
    path = tmp_path / "report.json"
    path.write_bytes(b"\xff\xff\xff{")
    run = giagen("check", path)
    assert run.code == 2 and "无法识别文件的编码" in run.stdout + run.stderr


@pytest.mark.parametrize(
    "written, read",
    [
        ("西工区\n统计局", "西工区统计局"),
        ("西工区  统计局", "西工区统计局"),
        ("西工区统计局（中共西工区委 统计办）", "西工区统计局（中共西工区委统计办）"),
        ("某市 Bureau  of Statistics", "某市 Bureau of Statistics"),
    ],
)
def test_an_agency_typed_over_two_lines_or_with_spaces_is_one_name_and_said(
    tmp_path, written, read
):
    loaded = load(_workbook(tmp_path, **{fact("agency"): written}))
    assert loaded.report.agency == read
    assert [(f.rule, f.cell) for f in loaded.findings] == [("VALUE-READ", fact("agency"))]
    assert "\n" not in loaded.findings[0].message
