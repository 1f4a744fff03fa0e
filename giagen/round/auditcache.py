"""What an audit read from each published report, kept in its output folder by the digest of the
file's bytes, so that auditing the folder again reads only the pages that changed."""

from __future__ import annotations

import hashlib
import itertools
import json
from pathlib import Path

from ..core import definitions as d
from ..core.exceptions import InputError
from ..core.files import write_chunks
from ..core.findings import Finding
from ..core.model import report_from_data
from ..core.numbers import PRINTED
from ..pipeline.reports import Loaded

CACHE = ".giagen-audit.json"
_VERSION = "1"  # part of every key: bump when reading a published report changes


def key_of(path: Path, data: bytes, given) -> str:
    """A file's key: its bytes and kind, what was stated for it (--agency…), giagen's reading."""
    h = hashlib.sha256(f"{_VERSION}|{d.schema_version()}|{path.suffix.lower()}|{given!r}".encode())
    h.update(data)
    return h.hexdigest()


def read_cache(out: Path | None) -> dict:
    """The entries of the last audit into `out`; empty when there is none or it cannot be read."""
    if out is None:
        return {}
    try:
        entries = json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return entries if isinstance(entries, dict) else {}


def write_cache(out: Path, entries: dict[str, str]):
    """Keep this audit's entries, each the JSON text of one (only those of the files audited
    now: nothing stale)."""
    items = (
        f"{',' if i else ''}{json.dumps(key)}:{entry}"
        for i, (key, entry) in enumerate(entries.items())
    )
    write_chunks(out / CACHE, itertools.chain("{", items, "}"))


def entry_of(loaded: Loaded | None, reason: str = "") -> dict | None:
    """What to keep of one file: its reading, or why it could not be read. A workbook or a
    report's JSON (what a clerk prepares) is read again each time: it is quick and exact."""
    if loaded is None:
        return {"reason": reason}
    if loaded.entered:
        return None
    return {
        "report": loaded.report.to_data(),
        "findings": [f.to_json() for f in loaded.findings],
    }


def restored(entry, path: Path, formed: bool = False) -> Loaded | str | None:
    """The reading kept for a file (or why it could not be read); None when the entry is unusable.
    `formed`: the entry was made by this audit (its form is not checked again)."""
    if not isinstance(entry, dict):
        return None
    if "reason" in entry:
        return str(entry["reason"])
    try:
        report, _ = report_from_data(entry["report"], mode=PRINTED, formed=formed)
        findings = [Finding.from_json(f) for f in entry["findings"]]
    except (KeyError, TypeError, ValueError, AttributeError, InputError):
        return None
    for f in findings:
        f.file = str(path)
    return Loaded(path, report, findings, entered=False)
