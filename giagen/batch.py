"""A whole region at once: workbooks out, then collected, checked, rendered and compiled."""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path

import jinja2

from . import definitions as d
from .exceptions import GiagenError, InputError, UsageError
from .files import write_bytes, write_text
from .findings import ERROR
from .model import Report, report_from_data
from .reports import SUFFIXES, load

CACHE = ".giagen-batch.json"
REPORTS = ("index.html", "summary.csv", "findings.csv", "units.xlsx")
UNITS_DIR = "units"
OK, FAILED, UNREADABLE = "通过", "有错误", "无法读取"
_VERSION = "1"  # part of every digest: bump when the outputs of a unit change for the same input


# ---- Names ------------------------------------------------------------------------------


def safe_name(text: str, limit: int = 80) -> str:
    """A file name from an agency name: no separators, `..`, control or reserved characters."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "", text)
    text = re.sub(r"\.{2,}", "", text).strip(" .")
    return text[:limit] or "未命名"


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


# ---- Finding the inputs -----------------------------------------------------------------


def collect(inputs: Iterable[str | Path]) -> list[Path]:
    """The report files among `inputs`: files as given, folders searched for .xlsx/.json."""
    found: dict[Path, None] = {}
    for item in map(Path, inputs):
        if item.is_dir():
            for path in sorted(item.rglob("*")):
                if (path.is_file() and path.suffix.lower() in SUFFIXES
                        and not path.name.startswith(("~$", ".")) and not path.name.endswith(".wizard.json")):
                    found[path] = None
        elif item.exists():
            found[item] = None
        else:
            raise UsageError(f"{item}：文件或文件夹不存在")
    return list(found)


def read_names(path: str | Path) -> list[str]:
    """Agency names from a text file (one a line) or a CSV/XLSX with a name column."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}：单位名单文件不存在")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except CalamineError:
            raise InputError(f"{path}：无法读取单位名单工作簿") from None
        rows = [[str(c).strip() for c in row] for row in rows]
    else:
        text = path.read_bytes().decode("utf-8-sig", errors="replace")
        rows = [row for row in csv.reader(io.StringIO(text))] if suffix == ".csv" else [[l] for l in text.splitlines()]
    rows = [[c.strip() for c in row] for row in rows if any(c.strip() for c in row)]
    if not rows:
        raise InputError(f"{path}：单位名单是空的")
    column = 0
    headers = ("机关名称", "单位名称", "名称", "单位", "agency", "name")
    if suffix in (".csv", ".xlsx"):
        for i, cell in enumerate(rows[0]):
            if cell.lower() in headers:
                column, rows = i, rows[1:]
                break
    names = list(dict.fromkeys(row[column] for row in rows if len(row) > column and row[column]))
    if not names:
        raise InputError(f"{path}：没有找到单位名称")
    return names


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


# ---- One unit ---------------------------------------------------------------------------


@dataclass
class Unit:
    """What the batch knows of one input file after it was processed."""

    source: str
    digest: str
    status: str
    agency: str | None = None
    year: int | None = None
    edition: str | None = None
    errors: int = 0
    warnings: int = 0
    findings: list[dict] = field(default_factory=list)
    numbers: list | None = None  # every statutory number, in number_columns() order
    name: str = ""
    outputs: list[str] = field(default_factory=list)
    content: str = ""  # the file's own hash: its year need not be read again while it is unchanged


@dataclass(frozen=True)
class Task:
    source: Path
    digest: str
    formats: tuple[str, ...]
    template: Path | None
    year: int | None  # the batch's report year


def batch_year_finding(source, year: int, report) -> dict:
    expected = d.edition_for_year(year).id
    return {"file": str(source), "rule": "BATCH-YEAR", "severity": ERROR, "section": None,
            "row": None, "column": None, "cell": None, "expected": year, "actual": report.year,
            "message": f"本批是 {year} 年度（{expected} 版格式）的报告，此文件是 {report.year} 年度"
                       f"（{report.edition} 版格式），请确认是否交错了文件或用错了模板"}


def commonest_year(years: Iterable[int | None]) -> int | None:
    years = [y for y in years if y is not None]
    return max(sorted(set(years)), key=years.count) if years else None


def content_of(source: Path) -> str:
    return hashlib.sha256(source.read_bytes()).hexdigest()


