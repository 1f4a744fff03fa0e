"""Loading and saving a report by file type: `.json` or `.xlsx`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core.exceptions import InputError, os_reason
from ..core.files import decode_text, write_text
from ..core.findings import Finding
from ..core.model import Cells, Report, report_from_data
from ..core.numbers import DATA, PRINTED

SUFFIXES = (".json", ".xlsx")
_SAVE_AS = "请在 Excel 或 WPS 中打开，另存为“Excel 工作簿（*.xlsx）”后再试"
# Files a clerk may send instead of the workbook: what each is, and what to do.
OTHER_KINDS = {
    ".xls": f"这是 Excel 97-2003 工作簿（.xls），giagen 只读 .xlsx；{_SAVE_AS}",
    ".xlsm": f"这是带宏的工作簿（.xlsm）；{_SAVE_AS}（不带宏）",
    ".xlsb": f"这是 Excel 二进制工作簿（.xlsb）；{_SAVE_AS}",
    ".ods": f"这是 OpenDocument 表格（.ods）；{_SAVE_AS}",
    ".et": f"这是 WPS 表格文件（.et）；{_SAVE_AS}",
    ".ett": f"这是 WPS 表格模板（.ett）；{_SAVE_AS}",
    ".numbers": "这是 Numbers 表格；请在 Numbers 中导出为 Excel（.xlsx）后再试",
    ".csv": "这是 CSV 文本，只能保存一张表，放不下报告的三张表和基本信息；"
    "请用 giagen template 生成的 .xlsx 工作簿填写",
}  # a .doc or .wps is told by its content: many sites' "Word 版" are web pages so named


@dataclass
class Loaded:
    """A report as read from a file, with what reading it found and where its values stand."""

    path: Path
    report: Report
    findings: list[Finding] = field(default_factory=list)
    cells: Cells = field(default_factory=dict)
    entered: bool = True  # prepared by a clerk, not read back from a published document
    keywords: str = ""  # a workbook's properties' keywords (giagen marks a region's workbook)


def load(path: str | Path, given=None, data: bytes | None = None) -> Loaded:
    """Read a report from `.json`, `.xlsx` or a published form; InputError when it cannot be read at all.

    `given` (identity.Given) states what a published document lacks: agency, year, date, --partial.
    `data`, a workbook's bytes already read, spares reading the file again.
    """
    path = Path(path)
    if data is None and not path.is_file():
        raise InputError(f"{path}：文件不存在")
    try:
        return _load(path, given, data)
    except InputError as exc:  # every refusal names the file
        if str(exc).startswith(str(path)):
            raise
        raise InputError(f"{path}：{exc}") from None
    except OSError as exc:  # permissions, a file vanishing mid-read
        raise InputError(f"{path}：无法读取（{os_reason(exc)}）") from None


def _load(path: Path, given, data: bytes | None = None) -> Loaded:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        # lazy: the workbook's reader (~15 ms) only for a workbook, not for an audit's pages
        from ..workbook.reader import read_workbook

        report, findings, cells, keywords = read_workbook(path, data)
        return Loaded(path, report, findings, cells, keywords=keywords)
    if suffix == ".json":
        data = read_json(path)
        published = isinstance(data, dict) and data.get("import") is not None
        report, findings = report_from_data(data, mode=PRINTED if published else DATA)
        return Loaded(path, report, findings, entered=not published)
    if suffix in OTHER_KINDS:
        raise InputError(f"{path}：{OTHER_KINDS[suffix]}")
    # lazy: the published reports' reader only for .txt/.html/.docx/.pdf
    from ..published.importer import import_data

    # anything else is a published report, whatever its name says: its content decides
    report, findings = report_from_data(import_data(path, given, data), mode=PRINTED, formed=True)
    return Loaded(path, report, findings, entered=False)


MAX_JSON = 8 * 1024 * 1024  # bytes; a report's JSON is a few tens of KB
MAX_DEPTH = 20  # nesting; a report is four deep


def read_json(path: Path):
    """A JSON file within budgets of size and nesting; InputError names what is wrong."""
    if path.stat().st_size > MAX_JSON:
        raise InputError(f"{path}：文件超过 {MAX_JSON // (1024 * 1024)} MB，不是一份报告的 JSON")
    try:
        text = decode_text(path.read_bytes(), "文件")  # as Notepad on a Chinese Windows may save it
    except InputError:
        raise InputError(
            f"{path}：无法识别文件的编码（应为 UTF-8，也可以是 GBK 或 Unicode 文本）"
        ) from None
    depth = deepest = 0
    for ch in re.finditer(r'[\[\]{}]|"(?:\\.|[^"\\])*"', text):  # strings skipped whole
        token = ch.group()
        if token in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif token in "]}":
            depth -= 1
        if deepest > MAX_DEPTH:
            raise InputError(f"{path}：JSON 嵌套超过 {MAX_DEPTH} 层，不是一份报告")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}：第 {exc.lineno} 行第 {exc.colno} 列 JSON 格式错误") from None
    except RecursionError:
        raise InputError(f"{path}：JSON 嵌套过深") from None


def dumps(report: Report) -> str:
    """The report's JSON text."""
    return json.dumps(report.to_data(), ensure_ascii=False, indent=2) + "\n"


def save(report: Report, path: str | Path) -> Path:
    """Write `report` whole to `.json` or `.xlsx`, by the suffix of `path`."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        # lazy: openpyxl (~180 ms) loads only when a workbook is written
        from ..workbook.writer import write_workbook

        return write_workbook(report, path)
    if suffix == ".json":
        return write_text(path, dumps(report))
    raise InputError(f"{path}：输出文件应为 .xlsx 或 .json")
