"""Pages inside a page: an iframe's `srcdoc`, a frame whose file was saved beside the page, and
one saved inside the same archive (MHTML), put in place of the frame. A URL is never followed:
only files under the page's own folder, and pages of its archive."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from ..core.exceptions import InputError
from .tokens import MAX_PIECES

MAX_DEPTH = 2  # a frame inside a frame inside the page, no deeper
MAX_FRAME = 8 * 1024 * 1024  # bytes of one framed file
MAX_FRAMED = 20 * 1024 * 1024  # characters of all a page's framed pages: a page a file may be


def inline(root, base: Path | None, decode, parse, depth: int = 0, parts=None, left=None) -> int:
    """Replace each `iframe`/`frame` of `root` by the body of the page it shows, where that page
    is in the `srcdoc`, in a file under `base` or among `parts` (an archive's pages by name);
    `decode` reads a file's bytes as HTML text, `parse` makes a tree of a page's text (None or
    InputError when it cannot). Returns how many frames were replaced. InputError when the
    framed pages together are more than a page could be (`left`: the characters and tags they
    may still take)."""
    replaced, left = 0, [MAX_FRAMED, MAX_PIECES] if left is None else left
    for frame in list(root.iter("iframe", "frame")):  # quick: none in most pages
        source, folder = _framed(frame, base, decode, parts or {})
        if source is None:
            continue  # left for the reader to drop, as before
        # a thousand frames of one file would parse it a thousand times, into one tree
        left[0] -= len(source)
        left[1] -= source.count("<")
        if left[0] < 0 or left[1] < 0:
            raise InputError(
                f"网页中框架所显示的网页合计超过 {MAX_FRAMED // (1024 * 1024)} MB 或 "
                f"{MAX_PIECES} 个标签，超出上限；年度报告的网页不会这么大"
            )
        try:
            inner = parse(source)
        except InputError:
            continue
        if inner is None:
            continue
        if depth + 1 < MAX_DEPTH:
            inline(inner, folder, decode, parse, depth + 1, parts, left)
        body = inner.find("body")
        holder = etree.Element("div")
        found = body if body is not None else inner
        holder.text = found.text
        holder.extend(list(found))
        holder.tail = frame.tail
        parent = frame.getparent()
        if parent is not None:
            parent.replace(frame, holder)
            replaced += 1
    return replaced


def _framed(frame, base: Path | None, decode, parts: dict) -> tuple[str | None, Path | None]:
    """The HTML a frame shows, and the folder its own frames are found in."""
    srcdoc = frame.get("srcdoc")
    if srcdoc:
        return srcdoc, base
    src = (frame.get("src") or "").strip()
    if src in parts:
        return decode(parts[src]), base
    if base is None or not src or "://" in src or src.startswith(("//", "data:", "javascript:")):
        return None, None
    target = (base / unquote(src.split("#")[0].split("?")[0])).resolve()
    try:
        inside = target.is_relative_to(base.resolve()) and target.is_file()
        if not inside or target.stat().st_size > MAX_FRAME:
            return None, None
        return decode(target.read_bytes()), target.parent
    except (OSError, ValueError):
        return None, None
