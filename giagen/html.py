"""The HTML: a standalone page, or the report body alone for a website CMS editor."""

from __future__ import annotations

from pathlib import Path

import jinja2

from .compose import DRAFT_MARK, Composition

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
    autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=False, keep_trailing_newline=True)


def render_html(c: Composition, fragment: bool = False) -> str:
    template = _ENV.get_template("report.html.j2")  # compiled once, cached by the environment
    return template.render(c=c, fragment=fragment, draft_mark=DRAFT_MARK)
