"""Files on disk: outputs written whole or not at all, and names that are safe to write."""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import itertools
import os
import re
import sys
import unicodedata
from pathlib import Path

from .exceptions import InputError, UsageError, WriteError

_TEMPORARY = itertools.count()  # with the process id, a temporary name no other writer picks


@contextlib.contextmanager
def atomic_path(path: str | Path):
    """Yield a temporary path (not yet created) next to `path`; it replaces `path` only if the block succeeds.

    The temporary file ends in `.part` (a leftover of a killed run is recognisable) and has
    a short name whatever the length of the target's.
    """
    path = Path(path)
    short = path.name.encode("utf-8")[:60].decode("utf-8", "ignore")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteError(path, exc) from None
    tmp = path.with_name(f".{short}.{os.getpid()}-{next(_TEMPORARY)}-{os.urandom(3).hex()}.part")
    try:
        yield tmp
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise WriteError(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write `data` to `path` whole or not at all (with the permissions the umask gives new files)."""
    with atomic_path(path) as tmp, open(tmp, "xb") as f:
        f.write(data)
    return Path(path)


def write_new(path: str | Path, data: bytes) -> None:
    """Write `data` to a file named by its content that is not there yet, in place: no temporary
    file and rename (half the disk's bookkeeping). One there already is replaced whole, as by
    write_bytes. For giagen's own staged files only, which nothing reads before they are listed
    in the round's cache, and only under a name no record lists yet: a file cut short by a
    killed run is then never listed, and is replaced by the next run."""
    try:
        try:
            handle = open(path, "xb")
        except FileNotFoundError:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "xb")
    except FileExistsError:
        write_bytes(path, data)
        return
    except OSError as exc:
        raise WriteError(path, exc) from None
    try:
        with handle:
            handle.write(data)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise WriteError(path, exc) from None


def write_chunks(path: str | Path, chunks, encoding: str = "utf-8") -> Path:
    """Write text as it comes, chunk by chunk, to `path` whole or not at all: a large output
    (a province's audit) is never held in memory at once."""
    with atomic_path(path) as tmp, open(tmp, "x", encoding=encoding, newline="") as f:
        f.writelines(chunks)
    return Path(path)


def write_text(path: str | Path, text: str) -> Path:
    """Write `text` as UTF-8 to `path` whole or not at all."""
    return write_bytes(path, text.encode("utf-8"))


def guard_outputs(targets, force: bool = False, inputs=()) -> None:
    """Refuse to write over what a person entered: an existing file without `force`, an input ever."""

    sources = {Path(p).resolve() for p in inputs}
    for target in targets:
        if Path(target).resolve() in sources:
            raise UsageError(f"{target} 是输入文件，不能被输出覆盖；请用 -o 指定其他位置")
    existing = [str(t) for t in targets if Path(t).exists()]
    if existing and not force:
        more = f" 等 {len(existing)} 个文件" if len(existing) > 1 else ""
        raise UsageError(
            f"{existing[0]}{more} 已存在，为免覆盖已填写的内容，未写入；"
            "换一个位置，或加 --force 覆盖"
        )


# ---- Names that are safe on any disk -------------------------------------------------------

_RESERVED = re.compile(r"^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$", re.I)
_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]')
MAX_NAME_BYTES = 200  # room for `.docx`, `-2` and the file system's 255


def safe_name(text: str, limit: int = 80) -> str:
    """A file name from an agency name, safe on Linux and Windows alike.

    No separators, `..`, control or bidi characters, reserved device names (`CON`, `NUL`),
    a leading `~$` or trailing dots and spaces; a long name is cut and given a short hash
    so that two long names stay apart.
    """
    original = text
    text = unicodedata.normalize("NFKC", text)
    text = _UNSAFE.sub("", text)
    text = re.sub(r"\.{2,}", "", text).lstrip("~$").strip(" .")
    if _RESERVED.match(text):
        text = f"_{text}"
    if len(text) > limit or len(text.encode("utf-8")) > MAX_NAME_BYTES:
        tag = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cut = text[:limit]
        while len(cut.encode("utf-8")) > MAX_NAME_BYTES - 9:
            cut = cut[:-1]
        text = f"{cut}-{tag}"
    return text or "未命名"


class Names:
    """Unique output names, handed out in input order so that re-runs give the same ones."""

    def __init__(self):
        self.taken: set[str] = set()

    def __call__(self, base: str) -> str:
        name, n = base, 1
        while name.lower() in self.taken:
            n += 1
            name = f"{base}-{n}"
        self.taken.add(name.lower())
        return name


def remove_leftovers(folder: str | Path) -> int:
    """Delete the `*.part` files a killed run left under `folder`; how many there were."""
    count = 0
    for part in Path(folder).rglob("*.part") if Path(folder).is_dir() else ():
        with contextlib.suppress(OSError):
            part.unlink()
            count += 1
    return count


def decode_text(data: bytes, what: str) -> str:
    """Text as a Chinese office saves it: UTF-8 (BOM or not), GBK/GB18030, UTF-16 "Unicode 文本"."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        tried = ("utf-16",)
    elif data.startswith(b"\xef\xbb\xbf"):
        data, tried = data[3:], ("utf-8",)
    else:
        tried = ("utf-8", "gb18030")
    for encoding in tried:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"无法识别{what}的编码（应为 UTF-8、GBK 或 Unicode 文本）")


def os_error_of(exc: Exception) -> OSError:
    """The file system's refusal behind a library's error (lxml says `IO_EFBIG`), as an OSError."""
    if isinstance(exc, OSError):
        return OSError(exc.errno, exc.strerror)
    code = re.search(r"IO_(E[A-Z]+)", str(exc))
    return OSError(getattr(errno, code.group(1), errno.EIO) if code else errno.EIO, str(exc))


def collect_quietly():
    """Close what a failed save left open; left to the collector, lxml would print its English."""
    hook, sys.unraisablehook = sys.unraisablehook, lambda _: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook
