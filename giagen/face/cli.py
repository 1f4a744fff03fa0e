"""The `giagen` command line: thin wrappers over the functions of `giagen.api`."""

from __future__ import annotations

import json
import sys

import click

from .. import api
from ..core import definitions as d
from ..core.findings import exit_status
from ..pipeline.collecting import workbooks_in
from .console import (
    err,
    esc,
    out,
    print_findings,
    summarize,
    warn_line,
)
from .frame import ChineseGroup, handles_errors, rules_option
from .review_commands import audit, compare, import_
from .round_commands import batch, rollup


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
@rules_option
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
@click.option("--edition", help="只输出这一版的格式", metavar="|".join(sorted(d.BY_ID)))
@handles_errors
def schema(edition):
    """输出年度报告 JSON 的格式定义（JSON 模式，2020-12 版），供其他系统在发送前校验。"""
    out.print(
        json.dumps(api.schema(edition), ensure_ascii=False, indent=2),
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


for _command in (batch, rollup, import_, audit, compare):
    main.add_command(_command)
