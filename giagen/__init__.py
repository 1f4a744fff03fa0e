"""giagen: the Government Information Disclosure Annual Report, checked and rendered."""

from .api import check, convert, template
from .model import Report
from .reports import load, save

__all__ = ["Report", "check", "convert", "load", "save", "template"]
