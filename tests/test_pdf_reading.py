"""PDFs read through PDFium held to pypdf, a reader written apart from it, on PDFs that other
programs wrote: one LibreOffice wrote, kept here, and, when they are on the machine, many more
from LibreOffice and from Chromium's printing. Both readers must give the same report: the same
figures, identity, findings and places; the prose the same but for where spaces fall (pypdf
drops some a line's layout puts between a figure and its word: `走访5 次`, PDFium `走访 5 次`)."""

import base64
import io
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from conftest import EXAMPLES, FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from giagen import load
from giagen.core.synthetic import synthetic_report
from giagen.pipeline.rendering import documents
from giagen.published import documents as reading

KEPT = FIXTURES / "pdf_from_libreoffice" / "xigong-2023.pdf"  # giagen render --to pdf, 2023
TABLES = ("proactive", "requests", "litigation")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from accessibility import CHROMIUM_FLAGS  # noqa: E402


def pypdf_tokens(data: bytes):
    """The reference: each page's text as pypdf extracts it, read as giagen reads a PDF's."""
    from pypdf import PdfReader

    tokens = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        tokens += reading.text_tokens(page.extract_text() or "", f"第 {number} 页第 {{}} 行")
    return tokens


def _squeezed(value):
    """Data with the whitespace inside every text taken out."""
    if isinstance(value, dict):
        return {k: _squeezed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_squeezed(v) for v in value]
    return "".join(value.split()) if isinstance(value, str) else value


def assert_read_alike(path: Path, monkeypatch):
    """The report PDFium reads of `path` is the one pypdf reads; returns it."""
    ours = load(path)
    with monkeypatch.context() as patched:
        patched.setattr(reading, "pdf_tokens", pypdf_tokens)
        theirs = load(path)
    for table in TABLES:
        assert getattr(ours.report, table) == getattr(theirs.report, table), (path, table)
    assert _squeezed(ours.report.to_data()) == _squeezed(theirs.report.to_data()), path
    assert [f.to_json() for f in ours.findings] == [f.to_json() for f in theirs.findings], path
    return ours


def test_the_kept_pdf_reads_as_pypdf_reads_it_and_as_it_was_made(monkeypatch):
    ours = assert_read_alike(KEPT, monkeypatch)
    made = load(EXAMPLES / "xigong-2023.json").report
    assert ours.findings == []
    for table in TABLES:
        assert getattr(ours.report, table) == getattr(made, table)
    assert (ours.report.agency, ours.report.year) == (made.agency, made.year)


