"""What giagen prints: findings a line each, progress, messages — every user text shown literally."""

from __future__ import annotations

import datetime as dt
import platform
import sys
import tempfile
import traceback

from rich.console import Console
from rich.markup import escape

from .. import __name__ as package
from ..core.exceptions import os_reason
from ..core.findings import ERROR, INFO, SEVERITY_NAMES, WARNING


def esc(value) -> str:
    """Any text from files, names or messages, shown literally: `[/red]` is no markup."""
    return escape(str(value))


# `emoji=False`: a file named `报告:smile:.html` is printed as named, not with a face in it
out = Console(soft_wrap=True, emoji=False)
err = Console(stderr=True, soft_wrap=True, emoji=False)


def warn_line(text: str):
    """A warning that is no finding of a report (a list's repeated name, a missing font), on stderr."""
    err.print(f"[yellow]警告：[/yellow]{esc(text)}", highlight=False)


def crash_report() -> str:
    """Write what went wrong to a short file in the temporary folder; its path."""

    text = (
        f"giagen {dt.datetime.now():%Y-%m-%d %H:%M:%S}\n{platform.platform()} Python {platform.python_version()}\n"
        f"命令：{' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    )
    try:
        fd, path = tempfile.mkstemp(prefix=f"{package}-错误报告-", suffix=".txt")
        with open(fd, "w", encoding="utf-8") as f:
            f.write(text)
        return path
    except OSError:
        return "（无法写入错误报告）"


def disk_message(exc: OSError) -> str:
    """A file system error that no reader or writer named already: which file, and why."""

    return f"无法读写 {exc.filename or '文件'}：{os_reason(exc)}"


class ProgressReport:
    """A progress bar on a terminal; a line every tenth of the way in CI and pipes."""

    def __enter__(self):
        self.bar = None
        if err.is_terminal:
            # lazy: rich.progress (~12 ms) only when a progress bar is shown
            from rich.progress import Progress

            self.bar = Progress(console=err, transient=True)
            self.bar.start()
            self.task = self.bar.add_task("处理中", total=None)
        return self.update

    def update(self, done, total, unit):
        """Show that `done` of `total` are processed."""
        if self.bar:
            self.bar.update(self.task, completed=done, total=total)
        elif total >= 20 and (done == total or done % max(1, total // 10) == 0):
            err.print(f"已处理 {done}/{total}", highlight=False)

    def __exit__(self, *exc):
        if self.bar:
            self.bar.stop()


STATUS = {
    "通过": "[green]通过[/green]",
    "有警告": "[yellow]有警告[/yellow]",
    "有错误": "[red]有错误[/red]",
    "无法读取": "[red]无法读取[/red]",
}


SEVERITY = {
    level: f"[{color}]{SEVERITY_NAMES[level]}[/{color}]"
    for level, color in ((ERROR, "red"), (WARNING, "yellow"), (INFO, "blue"))
}


def print_findings(findings, to: Console):
    """One line a finding, grouped by file: severity, rule, cell, message."""
    current = object()
    for f in findings:
        if f.file != current:
            current = f.file
            to.print(f"[bold]{esc(f.file)}[/bold]", highlight=False)
        where = f" {f.cell}" if f.cell else ""
        to.print(
            f"  {SEVERITY.get(f.severity, f.severity)} {esc(f.rule)}{esc(where)}  {esc(f.message)}",
            highlight=False,
        )


def summarize(files, findings):
    """One line per file: 通过, or how many errors and warnings."""
    for name in files:
        mine = [f for f in findings if f.file == str(name)]
        errors = sum(f.severity == ERROR for f in mine)
        warnings = sum(f.severity == WARNING for f in mine)
        if not errors and not warnings:
            out.print(f"{esc(name)}：[green]通过[/green]，未发现问题", highlight=False)
        else:
            out.print(f"{esc(name)}：{errors} 个错误，{warnings} 个警告", highlight=False)
