"""Rendering: the six sections and the statutory tables in DOCX and HTML, safely and reproducibly."""

import io
import json
import random
import re
import shutil
import zipfile

import docx as python_docx
import pytest
from conftest import EXAMPLES, FIXTURES
from lxml import etree
from template_variants import BAD_TEMPLATES, template_variant

from giagen.core import definitions as d
from giagen.core.compose import compose
from giagen.core.synthetic import synthetic_report
from giagen.output.docx import context, render_docx
from giagen.output.docxtemplate import DEFAULT_TEMPLATE

INJECTION = "甲<script>alert(1)</script> & 乙 ]]> {{ 7*7 }} {% raw %} 丙\x0b丁\x07"


def write_json(path, report_or_data):
    data = report_or_data if isinstance(report_or_data, dict) else report_or_data.to_data()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["dadukou-2020", "shizhong-2020", "xigong-2023"])
@pytest.mark.parametrize("suffix", [".json", ".xlsx"])
def test_every_example_renders_docx_and_html(giagen, tmp_path, name, suffix):
    run = giagen("render", EXAMPLES / f"{name}{suffix}", "-o", tmp_path)
    assert run.code == 0, run.stderr
    document = python_docx.Document(tmp_path / f"{name}.docx")
    texts = [p.text for p in document.paragraphs]
    headings = [t for t in texts if t in d.SECTION_TITLES.values()]
    assert headings == list(d.SECTION_TITLES.values())  # six sections, in order
    assert texts[0].replace("\n", "").endswith("年政府信息公开工作年度报告")  # broken between words
    assert len(document.tables) == 3
    html = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in html
    assert html.count("<caption") == 3 and "http" not in html.split("<body>")[1]


def test_render_publishes_despite_a_warning_and_says_it(giagen, tmp_path):
    import openpyxl

    path = tmp_path / "stray.xlsx"
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", path)
    wb = openpyxl.load_workbook(path)
    wb["三"]["XFD1048576"] = 7
    wb.save(path)
    run = giagen("render", path, "-o", tmp_path / "out")
    assert run.code == 0, run.stderr
    assert (
        "STRAY-VALUE 三!XFD1048576" in run.stderr
    )  # the value that was not read is not kept quiet
    assert (tmp_path / "out" / "stray.docx").exists()


def _three_by_labels(document, ed):
    """Each number of 三 found by its row's official label and its column's applicant type."""
    table = document.tables[1]
    header = [c.text for c in table.rows[2].cells]
    found = {}
    for line, row in zip(ed.request_lines, table.rows[3:]):
        cells = row.cells
        assert cells[2].text == line.label  # the label cell holds the official label
        for field in d.REQUEST_FIELDS:
            column = header.index(field.label)
            found[(line.id, field.id)] = int(cells[column].text)
    return found


@pytest.mark.parametrize("year", [2020, 2023])
def test_docx_numbers_stand_under_their_labels(tmp_path, year):
    report = synthetic_report(random.Random(year), year=year, busy=True)
    document = python_docx.Document(io.BytesIO(render_docx(compose(report))))
    found = _three_by_labels(document, report.spec)
    assert found == {(r, c): v for r, row in report.requests.items() for c, v in row.items()}


def test_docx_tables_have_merges_borders_and_repeating_headers():
    report = synthetic_report(random.Random(1), year=2023)
    xml = (
        zipfile.ZipFile(io.BytesIO(render_docx(compose(report)))).read("word/document.xml").decode()
    )
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, flags=re.S)
    assert len(tables) == 3
    three = tables[1]
    assert three.count("<w:tblHeader/>") == 3
    assert '<w:gridSpan w:val="3"/>' in three and '<w:vMerge w:val="restart"/>' in three
    # every border drawn by the table itself: outer edges and every inner line
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    assert all(
        all(f'<w:{side} w:val="single"' in t.split("</w:tblBorders>")[0] for side in sides)
        for t in tables
    )


