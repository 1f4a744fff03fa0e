"""The reviewer's commands: import, audit and compare."""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from pathlib import Path

import click

from .. import api
from ..checks.provenance import import_findings
from ..core.exceptions import UsageError
from ..core.findings import ERROR, WARNING, exit_status
from ..core.identity import Given, parse_date
from ..pipeline.reports import load
from . import clicn
from .console import (
    STATUS,
    ProgressReport,
    err,
    esc,
    out,
    print_findings,
    summarize,
)
from .frame import handles_errors, jobs_option, rules_option


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
    """What the reviewer states (--agency, --year, --date, --partial) as a Given."""

    when = parse_date(date) if date else None
    return Given(agency=agency, year=year, date=when.isoformat() if when else None, partial=partial)


@click.command("import", cls=clicn.Command)
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
    """把已发布的年度报告（网页、单个文件网页 MHTML、文本、DOCX、PDF）读回为数据，数字照原样保留。"""

    paths = api.import_report(
        sources, output, force=force, given=given(agency, year, date, partial)
    )
    status = 0
    for path in paths:
        err.print(f"已生成 {esc(path)}", highlight=False)
        if path.suffix.lower() == ".json":  # what reading saw that a reviewer must know
            noted = [f for f in import_findings(load(path).report) if f.severity != "info"]
            print_findings([replace(f, file=str(path)) for f in noted], to=err)
            status = max(status, exit_status(noted))
    sys.exit(status)


@click.command(cls=clicn.Command)
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
@jobs_option
@click.option(
    "--against",
    type=click.Path(),
    help="发布所依据的工作簿或 JSON（文件或文件夹）：逐项比对发布后的改动",
    metavar="文件或文件夹",
)
@rules_option
@identity_options
@handles_errors
def audit(
    inputs, output_dir, previous, as_json, jobs, against, rules_file, agency, year, date, partial
):
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
            jobs=jobs,
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


@click.command(cls=clicn.Command)
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
