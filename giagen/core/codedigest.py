"""A digest of giagen's own code: what one version of it read or made is not taken for another's."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent


@functools.cache
def code_digest() -> str:
    """The sha256 of every module's source, taken once a process (some 100 files: a few ms).
    Kept readings and rendered files carry it, so a change to how a page is read or a report is
    rendered is never hidden by what an earlier giagen kept; without sources (a frozen build),
    the installed version stands in for them."""
    h = hashlib.sha256()
    sources = sorted(  # os.walk: a quarter of what Path.rglob takes here
        os.path.relpath(os.path.join(folder, name), PACKAGE)
        for folder, _, names in os.walk(PACKAGE)
        for name in names
        if name.endswith(".py")
    )
    for name in sources:
        h.update(name.replace(os.sep, "/").encode() + b"\0" + (PACKAGE / name).read_bytes())
    if not sources:
        # lazy: the installed version's reader (~10 ms) only where there are no sources
        from importlib import metadata

        try:
            h.update(metadata.version("giagen").encode())
        except metadata.PackageNotFoundError:
            h.update(b"unknown")
    return h.hexdigest()[:32]
