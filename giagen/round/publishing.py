"""Putting a round's documents in place: OUT/units/ for the ready units, OUT/notices/ for the others."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..core.files import Names, atomic_path, safe_name, write_bytes, write_text
from . import board as b
from .background import nothing
from .notices import notice_docx, notice_lines, notice_text
from .roundcache import staged_files, staged_name

UNITS_DIR, NOTICES_DIR = "units", "notices"


def publish(
    rows: list[b.Row], out: Path, stage: Path
) -> tuple[dict[str, dict[str, str]], Callable[[], None]]:
    """OUT/units/ holds exactly the ready units' documents, named after the unit; nothing stale.

    Returns the links by unit, and a function that waits until every document is in place: the
    links are made in a thread (the disk's work, while the caller writes the pages)."""
    names, links, keep, pending = Names(), {}, set(), []
    folder = out / UNITS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    # what is there already, one directory read each: a unit whose file is already the staged
    # document (the same inode) is left alone
    published = {e.name: e.inode() for e in os.scandir(folder) if e.is_file()}
    staged = {name: e.inode() for name, e in staged_files(stage).items()}
    for r in rows:
        if not r.unit:
            continue
        r.name = names(safe_name(r.unit))
        if r.status != b.READY:
            continue
        for fmt in r.record.rendered:
            name, source = f"{r.name}.{fmt}", staged_name(r.record.digest, fmt)
            if published.get(name) is None or published[name] != staged.get(source):
                pending.append(
                    (os.path.join(stage, source), os.path.join(folder, name))
                )  # str: thousands
            keep.add(name)
            links.setdefault(r.unit, {})[fmt] = f"{UNITS_DIR}/{name}"
    for name in set(published) - keep:
        (folder / name).unlink()
    live = {
        staged_name(r.record.digest, fmt) for r in rows if r.record for fmt in r.record.rendered
    }
    for name in set(staged) - live:
        (stage / name).unlink()
    if not pending:
        return links, nothing
    placing = ThreadPoolExecutor(1)
    placed = placing.submit(lambda: [_place(source, target) for source, target in pending])
    placing.shutdown(wait=False)
    return links, placed.result


def _place(source: str, target: str):
    """A staged document at its published name: a hard link where the disk allows, else a copy."""
    try:
        os.link(source, target)  # nothing there yet (the usual case): the link appears whole
        return
    except OSError:
        pass  # a file there already, or a disk without hard links
    with atomic_path(target) as tmp:
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)


def write_notices(
    rows: list[b.Row], out: Path, year, deadline, sender
) -> dict[str, dict[str, str]]:
    """OUT/notices/{unit}.txt and .docx for every unit that needs action or must be told
    something (a file of its held back); no others."""

    folder = out / NOTICES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    links, keep = {}, set()
    for r in rows:
        if not r.unit or (r.status not in b.NEEDS_ACTION and not r.notes):
            continue
        title, lines = notice_lines(
            r, year, deadline, f"{sender}政务公开办" if sender else "政务公开办"
        )
        text = notice_text(title, lines)
        path = folder / f"{r.name}.txt"
        keep |= {path.name, f"{r.name}.docx"}
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            write_text(path, text)
            write_bytes(folder / f"{r.name}.docx", notice_docx(title, lines))
        links[r.unit] = {"notice": f"{NOTICES_DIR}/{r.name}.docx"}
    for stale in folder.iterdir():
        if stale.name not in keep and stale.is_file():
            stale.unlink()
    return links
