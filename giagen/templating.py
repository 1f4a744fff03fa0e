"""The one Jinja environment: strict about names, escaping everything, sandboxed — templates are data."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

def _templates() -> Path:
    """Where the templates are: inside the installed package, or at the top of a checkout."""
    inside = Path(__file__).resolve().parent / "templates"
    return inside if inside.is_dir() else Path(__file__).resolve().parent.parent / "templates"


TEMPLATES = _templates()


@functools.cache
def environment() -> jinja2.Environment:
    """giagen's HTML templates by name, and DOCX parts compiled from strings, in one environment.

    A DOCX template may come from another agency: in the sandbox it can read the context it is
    given and call nothing else.
    """
    return ImmutableSandboxedEnvironment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                         undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