def test_docx_is_chinese_with_east_asian_fonts():
    z = zipfile.ZipFile(DEFAULT_TEMPLATE)
    styles = z.read("word/styles.xml").decode()
    assert 'w:eastAsia="zh-CN"' in styles and 'w:eastAsia="仿宋_GB2312"' in styles
    for font in ("方正小标宋简体", "黑体", "楷体_GB2312"):
        assert f'w:eastAsia="{font}"' in styles
    assert "ja-JP" not in styles + z.read("word/settings.xml").decode()
    assert "<w:evenAndOddHeaders/>" in z.read("word/settings.xml").decode()
    assert 'w:instr=" PAGE "' in z.read("word/footer1.xml").decode()


def test_injection_renders_literally(giagen, tmp_path):
    data = json.loads((EXAMPLES / "xigong-2023.json").read_text(encoding="utf-8"))
    data["overview"] = data["problems"] = data["agency"] = INJECTION
    source = write_json(tmp_path / "r.json", data)
    run = giagen("render", source, "-o", tmp_path)  # control characters: refused, named
    assert (
        run.code == 2
        and "r.json" in run.stderr
        and "机关名称" in run.stderr
        and "U+000B" in run.stderr
    )
    data["overview"] = data["problems"] = data["agency"] = INJECTION.replace("\x07", "").replace(
        "\x0b", ""
    )
    source = write_json(tmp_path / "r.json", data)
    assert giagen("render", source, "-o", tmp_path).code == 0
    raw = zipfile.ZipFile(tmp_path / "r.docx").read("word/document.xml")
    etree.fromstring(raw)  # strict parse: well-formed
    texts = "\n".join(p.text for p in python_docx.Document(tmp_path / "r.docx").paragraphs)
    assert "甲<script>alert(1)</script> & 乙 ]]> {{ 7*7 }} {% raw %} 丙丁" in texts
    assert "49" not in texts
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;" in html and "{{ 7*7 }}" in html
    assert "\x0b" not in html and "\x07" not in html


def test_rendering_twice_gives_identical_bytes(giagen, tmp_path):
    for out in ("a", "b"):
        assert giagen("render", EXAMPLES / "shizhong-2020.xlsx", "-o", tmp_path / out).code == 0
    for suffix in ("docx", "html"):
        assert (tmp_path / "a" / f"shizhong-2020.{suffix}").read_bytes() == (
            tmp_path / "b" / f"shizhong-2020.{suffix}"
        ).read_bytes()


def test_errors_refuse_and_draft_marks(giagen, tmp_path):
    bad = FIXTURES / "seeds_as_published" / "002.json"
    run = giagen("render", bad, "-o", tmp_path / "out")
    assert run.code == 1 and "S3-BALANCE" in run.stderr and "--draft" in run.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    assert giagen("render", bad, "-o", tmp_path / "out", "--draft").code == 0
    header = zipfile.ZipFile(tmp_path / "out" / "002.docx").read("word/header1.xml").decode()
    assert "草稿（未通过校验）" in header
    assert "草稿（未通过校验）" in (tmp_path / "out" / "002.html").read_text(encoding="utf-8")


def test_clean_report_is_no_draft(giagen, tmp_path):
    giagen("render", EXAMPLES / "xigong-2023.json", "-o", tmp_path, "--draft")
    header = zipfile.ZipFile(tmp_path / "xigong-2023.docx").read("word/header1.xml").decode()
    assert "草稿" not in header


def test_preamble_fee_sentence_and_signature():
    report = synthetic_report(random.Random(5), year=2023)
    c = compose(report.replace(other="无。"))
    assert "统计期限自2023年1月1日起至2023年12月31日止" in c.preamble[0].text
    six = c.sections[5].paragraphs
    assert [p.text for p in six] == ["本年度未发出信息处理费收费通知，未收取信息处理费。"]
    assert c.date.startswith("2024年1月") and "年0" not in c.date


