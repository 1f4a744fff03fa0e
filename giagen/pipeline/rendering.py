"""A report composed once and written as DOCX, HTML and PDF bytes — for render, batch and region alike."""

from __future__ import annotations

from pathlib import Path

from ..core.compose import compose
from ..core.exceptions import UsageError
from ..output.pdf import docx_to_pdf

FORMATS = ("docx", "html", "pdf")


def parse_formats(text: str) -> tuple[str, ...]:
    """`docx,html` → ("docx", "html"); anything else is a usage error."""
    formats = tuple(dict.fromkeys(f.strip().lower() for f in text.split(",") if f.strip()))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"--to 只能是 {','.join(FORMATS)} 中的一种或几种，实际为 {text!r}")
    return formats


def documents(
    report,
    formats,
    draft: bool = False,
    template: str | Path | None = None,
    fragment: bool = False,
    fragment_only: bool = False,
    warn=None,
) -> dict[str, bytes]:
    """The report in each of `formats`, made in memory: none is written when any fails.

    With `fragment`, the HTML body for a CMS comes beside the page; `fragment_only`, alone."""
    # lazy: jinja2 (~40 ms) loads only when a document is made, not for check
    from ..output.docx import render_docx
    from ..output.html import html_bytes

    composition = compose(report, draft=draft)
    outputs: dict[str, bytes] = {}
    if "docx" in formats or "pdf" in formats:
        docx = render_docx(composition, Path(template) if template else None)
        if "docx" in formats:
            outputs["docx"] = docx
        if "pdf" in formats:
            outputs["pdf"] = docx_to_pdf(docx, warn)
    if "html" in formats:
        # the page, and the body alone for a CMS editor beside it (`{name}.fragment.html`)
        if not fragment_only:
            outputs["html"] = html_bytes(composition)
        if fragment or fragment_only:
            outputs["fragment.html"] = html_bytes(composition, fragment=True)
    return outputs
