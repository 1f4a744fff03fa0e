"""The round's cache: what each file held when last read, by the digest of its bytes and settings."""

from __future__ import annotations

import json
from pathlib import Path

from .files import atomic_path
from .units import Unit

CACHE = ".giagen-batch.json"


def cached(hit, digest: str, stage: Path) -> Unit | None:
    """A cache entry still good for this digest, with its staged documents on disk."""
    if not isinstance(hit, dict) or hit.get("digest") != digest:
        return None
    try:
        unit = Unit(**hit)
    except TypeError:  # written by another version of giagen
        return None
    if all((stage / f"{digest[:40]}.{fmt}").exists() for fmt in unit.rendered):
        return unit
    return None


def moved(unit: Unit, path: Path) -> Unit:
    """A cached record for the file now at `path` (moved, or a copy of another): its findings name `path`."""
    before, unit.source = unit.source, str(path)
    if before != unit.source:
        unit.findings = [{**f, "file": unit.source, "message": f["message"].replace(before, unit.source)}
                         for f in unit.findings]
    return unit


def write_cache(out: Path, units: dict[str, Unit]):
    """The cache, by digest of what was read, streamed unit by unit rather than built as one string."""
    with atomic_path(out / CACHE) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write("{")
        for i, unit in enumerate(units.values()):
            # dumps of the plain dict: the C encoder, no deep copy (3,000 units in a blink)
            f.write(("," if i else "") + json.dumps(unit.digest) + ":"
                    + json.dumps(vars(unit), ensure_ascii=False, default=str))
        f.write("}")


def read_cache(out: Path) -> dict:
    """The cache of the last run in `out`; empty when there is none or it cannot be read."""
    try:
        cache = json.loads((out / CACHE).read_text(encoding="utf-8"))
        return cache if isinstance(cache, dict) else {}
    except (OSError, ValueError):
        return {}
