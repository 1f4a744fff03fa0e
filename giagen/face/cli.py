"""The `giagen` command line: thin wrappers over the functions of `giagen.api`."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path

import click

from .. import api
from ..checks.provenance import import_findings
from ..core import definitions as d
from ..core.exceptions import GiagenError, InputError, RefusedError, UsageError
from ..core.findings import ERROR, WARNING, exit_status
from ..core.model import parse_date
from ..pipeline.collecting import workbooks_in
from ..pipeline.reports import load
from ..published.importer import Given
from . import clicn
from .console import (
    STATUS,
    ProgressReport,
    crash_report,
    disk_message,
    err,
    esc,
    out,
    print_findings,
    summarize,
    warn_line,
)

clicn.install()


def handles_errors(command):
    """Turn giagen's errors into a one-line Chinese message and the documented exit status."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RefusedError as exc:
            print_findings(exc.findings, to=err)
            err.print(f"[red]未完成：[/red]{esc(exc)}", highlight=False)
            sys.exit(exc.exit_code)
        except GiagenError as exc:
            err.print(f"[red]错误：[/red]{esc(exc)}", highlight=False)
            sys.exit(exc.exit_code)
        except OSError as exc:  # an output folder that cannot be written, a full disk
            err.print(f"[red]错误：[/red]{esc(disk_message(exc))}", highlight=False)
            sys.exit(2)
        except KeyboardInterrupt:
            err.print("已中断。")
            sys.exit(130)

    return wrapper


class ChineseGroup(clicn.Group):
    """Usage errors said in Chinese, with the way to the command's help."""

    def main(self, args=None, **kwargs):
        """Run the command; usage errors and anything unforeseen end in one Chinese line."""
        try:
            return super().main(args, standalone_mode=False, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            click.echo(exc.ctx.get_help())
            sys.exit(0)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "giagen"
            err.print(
                f"[red]用法错误：[/red]{esc(usage_message(exc))}。运行 {esc(command)} --help 查看用法。",
                highlight=False,
            )
            sys.exit(2)
        except click.Abort:
            err.print("已中断。")
            sys.exit(130)
        except Exception:  # the last resort: never a traceback, a report to send instead
            path = crash_report()
            err.print(
                f"[red]内部错误：[/red]giagen 遇到了意外情况，未完成。详细信息已保存到 {esc(path)}，"
                "请把这个文件和出错的输入一起发给维护人员。",
                highlight=False,
            )
            sys.exit(2)


def usage_message(exc: click.UsageError) -> str:
    """A click usage error said in Chinese."""
    param = getattr(exc, "param", None)
    if isinstance(param, click.Argument):
        hint = param.metavar or param.human_readable_name
    else:
        hint = "/".join(param.opts) if param is not None and getattr(param, "opts", None) else ""
    if isinstance(exc, click.MissingParameter):
        return f"缺少{'参数' if isinstance(param, click.Argument) else '选项'} {hint}"
    if isinstance(exc, click.NoSuchOption):
        return f"没有选项 {exc.option_name}"
    if (
        isinstance(exc, click.BadParameter)
        and "是文件夹" in exc.message
        and exc.message.count("'") >= 2
    ):
        folder = exc.message.split("'")[1]
        command = exc.ctx.command.name if exc.ctx else ""
        more = (
            f"；一个文件夹的报告请用 giagen batch {folder} -o 输出文件夹"
            if command == "render"
            else ""
        )
        where = f"{hint} " if hint.startswith("-") else "这里"
        return f"{folder} 是文件夹，{where}应为一个文件{more}"
    if isinstance(exc, click.BadParameter):
        if (
            param is not None
            and isinstance(param.type, click.IntRange)
            and param.type.min is not None
            and "range" in exc.message
        ):
            return f"{hint} 应为不小于 {param.type.min} 的整数"
        if param is not None and isinstance(param.type, click.types.IntParamType):
            return f"{hint} 应为整数"
        return f"{hint} 的值不对（{exc.message}）"
    if "No such command" in exc.message:
        return f"没有这个命令（{exc.message.split(chr(39))[1] if chr(39) in exc.message else exc.message}）"
    return exc.format_message()


@click.group(cls=ChineseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="giagen")
def main():
    """giagen：政府信息公开工作年度报告的填报、校验与生成。"""


@main.command()
@click.option("--year", type=int, required=True, help="报告年度，如 2023", metavar="整数")
@click.option("--agency", default="", help="机关名称（预先填入）", metavar="文字")
@click.option(
    "--agencies",
    type=click.Path(dir_okay=False),
    help="单位名单（每行一个，或含名称列的 CSV/XLSX）",
    metavar="文件",
)
@click.option(
    "--previous",
    type=click.Path(file_okay=False),
    help="上年度各单位报告所在文件夹，用于预填",
    metavar="文件夹",
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="输出 .xlsx；使用 --agencies 时为文件夹",
    metavar="路径",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@handles_errors
def template(year, agency, agencies, previous, output, force):
    """生成对应年度格式版本的空白填报工作簿（可按单位名单批量生成）。"""
    paths = api.template(
        year,
        output,
        agency=agency,
        agencies=agencies,
        previous=previous,
        force=force,
        warn=warn_line,
    )
    edition = d.edition_for_year(year).id
    where = paths[0] if len(paths) == 1 else f"{len(paths)} 个工作簿到 {output}"
    err.print(f"已生成 {esc(where)}（{year} 年度，{edition} 版格式）", highlight=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(), metavar="文件或文件夹…")
@click.option(
    "--previous",
    type=click.Path(dir_okay=False),
    help="上年度报告（用于跨年度核对）",
    metavar="文件",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出全部问题")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    help="本地规则文件（TOML），与国家规则一并检查",
    metavar="文件",
)
@handles_errors
def check(files, previous, as_json, rules_file):
    """按勾稽关系等规则检查报告（.xlsx 或 .json；文件夹则检查其中全部）。"""

    files = workbooks_in(files)  # a folder: the .xlsx and .json files in it
    findings = api.check(files, previous=previous, rules_file=rules_file)
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        print_findings(findings, to=out)
        summarize(files, findings)
    sys.exit(exit_status(findings))


@main.command()
@click.argument("source", type=click.Path(dir_okay=False), metavar="文件")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="输出 .xlsx 或 .json",
    metavar="文件",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@handles_errors
def convert(source, output, force):
    """在 .xlsx 与 .json 之间无损转换。"""
    path = api.convert(source, output, force=force)
    err.print(f"已生成 {esc(path)}", highlight=False)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False), metavar="文件")
