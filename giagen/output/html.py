"""The HTML: a standalone page, or the report body alone for a website CMS editor."""

from __future__ import annotations

import functools
import re

from markupsafe import escape

from ..core.compose import DRAFT_MARK, Composition, Table
from .templating import Inserts, environment

_ENV = environment()
_SLOT = re.compile("\x00(\\d+),(\\d+)\x00")


@functools.lru_cache(maxsize=None)
def _skeleton(grid, small: bool, caption: str, fragment: bool) -> tuple[tuple[bytes, ...], tuple]:
    """A table rendered once by table.html.j2 with a slot where each value goes, as UTF-8 pieces.

    Only the numbers change from one report to the next; the markup around them is the
    same for every report of an edition.
    """
    texts = {
        (c.row, c.col): c.text if c.key is None else f"\x00{c.row},{c.col}\x00" for c in grid.cells
    }
    html = _ENV.get_template("table.html.j2").render(
        t=Table(grid.section, caption, grid, texts, small), fragment=fragment
    )
    parts = _SLOT.split(html)
    return (
        tuple(p.encode("utf-8") for p in parts[0::3]),
        tuple(zip(map(int, parts[1::3]), map(int, parts[2::3]))),
    )


def table_bytes(t: Table, fragment: bool) -> bytes:
    """A table's HTML as UTF-8: the edition's skeleton with this report's values in its slots."""
    pieces, slots = _skeleton(t.grid, t.small, t.caption, fragment)
    out = [pieces[0]]
    texts = t.texts
    for position, after in zip(slots, pieces[1:]):
        out += [_escaped(texts[position]), after]
    return b"".join(out)


@functools.lru_cache(maxsize=4096)
def _escaped(text: str) -> bytes:
    """A value escaped for HTML, as UTF-8; a table's values are mostly the same few numbers, each done once."""
    return str(escape(text)).encode("utf-8")


def html_bytes(c: Composition, fragment: bool = False) -> bytes:
    """The page (or the body alone for a CMS, `fragment`) as UTF-8, the tables put in after Jinja."""
    inserts = Inserts()
    tables = {
        s.key: inserts.token(table_bytes(s.table, fragment))
        for s in c.sections
        if s.table is not None
    }
    page = _ENV.get_template("report.html.j2").render(
        c=c, tables=tables, fragment=fragment, draft_mark=DRAFT_MARK
    )
    return inserts.put_in(page.encode("utf-8"))


def render_html(c: Composition, fragment: bool = False) -> str:
    """The report as a standalone page, or as the body alone for a CMS (`fragment`)."""
    return html_bytes(c, fragment).decode("utf-8")
