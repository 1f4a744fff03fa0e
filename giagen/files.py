"""Writing outputs whole or not at all: a temporary file beside the target, then a rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path next to `path`; it replaces `path` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | Path, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    return write_bytes(path, text.encode("utf-8"))


def guard_outputs(targets, force: bool = False, inputs=()) -> None:
    """Refuse to write over what a person entered: an existing file without `force`, an input ever."""
    from .exceptions import UsageError

    sources = {Path(p).resolve() for p in inputs}
    for target in targets:
        if Path(target).resolve() in sources:
            raise UsageError(f"{target} 是输入文件，不能被输出覆盖；请用 -o 指定其他位置")
    existing = [str(t) for t in targets if Path(t).exists()]
    if existing and not force:
        more = f" 等 {len(existing)} 个文件" if len(existing) > 1 else ""
        raise UsageError(f"{existing[0]}{more} 已存在，为免覆盖已填写的内容，未写入；"
                         "换一个位置，或加 --force 覆盖")
