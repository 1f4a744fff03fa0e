"""Hostile and broken inputs, made at test time (nothing large is kept in the repository).

Each case writes its files into a folder and says how giagen is run on them, which exit
statuses are right and what the message must name.
"""

from __future__ import annotations

import base64
import io
import json
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import published_variants as pv

from giagen.core.synthetic import synthetic_report
from giagen.pipeline.reports import save


@dataclass
class Case:
    folder: Path
    name: str
    args: list[str]  # giagen's arguments; {dir} is the case's folder
    codes: tuple[int, ...]
    names: tuple[str, ...] = ()  # what the output must mention (file, cell, limit)


def _good(path: Path, agency="某某局", year=2023, seed=1):
    save(synthetic_report(random.Random(seed), year=year, agency=agency), path)
    return path


def _rezip(source: Path, target: Path, replace: dict[str, bytes]):
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in z.infolist():
            out.writestr(
                info.filename, replace.get(info.filename, z.read(info)), zipfile.ZIP_DEFLATED
            )


def _claim_size(path: Path, member: str, size: int):
    """Make the zip's central directory claim `size` bytes for `member` (what a bomb says of itself)."""
    data = bytearray(path.read_bytes())
    name = member.encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            break
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
        at += 4
    path.write_bytes(bytes(data))


def xlsx_with_cell(folder: Path, sheet_file: str, ref: str, value: str) -> Path:
    base = _good(folder / "base.xlsx")
    with zipfile.ZipFile(base) as z:
        xml = z.read(sheet_file).decode()
    cell = f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    row = "".join(ch for ch in ref if ch.isdigit())
    xml = xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>')
    target = folder / "stray.xlsx"
    _rezip(base, target, {sheet_file: xml.encode()})
    base.unlink()
    return target


