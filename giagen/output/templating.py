"""The one Jinja environment: strict about names, escaping everything, sandboxed — templates are data."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup


def _templates() -> Path:
    """Where the templates are: inside the installed package, or at the top of a checkout."""
    package = Path(__file__).resolve().parent.parent
    inside = package / "templates"
    return inside if inside.is_dir() else package.parent / "templates"


TEMPLATES = _templates()


class _Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox, with a short way through for the data fields of giagen's own records.

    A record's field that is neither private nor callable is plain data (text, numbers, tuples):
    the full checks, which guard methods and Python's internals, are for everything else."""

    def getattr(self, obj, attribute):
        """`obj.attribute` in a template: a record's data at once, anything else as the sandbox decides."""
        ours = _OURS.get(type(obj))
        if ours is None:  # worked out once a type: thousands of rows read the same few fields
            ours = _OURS[type(obj)] = type(obj).__module__.startswith("giagen.")
        if ours and attribute[:1] != "_":
            value = getattr(obj, attribute, _MISSING)
            if value is not _MISSING and not callable(value):
                return value
        return super().getattr(obj, attribute)


_MISSING = object()
_OURS: dict[type, bool] = {}  # whether a type is one of giagen's records


@functools.cache
def environment() -> jinja2.Environment:
    """giagen's HTML templates by name, and DOCX parts compiled from strings, in one environment.

    A DOCX template may come from another agency: in the sandbox it can read the context it is
    given and call nothing else.
    """
    # auto_reload off: the shipped templates do not change while giagen runs (no stat a report)
    return _Sandbox(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        auto_reload=False,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


_INSERT = re.compile(b"(\x00insert_[0-9]+\x00)")


class Inserts(dict):
    """Large parts, already UTF-8 (a table's XML or HTML), put into a rendered template after Jinja.

    The template sees a short token instead: the tables then pass through neither Jinja's
    escaping nor an encoder, once per report."""

    def token(self, data: bytes) -> Markup:
        """The token that stands for `data` in the template's context."""
        token = f"\x00insert_{len(self)}\x00"
        self[token.encode()] = data
        return Markup(token)

    def put_in(self, rendered: bytes) -> bytes:
        """`rendered` with each token replaced by its part."""
        if not self or b"\x00" not in rendered:
            return rendered
        return b"".join(self.get(piece, piece) for piece in _INSERT.split(rendered))
