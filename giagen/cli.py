"""The `giagen` command line: thin wrappers over the functions of `giagen.api`."""

from __future__ import annotations

import functools
import json
import sys

import click
from rich.console import Console

from . import api
from .exceptions import GiagenError, RefusedError
from .findings import ERROR, exit_status

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def handles_errors(command):
    """Turn giagen's errors into a one-line Chinese message and the documented exit status."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RefusedError as exc:
            print_findings(exc.findings, to=err)
            err.print(f"[red]未完成：[/red]{exc}", highlight=False)
            sys.exit(exc.exit_code)
        except GiagenError as exc:
            err.print(f"[red]错误：[/red]{exc}", highlight=False)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            err.print("已中断。")
            sys.exit(130)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="giagen")
def main():
    """giagen：政府信息公开工作年度报告的填报、校验与生成。"""


@main.command()
@click.option("--year", type=int, required=True, help="报告年度，如 2023")
@click.option("--agency", default="", help="机关名称（预先填入）")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出 .xlsx")
@handles_errors
def template(year, agency, output):
    """生成对应年度格式版本的空白填报工作簿。"""
    path = api.template(year, output, agency=agency)
    err.print(f"已生成 {path}（{year} 年度，{'2019' if year <= 2020 else '2021'} 版格式）",
              highlight=False)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--previous", type=click.Path(dir_okay=False), help="上年度报告（用于跨年度核对）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出全部问题")
@handles_errors
def check(files, previous, as_json):
    """按勾稽关系等规则检查报告（.xlsx 或 .json）。"""
    findings = api.check(files, previous=previous)
    if as_json:
        click.echo(json.dumps([f.to_json() for f in findings], ensure_ascii=False, indent=2))
    else:
        print_findings(findings, to=out)
        summarize(files, findings)
    sys.exit(exit_status(findings))


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="输出 .xlsx 或 .json")
@handles_errors
def convert(source, output):
    """在 .xlsx 与 .json 之间无损转换。"""
    path = api.convert(source, output)
    err.print(f"已生成 {path}", highlight=False)


@main.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.option("--to", "formats", default="docx,html", show_default=True, help="docx、html、pdf，逗号分隔")
@click.option("-o", "--output-dir", default=".", type=click.Path(file_okay=False), help="输出目录")
@click.option("--draft", is_flag=True, help="有错误时仍生成，并标注“草稿（未通过校验）”")
@click.option("--template", type=click.Path(dir_okay=False), help="本机关自己的 DOCX 模板")
@click.option("--fragment", is_flag=True, help="HTML 只输出正文部分，供网站内容管理系统粘贴")
@handles_errors
def render(source, formats, output_dir, draft, template, fragment):
    """生成年度报告（DOCX、HTML、PDF）；有勾稽错误时拒绝生成。"""
    paths = api.render(source, to=formats, output_dir=output_dir, draft=draft,
                       template=template, fragment=fragment)
    for path in paths:
        err.print(f"已生成 {path}", highlight=False)


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="保存为 .xlsx 或 .json（默认 年度报告.xlsx）")
@click.option("--resume", type=click.Path(dir_okay=False), help="从中断时保存的进度文件继续")
@click.option("--previous", type=click.Path(dir_okay=False), help="上年度报告，用于预填结转数")
@handles_errors
def wizard(output, resume, previous):
    """逐项问答填写年度报告，随填随校验。"""
    from .wizard import wizard as run_wizard

    run_wizard(output, resume=resume, previous=previous)


# ---- Output -----------------------------------------------------------------------------

SEVERITY = {"error": "[red]错误[/red]", "warning": "[yellow]警告[/yellow]"}


def print_findings(findings, to: Console):
    """One line a finding, grouped by file: severity, rule, cell, message."""
    current = object()
    for f in findings:
        if f.file != current:
            current = f.file
            to.print(f"[bold]{f.file}[/bold]", highlight=False)
        where = f" {f.cell}" if f.cell else ""
        to.print(f"  {SEVERITY.get(f.severity, f.severity)} {f.rule}{where}  {f.message}",
                 highlight=False)


def summarize(files, findings):
    for name in files:
        mine = [f for f in findings if f.file == str(name)]
        errors = sum(f.severity == ERROR for f in mine)
        if not mine:
            out.print(f"{name}：[green]通过[/green]，未发现问题", highlight=False)
        else:
            out.print(f"{name}：{errors} 个错误，{len(mine) - errors} 个警告", highlight=False)
