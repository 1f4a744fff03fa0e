"""Finding a round's files: every file in the folders given, and last year's by agency."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..core.exceptions import GiagenError, UsageError
from .reports import load

# Files in a folder that are never reports: pictures, styles, scripts, archives.
_NOT_REPORTS = {
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".svg",
    ".webp",
    ".ico",
    ".css",
    ".js",
    ".zip",
    ".rar",
    ".7z",
    ".gz",
    ".exe",
    ".mp4",
    ".mp3",
    ".woff",
    ".woff2",
    ".ttf",
}
_SKIP_NAMES = ("~$", ".", "~")  # Office lock files, hidden files, editors' backups
# What Windows and macOS leave in a folder, or in a zip of one, that nobody sent.
_SYSTEM_FILES = {"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"}
_SYSTEM_FOLDERS = {"__MACOSX", "$RECYCLE.BIN", "System Volume Information"}


def _not_sent(path: Path, root: Path) -> bool:
    """A file under `root` no unit sent: a lock file, a hidden or system file, a backup, or
    what a browser saved beside a page (`某局年报.html` and its `某局年报_files/`)."""
    folders = path.relative_to(root).parts[:-1]
    return (
        path.name.startswith(_SKIP_NAMES)
        or path.name.lower() in _SYSTEM_FILES
        or path.name.endswith((".wizard.json", ".part"))
        or any(part in _SYSTEM_FOLDERS for part in folders)
        or any(_page_resources(root.joinpath(*folders[: i + 1])) for i in range(len(folders)))
    )


def _page_resources(folder: Path) -> bool:
    """`X_files` saved with the page `X.html` (or .htm, .shtml, .mhtml)."""
    stem = folder.name.removesuffix("_files").removesuffix(".files")
    return stem != folder.name and any(
        folder.with_name(stem + suffix).is_file()
        for suffix in (".html", ".htm", ".shtml", ".mhtml")
    )


def _files_under(folder: Path, real: Path, skip: Path | None):
    """(path, is a link) of every file under `folder` (whose real path is `real`), one directory
    read each: folders that are links are not entered, nor the folder `skip` (giagen's output)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                inner = real / entry.name
                if skip is None or (inner != skip and skip not in inner.parents):
                    yield from _files_under(folder / entry.name, inner, skip)
            elif entry.is_file():  # a link to a file counts, and is checked by the caller
                yield folder / entry.name, entry.is_symlink()  # (this folder is not under `skip`)
        except OSError:
            continue


def collect(
    inputs: Iterable[str | Path], exclude: Path | None = None, links_out: list[Path] | None = None
) -> list[Path]:
    """Every file among `inputs` (folders searched), except giagen's own output folder and
    temporary files. Links leading out of a folder given are not followed: they go to
    `links_out`, for the caller to list."""
    found: dict[Path, None] = {}
    skip = exclude.resolve() if exclude else None
    for item in map(Path, inputs):
        if item.is_dir():
            root = item.resolve()
            if skip and (root == skip or skip in root.parents):
                continue  # giagen's own output folder, given as an input
            for path, link in sorted(_files_under(item, root, skip)):
                if _not_sent(path, item):
                    continue
                if link:  # a link is followed only to where it really leads
                    real = path.resolve()
                    if skip and (real == skip or skip in real.parents):
                        continue
                    if root not in real.parents:
                        if links_out is not None:
                            links_out.append(path)
                        continue
                found[path] = None
        elif item.exists():
            found[item] = None
        else:
            raise UsageError(f"{item}：文件或文件夹不存在")
    return list(found)


def previous_by_agency(folder: str | Path | None) -> dict[str, Path]:
    """Last year's report files in `folder`, by agency name."""

    if folder is None:
        return {}
    reports = {}
    for path in collect([folder]):
        try:
            reports.setdefault(load(path).report.agency, path)
        except GiagenError:
            continue
    return reports


def commonest_year(years: Iterable[int | None]) -> int | None:
    """The year most of `years` name (the earliest of a tie); None when there is none."""
    years = [y for y in years if y is not None]
    return max(sorted(set(years)), key=years.count) if years else None


def report_files(inputs, everything: bool = False) -> list[Path]:
    """Every file named, and every file under every folder named, that may be a report;
    `everything`: also those that cannot be (a photo, an archive), and the links to folders
    elsewhere, which are not entered, so that each is accounted for."""
    found = []
    for item in map(Path, inputs):
        if item.is_dir():
            found += sorted(
                p
                for p in item.rglob("*")
                if (p.is_file() or (everything and _linked_elsewhere(p, item)))
                and not _not_sent(p, item)
                and (everything or p.suffix.lower() not in _NOT_REPORTS)
            )
        else:
            found.append(item)
    return list(dict.fromkeys(found))


def _linked_elsewhere(path: Path, folder: Path) -> bool:
    """A link to a folder outside `folder` (one inside it is read where it is)."""
    if not (path.is_symlink() and path.is_dir()):
        return False
    real, root = path.resolve(), folder.resolve()
    return real != root and root not in real.parents


def not_a_report(path: Path) -> str | None:
    """Why a file of a reviewer's folder is no report giagen can read, or None."""
    if path.is_dir():  # a link to a folder elsewhere: not entered
        return "这是指向另一个文件夹的链接，其中的报告未审核；要审核它们，请直接指定该文件夹"
    suffix = path.suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp", ".tif", ".tiff", ".heic"):
        return "这是图片，其中的数字无法读取；请找这份报告的网页、DOCX 或 PDF 版本"
    if suffix in (".zip", ".rar", ".7z", ".gz"):
        return "这是压缩包，请解压后再审核其中的报告"
    if suffix in _NOT_REPORTS:
        return f"{suffix} 文件不是年度报告（网页的附件或其他文件），未审核"
    return None


def workbooks_in(paths, suffixes=(".xlsx", ".json")) -> list[Path]:
    """The files named, with each folder named replaced by the report files in it (`check 收回/`)."""
    found: list[Path] = []
    for item in map(Path, paths):
        if item.is_dir():
            inside = [p for p in collect([item]) if p.suffix.lower() in suffixes]
            if not inside:
                raise UsageError(f"{item}：文件夹中没有 {' 或 '.join(suffixes)} 文件")
            found += inside
        else:
            found.append(item)
    return list(dict.fromkeys(found))