def test_subheadings_lead_in_kaiti():
    report = synthetic_report(random.Random(5), year=2023)
    c = compose(
        report.replace(overview="（一）主动公开情况。全年公开100条。\n(二) 依申请公开\n正文。")
    )
    first, second, third = c.sections[0].paragraphs
    assert (first.lead, first.text) == ("（一）主动公开情况。", "全年公开100条。")
    assert (second.lead, second.text) == ("(二) 依申请公开", "")
    assert (third.lead, third.text) == ("", "正文。")
    xml = context(c)["overview"]
    assert xml.count('w:val="GiagenSubheading"') == 2


def test_fragment_for_cms_beside_the_page_never_over_it(giagen, tmp_path):
    giagen("render", EXAMPLES / "xigong-2023.json", "--to", "html", "-o", tmp_path)
    page = (tmp_path / "xigong-2023.html").read_text(encoding="utf-8")
    assert (
        giagen(
            "render", EXAMPLES / "xigong-2023.json", "--to", "html", "--fragment", "-o", tmp_path
        ).code
        == 0
    )
    assert (tmp_path / "xigong-2023.html").read_text(encoding="utf-8") == page  # not written over
    html = (tmp_path / "xigong-2023.fragment.html").read_text(encoding="utf-8")
    assert (
        "<style" not in html
        and "<script" not in html
        and "<html" not in html
        and "class=" not in html
    )
    assert (
        html.count("<caption") == 0 and html.count("二、主动公开政府信息情况") == 1
    )  # each caption once
    assert html.count('<table border="1" cellspacing="0" cellpadding="4" width="100%"') == 3
    allowed = {"width", "rowspan", "colspan", "align", "valign", "style", "scope"}  # scope: headers
    for attrs in re.findall(r"<t[hd]([^>]*)>", html):
        assert {a for a in re.findall(r"(\w+)=", attrs)} <= allowed


def own_template(path, header: str):
    """A copy of the default template whose odd-page header reads `header`."""
    with zipfile.ZipFile(DEFAULT_TEMPLATE) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/header1.xml":
                data = data.replace(b"{{ draft_mark }}", header.encode())
            dst.writestr(info, data)
    return path


def test_own_template(giagen, tmp_path):
    own = own_template(tmp_path / "own.docx", "某某局文件 {{ agency }}{{ draft_mark }}")
    assert (
        giagen("render", EXAMPLES / "xigong-2023.json", "--template", own, "-o", tmp_path).code == 0
    )
    header = zipfile.ZipFile(tmp_path / "xigong-2023.docx").read("word/header1.xml").decode()
    assert "某某局文件 西工区统计局" in header


@pytest.mark.parametrize("kind", BAD_TEMPLATES)
def test_bad_template_is_refused_saying_why(giagen, tmp_path, kind):
    make, said = BAD_TEMPLATES[kind]
    template = make(tmp_path / "own.docx")
    before = template.read_bytes()
    run = giagen(
        "render", EXAMPLES / "xigong-2023.json", "--template", template, "-o", tmp_path / "o"
    )
    assert run.code == 2 and said in run.stderr and "Traceback" not in run.stderr + run.stdout, (
        run.stderr
    )
    assert not (tmp_path / "o").exists() and template.read_bytes() == before


def test_restyled_template_renders(giagen, tmp_path):
    """Another template (other bytes: the record does not apply) is checked, patched and rendered."""
    own = template_variant(
        tmp_path / "own.docx", "word/styles.xml", lambda d: d.replace(b"000000", b"333333")
    )
    assert (
        giagen("render", EXAMPLES / "xigong-2023.json", "--template", own, "-o", tmp_path).code == 0
    )


def test_template_with_unknown_placeholder_is_refused(giagen, tmp_path):
    own = own_template(tmp_path / "own.docx", "{{ letterhead }}")
    run = giagen("render", EXAMPLES / "xigong-2023.json", "--template", own, "-o", tmp_path / "o")
    assert run.code == 2 and "letterhead" in run.stderr and "undefined" not in run.stderr
    assert not (tmp_path / "o").exists()


