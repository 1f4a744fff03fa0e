"""DOCX templates as agencies may pass them with --template, each broken in its own way, and what giagen must say."""

from __future__ import annotations

import re
import zipfile

from giagen.output.docxtemplate import DEFAULT_TEMPLATE


def template_variant(path, part: str, change=None):
    """A copy of the default template with `part` changed by `change` (left out when None)."""
    with (
        zipfile.ZipFile(DEFAULT_TEMPLATE) as src,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            if info.filename == part and change is None:
                continue
            data = src.read(info)
            dst.writestr(
                zipfile.ZipInfo(info.filename, info.date_time),
                change(data) if info.filename == part else data,
                zipfile.ZIP_DEFLATED,
            )
    return path


def written(path, data: bytes):
    path.write_bytes(data)
    return path


BAD_TEMPLATES = {  # what an agency may pass as --template, and what giagen must say
    "empty": (lambda p: written(p, b""), "不是 Word 的 .docx 文件"),
    "a .doc renamed": (
        lambda p: written(p, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000)),
        "另存为 .docx",
    ),
    "text": (lambda p: written(p, "这不是模板".encode()), "不是 Word 的 .docx 文件"),
    "no body": (lambda p: template_variant(p, "word/document.xml"), "没有正文"),
    "body cut short": (
        lambda p: template_variant(p, "word/document.xml", lambda d: d[: len(d) // 2]),
        "正文已损坏",
    ),
    "styles cut short": (
        lambda p: template_variant(p, "word/styles.xml", lambda d: d[:-40]),
        "已损坏",
    ),
    "body in GBK": (
        lambda p: template_variant(
            p,
            "word/document.xml",
            lambda d: d.decode().replace("{{ title }}", "{{ title }}题").encode("gbk"),
        ),
        "不是 UTF-8",
    ),
    "placeholders deleted": (
        lambda p: template_variant(
            p, "word/document.xml", lambda d: re.sub(rb"\{\{p? ?(table_3|signature) \}\}", b"", d)
        ),
        "缺少这些占位符：signature、table_3",
    ),
    "unclosed placeholder": (
        lambda p: template_variant(
            p, "word/header1.xml", lambda d: d.replace(b"{{ draft_mark }}", b"{{ draft_mark ")
        ),
        "页眉中的占位符写法有误",
    ),
}