@click.option(
    "--to",
    "formats",
    default="docx,html",
    show_default=True,
    help="docx、html、pdf，逗号分隔",
    metavar="文字",
)
@click.option(
    "-o",
    "--output-dir",
    default=".",
    type=click.Path(file_okay=False),
    help="输出目录",
    metavar="文件夹",
)
@click.option("--draft", is_flag=True, help="有错误时仍生成，并标注“草稿（未通过校验）”")
@click.option(
    "--template", type=click.Path(dir_okay=False), help="本机关自己的 DOCX 模板", metavar="文件"
)
@click.option(
    "--fragment",
    is_flag=True,
    help="HTML 只输出正文片段（另存为“文件名.fragment.html”），供网站内容管理系统粘贴",
)
@handles_errors
def render(source, formats, output_dir, draft, template, fragment):
    """生成年度报告（DOCX、HTML、PDF）；有勾稽错误时拒绝生成。"""
    paths = api.render(
        source,
        to=formats,
        output_dir=output_dir,
        draft=draft,
        template=template,
        fragment=fragment,
        warn=warn_line,
    )
    for path in paths:
        err.print(f"已生成 {esc(path)}", highlight=False)


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="保存为 .xlsx 或 .json（默认 年度报告.xlsx）",
    metavar="文件",
)
@click.option(
    "--resume", type=click.Path(dir_okay=False), help="从中断时保存的进度文件继续", metavar="文件"
)
@click.option(
    "--previous", type=click.Path(dir_okay=False), help="上年度报告，用于预填结转数", metavar="文件"
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@handles_errors
def wizard(output, resume, previous, force):
    """逐项问答填写年度报告，随填随校验；报告有错误时退出状态为 1。"""
    # lazy: questionary and prompt_toolkit (~120 ms) load only for the wizard
    from .wizard import wizard as run_wizard

    _, findings = run_wizard(output, resume=resume, previous=previous, force=force)
    sys.exit(exit_status(findings))


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(), metavar="文件或文件夹…")
@click.option(
    "-o",
    "--output-dir",
    required=True,
    type=click.Path(file_okay=False),
    help="输出目录",
    metavar="文件夹",
)
@click.option(
    "--to",
    "formats",
    default="docx,html",
    show_default=True,
    help="docx、html，逗号分隔",
    metavar="文字",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="并行进程数（默认：全部 CPU 核）",
    metavar="整数",
)
@click.option(
    "--previous",
    type=click.Path(file_okay=False),
    help="上年度各单位报告所在文件夹",
    metavar="文件夹",
)
@click.option("--template", type=click.Path(dir_okay=False), help="DOCX 模板", metavar="文件")
@click.option(
    "--rollup",
    "rollup_name",
    help="同时汇总可发布的单位，生成本地区报告（填写地区名称，如 某某县）",
    metavar="文字",
)
@click.option("--year", type=int, help="本轮报告年度（默认：多数单位的年度）", metavar="整数")
@click.option(
    "--units",
    type=click.Path(dir_okay=False),
    help="单位名单（与 template --agencies 相同）：据此列出未报送的单位",
    metavar="文件",
)
@click.option("--deadline", help="报送截止日期，如 2025-01-20：之后收到的标为逾期", metavar="日期")
@click.option("--final", is_flag=True, help="全部单位可发布时，本地区报告生成正式稿（否则为草稿）")
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    help="本地规则文件（TOML），与国家规则一并检查",
    metavar="文件",
)
@handles_errors
def batch(
    inputs,
    output_dir,
    formats,
    jobs,
    previous,
    template,
    rollup_name,
    year,
    units,
    deadline,
    final,
    rules_file,
):
    """一轮报送：检查并生成各单位的年度报告，写出报送情况、更正通知和本地区报告；只重新处理有改动的文件。"""
    # lazy: the round's modules load only for the commands that run one
    from ..round.board import NEEDS_ACTION, UNMATCHED, UNREADABLE, counts

    try:
        due = parse_date(deadline) if deadline else None
    except InputError:
        raise UsageError(
            f"--deadline {deadline} 无法识别，应写作 2026-01-20 或 2026年1月20日"
        ) from None
    with ProgressReport() as report:
        result = api.batch(
            inputs,
            output_dir,
            to=formats,
            jobs=jobs,
            previous=previous,
            template=template,
            rollup=rollup_name,
            year=year,
            units=units,
            deadline=due,
            final=final,
            progress=report,
            rules_file=rules_file,
        )
    for note in result.notes:
        warn_line(note)
    for row in result.rows:
        if row.status in NEEDS_ACTION or row.status in (UNREADABLE, UNMATCHED):
            what = row.reason or (
                f"{row.errors} 个错误，{row.warnings} 个警告" if row.record else ""
            )
            late = "（逾期）" if row.late else ""
            err.print(
                f"[red]{esc(row.status)}[/red]{late} {esc(row.unit or row.file)}"
                + (f"：{esc(what)}" if what else ""),
                highlight=False,
            )
    tally = "，".join(f"{status} {n}" for status, n in counts(result.rows).items() if n)
    err.print(
        f"{tally}。本次读取 {result.processed} 个文件（其余未改动），状态变化 {result.changes} 处。"
        f"见 {esc(Path(output_dir) / 'index.html')}",
        highlight=False,
    )
    if result.region:
        state = "草稿" if result.region_draft else "正式稿"
        err.print(
            f"已生成本地区报告（{state}）{esc(result.region[0].with_suffix(''))}.xlsx/.docx/.html",
            highlight=False,
        )
    sys.exit(1 if result.failed else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(), metavar="文件或文件夹…")
