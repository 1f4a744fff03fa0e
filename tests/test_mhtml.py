"""Pages saved as one file (MHTML): Chrome's and Edge's 网页，单个文件, IE's and Word's .mht. Each
must read as the page it holds: one Chromium saved, kept here; more that Chromium saves when
it is on the machine; and archives as IE and Word write them (the standard library's MIME
writer: quoted-printable, base64 or 8-bit, the charset named only in the part's header, the
page not first, a frame's page by its address)."""

import random
import shutil
import subprocess
import sys
import tempfile
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from pathlib import Path

import published_variants as pv
import pytest
from conftest import EXAMPLES, FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from giagen import load
from giagen.core.synthetic import synthetic_report

KEPT = FIXTURES / "mhtml_from_chromium" / "xigong-2023-in-a-frame.mhtml"  # page, report framed
TABLES = ("proactive", "requests", "litigation")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from accessibility import CHROMIUM_FLAGS  # noqa: E402


def read_alike(archived: Path, page: Path):
    """The archive reads as the page it holds: the same report and findings."""
    ours, theirs = load(archived), load(page)
    for table in TABLES:
        assert getattr(ours.report, table) == getattr(theirs.report, table), (archived, table)
    data, expected = ours.report.to_data(), theirs.report.to_data()
    assert {k: v for k, v in data.items() if k != "import"} == {
        k: v for k, v in expected.items() if k != "import"
    }
    assert [f.rule for f in ours.findings] == [f.rule for f in theirs.findings]
    return ours


def test_the_page_chromium_saved_reads_as_the_report_it_shows_in_a_frame():
    """The site's page frames the report: Chromium saved both, the report's as a part the
    frame names by its Content-ID (`cid:frame-…`), each quoted-printable."""
    ours = load(KEPT)
    made = load(EXAMPLES / "xigong-2023.json").report
    assert ours.findings == []
    for table in TABLES:
        assert getattr(ours.report, table) == getattr(made, table)
    assert (ours.report.agency, ours.report.year) == (made.agency, made.year)
    assert ours.report.overview == made.overview


def _page(seed: int) -> tuple[str, object]:
    """A whole saved page of a report (navigation, scripts, footer), and the report."""
    report = synthetic_report(random.Random(seed), year=2021 + seed % 4, agency=f"某某县第{seed}局")
    blocks = pv.blocks_of(report)
    return pv.saved_page(pv.article(blocks), title=report.full_title), report


def _archive(parts: list, start: int = 0, boundary: str | None = None) -> bytes:
    """An archive as IE and Word write one: multipart/related, CRLF, the page named by `start`
    when it is not the first part."""
    archive = MIMEMultipart("related", boundary=boundary, type="text/html")
    archive["From"] = "<Saved by Windows Internet Explorer 11>"
    archive["Subject"] = Header("政府信息公开工作年度报告", "utf-8")
    for part in parts:
        archive.attach(part)
    if start:
        archive.set_param("start", parts[start]["Content-ID"])
    return archive.as_bytes().replace(b"\n", b"\r\n")  # IE's line ends


def _html_part(page: str, charset: str, encoding: str, location: str, declared: bool):
    """The page as a part: in `charset`, its own <meta charset> taken out unless `declared`."""
    if not declared:
        page = page.replace('<meta charset="utf-8">', "")
    part = MIMEText(page, "html", charset)
    if encoding != part["Content-Transfer-Encoding"]:
        del part["Content-Transfer-Encoding"]
        from email import encoders

        part.set_payload(page.encode(charset))
        {"base64": encoders.encode_base64, "8bit": encoders.encode_7or8bit}.get(
            encoding, encoders.encode_quopri
        )(part)
    part["Content-Location"] = location
    part["Content-ID"] = f"<{abs(hash(location))}@giagen.test>"
    return part


