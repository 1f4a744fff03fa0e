"""Documents that pass for official ones: valid OOXML, honest properties, titles broken by meaning."""

import os
import random
import re
import shutil
import stat
import subprocess
import sys
import zipfile

import pytest
from conftest import EXAMPLES

from giagen.core.compose import _width, title_lines
from giagen.core.synthetic import synthetic_report

AUDIT = shutil.which("openxml-audit") or shutil.which(
    "openxml-audit", path=os.path.dirname(sys.executable)
)


def word_findings(path) -> str:
    """What openxml-audit says Word would find; '' when nothing."""
    proc = subprocess.run([AUDIT, "-q", str(path)], capture_output=True, text=True, timeout=120)
    return (
        "" if proc.returncode == 0 and "at risk" not in proc.stdout else proc.stdout + proc.stderr
    )


@pytest.fixture(scope="module")
def every_docx_kind(tmp_path_factory):
    """Both editions, a draft, a region's report and a correction notice, as giagen writes them."""
    import json

    from giagen.api import batch, render

    folder = tmp_path_factory.mktemp("docx")
    paths = []
    for name in ("shizhong-2020", "xigong-2023"):
        paths += [
            p
            for p in render(EXAMPLES / f"{name}.json", to="docx", output_dir=folder)
            if p.suffix == ".docx"
        ]
    data = json.loads((EXAMPLES / "xigong-2023.json").read_text(encoding="utf-8"))
    data.setdefault("requests", {})["total"] = {"natural_person": 9}
    (folder / "draft.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    paths += [p for p in render(folder / "draft.json", to="docx", output_dir=folder, draft=True)]
    units = folder / "units"
    units.mkdir()
    for i in range(3):
        report = synthetic_report(random.Random(i), year=2023, agency=f"单位{i}")
        (units / f"{i}.json").write_text(
            json.dumps(report.to_data(), ensure_ascii=False), encoding="utf-8"
        )
    (units / "bad.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = batch([units], folder / "out", rollup="某某县")
    paths += [p for p in result.region if p.suffix == ".docx"]
    paths += list((folder / "out" / "notices").glob("*.docx"))
    paths += list((folder / "out" / "units").glob("*.docx"))[:1]
    return paths


@pytest.mark.skipif(AUDIT is None, reason="openxml-audit is in the test extras")
def test_every_docx_kind_opens_cleanly_in_word(every_docx_kind):
    assert len(every_docx_kind) >= 6
    problems = {str(p): word_findings(p) for p in every_docx_kind}
    assert not {p: f for p, f in problems.items() if f}


def test_core_properties_name_the_agency_and_the_report_date(every_docx_kind):
    path = next(p for p in every_docx_kind if p.name == "xigong-2023.docx")
    with zipfile.ZipFile(path) as z:
        core, app = z.read("docProps/core.xml").decode(), z.read("docProps/app.xml").decode()
    assert "<dc:creator>西工区统计局</dc:creator>" in core and "2024-01-22T00:00:00Z" in core
    assert "西工区统计局2023年政府信息公开工作年度报告" in core
    assert "<Application>giagen</Application>" in app and "Microsoft" not in app + core


def test_tables_keep_their_rows_and_headers_together(every_docx_kind):
    path = next(p for p in every_docx_kind if p.name == "xigong-2023.docx")
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    tables = re.findall(r"<w:tbl>.*?</w:tbl>", xml, re.S)
    assert len(tables) == 3
    for table in tables:
        rows = re.findall(r"<w:tr>.*?</w:tr>", table, re.S)
        assert all("<w:cantSplit/>" in r for r in rows)  # no row split across pages
        widths = [int(w) for w in re.findall(r'<w:gridCol w:w="(\d+)"/>', table)]
        assert sum(widths) == int(re.search(r'<w:tblW w:w="(\d+)"', table).group(1))
    three = tables[1]
    assert three.count("<w:tblHeader/>") == 3  # the header repeats on every page
    two = tables[0]
    block_rows = [
        r for r in re.findall(r"<w:tr>.*?</w:tr>", two, re.S) if "第二十条" in r or "信息内容" in r
    ]
    assert block_rows and all(
        "<w:keepNext/>" in r for r in block_rows
    )  # sub-headers stay with their rows


def test_new_files_get_the_umask_permissions(tmp_path):
    from giagen.api import render

    old = os.umask(0o022)
    try:
        paths = render(EXAMPLES / "xigong-2023.json", output_dir=tmp_path)
    finally:
        os.umask(old)
    assert {stat.S_IMODE(p.stat().st_mode) for p in paths} == {0o644}


def test_rendering_twice_gives_the_same_bytes(tmp_path):
    from giagen.api import render

    first = [
        p.read_bytes() for p in render(EXAMPLES / "shizhong-2020.json", output_dir=tmp_path / "a")
    ]
    second = [
        p.read_bytes() for p in render(EXAMPLES / "shizhong-2020.json", output_dir=tmp_path / "b")
    ]
    assert first == second


@pytest.mark.parametrize(
    "title",
    [
        "西工区统计局2023年政府信息公开工作年度报告",
        "重庆市大渡口区统计局2020年政府信息公开工作年度报告",
        "某某自治州某某县人民政府办公室2025年政府信息公开工作年度报告",
        "中华人民共和国某某部某某司某某局某某处某某办公室2025年政府信息公开工作年度报告",
        "某某市住房和城乡建设委员会2024年度政府信息公开工作年度报告",
        "某局2023年政府信息公开工作年度报告",
    ],
)
def test_titles_break_between_words_in_a_balanced_shape(title):
    lines = title_lines(title)
    assert "".join(lines) == title
    assert all(_width(line) <= 20 for line in lines)  # 二号 on the 156 mm line
    assert all(len(line) > 2 for line in lines)  # never one or two characters alone
    for word in ("政府信息公开", "年度", "报告"):
        assert not any(
            line.endswith(word[:k]) and lines[i + 1].startswith(word[k:])
            for i, line in enumerate(lines[:-1])
            for k in range(1, len(word))
        )
    if len(lines) > 1 and "年" in title:
        assert lines[-1].endswith("政府信息公开工作年度报告")


def test_the_html_title_breaks_where_the_docx_does(tmp_path):
    from giagen.api import render

    html = [p for p in render(EXAMPLES / "dadukou-2020.json", to="html", output_dir=tmp_path)][0]
    assert "重庆市大渡口区统计局2020年<br>政府信息公开工作年度报告</h1>" in html.read_text(
        encoding="utf-8"
    )