def digest_of(content: str, settings: str) -> str:
    """What a unit's outputs depend on: its file, and the batch's settings and templates."""
    return hashlib.sha256((settings + content).encode()).hexdigest()


def settings_digest(formats, template: Path | None, previous: dict[str, Path]) -> str:
    h = hashlib.sha256(_VERSION.encode() + ",".join(formats).encode())
    h.update(template.read_bytes() if template else b"-")
    for agency, path in sorted(previous.items()):  # any change to last year's files re-checks all
        h.update(agency.encode() + path.read_bytes())
    return h.hexdigest()


# Last year's files by agency, in each worker (set through the pool's initializer).
_PREVIOUS: dict[str, Path] = {}


def _init(previous: dict[str, Path]):
    _PREVIOUS.clear()
    _PREVIOUS.update(previous)


def process(task: Task) -> tuple[Unit, dict[str, bytes]]:
    """Check and render one unit; never raises for a bad file. Runs in a worker process."""
    from .api import check_loaded, input_finding
    from .compose import compose
    from .docx import render_docx
    from .html import render_html

    try:
        loaded = load(task.source)
        prev_path = _PREVIOUS.get(loaded.report.agency)
        previous = load(prev_path) if prev_path else None
        if previous is not None and previous.report.year != loaded.report.year - 1:
            previous = None
        findings = check_loaded(loaded, previous)
    except GiagenError as exc:
        finding = input_finding(task.source, exc).to_json()
        return Unit(str(task.source), task.digest, UNREADABLE, errors=1, findings=[finding]), {}
    report = loaded.report
    found = [f.to_json() for f in findings]
    if task.year is not None and report.year != task.year:
        found.append(batch_year_finding(task.source, task.year, report))
    errors = sum(f["severity"] == ERROR for f in found)
    unit = Unit(str(task.source), task.digest, FAILED if errors else OK, report.agency, report.year,
                report.edition, errors, len(found) - errors, found, numbers_of(report))
    outputs = {}
    if not errors:
        composition = compose(report)
        if "docx" in task.formats:
            outputs["docx"] = render_docx(composition, task.template)
        if "html" in task.formats:
            outputs["html"] = render_html(composition).encode("utf-8")
    return unit, outputs


def _warm(template: Path | None):
    """Compile the templates before forking, so every worker starts with them."""
    from .docx import DEFAULT_TEMPLATE, compiled
    from .html import _ENV

    path = Path(template or DEFAULT_TEMPLATE).resolve()
    compiled(path, path.stat().st_mtime)
    _ENV.get_template("report.html.j2")