@pytest.mark.parametrize("charset", ["utf-8", "gb2312", "gb18030"])
@pytest.mark.parametrize("encoding", ["quoted-printable", "base64", "8bit"])
@pytest.mark.parametrize("declared", [True, False])
def test_an_archive_as_ie_and_word_write_it_reads_as_its_page(
    tmp_path, charset, encoding, declared
):
    page, _ = _page(len(charset) + len(encoding) + declared)
    html = tmp_path / "page.html"
    html.write_text(page, encoding="utf-8")
    css = MIMEText("p{margin:0}", "css", "utf-8")
    css["Content-Location"] = "http://www.example.gov.cn/style.css"
    location = "http://www.example.gov.cn/zwgk/ndbg/t20240130_1.html"
    archive = _archive([css, _html_part(page, charset, encoding, location, declared)], start=1)
    (tmp_path / "page.mht").write_bytes(archive)
    read_alike(tmp_path / "page.mht", html)


def _word_page(report) -> str:
    """The report as Word writes a web page: its styles' classes, `<o:p>`, a heading's ordinal
    in a list's fallback (`<![if !supportLists]>`), its own XML in a conditional comment."""
    parts = []
    for b in pv.blocks_of(report):
        if b.kind == "heading" and "、" in b.text[:3]:
            number, _, rest = b.text.partition("、")
            parts.append(
                "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]>"
                f"<span lang=EN-US><span style='mso-list:Ignore'>{number}、<span style='font:7.0pt"
                f' "Times New Roman"\'>&nbsp;</span></span></span><![endif]><span>{rest}'
                "<o:p></o:p></span></p>"
            )
        elif b.kind == "table":
            rows = "".join(
                f"<tr style='mso-yfti-irow:{i}'>"
                + "".join(
                    f"<td rowspan={c.rowspan} colspan={c.colspan} valign=top><p class=MsoNormal"
                    f" align=center><span lang=EN-US>{c.text}<o:p></o:p></span></p></td>"
                    for c in row
                )
                + "</tr>"
                for i, row in enumerate(b.rows)
            )
            parts.append(f"<table class=MsoNormalTable border=1 cellspacing=0>{rows}</table>")
        else:
            parts.append(f"<p class=MsoNormal><span>{b.text}<o:p></o:p></span></p>")
    return (
        "<html xmlns:o='urn:schemas-microsoft-com:office:office'><head><meta "
        "http-equiv=Content-Type content='text/html; charset=gb2312'><!--[if gte mso 9]><xml>"
        "<w:WordDocument><w:View>Print</w:View></w:WordDocument></xml><![endif]--></head>"
        f"<body lang=ZH-CN><div class=WordSection1>{''.join(parts)}</div></body></html>"
    )


def test_a_single_file_web_page_as_word_saves_it_reads_as_the_report(tmp_path):
    """Word's 单个文件网页 (.mht): its preamble, the page in GB2312 and quoted-printable, Word's
    own markup; the report as it was made."""
    report = synthetic_report(random.Random(9), year=2023, agency="某某县统计局", busy=True)
    part = _html_part(_word_page(report), "gb2312", "quoted-printable", "file:///C:/年报.htm", True)
    archive = MIMEMultipart("related", type="text/html")
    archive.preamble = "This document is a Single File Web Page, also known as a Web Archive file."
    archive.attach(part)
    (tmp_path / "年报.mht").write_bytes(archive.as_bytes().replace(b"\n", b"\r\n"))
    got = load(tmp_path / "年报.mht")
    for table in TABLES:
        assert getattr(got.report, table) == getattr(report, table), table
    assert (got.report.agency, got.report.year) == (report.agency, report.year)
    assert [f.rule for f in got.findings] == []


def test_a_frame_finds_its_page_in_the_archive_by_address_and_never_goes_out(tmp_path):
    """IE names a frame's page by its address: found in the archive; an address that is not
    in it is not followed (the frame is left out)."""
    page, report = _page(5)
    inner = "http://www.example.gov.cn/zwgk/ndbg/content.html"
    outer = (
        "<html><head><meta charset='utf-8'><title>年报</title></head><body>"
        f"<div>首页</div><iframe src='{inner}'></iframe><iframe src='http://elsewhere/x.html'>"
        "</iframe><div>版权所有</div></body></html>"
    )
    parts = [
        _html_part(outer, "utf-8", "quoted-printable", "http://www.example.gov.cn/", True),
        _html_part(page, "gb18030", "base64", inner, False),
    ]
    (tmp_path / "framed.mhtml").write_bytes(_archive(parts))
    ours = load(tmp_path / "framed.mhtml")
    for table in TABLES:
        assert getattr(ours.report, table) == getattr(report, table)