def test_template_cannot_run_code(giagen, tmp_path):
    own = own_template(
        tmp_path / "own.docx", "{{ cycler.__init__.__globals__.os.popen('touch pwned').read() }}"
    )
    run = giagen("render", EXAMPLES / "xigong-2023.json", "--template", own, "-o", tmp_path / "o")
    assert run.code == 2 and "不允许" in run.stderr + run.stdout or "占位符" in run.stderr
    assert not (tmp_path / "pwned").exists() and not (tmp_path / "o").exists()


def test_same_document_as_docxtpl_itself(tmp_path):
    """The compiled template gives what docxtpl's own render gives, only faster."""
    from docxtpl import DocxTemplate

    report = synthetic_report(random.Random(9), year=2023, busy=True)
    c = compose(report)
    tpl = DocxTemplate(DEFAULT_TEMPLATE)
    tpl.render(context(c), autoescape=True)
    tpl.save(tmp_path / "docxtpl.docx")
    ours = python_docx.Document(io.BytesIO(render_docx(c)))
    theirs = python_docx.Document(tmp_path / "docxtpl.docx")
    assert [p.text for p in ours.paragraphs] == [p.text for p in theirs.paragraphs]
    assert [[c.text for c in r.cells] for t in ours.tables for r in t.rows] == [
        [c.text for c in r.cells] for t in theirs.tables for r in t.rows
    ]


def test_inserts_put_large_parts_in_after_rendering():
    """A table stands in the template as a token and is put in, already UTF-8, after Jinja."""
    from giagen.output.templating import Inserts, environment

    inserts = Inserts()
    first, second = inserts.token("<t>表二 & 3</t>".encode()), inserts.token(b"<t>4</t>")
    page = (
        environment().from_string("<p>{{ a }}</p>{{ b }}<p>{{ a }}</p>").render(a=first, b=second)
    )
    assert (
        inserts.put_in(page.encode())
        == "<p><t>表二 & 3</t></p><t>4</t><p><t>表二 & 3</t></p>".encode()
    )
    assert Inserts().put_in(b"<p>\x00</p>") == b"<p>\x00</p>"  # nothing to put in: as rendered


def test_default_template_record_is_current():
    """The record of the default template's patched parts is of the shipped template, and holds
    what docxtpl's patcher makes of it (rebuild with tools/make_docx_template.py --record)."""
    from giagen.output.docxtemplate import PATCHED_RECORD, patched_parts, recorded_parts

    record = json.loads(PATCHED_RECORD.read_text(encoding="utf-8"))
    assert (
        recorded_parts(DEFAULT_TEMPLATE.read_bytes())
        == record["parts"]
        == patched_parts(DEFAULT_TEMPLATE)
    )


def test_changed_template_is_patched_not_read_from_the_record(tmp_path):
    """An agency's own template (any other bytes) goes through docxtpl's patcher."""
    from giagen.output.docxtemplate import CompiledDocx, recorded_parts

    own = own_template(tmp_path / "own.docx", "某某局文件 {{p draft_mark }}")
    assert recorded_parts(own.read_bytes()) is None
    report = synthetic_report(random.Random(3), year=2023)
    docx = CompiledDocx(own).render(context(compose(report, draft=True)))
    header = zipfile.ZipFile(io.BytesIO(docx)).read("word/header1.xml").decode()
    assert (
        "{{" not in header and "某某局文件" not in header
    )  # `{{p …}}` took the paragraph, as docxtpl does


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice absent")
def test_pdf(giagen, tmp_path):
    assert giagen("render", EXAMPLES / "xigong-2023.json", "--to", "pdf", "-o", tmp_path).code == 0
    assert (tmp_path / "xigong-2023.pdf").read_bytes().startswith(b"%PDF")