def pdf_with_stream(stream: bytes, dictionary: bytes = b"/Filter /FlateDecode") -> bytes:
    """A one-page PDF whose page content is `stream`, its dictionary holding `dictionary`."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d %s >>\nstream\n" % (len(stream), dictionary) + stream + b"\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_of_nested_forms(depth: int, each: int) -> bytes:
    """A one-page PDF drawing a form that draws the next `each` times, `depth` deep, the last
    one showing a letter: `each ** depth` letters from a file of a few kilobytes."""
    first = 6
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /X %d 0 R >> >> >>" % first,
        4: b"<< /Length 5 >>\nstream\n/X Do\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for level in range(depth):
        n = first + level
        last = level == depth - 1
        body = b"BT /F1 12 Tf 10 10 Td (a) Tj ET" if last else b"/X Do " * each
        used = b"/Font << /F1 5 0 R >>" if last else b"/XObject << /X %d 0 R >>" % (n + 1)
        objects[n] = (
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << %s >> "
            b"/Length %d >>\nstream\n%s\nendstream" % (used, len(body), body)
        )
    out, offsets = bytearray(b"%PDF-1.4\n"), {}
    for n in sorted(objects):
        offsets[n] = len(out)
        out += b"%d 0 obj\n" % n + objects[n] + b"\nendobj\n"
    xref, size = len(out), max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    out += b"".join(b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def make(folder: Path) -> list[Case]:
    """Write every case under `folder`; the cases."""
    cases = []

    def at(name: str) -> Path:
        path = folder / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    d = at("xfd")
    xlsx_with_cell(d, "xl/worksheets/sheet4.xml", "XFD1048576", "x")  # 三 is the fourth sheet
    cases.append(
        Case(d, "value at XFD1048576", ["check", "{dir}/stray.xlsx"], (0, 1), ("XFD1048576",))
    )

    d = at("zz")
    xlsx_with_cell(d, "xl/worksheets/sheet4.xml", "ZZ100000", "5")
    cases.append(
        Case(d, "stray value far out", ["check", "{dir}/stray.xlsx"], (0, 1), ("ZZ100000",))
    )

    d = at("bomb")
    base = _good(d / "base.xlsx")
    _rezip(
        base,
        d / "bomb.xlsx",
        {"xl/worksheets/sheet4.xml": b"<a>" + b" " * (60 * 1024 * 1024) + b"</a>"},
    )
    base.unlink()
    cases.append(
        Case(d, "xlsx inflating 1000x", ["check", "{dir}/bomb.xlsx"], (2,), ("bomb.xlsx", "MB"))
    )

    d = at("claim")
    _claim_size(_good(d / "claim.xlsx"), "xl/worksheets/sheet4.xml", 3_000_000_000)
    cases.append(
        Case(d, "xlsx claiming 3 GB", ["check", "{dir}/claim.xlsx"], (2,), ("claim.xlsx",))
    )

    d = at("docxbomb")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(
            "word/document.xml", b"<w:document>" + b"0" * (60 * 1024 * 1024) + b"</w:document>"
        )
    (d / "bomb.docx").write_bytes(buffer.getvalue())
    cases.append(Case(d, "docx bomb", ["audit", "{dir}/bomb.docx"], (2,), ("bomb.docx", "MB")))

    d = at("odtbomb")  # an OpenDocument text whose mimetype inflates to a gigabyte: told by it
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("mimetype", "w", force_zip64=True) as member:
            member.write(b"application/vnd.oasis.opendocument.text")
            for _ in range(1024):
                member.write(bytes(1 << 20))
    (d / "bomb.docx").write_bytes(buffer.getvalue())
    cases.append(
        Case(d, "odt bomb", ["audit", "{dir}/bomb.docx"], (2,), ("bomb.docx", "OpenDocument"))
    )

    d = at("bightml")
    (d / "big.html").write_bytes(
        b"<html><body>" + b"<p>x</p>" * (3 * 1024 * 1024) + b"</body></html>"
    )
    cases.append(Case(d, "25 MB page", ["audit", "{dir}/big.html"], (2,), ("big.html", "MB")))

    d = at("deephtml")
    (d / "deep.html").write_text(
        "<html><body>" + "<div>" * 100_000 + "一、总体情况" + "</div>" * 100_000, encoding="utf-8"
    )
    cases.append(Case(d, "100,000 nested divs", ["audit", "{dir}/deep.html"], (2,), ("deep.html",)))

    # pieces by the million within the size limit: refused before they are made (ten million
    # lines took 29 s and 2 GB; a thousand frames of one page, 6 s and 1 GB)
    d = at("many pieces")
    (d / "lines.txt").write_text("0\n" * 9_500_000, encoding="utf-8")
    (d / "cells.html").write_text("<table><tr>" + "<td>0</td>" * 1_000_000, encoding="utf-8")
    (d / "page.html").write_text("<p>一、总体情况</p>" * 5000, encoding="utf-8")
    frames = '<iframe src="page.html"></iframe>' * 1000
    (d / "frames.html").write_text(f"<html><body>{frames}</body></html>", encoding="utf-8")
    paragraphs = io.BytesIO()  # numbered: compressed no more than a real document's text is
    with zipfile.ZipFile(paragraphs, "w", zipfile.ZIP_DEFLATED) as z:
        numbered = "".join(f"<w:p><w:r><w:t>{i}</w:t></w:r></w:p>" for i in range(600_000))
        z.writestr("word/document.xml", f"<w:document><w:body>{numbered}")
    (d / "paragraphs.docx").write_bytes(paragraphs.getvalue())
    # a table's figures run together, a row of 79 digits each: every way to split each is tried
    # until the document's budget for splits is spent (23 such rows took 11 s)
    report = synthetic_report(random.Random(1), year=2023, agency="某局", busy=True)
    lines = []
    for line in pv.tabbed(pv.blocks_of(report)).split("\n"):
        label, *cells = line.split("\t")
        figures = len(cells) > 2 and all(c.strip().isdigit() for c in cells if c.strip())
        lines.append(f"{label}\t{'1' * 79}" if figures else line)
    (d / "runs.txt").write_text("\n".join(lines), encoding="utf-8")
    cases.append(
        Case(d, "many pieces: runs.txt", ["audit", "{dir}/runs.txt"], (1,), ("拆分的方式太多",))
    )
    # just under the limits, read through: every row of every table looked for among them
    head = "某局2023年政府信息公开工作年度报告\n一、总体情况\n二、主动公开政府信息情况\n第二十条第（一）项\n"
    (d / "labels.txt").write_text(head + "某某标签文字\n" * 49_000, encoding="utf-8")
    (d / "figures.txt").write_text(head + "规章 0 0 0\n" * 12_000, encoding="utf-8")
    for name, said in (
        ("labels.txt", "文本不完整"),
        ("figures.txt", "文本不完整"),
        ("lines.txt", "行，超出上限"),
        ("cells.html", "个标签，超出上限"),
        ("frames.html", "框架所显示的网页合计超过"),
        ("paragraphs.docx", "个段落和单元格，超出上限"),
    ):
        cases.append(Case(d, f"many pieces: {name}", ["audit", f"{{dir}}/{name}"], (2,), (said,)))

    d = at("longline")
    (d / "line.txt").write_text("一、总体情况" + "规章 0 " * 16_000 + "\n", encoding="utf-8")
    cases.append(Case(d, "a 96 KB line", ["audit", "{dir}/line.txt"], (1, 2), ("line.txt",)))

    d = at("deepjson")
    (d / "deep.json").write_text("[" * 1500 + "]" * 1500, encoding="utf-8")
    cases.append(
        Case(d, "1,500-deep JSON", ["check", "{dir}/deep.json"], (2,), ("deep.json", "嵌套"))
    )

    for label, raw in (("nan", "NaN"), ("inf", "Infinity"), ("big", "1E+300")):
        d = at(f"json-{label}")
        data = synthetic_report(random.Random(2), year=2023).to_data()
        data["requests"]["granted"]["natural_person"] = "__X__"
        (d / "r.json").write_text(
            json.dumps(data, ensure_ascii=False).replace('"__X__"', raw), encoding="utf-8"
        )
        cases.append(Case(d, f"{raw} in JSON", ["check", "{dir}/r.json"], (1,), ("VALUE-TYPE",)))

    for label, text in (("surrogate", "\\ud800局"), ("control", "某局\\u0007")):
        d = at(f"text-{label}")
        data = synthetic_report(random.Random(2), year=2023).to_data()
        raw = json.dumps(data, ensure_ascii=False).replace(
            '"agency": "某某局"', f'"agency": "{text}"'
        )
        (d / "r.json").write_text(raw, encoding="utf-8")
        cases.append(
            Case(
                d,
                f"{label} in agency",
                ["render", "{dir}/r.json", "-o", "{dir}/out"],
                (2,),
                ("机关名称", "U+"),
            )
        )

    d = at("markup")
    data = synthetic_report(random.Random(2), year=2023, agency="[/red]某局[bold]").to_data()
    (d / "[red]r.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    cases.append(
        Case(
            d,
            "console markup in a name and a path",
            ["check", "{dir}/[red]r.json"],
            (0, 1),
            ("[red]r.json",),
        )
    )

    d = at("longprose")
    last = synthetic_report(random.Random(3), year=2022).replace(
        overview="".join(f"第{i}项工作稳步推进，信息公开质量持续提升。" for i in range(1000))
    )
    this = last.replace(year=2023, date=last.date.replace(year=2024))
    save(last, d / "last.json")
    save(this, d / "this.json")
    cases.append(
        Case(
            d,
            "20,000-character prose against last year's",
            ["check", "{dir}/this.json", "--previous", "{dir}/last.json"],
            (0, 1),
            ("PROSE-COPIED",),
        )
    )

    d = at("progress")
    (d / "r.xlsx.wizard.json").write_text(
        json.dumps(
            {
                "output": "../../escaped.xlsx",
                "done": ["basics", "proactive", "requests", "litigation", "prose"],
                "data": {"agency": "某局", "year": "x"},
            }
        ),
        encoding="utf-8",
    )
    cases.append(
        Case(
            d,
            "malformed progress file",
            ["wizard", "--resume", "{dir}/r.xlsx.wizard.json"],
            (2,),
            ("进度文件",),
        )
    )
    # PDFs that ask their reader to inflate gigabytes from a megabyte (PDFium sets no limit)
    bomb = zlib.compress(b" " * (1 << 30), 9)
    for name, stream, dictionary, said in (
        ("deflated 1 GB", bomb, b"/Filter /FlateDecode", "超出上限"),
        # its /Length says it is short: not believed (a reader finds `endstream` instead)
        ("deflated 1 GB, short length", bomb, b"/Filter /Fl /Length 100", "超出上限"),
        # written as text over deflate (ReportLab writes ASCII85 so): the text undone, then measured
        ("deflated 1 GB under ASCII85", base64.a85encode(bomb, wrapcol=72) + b"~>", b"/Filter [/ASCII85Decode /FlateDecode]", "超出上限"),
        ("deflated 1 GB under hexadecimal", bomb.hex().encode() + b">", b"/Filter [/AHx /Fl]", "超出上限"),
        ("ASCII85 a thousand times over", b"z" * 1000 + b"~>", b"/Filter [" + b"/A85 " * 1000 + b"]", "bomb.pdf"),
        ("ASCII85 of 8 MB of z, each four zero bytes", b"z" * 8_000_000 + b"~>", b"/Filter [/A85 /Fl]", "超出上限"),
        ("LZW", b"\x80" * 1000, b"/Filter /LZWDecode", "旧式"),
        ("run-length", b"\x81 " * 1000, b"/Filter /RunLengthDecode", "旧式"),
        ("filter named elsewhere", bomb[:1000], b"/Filter 9 0 R", "旧式"),
        # text objects by the hundred thousand: read within budget, or refused past the limit
        ("content of 12 MB", zlib.compress(b"BT /F1 12 Tf 10 10 Td (a) Tj ET\n" * (12 << 15)), b"/Filter /FlateDecode", "bomb.pdf"),
        ("content of 20 MB", zlib.compress(b"BT /F1 12 Tf 10 10 Td (a) Tj ET\n" * (20 << 15)), b"/Filter /FlateDecode", "超出上限"),
    ):  # fmt: skip
        d = at("pdf " + name)
        (d / "bomb.pdf").write_bytes(pdf_with_stream(stream, dictionary))
        cases.append(Case(d, f"PDF {name}", ["audit", "{dir}/bomb.pdf"], (2,), ("bomb.pdf", said)))
    # pages saved as one file (MHTML): parts nested past Python's recursion, parts by the hundred
    # thousand (the MIME parser takes some 25 µs each)
    head = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n'
    nested = b"".join(
        b"--%s\r\nContent-Type: multipart/related; boundary=n%d\r\n\r\n"
        % (b"b" if i == 0 else b"n%d" % i, i + 1)
        for i in range(20000)
    )
    many = b"--b\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n" * 200000
    for name, body, said in (
        ("nested", nested, "文件已损坏"),
        ("of 200,000 parts", many, "超出上限"),
    ):
        d = at("mhtml " + name)
        (d / "page.mhtml").write_bytes(head + body)
        cases.append(
            Case(d, f"MHTML {name}", ["audit", "{dir}/page.mhtml"], (2,), ("page.mhtml", said))
        )
    d = at("pdf forms nested")  # 3 KB asking for a billion drawings: the child's limits meet it
    (d / "bomb.pdf").write_bytes(pdf_of_nested_forms(depth=9, each=10))
    cases.append(
        Case(d, "PDF forms nested", ["audit", "{dir}/bomb.pdf"], (2,), ("bomb.pdf", "上限"))
    )
    return cases