@pytest.mark.parametrize(
    "body, said",
    [
        (b"--b\r\nContent-Type: text/css\r\n\r\np{}\r\n--b--\r\n", "中没有网页"),
        (
            b"".join(
                b"--%s\r\nContent-Type: multipart/related; boundary=n%d\r\n\r\n"
                % (b"b" if i == 0 else b"n%d" % i, i + 1)
                for i in range(3000)
            ),
            "文件已损坏",
        ),
        (b"--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" * 2001, "超出上限"),
    ],
    ids=["no page", "nested 3,000 deep", "2,001 parts"],
)
def test_an_archive_without_a_page_or_past_the_limits_is_said_so(tmp_path, body, said):
    head = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
    (tmp_path / "x.mhtml").write_bytes(head + body)
    with pytest.raises(Exception, match=said):
        load(tmp_path / "x.mhtml")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                b"--b\r\n",
                b"--b--\r\n",
                b"Content-Type: text/html; charset=gb2312\r\n",
                b"Content-Type: multipart/related; boundary=b\r\n",
                b"Content-Transfer-Encoding: base64\r\n",
                b"Content-Transfer-Encoding: quoted-printable\r\n",
                b"Content-Location: cid:x\r\n",
                b"Content-ID: <x>\r\n",
                b"\r\n",
                b"<html><body><iframe src='cid:x'></iframe></body></html>\r\n",
                b"=E4=B8=80=\r\n",
                b"5LiA\r\n",
                b"\xff\xfe\x00",
            ]
        ),
        max_size=40,
    )
)
def test_any_archive_is_read_or_refused_in_words(pieces):
    """Archives put together from the pieces they are made of, in any order: read, or refused
    with a message; never an error of the parser's own."""
    from giagen.core.exceptions import InputError
    from giagen.published.documents import html_document
    from giagen.published.mhtml import archive

    head = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
    try:
        page, parts = archive(head + b"".join(pieces))
        html_document(page, parts=parts)
    except InputError:
        pass


def test_a_folder_audited_takes_its_archives_as_reports(tmp_path):
    shutil.copy(KEPT, tmp_path / "西工区统计局2023年报.mht")
    done = subprocess.run(
        [sys.executable, "-m", "giagen", "audit", str(tmp_path), "-o", str(tmp_path / "审核")],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    index = (tmp_path / "审核" / "index.html").read_text("utf-8")
    assert "西工区统计局2023年报.mht" in index and "通过" in index


def _chromium_driver():
    """Chromium under its driver, when both and selenium are on the machine; else a skip."""
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        pytest.skip("Chromium or its driver absent")
    webdriver = pytest.importorskip("selenium.webdriver")
    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def test_pages_chromium_saves_as_one_file_read_as_the_pages(tmp_path, monkeypatch):
    monkeypatch.setenv("SE_AVOID_STATS", "true")  # selenium's manager reports nothing anywhere
    browser = _chromium_driver()
    try:
        for seed in range(3):
            page, _ = _page(seed)
            # what its scripts write would be in the page saved, not in the page's source
            page = page.replace("document.write('<p>一、总体情况</p>');", "")
            html = tmp_path / f"p{seed}.html"
            html.write_text(page, encoding="utf-8")
            browser.get(html.as_uri())
            snapshot = browser.execute_cdp_cmd("Page.captureSnapshot", {"format": "mhtml"})
            saved = tmp_path / f"p{seed}.mhtml"
            saved.write_text(snapshot["data"], encoding="utf-8", newline="")
            assert saved.read_bytes().startswith(b"From: <Saved by Blink>")
            read_alike(saved, html)
    finally:
        browser.quit()
