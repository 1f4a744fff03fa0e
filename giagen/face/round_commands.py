"""The coordinator's commands: batch and rollup."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import api
from ..core.exceptions import InputError, UsageError
from ..core.identity import parse_date
from . import clicn
from .console import (
    ProgressReport,
    err,
    esc,
    warn_line,
)
from .frame import handles_errors, jobs_option, rules_option


@click.command(cls=clicn.Command)
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
@jobs_option
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
@rules_option
@click.option(
    "--confirmed",
    type=click.Path(dir_okay=False),
    help="已核实属实的警告：从问题清单（结果文件夹中的 CSV）复制的行（单位、规则、单元格、实际），确认后单位可发布",
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
    confirmed,
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
            confirmed=confirmed,
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
        for note in row.notes:
            err.print(f"[yellow]请注意[/yellow] {esc(row.unit)}：{esc(note)}", highlight=False)
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
    elif rollup_name:
        err.print(f"[red]未生成本地区报告[/red]：{esc(result.region_state)}", highlight=False)
    if final and result.region_waiting:
        waiting = "、".join(f"{unit}（{status}）" for unit, status in result.region_waiting)
        err.print(
            f"[red]未生成正式稿[/red]：--final 要求全部单位可发布，"
            f"尚有 {len(result.region_waiting)} 个单位未就绪：{esc(waiting)}",
            highlight=False,
        )
    sys.exit(1 if result.failed else 0)


@click.command(cls=clicn.Command)
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
@click.option("--force", is_flag=True, help="同一机关有多个文件时仍全部汇总")
@handles_errors
def rollup(inputs, agency, output, year, force):
    """把各单位的报告数字逐项相加，生成本地区的年度报告。"""
    path, refused = api.rollup(inputs, agency, output, year=year, force=force)
    _print_rollup(path, refused)
    sys.exit(1 if refused else 0)


def _print_rollup(path, refused):
    for source, why in refused:
        err.print(f"[yellow]未汇总[/yellow] {esc(source)}：{esc(why)}", highlight=False)
    if path:
        err.print(f"已生成汇总报告 {esc(path)}", highlight=False)
