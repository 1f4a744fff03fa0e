"""A PDF's compressed streams measured before PDFium reads it: PDFium sets itself no limit."""

from __future__ import annotations

import base64
import binascii
import re
import zlib

from ..core.exceptions import InputError
from ..core.packages import MAX_TOTAL

# bytes, inflated, of one stream: a page's content takes tens of kilobytes, a picture Word keeps
# a few megabytes; PDFium holds some 20 times a content stream's size while it reads it
MAX_STREAM = 16 * 1024 * 1024

# Where a stream's data begins: the keyword and one end of line (not `endstream`'s)
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
# A stream's filters, in its dictionary: one name, or an array of names
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME = re.compile(rb"/([^\s/\[\]<>()]+)")
# Filters whose output no bounded look here can measure, and a filter named elsewhere in the
# file (an indirect /Filter): a report's PDF (Word, WPS, LibreOffice, a browser, ReportLab)
# uses none.
_UNMEASURED = re.compile(rb"/(?:LZWDecode|LZW|RunLengthDecode|RL)\b|/Filter\s*\d+\s+\d+\s+R")
# Filters that write binary data as text (ReportLab's streams are ASCII85 over deflate): their
# output is smaller than their input, and is measured in turn by what follows them.
_ASCII85, _ASCIIHEX = {b"ASCII85Decode", b"A85"}, {b"ASCIIHexDecode", b"AHx"}
_DEFLATE = {b"FlateDecode", b"Fl"}
_MEASURED_AFTER = _DEFLATE | _ASCII85 | _ASCIIHEX
_A85_DIGITS, _HEX_DIGITS = re.compile(rb"[!-uz]*"), re.compile(rb"[0-9A-Fa-f]*")
_A85_GROUP = re.compile(rb"[!-u]{1,5}")
_WHITE = b" \t\n\r\x0b\x0c\x00"
# characters of streams written as text looked at in one file at most: a report's PDF that
# ReportLab wrote holds a few hundred thousand
MAX_TEXT_WRITTEN = 8 * 1024 * 1024
_PIECE = 1 << 16  # compressed bytes given to the inflater at a time
_OUT = 1 << 20  # inflated bytes taken at a time


def check_pdf_budget(data: bytes) -> None:
    """Refuse a PDF whose streams would inflate beyond what a report could hold, before PDFium
    inflates any: a file of 1 MB can ask it for gigabytes. Every stream is inflated here a
    megabyte at a time, from where it begins to where its deflated data ends (not where its
    length or an `endstream` says: neither can be trusted), and let go; one written as text
    (ASCII85, hexadecimal) is decoded first, to where its text ends."""
    total, text = 0, [MAX_TEXT_WRITTEN]
    for found in _STREAM.finditer(data):
        # its dictionary: from its object's start, or the 4 KB before the keyword, to the keyword
        near = max(0, found.start() - 4096)
        opened = data.rfind(b"obj", near, found.start())
        dictionary = data[opened if opened >= 0 else near : found.start()]
        if _UNMEASURED.search(dictionary):
            raise InputError(
                "PDF 使用了旧式的压缩（LZW 或游程编码），giagen 不读这种 PDF；"
                "请用 Word 或 WPS 重新导出 PDF，或提供网页"
            )
        budget = min(MAX_STREAM, MAX_TOTAL - total)
        size = _measured(data, found.end(), _filters(dictionary), budget, text)
        if size > budget:
            raise InputError(
                f"PDF 的内容解压后超出上限（单个部分 {MAX_STREAM // (1024 * 1024)} MB，"
                f"合计 {MAX_TOTAL // (1024 * 1024)} MB）；年度报告不会这么大"
            )
        total += size


def _filters(dictionary: bytes) -> list[bytes]:
    """The names of a stream's filters, in the order they are undone."""
    found = _FILTER.search(dictionary)
    return _NAME.findall(found.group(1)) if found else []


def _measured(data: bytes, start: int, filters: list[bytes], budget: int, text: list) -> int:
    """How many bytes the stream at `start` decodes to, counted up to just past `budget`: the
    text filters it begins with undone, then its deflated data inflated. `text`: how many more
    characters of such text this file may have looked at (Python decodes ASCII85 at some 6 MB
    a second, and streams may overlap)."""
    for i, name in enumerate(filters):
        if name not in _ASCII85 and name not in _ASCIIHEX:
            break
        end = data.find(b"~>" if name in _ASCII85 else b">", start)
        written = data[start : len(data) if end < 0 else end]
        zeros = written.count(b"z") if name in _ASCII85 else 0  # a z: four bytes, five digits
        text[0] -= len(written) + 4 * zeros
        if text[0] < 0:
            raise InputError(
                "PDF 中以文本（ASCII85 或十六进制）写的内容超出上限"
                f"（合计 {MAX_TEXT_WRITTEN // (1024 * 1024)} MB）；年度报告不会这么大"
            )
        # at most this many bytes (whitespace counted as digits): more than the budget is
        # refused without decoding
        most = len(written) * 4 // 5 + 4 * zeros if name in _ASCII85 else len(written) // 2 + 1
        if most > budget or i == len(filters) - 1 or filters[i + 1] not in _MEASURED_AFTER:
            return most  # or nothing here to measure after it (a picture's data)
        data, start = _text_decoded(written.translate(None, _WHITE), name in _ASCII85), 0
    return _inflated_size(data, start, budget)


def _text_decoded(text: bytes, a85: bool) -> bytes:
    """The bytes ASCII85 or hexadecimal text stands for, up to its first character that is
    none of its digits (a reader decodes so far, and inflates what that gives)."""
    if a85:
        text = _A85_DIGITS.match(text.removeprefix(b"<~")).group(0).replace(b"z", b"!!!!!")
        text = text[: len(text) - (len(text) % 5 == 1)]  # one digit left over stands for nothing
        try:
            return base64.a85decode(text)
        except ValueError:  # a group past 2³²: what comes before it
            groups = _A85_GROUP.findall(text)
            good = next(i for i, g in enumerate(groups) if g.ljust(5, b"u") > b"s8W-!")
            return base64.a85decode(b"".join(groups[:good]))
    text = _HEX_DIGITS.match(text).group(0)
    return binascii.unhexlify(text + b"0" * (len(text) % 2))  # an odd last digit: a 0 after it


def _inflated_size(data: bytes, start: int, budget: int) -> int:
    """How many bytes the deflated data at `start` inflates to, counted up to just past
    `budget`; 0 when it is not deflated data (PDFium judges it then)."""
    inflater, size, at = zlib.decompressobj(), 0, start
    try:
        while not inflater.eof and at < len(data) and size <= budget:
            size += len(inflater.decompress(data[at : at + _PIECE], _OUT))
            while inflater.unconsumed_tail and not inflater.eof and size <= budget:
                size += len(inflater.decompress(inflater.unconsumed_tail, _OUT))
            at += _PIECE
    except zlib.error:
        return size  # its data ends damaged, or it was never deflated
    return size
