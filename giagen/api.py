"""The public functions behind the commands: each CLI command wraps the one of its name."""

from __future__ import annotations

from pathlib import Path

from .core import definitions as d
from .core.exceptions import RefusedError, UsageError
from .core.files import Names, guard_outputs, safe_name, write_bytes
from .core.findings import ERROR, WARNING
from .core.model import blank_report, carry_forward
from .pipeline.checking import check, check_loaded  # noqa: F401  (check is a public function of the api)
from .pipeline.collecting import previous_by_agency
from .pipeline.compare import compare as compare_reports
from .pipeline.rendering import FORMATS, documents, parse_formats
from .pipeline.reports import SUFFIXES, load, save


def template(
    year: int,
    output: str | Path,
    agency: str = "",
    agencies: str | Path | None = None,
    previous: str | Path | None = None,
    force: bool = False,
    warn=None,
) -> list[Path]:
    """Write the blank workbook of the right edition for report year `year`.

    With `agencies` (a name list), `output` is a folder and every unit gets its own workbook,
    prefilled from its last-year file in the `previous` folder when there is one. Existing
    workbooks are not written over unless `force`. `warn` hears of names the list repeats.
    """
    # lazy: the round's modules load only for the commands that run one
    from .round.roster import name_problem, read_roster

    # lazy: openpyxl (~180 ms) loads only when a workbook is written
    from .workbook.copies import write_workbooks
    from .workbook.writer import write_workbook

    if not 1990 <= year <= 2200:
        raise UsageError(f"报告年度 {year} 不合理")
    if agencies is None:
        if Path(output).suffix.lower() != ".xlsx":
            raise UsageError(f"{output}：模板应保存为 .xlsx 文件")
        guard_outputs([output], force)
        return [write_workbook(blank_report(year, agency.strip()), output)]
    if Path(output).suffix:
        raise UsageError(f"{output}：使用 --agencies 时 -o 应为文件夹")
    names, last_year, units, refused = Names(), previous_by_agency(previous), [], []
    roster = read_roster(agencies)
    for note in roster.repeated if warn else ():
        warn(note)
    for member in roster.members:
        name, problem = member.name, name_problem(member.name)
        if problem:
            refused.append(f"第 {member.line} 行：“{name}”{problem}，未生成")
            continue
        report = blank_report(year, name)
        if name in last_year:
            report = carry_forward(report, load(last_year[name]).report)
        units.append((report, Path(output) / f"{names(safe_name(name))}.xlsx"))
    guard_outputs([path for _, path in units], force, inputs=[agencies])
    written = write_workbooks(units)
    if refused:  # the others are made: one bad line does not stop a county's list
        raise RefusedError(
            f"名单中 {len(refused)} 个名称未生成工作簿（其余 {len(written)} 个已生成于 {output}）：\n"
            + "\n".join(refused)
        )
    return written


def convert(source: str | Path, output: str | Path, force: bool = False) -> Path:
    """`.xlsx` ⇄ `.json` without loss, totals that disagree with their parts included."""
    source, output = Path(source), Path(output)
    if output.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{output}：输出文件应为 .xlsx 或 .json")
    guard_outputs([output], force, inputs=[source])
    loaded = load(source)
    errors = [f for f in loaded.findings if f.severity == ERROR]
    if errors:  # a value that is no number cannot be carried into the other form
        raise RefusedError("输入中有无法识别为数字的值，请先改正", errors)
    return save(loaded.report, output)