def _reports(n: int):
    """Reports of both editions, quiet and busy, with prose that puts figures among words."""
    rng = random.Random(11)
    for i in range(n):
        year = (2020, 2021, 2023, 2024)[i % 4]
        report = synthetic_report(rng, year=year, agency=f"某某县第{i:02d}局", busy=i % 3 == 0)
        overview = "".join(
            f"（{'一二三四'[k]}）情况。全年在{rng.choice('东西南北')}街道开展现场办公 "
            f"{rng.randint(1, 40)} 次，发布信息{rng.randint(100, 3000)}条，回应社会关切 "
            f"{rng.randint(1, 30)} 次。" * rng.randint(1, 4) + "\n"
            for k in range(4)
        )
        yield report.replace(overview=overview.strip())


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice absent")
def test_pdfs_libreoffice_writes_read_as_pypdf_reads_them(tmp_path, monkeypatch):
    made = {}
    for i, report in enumerate(_reports(8)):
        (tmp_path / f"r{i}.docx").write_bytes(documents(report, ("docx",))["docx"])
        made[tmp_path / f"r{i}.pdf"] = report
    with_profile = f"-env:UserInstallation=file://{tmp_path / 'profile'}"
    subprocess.run(
        ["soffice", with_profile, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
        + [str(p.with_suffix(".docx")) for p in made],
        capture_output=True,
        timeout=600,
    )
    assert all(p.exists() for p in made)
    for path, report in made.items():
        ours = assert_read_alike(path, monkeypatch)
        for table in TABLES:
            assert getattr(ours.report, table) == getattr(report, table), (path, table)


@pytest.mark.skipif(not shutil.which("chromium"), reason="Chromium absent")
def test_pdfs_chromium_prints_read_as_pypdf_reads_them(tmp_path, monkeypatch):
    for i, report in enumerate(_reports(2)):
        page = tmp_path / f"r{i}.html"
        page.write_bytes(documents(report, ("html",))["html"])
        pdf = page.with_suffix(".pdf")
        subprocess.run(
            ["chromium", *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}"]
            + [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
            capture_output=True,
            timeout=120,
        )
        ours = assert_read_alike(pdf, monkeypatch)
        for table in TABLES:
            assert getattr(ours.report, table) == getattr(report, table), (pdf, table)


@pytest.mark.parametrize("kind", ["cid", "truetype"])
def test_pdfs_reportlab_writes_read_as_pypdf_reads_them(tmp_path, monkeypatch, kind):
    """ReportLab's own layout and fonts: Adobe's Song, not embedded, its text found through a
    predefined CMap (as older Acrobat and many report servers write Chinese); or a TrueType
    subset. Its streams are ASCII85 over deflate, which the stream measuring once refused."""
    from reportlab_pdfs import TRUETYPE_CJK, reportlab_pdf

    from giagen.core.compose import compose

    if kind == "truetype" and not TRUETYPE_CJK:
        pytest.skip("no TrueType font with Chinese on this machine")
    for i, report in enumerate(_reports(4)):
        pdf = tmp_path / f"r{i}.pdf"
        pdf.write_bytes(reportlab_pdf(compose(report), kind))
        assert b"/ASCII85Decode" in pdf.read_bytes()
        ours = assert_read_alike(pdf, monkeypatch)
        assert ours.findings == [], pdf
        for table in TABLES:
            assert getattr(ours.report, table) == getattr(report, table), (pdf, table)
        assert (ours.report.agency, ours.report.year) == (report.agency, report.year)


@pytest.mark.skipif(not shutil.which("pdftocairo"), reason="poppler's pdftocairo absent")
def test_a_pdf_cairo_wrote_again_reads_as_the_one_it_came_from(tmp_path, monkeypatch):
    """cairo's writer (GTK's printing, Inkscape, a viewer's "print to file"): its own fonts'
    subsets and maps, its lengths written as objects of their own."""
    again = tmp_path / "again.pdf"
    subprocess.run(["pdftocairo", "-pdf", str(KEPT), str(again)], capture_output=True, timeout=120)
    assert b"/Producer (cairo" in again.read_bytes()
    ours = assert_read_alike(again, monkeypatch)
    made = load(EXAMPLES / "xigong-2023.json").report
    assert ours.findings == []
    for table in TABLES:
        assert getattr(ours.report, table) == getattr(made, table)


def test_a_pdf_whose_fonts_map_no_text_is_said_to_read_as_garbage(tmp_path):
    """A font with no map from its glyphs to characters (a ToUnicode taken out of ReportLab's
    TrueType, as some printers to PDF leave it): its codes come out, not the words; said so,
    not called "no report". The seeds' text, and a text in English, are not taken for it."""
    from reportlab_pdfs import TRUETYPE_CJK, reportlab_pdf

    from giagen.core.compose import compose
    from giagen.published.pdfread import _unmapped

    for seed in sorted((FIXTURES / "published").glob("*.txt")):
        assert not _unmapped(seed.read_text(encoding="utf-8")), seed
    assert not _unmapped("Annual report on government information disclosure. " * 50)
    if not TRUETYPE_CJK:
        pytest.skip("no TrueType font with Chinese on this machine")
    report = next(_reports(1))
    pdf = reportlab_pdf(compose(report), "truetype").replace(b"/ToUnicode", b"/XoUnicode")
    (tmp_path / "unmapped.pdf").write_bytes(pdf)
    with pytest.raises(Exception, match="PDF 的文字读出来是乱码"):
        load(tmp_path / "unmapped.pdf")


def test_a_pdf_that_asks_a_password_to_open_is_refused_saying_so(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.encrypt(user_password="open", owner_password="edit")
    whole = io.BytesIO()
    writer.write(whole)
    (tmp_path / "locked.pdf").write_bytes(whole.getvalue())
    with pytest.raises(Exception, match="PDF 设有打开密码"):
        load(tmp_path / "locked.pdf")


def test_a_pdf_only_its_owner_may_edit_is_read(tmp_path, monkeypatch):
    """Agencies often forbid copying or printing (an owner's password): the text is still read."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(KEPT))
    writer.encrypt(user_password="", owner_password="edit", permissions_flag=0)
    whole = io.BytesIO()
    writer.write(whole)
    (tmp_path / "guarded.pdf").write_bytes(whole.getvalue())
    assert load(tmp_path / "guarded.pdf").report.requests == load(KEPT).report.requests


def test_a_pdf_of_pictures_is_said_to_be_a_scan(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(tmp_path / "scan.pdf")
    with pytest.raises(Exception, match="没有文字内容：PDF 里没有可复制的文字（扫描件或空白页）"):
        load(tmp_path / "scan.pdf")


@pytest.mark.parametrize("size", [0, 1, (1 << 20) - 1, 1 << 20, 3 * (1 << 20) + 7])
def test_a_stream_is_measured_to_its_end_whatever_follows_it(size):
    """A stream inflating past the megabyte taken at a time, followed by the rest of the file:
    measured exactly, and the measuring ends (it once went on for ever past a stream's end)."""
    from giagen.published.pdfbudget import _inflated_size

    rng = random.Random(size)
    data = bytes(rng.getrandbits(8) for _ in range(min(size, 4096))) * (size // 4096 + 1)
    data = data[:size]
    pdf = b"4 0 obj\n<< >>\nstream\n" + zlib.compress(data) + b"\nendstream\nendobj\n" * 50
    assert _inflated_size(pdf, 21, 16 << 20) == size
    assert _inflated_size(pdf, 21, size // 2) > size // 2 or size == 0


@pytest.mark.parametrize(
    "filters, written",
    [
        (b"[/ASCII85Decode /FlateDecode]", lambda z: base64.a85encode(z, wrapcol=75) + b"~>"),
        (b"[/A85 /Fl]", lambda z: b"<~" + base64.a85encode(z, foldspaces=True) + b"~>"),
        (b"[/ASCIIHexDecode /FlateDecode]", lambda z: z.hex(" ", 32).encode() + b">"),
        # an odd last digit: a 0 after it (the byte after the deflated data here)
        (b"[/AHx /Fl]", lambda z: (z + b"\x50").hex().upper().encode()[:-1] + b">"),
        (b"[/A85 /AHx /Fl]", lambda z: base64.a85encode(z.hex().encode()) + b"~>"),
    ],
)
def test_a_stream_written_as_text_is_decoded_then_measured(filters, written):
    """ASCII85 or hexadecimal over deflate (ReportLab writes ASCII85 so): the text undone to
    its end mark, then the deflated data measured as any other; a bomb under it refused."""
    from giagen.published.pdfbudget import MAX_STREAM, _filters, _measured

    inflated = bytes(random.Random(5).getrandbits(8) for _ in range(3000)) * 100
    stream = written(zlib.compress(inflated))
    pdf = b"4 0 obj\n<< /Filter " + filters + b" >>\nstream\n" + stream + b"\nendstream\nendobj\n"
    at, names = pdf.index(b"stream\n") + 7, _filters(pdf[: pdf.index(b"stream\n")])
    assert _measured(pdf, at, names, MAX_STREAM, [1 << 23]) == len(inflated)
    bomb = written(zlib.compress(b" " * (MAX_STREAM + 1)))
    pdf = pdf.replace(stream, bomb)
    assert _measured(pdf, at, names, MAX_STREAM, [1 << 23]) > MAX_STREAM
    with pytest.raises(Exception, match="以文本（ASCII85 或十六进制）写的内容超出上限"):
        _measured(pdf, at, names, MAX_STREAM, [len(bomb) // 2])


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.binary(max_size=40), st.sampled_from([b"A85", b"AHx"]))
def test_text_written_streams_are_decoded_as_far_as_they_are_text(raw, junk, name):
    """What a reader decodes of ASCII85 or hexadecimal text: the standard library's decoding,
    up to the first character that is no digit of it; any bytes at all measured without a
    failure but the refusal (a malformed stream is a hostile file's first try)."""
    from giagen.core.exceptions import InputError
    from giagen.published.pdfbudget import MAX_STREAM, _measured, _text_decoded

    a85 = name == b"A85"
    written = base64.a85encode(raw) if a85 else raw.hex().encode()
    assert _text_decoded(written + b"\x01" + junk, a85) == raw
    _text_decoded(junk, a85)  # never raises
    pdf = b"<< /Filter [/%s /Fl] >>\nstream\n" % name + junk + written + junk
    try:
        _measured(pdf, pdf.index(b"stream\n") + 7, [name, b"Fl"], MAX_STREAM, [1 << 20])
    except InputError:
        pass


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    b"1 0 obj\n<< ",
                    b"/Filter /FlateDecode",
                    b"/Filter [/A85 /Fl]",
                    b"/Filter [/AHx /A85 /Fl]",
                    b"/Filter [/ASCII85Decode",
                    b"/Filter /RL",
                    b">>\nstream\n",
                    b"\nendstream\nendobj\n",
                    b"~>",
                    b">",
                    b"z",
                    zlib.compress(b"BT (a) Tj ET " * 50),
                    base64.a85encode(zlib.compress(b" " * 4096)),
                ]
            ),
            st.binary(max_size=20),
        ),
        max_size=30,
    )
)
def test_any_pdf_is_measured_or_refused_in_words(pieces):
    """PDFs put together from the pieces streams are made of, in any order: measured, or
    refused with a message; never an error of the measuring's own."""
    from giagen.core.exceptions import InputError
    from giagen.published.pdfbudget import check_pdf_budget

    try:
        check_pdf_budget(b"%PDF-1.4\n" + b"".join(pieces))
    except InputError:
        pass


def test_a_reader_that_dies_on_a_pdf_is_said_so_and_leaves_no_process(monkeypatch):
    """PDFium crashing on a damaged file (here, made to) ends its child, not the audit."""
    import os
    import signal

    from giagen.published import pdfread

    if not hasattr(os, "fork"):
        pytest.skip("no fork here: the PDF is read in the process itself")
    data = KEPT.read_bytes()
    assert pdfread.pdf_pages(data)[0]  # read in a child, and that child gone
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)
    monkeypatch.setattr(pdfread, "_pages", lambda *_: os.kill(os.getpid(), signal.SIGSEGV))
    with pytest.raises(Exception, match="无法读取 PDF：读取它超出了内存或时间的上限"):
        pdfread.pdf_pages(data)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_where_no_process_can_be_forked_the_pdf_is_read_in_this_one(monkeypatch):
    import os

    from giagen.published import pdfread

    forked = pdfread.pdf_pages(KEPT.read_bytes())
    with monkeypatch.context() as patched:  # a process refused now (too many, no memory)
        patched.setattr(os, "fork", lambda: (_ for _ in ()).throw(BlockingIOError(11, "")))
        assert pdfread.pdf_pages(KEPT.read_bytes()) == forked
    monkeypatch.delattr(os, "fork", raising=False)
    monkeypatch.setattr(pdfread, "_in_child", lambda *_: pytest.fail("forked"))
    assert pdfread.pdf_pages(KEPT.read_bytes()) == forked


def test_an_old_filter_is_looked_for_in_a_streams_own_dictionary_only():
    """A long dictionary (a font's widths) far from its `obj`, after data that happens to
    hold `/RL`: the data is no filter of the stream's."""
    from giagen.published.pdfbudget import check_pdf_budget

    pdf = (
        b"%PDF-1.4\n1 0 obj\n<< /Length 9 >>\nstream\n/RL junk\nendstream\nendobj\n"
        + b"2 0 obj\n<< /Widths ["
        + b"500 " * 2000
        + b"] /Filter /FlateDecode >>\nstream\n"
        + zlib.compress(b"widths")
        + b"\nendstream\nendobj\n"
    )
    check_pdf_budget(pdf)  # not refused
    with pytest.raises(Exception, match="旧式"):
        check_pdf_budget(pdf.replace(b"/Length 9 >>", b"/Filter /RL >>"))
