"""The round's cache: what each file held when last read, by the digest of its bytes and settings."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

from ..core.files import atomic_path
from ..core.findings import Finding
from .units import Unit

CACHE = ".giagen-batch.json"


def staged_name(digest: str, fmt: str) -> str:
    """A staged document's path in the stage: in one of 16 folders by the digest's first character,
    so that workers rarely create files in the same folder at once (the disk serialises that)."""
    return f"{digest[0]}/{digest[:40]}.{fmt}"


def staged_files(stage: Path) -> dict[str, os.DirEntry]:
    """What the stage holds, by staged name: one directory read a folder."""
    found = {}
    if stage.is_dir():
        for shard in os.scandir(stage):
            if shard.is_dir(follow_symlinks=False):
                found.update((f"{shard.name}/{e.name}", e) for e in os.scandir(shard.path))
            else:  # left by an older layout: stale
                found[shard.name] = shard
    return found


def cached(hit, digest: str, staged: set[str]) -> Unit | None:
    """A cache entry still good for this digest, with its documents among the `staged` file names."""
    if not isinstance(hit, dict) or hit.get("digest") != digest:
        return None
    try:
        unit = Unit(**{**hit, "findings": [Finding.from_json(f) for f in hit.get("findings", [])]})
    except (TypeError, KeyError, AttributeError):  # written by another version of giagen
        return None
    if all(staged_name(digest, fmt) in staged for fmt in unit.rendered):
        return unit
    return None


def moved(unit: Unit, path: Path) -> Unit:
    """A cached record for the file now at `path` (moved, or a copy of another): its findings name `path`."""
    before, unit.source = unit.source, str(path)
    if before != unit.source:
        unit.findings = [
            replace(f, file=unit.source, message=f.message.replace(before, unit.source))
            for f in unit.findings
        ]
    return unit


def write_cache(out: Path, units: dict[str, Unit]):
    """The cache, by digest of what was read, streamed unit by unit rather than built as one string.

    Each edition's number keys (`table/row/column`) are written once, and each unit's numbers
    as the list of their values in that order: a tenth of the size, read back in a blink."""
    keys: dict[str, list[str]] = {}
    for unit in units.values():
        if unit.numbers and unit.edition not in keys:
            keys[unit.edition] = list(unit.numbers)
    with atomic_path(out / CACHE) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write('{"numbers":' + json.dumps(keys, ensure_ascii=False) + ',"units":{')
        for i, unit in enumerate(units.values()):
            record = {
                k: v for k, v in vars(unit).items() if k != "row_cells"
            }  # made again when needed
            record["findings"] = [f.to_json() for f in unit.findings]
            if unit.numbers and list(unit.numbers) == keys[unit.edition]:
                record = {**record, "numbers": list(unit.numbers.values())}
            # dumps of the plain dict: the C encoder, no deep copy (3,000 units in a blink)
            f.write(
                ("," if i else "")
                + json.dumps(unit.digest)
                + ":"
                + json.dumps(record, ensure_ascii=False, default=str)
            )
        f.write("}}")


def read_cache(out: Path) -> dict:
    """The cache of the last run in `out`, by digest; empty when there is none or it cannot be read.

    A record whose numbers do not match its edition's keys is left out (its file is read again)."""
    try:
        cache = json.loads((out / CACHE).read_bytes())
        keys, units = cache["numbers"], cache["units"]
        if not isinstance(keys, dict) or not isinstance(units, dict):
            return {}
    except (OSError, ValueError, TypeError, KeyError):
        return {}
    records = {}
    for digest, record in units.items():
        numbers = record.get("numbers") if isinstance(record, dict) else None
        if isinstance(numbers, list):
            names = keys.get(record.get("edition"))
            if not isinstance(names, list) or len(names) != len(numbers):
                continue
            record["numbers"] = dict(zip(names, numbers))
        records[digest] = record
    return records