def render(
    source: str | Path,
    to=("docx", "html"),
    output_dir: str | Path = ".",
    draft: bool = False,
    template: str | Path | None = None,
    fragment: bool = False,
    warn=None,
) -> list[Path]:
    """Write the report as DOCX/HTML/PDF; refuse while `check` finds errors unless `draft`.

    A draft of a report with errors carries the mark 草稿（未通过校验）. Every output is made
    in memory first, so that none is written when any fails. `warn` hears each warning.
    """
    formats = parse_formats(to if isinstance(to, str) else ",".join(to))
    loaded = load(source)
    findings = check_loaded(loaded)
    errors = [f for f in findings if f.severity == ERROR]
    if errors and not draft:
        raise RefusedError(
            f"报告有 {len(errors)} 个错误，未生成。请改正后重试，或加 --draft 生成草稿", errors
        )
    for f in (
        findings if warn else ()
    ):  # warnings do not stop a report; the clerk still hears of them
        if f.severity == WARNING:
            warn(f"{f.rule}{' ' + f.cell if f.cell else ''}  {f.message}")  # as `check` shows it
    outputs = documents(
        loaded.report,
        formats,
        draft=bool(errors),
        template=template,
        fragment="html" in formats,
        fragment_only=fragment,
        warn=warn,
    )
    stem = Path(source).stem
    targets = {
        fmt: Path(output_dir) / f"{stem}.{fmt}"
        for fmt in (*FORMATS, "fragment.html")
        if fmt in outputs
    }
    guard_outputs(targets.values(), force=True, inputs=[source])  # documents are regenerated
    return [write_bytes(path, outputs[fmt]) for fmt, path in targets.items()]


def batch(
    inputs,
    output_dir,
    to=("docx", "html"),
    jobs=None,
    previous=None,
    template=None,
    rollup=None,
    year=None,
    units=None,
    deadline=None,
    final=False,
    progress=None,
    rules_file=None,
    confirmed=None,
):
    """A coordinator's round over the collected files; see `giagen.round.batch.batch`."""
    # lazy: the round's modules load only for the commands that run one
    from .round.batch import batch as run

    return run(
        inputs,
        output_dir,
        to=to,
        jobs=jobs,
        previous=previous,
        template=template,
        rollup=rollup,
        year=year,
        units=units,
        deadline=deadline,
        final=final,
        progress=progress,
        rules_file=rules_file,
        confirmed=confirmed,
    )


def rollup(inputs, agency: str, output, year: int | None = None, force: bool = False):
    """The region's report summed over unit files; see `giagen.round.region.rollup`."""
    # lazy: the round's modules load only for the commands that run one
    from .round.region import rollup as run

    return run(inputs, agency, output, year=year, force=force)


def audit(
    inputs,
    output_dir=None,
    previous=None,
    given=None,
    progress=None,
    rules_file=None,
    against=None,
    jobs=None,
):
    """Audit published reports (files or folders); see `giagen.round.auditing.audit`."""
    # lazy: the round's modules load only for the commands that run one
    from .round.auditing import audit as run

    return run(
        inputs,
        output_dir=output_dir,
        previous=previous,
        given=given,
        progress=progress,
        rules_file=rules_file,
        against=against,
        jobs=jobs,
    )


def schema(edition: str | None = None) -> dict:
    """The JSON Schema of `giagen/report@1` (one edition's form, or every edition's), made from
    the pydantic models that also hold every report giagen reads; see `giagen.core.reportmodel`."""
    # lazy: pydantic (70 ms and more) only when the schema is asked for
    from .core.reportmodel import json_schema

    if edition is not None and edition not in d.BY_ID:
        raise UsageError(f"没有 {edition} 版，应为 {' 或 '.join(d.BY_ID)}")
    return json_schema(edition)


def compare(published: str | Path, source: str | Path, given=None):
    """Every number and paragraph a published report shows differently from its source; see `giagen.pipeline.compare`."""

    return compare_reports(published, source, given)


def import_report(sources, output: str | Path, force: bool = False, given=None) -> list[Path]:
    """Published reports (.txt, .html, .docx) into `.json`/`.xlsx`, numbers kept as printed.

    One source: `output` is the file. Several: `output` is a folder, one JSON each, named
    after the sources and made distinct. Existing files are not written over unless `force`.
    """

    sources = [Path(s) for s in sources]
    output = Path(output)
    if len(sources) == 1 and output.suffix.lower() in SUFFIXES:
        targets = [output]
    elif len(sources) > 1 and not output.suffix:
        names = Names()
        targets = [output / f"{names(s.stem)}.json" for s in sources]
    else:
        raise UsageError(f"{output}：一个报告时应为 .json 或 .xlsx 文件，多个报告时应为文件夹")
    guard_outputs(targets, force, inputs=sources)
    loaded = [load(s, given) for s in sources]  # every source read before anything is written
    for item in loaded:
        if item.findings:
            raise RefusedError(f"{item.path}：有无法识别为数字的值", item.findings)
    return [save(item.report, target) for item, target in zip(loaded, targets)]
