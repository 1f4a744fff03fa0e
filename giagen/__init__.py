"""giagen: the Government Information Disclosure Annual Report, checked and rendered."""

from .api import batch, check, convert, import_report, render, rollup, template
from .model import Report
from .reports import load, save
from .wizard import wizard

__all__ = ["Report", "batch", "check", "convert", "import_report", "load", "render", "rollup",
           "save", "template", "wizard"]
