"""Published reports told by their content, not their name: a site's "Word 版" that is a web
page or a page saved as one file, a Word document named .doc; and what giagen does not read
(Office 97-2003, RTF, OFD, OpenDocument, a workbook) said as what it is, with what to do."""

import io
import shutil
import subprocess
import zipfile

import pytest
from conftest import EXAMPLES, FIXTURES

from giagen import load
from giagen.pipeline.rendering import documents

MADE = load(EXAMPLES / "xigong-2023.json").report
TABLES = ("proactive", "requests", "litigation")
KEPT_MHTML = FIXTURES / "mhtml_from_chromium" / "xigong-2023-in-a-frame.mhtml"


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def _ole(stream: str) -> bytes:
    """The start of a compound file (Office 97-2003) whose directory names `stream`."""
    return (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000) + stream.encode("utf-16-le") + bytes(64)
    )


READ = {  # name: what the file holds
    "年报.doc": lambda: documents(MADE, ("html",))["html"],  # a CMS's "Word 版": the page so named
    "年报(单个文件).doc": lambda: KEPT_MHTML.read_bytes(),  # Word's "single file web page"
    "年报.wps": lambda: documents(MADE, ("docx",))["docx"],
    "年报.doc.docx": lambda: documents(MADE, ("docx",))["docx"],
}


@pytest.mark.parametrize("name", sorted(READ))
def test_a_report_named_as_another_kind_is_read_by_its_content(tmp_path, name):
    (tmp_path / name).write_bytes(READ[name]())
    got = load(tmp_path / name)
    for table in TABLES:
        assert getattr(got.report, table) == getattr(MADE, table), (name, table)
    assert (got.report.agency, got.report.year) == (MADE.agency, MADE.year)


REFUSED = {  # name: (what the file holds, what giagen must say)
    "年报.doc": (lambda: _ole("WordDocument"), "Word 97-2003 文档或 WPS 文字文件"),
    "年报.docx": (lambda: _ole("WordDocument"), "Word 97-2003 文档或 WPS 文字文件"),
    "年报.xls.html": (lambda: _ole("Workbook"), "Excel 97-2003 工作簿"),
    "年报.bin": (lambda: _ole("Contents"), "Office 97-2003 格式的文件"),
    "年报.rtf": (lambda: b"{\\rtf1\\ansi\\deff0 {\\fonttbl}\\par}", "RTF 文档"),
    "年报.ofd": (
        lambda: _zip({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
        "OFD 版式文件",
    ),
    "年报.odt": (
        lambda: _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b""}),
        "OpenDocument 文本",
    ),
    "填报.docx": (lambda: (EXAMPLES / "xigong-2023.xlsx").read_bytes(), "这是 Excel 工作簿"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_what_giagen_does_not_read_is_said_as_what_it_is(tmp_path, giagen, name):
    made, said = REFUSED[name]
    (tmp_path / name).write_bytes(made())
    with pytest.raises(Exception, match=said):
        load(tmp_path / name)
    run = giagen("audit", tmp_path / name)
    assert run.code == 2 and said in run.stdout + run.stderr, run.stdout + run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice absent")
@pytest.mark.parametrize("kind, said", [("doc", "Word 97-2003"), ("odt", "OpenDocument 文本")])
def test_what_libreoffice_writes_in_the_old_kinds_is_said_as_what_it_is(tmp_path, kind, said):
    (tmp_path / "r.docx").write_bytes(documents(MADE, ("docx",))["docx"])
    profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        ["soffice", profile, "--headless", "--convert-to", kind, "--outdir", str(tmp_path / "o")]
        + [str(tmp_path / "r.docx")],
        capture_output=True,
        timeout=300,
    )
    made = tmp_path / "o" / f"r.{kind}"
    made.rename(tmp_path / "o" / "r.docx")  # named as the kind it is not
    with pytest.raises(Exception, match=said):
        load(tmp_path / "o" / "r.docx")