@click.option(
    "--agency", required=True, help="本级机关名称，如 某某县人民政府办公室", metavar="文字"
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="输出 .xlsx 或 .json",
    metavar="文件",
)
@click.option("--year", type=int, help="汇总年度（默认：多数单位的年度）", metavar="整数")
@handles_errors
def rollup(inputs, agency, output, year):
    """把各单位的报告数字逐项相加，生成本地区的年度报告。"""
    path, refused = api.rollup(inputs, agency, output, year=year)
    _print_rollup(path, refused)
    sys.exit(1 if refused else 0)


def _print_rollup(path, refused):
    for source, why in refused:
        err.print(f"[yellow]未汇总[/yellow] {esc(source)}：{esc(why)}", highlight=False)
    if path:
        err.print(f"已生成汇总报告 {esc(path)}", highlight=False)


def identity_options(command):
    """--agency, --year, --date and --partial: what a published document lacks, stated."""
    for option in reversed(
        (
            click.option("--agency", help="机关名称（文中没有或不对时指定）", metavar="文字"),
            click.option("--year", type=int, help="报告年度（文中没有时指定）", metavar="整数"),
            click.option(
                "--date", help="落款日期，如 2024-01-20（文中没有时指定）", metavar="日期"
            ),
            click.option(
                "--partial", is_flag=True, help="不完整的副本：只导入、审核已有的部分，并标明“部分”"
            ),
        )
    ):
        command = option(command)
    return command


