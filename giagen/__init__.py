"""giagen: the Government Information Disclosure Annual Report, checked and rendered.

The functions behind the commands live in `giagen.api` (batch and wizard included); the
most used are here too. `giagen.round.batch` and `giagen.face.wizard` are the modules of those names.
"""

from .api import audit, check, convert, import_report, render, rollup, template
from .core.model import Report
from .pipeline.reports import load, save

__all__ = [
    "Report",
    "audit",
    "check",
    "convert",
    "import_report",
    "load",
    "render",
    "rollup",
    "save",
    "template",
]