def _run(tasks: list[Task], jobs: int, previous: dict[str, Path]) -> Iterator[tuple[Unit, dict[str, bytes]]]:
    if jobs <= 1 or len(tasks) < 2:
        _init(previous)
        yield from map(process, tasks)
        return
    import multiprocessing

    context = multiprocessing.get_context("fork" if sys.platform != "win32" else "spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_init,
                             initargs=(previous,)) as pool:
        try:
            yield from pool.map(process, tasks, chunksize=max(1, min(32, len(tasks) // (jobs * 8))))
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


# ---- The batch --------------------------------------------------------------------------


@dataclass
class BatchResult:
    units: list[Unit]
    rendered: int  # units rendered in this run (the others came from the cache)
    output_dir: Path
    rollup: Path | None = None
    rollup_refused: list[tuple[str, str]] = field(default_factory=list)
    year: int | None = None

    @property
    def failed(self) -> list[Unit]:
        return [u for u in self.units if u.status != OK]


def batch(inputs, output_dir: str | Path, to=("docx", "html"), jobs: int | None = None,
          previous: str | Path | None = None, template: str | Path | None = None,
          rollup: str | None = None, year: int | None = None,
          progress: Callable[[int, int, Unit], None] | None = None) -> BatchResult:
    """Check and render every unit among `inputs` into `output_dir`; skip units unchanged since the last run.

    The batch is of one report year (`year`, or the year most units have): a unit of another
    year gets a BATCH-YEAR error and is not published.
    """
    from .api import parse_formats

    formats = parse_formats(to if isinstance(to, str) else ",".join(to))
    if "pdf" in formats:
        raise UsageError("批量生成只支持 docx、html；PDF 请对单个报告用 giagen render --to pdf")
    out = Path(output_dir)
    files = collect(inputs)
    if not files:
        raise UsageError("没有找到 .xlsx 或 .json 报告文件")
    template = Path(template).resolve() if template else None
    last_year = previous_by_agency(previous)
    cache = _read_cache(out)
    jobs = max(1, jobs or os.cpu_count() or 1)

    contents = {path: content_of(path) for path in files}
    if year is None:  # the year most units have: from the cache, or read cheaply from each file
        from .reports import peek_year

        known = {p: cache[str(p)].get("year") for p in files
                 if cache.get(str(p), {}).get("content") == contents[p]}
        year = commonest_year(known[p] if p in known else peek_year(p) for p in files)
    settings = settings_digest(formats, template, last_year) + str(year)
    tasks, cached = [], {}
    for path in files:
        task = Task(path, digest_of(contents[path], settings), formats, template, year)
        hit = cache.get(str(path))
        if (hit and hit["digest"] == task.digest and (hit["status"] != OK or hit["outputs"])
                and all((out / o).exists() for o in hit["outputs"])):
            cached[str(path)] = Unit(**hit)
        else:
            tasks.append(task)
    if tasks:
        _warm(template)

    names, units, done = Names(), {}, 0
    results = _run(tasks, jobs, last_year)
    try:
        for path in files:
            unit = cached.get(str(path))
            if unit is None:
                unit, outputs = next(results)
                unit.content = contents[path]
                unit.name = names(safe_name(unit.agency or path.stem))
                unit.outputs = [_write_output(out, unit.name, fmt, data) for fmt, data in outputs.items()]
            else:
                unit.name = names(unit.name)
            units[str(path)] = unit
            done += 1
            if progress:
                progress(done, len(files), unit)
    finally:
        _write_cache(out, units)

    result = BatchResult([units[str(p)] for p in files], len(tasks), out, year=year)
    if tasks or set(cache) != set(units) or not all((out / n).exists() for n in REPORTS):
        write_reports(result)  # otherwise they are those of the last run already
    if rollup:
        result.rollup, result.rollup_refused = rollup_units(
            result.units, rollup, out / f"{safe_name(rollup)}.xlsx", year)
    return result


def _write_output(out: Path, name: str, fmt: str, data: bytes) -> str:
    relative = f"{UNITS_DIR}/{name}.{fmt}"
    target = (out / relative).resolve()
    if out.resolve() not in target.parents:  # safe_name makes this impossible; refuse regardless
        raise UsageError(f"输出文件名不安全：{name}")
    write_bytes(target, data)
    return relative


def _write_cache(out: Path, units: dict[str, Unit]):
    """The cache, streamed unit by unit rather than built as one string."""
    from .files import atomic_path

    with atomic_path(out / CACHE) as tmp, open(tmp, "w", encoding="utf-8") as f:
        f.write("{")
        for i, (key, unit) in enumerate(units.items()):
            f.write(("," if i else "") + json.dumps(key, ensure_ascii=False) + ":")
            json.dump(asdict(unit), f, ensure_ascii=False, default=str)
        f.write("}")


def _read_cache(out: Path) -> dict:
    try:
        return json.loads((out / CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


# ---- What the coordinator reads ---------------------------------------------------------


def numbers_of(report: Report) -> list:
    """The report's numbers in number_columns() order (None where its edition has no such cell)."""
    tables = {t: getattr(report, t) for t in d.TABLE_SECTIONS}
    fee = report.processing_fee
    tables["processing_fee"] = {"processing_fee": fee.model_dump() if fee else {}}
    values = []
    for table, line, column, _ in NUMBER_COLUMNS:
        value = tables[table].get(line, {}).get(column)
        values.append(str(value) if isinstance(value, Decimal) else value)
    return values


def report_of(unit: Unit) -> Report:
    """A unit's report again, from its numbers (the tables are all a rollup needs)."""
    ed = d.edition(unit.edition)
    data: dict = {"edition": ed.id, "year": unit.year, "agency": unit.agency}
    keys = _keys(ed.id)
    for (table, line, column, _), value in zip(NUMBER_COLUMNS, unit.numbers):
        if table == "processing_fee" and value is not None:
            data.setdefault(table, {})[column] = value
        elif (table, line, column) in keys:
            data.setdefault(table, {}).setdefault(line, {})[column] = value
    return report_from_data(data)[0]


@functools.cache
def _keys(edition_id: str) -> set[tuple[str, str, str]]:
    ed = d.edition(edition_id)
    return {(table, line.id, f.id) for table in d.TABLE_SECTIONS
            for line in d.table_shape(ed, table)[0] for f in d.table_shape(ed, table)[1](line.id)}


def number_columns() -> list[tuple[str, str, str, str]]:
    """Every statutory number of both editions: (table, row, column, heading), 2021 first."""
    columns, seen = [], set()
    for ed in (d.EDITION_2021, d.EDITION_2019):
        for table, section in d.TABLE_SECTIONS.items():
            lines, fields_of = d.table_shape(ed, table)
            for line in lines:
                for f in fields_of(line.id):
                    key = (table, line.id, f.id)
                    if key not in seen:
                        seen.add(key)
                        columns.append((*key, f"{section}·{d.row_caption(line)}·{f.label}"))
    for f in d.PROCESSING_FEE_FIELDS:
        columns.append(("processing_fee", "processing_fee", f.id, f"六·信息处理费·{f.label}"))
    return columns


def write_reports(result: BatchResult):
    out = result.output_dir
    summary = io.StringIO()
    writer = csv.writer(summary)
    writer.writerow(["单位", "文件", "年度", "版本", "状态", "错误数", "警告数", "DOCX", "HTML"])
    for u in result.units:
        writer.writerow([u.agency or "", u.source, u.year or "", u.edition or "", u.status,
                         u.errors, u.warnings, *_links(u)])
    write_bytes(out / "summary.csv", summary.getvalue().encode("utf-8-sig"))

    findings = io.StringIO()
    writer = csv.writer(findings)
    writer.writerow(["单位", "文件", "规则", "级别", "单元格", "说明"])
    for u in result.units:
        for f in u.findings:
            writer.writerow([u.agency or "", u.source, f["rule"], "错误" if f["severity"] == ERROR else "警告",
                             f.get("cell") or "", f["message"]])
    write_bytes(out / "findings.csv", findings.getvalue().encode("utf-8-sig"))
    write_text(out / "index.html", _INDEX.render(units=result.units, links=_links,
                                                 failed=len(result.failed), total=len(result.units)))
    _units_workbook(result.units, out / "units.xlsx")


def _links(u: Unit) -> list[str]:
    return [next((o for o in u.outputs if o.endswith("." + fmt)), "") for fmt in ("docx", "html")]


def _units_workbook(units: list[Unit], path: Path):
    """汇总明细表: one row per unit with every statutory number, for sorting and filtering."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    from .files import atomic_path

    columns = NUMBER_COLUMNS
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("汇总明细")
    ws.freeze_panes = "C2"
    head = ["单位", "文件", "年度", "版本", "状态", "错误数", "警告数"] + [c[3] for c in columns]
    ws.append(head)
    for u in units:
        numbers = u.numbers or [None] * len(columns)
        ws.append([u.agency, u.source, u.year, u.edition, u.status, u.errors, u.warnings,
                   *(float(v) if isinstance(v, str) else v for v in numbers)])
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(units) + 1}"
    with atomic_path(path) as tmp:
        wb.save(tmp)


NUMBER_COLUMNS = number_columns()

_INDEX = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string("""\
<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>年度报告汇总：{{ total }} 个单位</title>
<style>
body{font-family:sans-serif;margin:16px}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:4px 6px;vertical-align:top;font-size:14px}
th{background:#eee;cursor:pointer}td:nth-child(-n+5){white-space:nowrap}.s-通过{color:#060}.s-有错误,.s-无法读取{color:#c00;font-weight:bold}
ul{margin:0;padding-left:1.2em}
</style></head><body>
<h1>年度报告汇总</h1>
<p>共 {{ total }} 个单位，{{ total - failed }} 个通过并已生成，{{ failed }} 个有问题。点击表头排序。</p>
<table id="units"><thead><tr><th>单位</th><th>文件</th><th>状态</th><th>错误</th><th>警告</th><th>问题</th><th>报告</th></tr></thead><tbody>
{%- for u in units %}
<tr><td>{{ u.agency or "" }}</td><td>{{ u.source }}</td><td class="s-{{ u.status }}">{{ u.status }}</td><td>{{ u.errors }}</td><td>{{ u.warnings }}</td>
<td>{% if u.findings %}<ul>{% for f in u.findings %}<li>{{ f.rule }} {{ f.cell or "" }} {{ f.message }}</li>{% endfor %}</ul>{% endif %}</td>
<td>{% for link in links(u) if link %}<a href="{{ link }}">{{ link.rsplit(".", 1)[1] | upper }}</a> {% endfor %}</td></tr>
{%- endfor %}
</tbody></table>
<script>
document.querySelectorAll("#units th").forEach(function (th, i) {
  th.addEventListener("click", function () {
    var body = document.querySelector("#units tbody"), rows = Array.from(body.rows);
    var asc = th.dataset.asc !== "1"; th.dataset.asc = asc ? "1" : "0";
    rows.sort(function (a, b) {
      var x = a.cells[i].textContent, y = b.cells[i].textContent;
      var n = parseFloat(x) - parseFloat(y);
      return (isNaN(n) ? x.localeCompare(y, "zh") : n) * (asc ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
</script>
</body></html>
""")


# ---- The region's report ----------------------------------------------------------------


def sum_reports(reports: list[Report], agency: str) -> Report:
    """The region's report: every number of 二、三、四 (and the 信息处理费) summed over the units."""
    first = reports[0]
    ed = first.spec
    data: dict = {"edition": ed.id, "year": first.year, "agency": agency}
    for table in d.TABLE_SECTIONS:
        lines, fields_of = d.table_shape(ed, table)
        data[table] = {l.id: {f.id: _sum(getattr(r, table)[l.id][f.id] for r in reports)
                              for f in fields_of(l.id)} for l in lines}
    fees = [r.processing_fee for r in reports if r.processing_fee is not None]
    if ed.has_processing_fee and fees:
        data["processing_fee"] = {f.id: _sum(getattr(fee, f.id) for fee in fees)
                                  for f in d.PROCESSING_FEE_FIELDS}
    names = "、".join(r.agency for r in reports)
    requests = data["requests"]
    data["overview"] = (
        f"本报告汇总了{agency}所属{len(reports)}个单位的政府信息公开工作年度报告数据：{names}。\n"
        "（一）主动公开情况。【待填写】\n"
        f"（二）依申请公开情况。{first.year}年共收到政府信息公开申请{requests['new_received']['total']}件，"
        f"上年结转{requests['carried_over']['total']}件，结转下年度继续办理{requests['carried_forward']['total']}件。【待补充】\n"
        "（三）政府信息管理。【待填写】\n（四）政府信息公开平台建设。【待填写】\n（五）监督保障。【待填写】")
    data["problems"] = "【待填写：存在的主要问题、改进措施及上年问题的整改情况】"
    data["other"] = "无。"
    report, findings = report_from_data(json.loads(json.dumps(data, default=str)))
    assert not findings
    return report


def _sum(values):
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = sum(present)
    return str(total) if isinstance(total, Decimal) else total


def rollup_units(units: list[Unit], agency: str, output: Path,
                 year: int | None = None) -> tuple[Path | None, list[tuple[str, str]]]:
    """Sum the units that passed and are of the year (the commonest, unless given); list the rest."""
    from .reports import save

    good = [u for u in units if u.status == OK]
    if year is None and good:
        years = [u.year for u in good]
        year = max(set(years), key=years.count)
    refused = [(u.source, f"{u.status}，未汇总") for u in units if u.status != OK]
    included = []
    for u in good:
        if u.year != year:
            refused.append((u.source, f"{u.year} 年度（{u.edition} 版），与汇总的 {year} 年度不同"))
        else:
            included.append(report_of(u))
    if not included:
        raise UsageError("没有可以汇总的单位（全部有错误或年度不同）")
    save(sum_reports(included, agency), output)
    return output, refused


def rollup(inputs, agency: str, output: str | Path, year: int | None = None) -> tuple[Path, list]:
    """The region's report from unit files: units with errors or of another year are refused."""
    from .api import check_loaded

    files = collect(inputs)
    if not files:
        raise UsageError("没有找到 .xlsx 或 .json 报告文件")
    units = []
    for path in files:
        try:
            loaded = load(path)
        except GiagenError as exc:
            units.append(Unit(str(path), "", UNREADABLE, findings=[{"message": str(exc)}]))
            continue
        errors = [f for f in check_loaded(loaded) if f.severity == ERROR]
        r = loaded.report
        units.append(Unit(str(path), "", FAILED if errors else OK, r.agency, r.year, r.edition,
                          len(errors), numbers=numbers_of(r)))
    return rollup_units(units, agency, Path(output), year)
