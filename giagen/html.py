"""The HTML: a standalone page, or the report body alone for a website CMS editor."""

from __future__ import annotations

import functools
import re

from markupsafe import Markup, escape

from .compose import DRAFT_MARK, Composition, Table
from .templating import environment

_ENV = environment()
_SLOT = re.compile("\x00(\\d+),(\\d+)\x00")


@functools.lru_cache(maxsize=None)
def _skeleton(grid, small: bool, caption: str, fragment: bool) -> tuple[tuple[str, ...], tuple]:
    """A table rendered once by table.html.j2 with a slot where each value goes.

    Only the numbers change from one report to the next; the markup around them is the
    same for every report of an edition.
    """
    texts = {(c.row, c.col): c.text if c.key is None else f"\x00{c.row},{c.col}\x00"
             for c in grid.cells}
    html = _ENV.get_template("table.html.j2").render(
        t=Table(grid.section, caption, grid, texts, small), fragment=fragment)
    parts = _SLOT.split(html)
    return tuple(parts[0::3]), tuple(zip(map(int, parts[1::3]), map(int, parts[2::3])))


def table_bytes(t: Table, fragment: bool) -> bytes:
    """A table's HTML as UTF-8: the skeleton's parts encoded once, each value escaped and encoded once."""
    pieces, slots = _encoded_skeleton(t.grid, t.small, t.caption, fragment)
    out = [pieces[0]]
    texts = t.texts
    for position, after in zip(slots, pieces[1:]):
        out += [_escaped(texts[position]), after]
    return b"".join(out)


@functools.lru_cache(maxsize=None)
def _encoded_skeleton(grid, small: bool, caption: str, fragment: bool) -> tuple[tuple[bytes, ...], tuple]:
    pieces, slots = _skeleton(grid, small, caption, fragment)
    return tuple(p.encode("utf-8") for p in pieces), slots


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> bytes:
    """A value escaped for HTML, as UTF-8; a table's values are mostly the same few numbers, each done once."""
    return str(escape(text)).encode("utf-8")


_TOKEN = re.compile(b"(\x00table_[^\x00]{1,8}\x00)")  # where a table goes (html_bytes)


def html_bytes(c: Composition, fragment: bool = False) -> bytes:
    """The page (or the body alone for a CMS, `fragment`) as UTF-8.

    The tables are put in after the page is rendered, each as a short token meanwhile: the
    large tables then pass through neither Jinja nor an encoder."""
    tables, inserts = {}, {}
    for s in c.sections:
        if s.table is not None:
            token = f"\x00table_{s.key}\x00"
            tables[s.key] = Markup(token)
            inserts[token.encode("utf-8")] = table_bytes(s.table, fragment)
    page = _ENV.get_template("report.html.j2").render(c=c, tables=tables, fragment=fragment,
                                                      draft_mark=DRAFT_MARK).encode("utf-8")
    return b"".join(inserts.get(piece, piece) for piece in _TOKEN.split(page))


def render_html(c: Composition, fragment: bool = False) -> str:
    """The report as a standalone page, or as the body alone for a CMS (`fragment`)."""
    return html_bytes(c, fragment).decode("utf-8")
