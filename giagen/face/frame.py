"""The command line's frame: giagen's errors and click's usage errors as one Chinese line and an exit status."""

from __future__ import annotations

import functools
import sys

import click

from ..core.exceptions import GiagenError, RefusedError
from . import clicn
from .console import (
    crash_report,
    disk_message,
    err,
    esc,
    print_findings,
)

# before any command is declared: click reads its words when options are made
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
                f"[red]用法错误：[/red]{esc(_sentence(usage_message(exc)))}运行 {esc(command)} --help 查看用法。",
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


def _sentence(text: str) -> str:
    """A message ending in one full stop: none added after its own 。？！."""
    text = text.replace("。 ", "。")
    return text if text.endswith(("。", "？", "！", "）")) else text + "。"


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
    if "No such command" in exc.message or "没有这个命令" in exc.message:
        return exc.format_message().strip()
    return exc.format_message()


# Options several commands share, declared once.
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="并行进程数（默认：全部 CPU 核）",
    metavar="整数",
)
rules_option = click.option(
    "--rules",
    "rules_file",
    type=click.Path(dir_okay=False),
    help="本地规则文件（TOML），与国家规则一并检查",
    metavar="文件",
)
