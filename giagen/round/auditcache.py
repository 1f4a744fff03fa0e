"""What an audit read from each published report, kept in its output folder by the digest of the
file's bytes, so that auditing the folder again reads only the pages that changed."""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import zlib
from pathlib import Path

from ..checks.similarity import SECTIONS, unpacked
from ..core.codedigest import code_digest
from ..core.definitions import schema_version
from ..core.exceptions import InputError
from ..core.files import write_chunks
from ..core.findings import Finding
from ..core.model import report_from_data
from ..core.numbers import PRINTED
from ..pipeline.reports import Loaded

CACHE = ".giagen-audit.json"


def key_of(path: Path, data: bytes, given, shape: str) -> str:
    """A file's key: its bytes and kind, what was stated for it (--agency…), giagen's reading
    (`shape`: the editions' digest and giagen's code, `memory_shape()`, taken once an audit)."""
    h = hashlib.sha256(f"{shape}|{path.suffix.lower()}|{given!r}".encode())
    h.update(data)
    return h.hexdigest()


def memory_shape() -> str:
    """What every key of the audit's memory carries: the editions' shape and giagen's own code
    (a reading kept by another version of giagen is read again: how a page is read, or its
    prose sketched, may have changed)."""
    return f"{schema_version()}|{code_digest()}"


def read_cache(out: Path | None) -> dict[str, tuple[int, int]]:
    """Where each entry of the last audit into `out` stands in its memory file, a line each
    (where the line starts, how long it is up to the entry's end): a province's memory is large,
    and each entry is read by the worker that reads its page (`kept_text`). Empty when there is
    none or it is not as `write_cache` writes it: every page is then read anew."""
    if out is None:
        return {}
    entries: dict[str, tuple[int, int]] = {}
    try:
        with open(out / CACHE, "rb") as f:
            at = 0
            for n, line in enumerate(f):
                if n == 0 and line != b"{\n":
                    break
                if n and _LINE.match(line):
                    end = len(line) - (2 if line.endswith(b",\n") else 1)
                    entries[line[1:65].decode()] = (at, end)
                elif line == b"}":
                    return entries
                elif n:
                    break
                at += len(line)
    except OSError:
        return {}  # no memory there (or none readable): every page is read anew
    return {}  # a memory not written a line an entry, or cut short


def kept_text(out: Path, cache: dict, key: str) -> bytes | None:
    """The entry the last audit kept under `key`: its JSON text, as UTF-8, as giagen wrote it;
    None when there is none, the line there is no longer the key's (another audit wrote the
    file since), or its text is not what its check says (the file was edited or damaged)."""
    at = cache.get(key)
    if at is None:
        return None
    try:
        with open(out / CACHE, "rb") as f:
            f.seek(at[0])
            line = f.read(at[1])
    except OSError:
        return None
    return _unsealed(line[67:]) if line.startswith(f'"{key}":'.encode()) else None


_LINE = re.compile(rb'"[0-9a-f]{64}":\{.*\},?\n')
# An entry as written: its check first, the digest of its text without the check.
_SEAL = re.compile(rb'\{"check":"([0-9a-f]{32})",')


def _sealed(entry: bytes) -> str:
    """A packed entry's JSON text with its check put first."""
    text = zlib.decompress(entry)
    return f'{{"check":"{_check(text)}",{text[1:].decode()}'


def _unsealed(kept: bytes) -> bytes | None:
    """The JSON text a sealed entry holds, when it is what its check says; else None."""
    seal = _SEAL.match(kept)
    if seal is None:
        return None
    text = b"{" + kept[seal.end() :]
    return text if _check(text).encode() == seal.group(1) else None


def _check(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()[:32]


def write_cache(out: Path, entries: dict[str, bytes]):
    """Keep this audit's entries, each the JSON text of one on a line of its own with its check
    (only those of the files audited now: nothing stale)."""
    items = (
        f"{',' if i else ''}\n{json.dumps(key)}:{_sealed(entry)}"
        for i, (key, entry) in enumerate(entries.items())
    )
    write_chunks(out / CACHE, itertools.chain("{", items, "\n}"))


def entry_of(loaded: Loaded | None, reason: str = "", sketches: dict | None = None) -> dict | None:
    """What to keep of one file: its reading (and the packed sketches of its prose, for copies
    between units), or why it could not be read. A workbook or a report's JSON (what a clerk
    prepares) is read again each time: it is quick and exact."""
    if loaded is None:
        return {"reason": reason}
    if loaded.entered:
        return None
    entry = {
        "report": loaded.report.to_data(),
        "findings": [f.to_json() for f in loaded.findings],
    }
    if sketches is not None:
        entry["sketches"] = sketches
    return entry


def packed_entry(entry: dict | bytes) -> bytes:
    """An entry's JSON text (made of `entry` when it is data), compressed: a province's
    readings are held until they are checked (as text a page's takes 16 KB, its Chinese stored
    two bytes a character; so, 4 KB)."""
    if isinstance(entry, dict):
        entry = json.dumps(entry, ensure_ascii=False, default=str).encode()
    return zlib.compress(entry, 1)


def entry_text(entry: bytes) -> str:
    """A packed entry's JSON text."""
    return zlib.decompress(entry).decode()


def restored(text: str | bytes | None, path: Path) -> Loaded | str | None:
    """The reading kept for a file (or why it could not be read) from its entry's JSON text, as
    giagen wrote it (made by this audit, or checked by `kept_text`: its form is not checked
    again); None when there is none or it is unusable."""
    return reread(text, path)[0]


def reread(text: str | bytes | None, path: Path) -> tuple:
    """`restored`, and the packed sketches kept beside the reading (None when there are none
    or they are not sketches: they are then made again)."""
    try:
        entry = json.loads(text) if text else None
    except ValueError:
        return None, None
    if not isinstance(entry, dict):
        return None, None
    if "reason" in entry:
        return str(entry["reason"]), None
    try:
        report, _ = report_from_data(entry["report"], mode=PRINTED, formed=True)
        findings = [Finding.from_json(f) for f in entry["findings"]]
    except (KeyError, TypeError, ValueError, AttributeError, InputError):
        return None, None
    for f in findings:
        f.file = str(path)
    return Loaded(path, report, findings, entered=False), _sketches(entry.get("sketches"))


def _sketches(kept) -> dict | None:
    """Kept sketches as they were packed, when each section's is a sketch (or none)."""
    if not isinstance(kept, dict) or set(kept) != {s for s, _ in SECTIONS}:
        return None
    try:
        for text in kept.values():
            if text is not None and not isinstance(text, str):
                return None
            unpacked(text)
    except ValueError:
        return None
    return kept