def given(agency, year, date, partial):
    """What the reviewer states (--agency, --year, --date, --partial) as an importer.Given."""

    when = parse_date(date) if date else None
    return Given(agency=agency, year=year, date=when.isoformat() if when else None, partial=partial)


@main.command("import")
@click.argument(
    "sources", nargs=-1, required=True, type=click.Path(dir_okay=False), metavar="文件…"
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(),
    help="输出 .json 或 .xlsx；多个报告时为文件夹",
    metavar="路径",
)
@click.option("--force", is_flag=True, help="输出文件已存在时覆盖")
@identity_options
@handles_errors
def import_(sources, output, force, agency, year, date, partial):
    """把已发布的年度报告（网页、文本、DOCX、PDF）读回为数据，数字照原样保留。"""

    paths = api.import_report(
        sources, output, force=force, given=given(agency, year, date, partial)
    )
    status = 0
    for path in paths:
        err.print(f"已生成 {esc(path)}", highlight=False)
        if path.suffix.lower() == ".json":  # what reading saw that a reviewer must know
            noted = [f for f in import_findings(load(path).report) if f.severity != "info"]
            print_findings(
                [f.__class__(**{**f.__dict__, "file": str(path)}) for f in noted], to=err
            )
            status = max(status, exit_status(noted))
    sys.exit(status)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(), metavar="文件或文件夹…")
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(file_okay=False),
    help="写出汇总网页和问题清单（CSV）的文件夹",
    metavar="文件夹",
)
@click.option(
    "--previous",
    type=click.Path(dir_okay=False),
    help="上年度报告（同一机关的上年报告在输入中时自动对照）",
    metavar="文件",
)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出全部问题（每条注明所在文件）")
@click.option(
    "--against",
    type=click.Path(),
    help="发布所依据的工作簿或 JSON（文件或文件夹）：逐项比对发布后的改动",
    metavar="文件或文件夹",
)
@click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    help="本地规则文件（TOML），与国家规则一并检查",
    metavar="文件",
)
@identity_options
@handles_errors
def audit(inputs, output_dir, previous, as_json, against, rules_file, agency, year, date, partial):
    """审核已发布的年度报告（文件或文件夹）：读回并按全部规则检查，同一机关的相邻年度自动对照。"""
    with ProgressReport() as progress:
        results = api.audit(
            inputs,
            output_dir=output_dir,
            previous=previous,
            given=given(agency, year, date, partial),
            progress=progress,
            rules_file=rules_file,
            against=against,
        )
    findings = [f for r in results for f in r.findings]
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    elif len(results) == 1:
        print_findings(findings, to=out)
        summarize([str(results[0].path)], findings)
    else:
        for r in results:
            detail = r.reason or f"{r.count(ERROR)} 个错误，{r.count(WARNING)} 个警告"
            out.print(
                f"{STATUS.get(r.status, r.status)} {esc(r.path)}  {esc(r.agency)} {r.year or ''}：{esc(detail)}",
                highlight=False,
            )
    if output_dir:
        err.print(f"见 {esc(Path(output_dir) / 'index.html')} 和 findings.csv", highlight=False)
    if not results:
        raise UsageError("没有找到可审核的文件")
    if all(r.reason for r in results):
        sys.exit(2)
    sys.exit(1 if any(r.reason or r.count(ERROR) for r in results) else 0)


@main.command()
@click.argument("published", type=click.Path(dir_okay=False), metavar="已发布的报告")
@click.argument("source", type=click.Path(dir_okay=False), metavar="原稿")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出全部差异")
@handles_errors
def compare(published, source, as_json):
    """比对已发布的报告（网页、DOCX、PDF、文本）与其原稿（工作簿、JSON 或先前保存的网页）：每个不同的数字和段落。"""
    found = api.compare(published, source)
    if as_json:
        click.echo(json.dumps([f.to_json() for f in found], ensure_ascii=False, indent=2))
    else:
        print_findings(found, to=out)
        out.print(
            f"{esc(published)}：与原稿有 {len(found)} 处不同"
            if found
            else f"{esc(published)}：与原稿一致",
            highlight=False,
        )
    sys.exit(1 if found else 0)
