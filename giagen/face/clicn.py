"""click's own words — help headings, usage, errors — in Chinese."""

from __future__ import annotations

import unicodedata

import click
from click import core, decorators, exceptions, formatting, parser, termui, types
from click._compat import strip_ansi

WORDS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本并退出。",
    "%(prog)s, version %(version)s": "%(prog)s 版本 %(version)s",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中断。",
    "Missing command.": "缺少命令。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 {command} {option} 查看用法。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Invalid value: {message}": "值不对：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值不对：{message}",
    "No such option {name!r}.": "没有选项 {name}。",
    "No such command {name!r}.": "没有这个命令 {name}。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "integer": "整数",
    "float": "数字",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为文件夹。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹，应为文件。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "Option {name!r} does not take a value.": "选项 {name} 不带值。",
    "Option {name!r} requires an argument.": "选项 {name} 需要一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name} 需要 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多出了参数（{args}）",
    "Got unexpected extra arguments ({args})": "多出了参数（{args}）",
    "unknown error": "未知错误",
    "Did you mean {possibility}?": "是否想输入 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想输入其中之一：{possibilities}？）",
}


def _chinese(message: str) -> str:
    return WORDS.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return WORDS.get(singular if n == 1 else plural, singular if n == 1 else plural)


def display_width(text: str) -> int:
    """Terminal columns of `text`: a CJK character takes two, so help columns line up."""

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in strip_ansi(text))


def install():
    """Make click say its own words in Chinese (it looks them up through gettext)."""

    for module in (core, decorators, exceptions, formatting, parser, termui, types):
        if hasattr(module, "_"):
            module._ = _chinese
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
    formatting.term_len = display_width


class Command(click.Command):
    """A command whose usage line reads `用法：giagen check [选项] 文件…`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """A group of such commands."""

    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[选项]")
        kwargs.setdefault("subcommand_metavar", "命令 [参数]…")
        super().__init__(*args, **kwargs)
