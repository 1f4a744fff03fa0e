"""Nothing a person entered is overwritten by surprise; documents are regenerated in place."""

import shutil

from conftest import EXAMPLES, FIXTURES


def test_template_refuses_an_existing_workbook_without_force(giagen, tmp_path):
    path = tmp_path / "本局.xlsx"
    shutil.copy(EXAMPLES / "xigong-2023.xlsx", path)
    before = path.read_bytes()
    run = giagen("template", "--year", 2023, "-o", path)
    assert run.code == 2 and "已存在" in run.stderr and "--force" in run.stderr
    assert path.read_bytes() == before
    assert giagen("template", "--year", 2023, "-o", path, "--force").code == 0
    assert path.read_bytes() != before


def test_template_for_a_unit_list_refuses_when_any_workbook_exists(giagen, tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("甲局\n乙局\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "乙局.xlsx").write_bytes(b"filled")
    run = giagen("template", "--year", 2023, "--agencies", names, "-o", out)
    assert run.code == 2 and "乙局.xlsx" in run.stderr
    assert not (out / "甲局.xlsx").exists() and (out / "乙局.xlsx").read_bytes() == b"filled"


def test_convert_and_import_refuse_existing_outputs(giagen, tmp_path):
    target = tmp_path / "r.json"
    target.write_text("{}", encoding="utf-8")
    assert giagen("convert", EXAMPLES / "xigong-2023.xlsx", "-o", target).code == 2
    assert giagen("import", FIXTURES / "published" / "xigong-2023.txt", "-o", target).code == 2
    assert target.read_text(encoding="utf-8") == "{}"
    assert giagen("convert", EXAMPLES / "xigong-2023.xlsx", "-o", target, "--force").code == 0


def test_render_never_writes_over_its_input(giagen, tmp_path):
    page = tmp_path / "xigong-2023.html"
    assert giagen("render", EXAMPLES / "xigong-2023.xlsx", "-o", tmp_path, "--to", "html").code == 0
    before = page.read_bytes()
    run = giagen("render", page, "-o", tmp_path, "--to", "html")
    assert run.code in (1, 2) and page.read_bytes() == before
    # a generated document is regenerated in place
    assert giagen("render", EXAMPLES / "xigong-2023.xlsx", "-o", tmp_path, "--to", "html").code == 0


def test_import_of_two_files_of_one_name_gives_two_outputs(giagen, tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(FIXTURES / "published" / "xigong-2023.txt", tmp_path / folder / "report.txt")
    run = giagen(
        "import",
        tmp_path / "a" / "report.txt",
        tmp_path / "b" / "report.txt",
        "-o",
        tmp_path / "out",
    )
    assert run.code == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report-2.json", "report.json"]
