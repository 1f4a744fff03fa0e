"""The wizard's prompts: numbers, yes/no, choices and text, answered and shown in Chinese, literally."""

from __future__ import annotations

import os
import shutil
import unicodedata

import click
import questionary
from prompt_toolkit.formatted_text import FormattedText
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..core import definitions as d
from ..core.compose import fee_sentence
from ..core.exceptions import BadValue
from ..core.numbers import TYPED, format_value, parse_value

PICK = "（↑↓ 移动，空格选择，Enter 确认）"
SCREEN = 80  # every prompt fits an 80-column terminal
# a clerk's `:smile:` stays as typed (`emoji=False`)
console = Console(width=min(SCREEN, shutil.get_terminal_size((SCREEN, 24)).columns), emoji=False)


def _validator(kind: str):
    def validate(text: str):
        if not text.strip():
            return True  # the value offered
        try:
            value = parse_value(text, kind, TYPED)
        except BadValue as bad:
            return str(bad)[:60]
        if value is None or (kind != d.SIGNED and value < 0):
            return "请填写不小于 0 的数" if kind != d.SIGNED else "请填写整数（减少为负数）"
        return True

    return validate


def display_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def answered(message: str, answer: str):
    """The answered question, as questionary would show it, but in Chinese and literally."""
    console.print(Text.assemble(("? ", "bold"), message + " ", (answer, "cyan")))


def ask_number(message: str, default=0, kind: str = d.COUNT):
    """A number; the value offered is shown greyed and taken on Enter, typing replaces it."""
    offered = format_value(default, kind) if default is not None else "0"
    text = questionary.text(
        message,
        default="",
        validate=_validator(kind),
        placeholder=FormattedText([("fg:ansibrightblack", offered)]),
        erase_when_done=True,
    ).unsafe_ask()
    value = parse_value(text.strip() or offered, kind, TYPED)
    answered(message, format_value(value, kind))
    return str(value) if kind in (d.AMOUNT, d.YUAN) else value


def ask_yes(message: str, default: bool = False) -> bool:
    """Yes or no, answered with y or n."""
    hint = "（是 y / 否 n，回车为“是”）" if default else "（是 y / 否 n，回车为“否”）"
    answer = questionary.confirm(
        message, default=default, instruction=hint, erase_when_done=True
    ).unsafe_ask()
    answered(message, "是" if answer else "否")
    return answer


def ask_pick(message: str, choices, validate=None) -> list:
    """Several of `choices` (questionary Choices); the answer is shown by name."""
    picked = questionary.checkbox(
        message,
        choices=choices,
        instruction=PICK,
        validate=validate or (lambda _: True),
        erase_when_done=True,
    ).unsafe_ask()
    names = [c.title for c in choices if c.value in picked]
    answered(message, "、".join(names) if names else "（无）")
    return picked


def ask_text(message: str, default: str = "", multiline: bool = False, required: str = "") -> str:
    """Text typed at the prompt, or written in the clerk's editor; `required` says why it may not be empty."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    while multiline and editor and ask_yes(f"用编辑器（{editor}）填写{message.rstrip('：')}吗？"):
        edited = click.edit(default, editor=editor, require_save=False, extension=".txt")
        text = (default if edited is None else edited).strip()
        if text or not required:
            return text
        console.print(required, markup=False)
    if multiline and default and _too_tall(message, default):
        # prefilled, the draft would push the label off a small window: shown above instead
        console.print(message, style="bold", markup=False, highlight=False)
        console.print(default, style="grey50", markup=False, highlight=False)
        instruction = _fit(
            message,
            "（上面是草稿：直接按 Esc 再按 Enter 采用；或输入新的内容，按 Esc 再按 Enter 结束）",
        )
        answer = questionary.text(message, multiline=True, instruction=instruction).unsafe_ask()
        return answer.strip() or default
    instruction = _fit(message, "（可多行；按 Esc 再按 Enter 结束）") if multiline else None
    validate = (lambda t: bool(t.strip()) or required) if required else None
    return (
        questionary.text(
            message,
            default=default,
            multiline=multiline,
            validate=validate,
            instruction=instruction,
        )
        .unsafe_ask()
        .strip()
    )


def _fit(message: str, instruction: str) -> str:
    """The instruction after a prompt's label, broken into lines the window holds: a first line
    wider than the window, in Chinese, makes prompt_toolkit draw the prompt as blank lines."""
    columns = shutil.get_terminal_size((SCREEN, 24)).columns - 2
    if display_width(message) + display_width(instruction) + 4 <= columns:
        return instruction
    lines, line = [], ""
    for ch in instruction:
        if display_width(line + ch) > columns:
            lines.append(line)
            line = ""
        line += ch
    return "\n" + "\n".join([*lines, line])


def _too_tall(message: str, text: str) -> bool:
    """Whether the label and `text` together need more rows than the window has."""
    columns, rows = shutil.get_terminal_size((SCREEN, 24))
    if columns < 60:  # a narrow window: prompt_toolkit draws a long prefilled text as blank lines
        return True
    needed = sum(
        1 + display_width(line) // max(columns, 1) for line in (message + text).split("\n")
    )
    return needed > rows - 4


# ---- Steps ------------------------------------------------------------------------------


def summary(report):
    """All tables at a glance before saving."""
    r = report.requests
    table = Table(title=Text(f"{report.full_title} · 核对"), width=80)
    table.add_column("项目")
    for field in d.REQUEST_FIELDS:
        table.add_column(field.label[:4], justify="right")
    for line_id in ("new_received", "carried_over", "total", "carried_forward"):
        label = d.line_label(report.spec.request_lines, line_id).split("政府信息公开")[0][:7]
        table.add_row(label, *(str(r[line_id][f.id]) for f in d.REQUEST_FIELDS))
    console.print(table)
    review = report.litigation["review"]["total"] or 0
    suits = sum(report.litigation[g]["total"] or 0 for g in ("suit_direct", "suit_after_review"))
    console.print(f"四、行政复议 {review} 件；行政诉讼 {suits} 件", markup=False)
    sentence = fee_sentence(report)
    if sentence:
        console.print(f"六、{sentence}", markup=False)
