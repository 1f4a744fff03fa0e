"""A PDF's compressed streams measured before PDFium reads it: PDFium sets itself no limit."""

from __future__ import annotations

import re
import zlib

from ..core.exceptions import InputError
from ..core.packages import MAX_TOTAL

# bytes, inflated, of one stream: a page's content takes tens of kilobytes, a picture Word keeps
# a few megabytes; PDFium holds some 20 times a content stream's size while it reads it
MAX_STREAM = 16 * 1024 * 1024

# Where a stream's data begins: the keyword and one end of line (not `endstream`'s)
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
# Filters whose output no bounded look here can measure, and a filter named elsewhere in the
# file (an indirect /Filter), in a stream's dictionary: a report's PDF (Word, WPS, LibreOffice,
# a browser) uses none.
_UNMEASURED = re.compile(
    rb"/(?:LZWDecode|LZW|RunLengthDecode|RL|ASCII85Decode|A85|ASCIIHexDecode|AHx)\b"
    rb"|/Filter\s*\d+\s+\d+\s+R"
)
_PIECE = 1 << 16  # compressed bytes given to the inflater at a time
_OUT = 1 << 20  # inflated bytes taken at a time


def check_pdf_budget(data: bytes) -> None:
    """Refuse a PDF whose streams would inflate beyond what a report could hold, before PDFium
    inflates any: a file of 1 MB can ask it for gigabytes. Every stream is inflated here a
    megabyte at a time, from where it begins to where its deflated data ends (not where its
    length or an `endstream` says: neither can be trusted), and let go."""
    total = 0
    for found in _STREAM.finditer(data):
        # its dictionary: from its object's start, or the 4 KB before the keyword, to the keyword
        near = max(0, found.start() - 4096)
        opened = data.rfind(b"obj", near, found.start())
        if _UNMEASURED.search(data, opened if opened >= 0 else near, found.start()):
            raise InputError(
                "PDF 使用了旧式的压缩或编码（LZW、游程、ASCII85 等），giagen 不读这种 PDF；"
                "请用 Word 或 WPS 重新导出 PDF，或提供网页"
            )
        budget = min(MAX_STREAM, MAX_TOTAL - total)
        size = _inflated_size(data, found.end(), budget)
        if size > budget:
            raise InputError(
                f"PDF 的内容解压后超出上限（单个部分 {MAX_STREAM // (1024 * 1024)} MB，"
                f"合计 {MAX_TOTAL // (1024 * 1024)} MB）；年度报告不会这么大"
            )
        total += size


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
