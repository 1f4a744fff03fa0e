"""A page saved as one file (MHTML: Chrome's and Edge's 网页，单个文件, IE's and Word's .mht):
the page, and the pages its frames show, taken out of the archive as they were saved."""

from __future__ import annotations

import re

from ..core.exceptions import InputError

# The archive's own header lines, up to the blank line that ends them: a MIME message whose
# body is the page and what it shows (multipart/related)
_HEADER_LINES = re.compile(rb"\A(?:[!-9;-~]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+\r?\n")
_CHARSET = re.compile(rb"charset\s*=", re.I)
_BOUNDARY = re.compile(rb'boundary\s*=\s*"?([^";\r\n]+)', re.I)
# parts of one archive: a page's styles, pictures and frames are some tens, a heavy page's a few
# hundred; the MIME parser takes some 25 µs a part
MAX_PARTS = 2000


def is_mhtml(data: bytes) -> bool:
    """Whether the bytes are a saved page's archive, by the header lines it begins with."""
    head = _HEADER_LINES.match(data[:16384])
    return head is not None and b"multipart/related" in head.group(0).lower()


def archive(data: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The saved page's bytes as they were (its own encoding), and every page inside the
    archive by the names a frame may give it: `cid:` and its Content-ID, its Content-Location.
    InputError when there is no page in it."""
    # lazy: the standard library's MIME parser (~12 ms) only for an archive
    from email.parser import BytesParser

    head = _HEADER_LINES.match(data[:16384])
    boundary = _BOUNDARY.search(head.group(0)) if head else None
    if boundary and data.count(b"\n--" + boundary.group(1)) > MAX_PARTS:
        raise InputError(
            f"MHTML（单个文件的网页）的部分超过 {MAX_PARTS} 个，超出上限；一个网页不会有这么多"
        )
    try:
        message = BytesParser().parsebytes(data)
        parts = message.get_payload() if message.is_multipart() else []
        pages = [p for p in parts if p.get_content_type() == "text/html"]
    except (RecursionError, ValueError, LookupError, TypeError, AttributeError):
        raise InputError("无法读取 MHTML（单个文件的网页）：文件已损坏") from None
    if not pages:
        raise InputError("MHTML（单个文件的网页）中没有网页")
    start = (message.get_param("start") or "").strip()
    main = next((p for p in pages if start and (p.get("Content-ID") or "").strip() == start), None)
    bodies = [_body(part) for part in pages]  # each decoded once
    named = {}
    for part, body in zip(pages, bodies):
        for name in (
            f"cid:{(part.get('Content-ID') or '').strip('<> ')}",
            part.get("Content-Location"),
        ):
            if name and name != "cid:":
                named.setdefault(name.strip(), body)
    return bodies[pages.index(main) if main is not None else 0], named


def _body(part) -> bytes:
    """A part's bytes, its transfer encoding undone; the charset its header names put before
    them when the page itself declares none (IE names it only there)."""
    body = part.get_payload(decode=True)
    if not isinstance(body, bytes):
        return b""
    charset = part.get_content_charset()
    if charset and re.fullmatch(r"[\w.:-]+", charset) and not _CHARSET.search(body, 0, 4096):
        body = f'<meta charset="{charset}">'.encode() + body
    return body
