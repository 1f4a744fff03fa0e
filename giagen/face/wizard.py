"""Interactive entry in the terminal: only what matters is asked, the 勾稽关系 checked as it goes."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import questionary
from prompt_toolkit.formatted_text import FormattedText
from rich.table import Table
from rich.text import Text

from .. import api
from ..checks import completeness
from ..core import definitions as d
from ..core.exceptions import InputError, UsageError, WizardInterrupted
from ..core.files import write_text
from ..core.findings import SEVERITY_NAMES
from ..core.identity import parse_date
from ..core.model import blank_report, carry_forward, report_from_data
from ..pipeline.reports import SUFFIXES, load, save
from .prompts import (
    SCREEN,
    answered,
    ask_number,
    ask_pick,
    ask_text,
    ask_yes,
    console,
    display_width,
    summary,
)

STEPS = ("basics", "proactive", "requests", "litigation", "prose")


def ask_basics(data: dict, previous):
    """Agency, year and date."""
    data["agency"] = (
        questionary.text(
            "机关名称：",
            default=data.get("agency") or (previous.agency if previous else ""),
            validate=lambda t: bool(t.strip()) or "请填写机关名称",
        )
        .unsafe_ask()
        .strip()
    )
    today = dt.date.today()
    default_year = previous.year + 1 if previous else today.year - 1
    first = completeness.FIRST_YEAR
    data["year"] = int(
        questionary.text(
            "报告年度：",
            default=str(data.get("year") or default_year),
            validate=lambda t: (
                (t.strip().isdigit() and first <= int(t) <= today.year)
                or f"请填写 {first} 至 {today.year} 之间的四位年份"
            ),
        ).unsafe_ask()
    )
    ed = d.edition_for_year(data["year"])
    data["edition"] = ed.id
    console.print(f"{data['year']} 年度使用 {ed.id} 版格式（{ed.issued_by}）。", markup=False)
    offered = data.get("date") or today.isoformat()
    date = questionary.text(
        "落款日期：",
        placeholder=FormattedText([("fg:ansibrightblack", offered)]),
        validate=lambda t: _date_problem(t or offered, data["year"]) or True,
        erase_when_done=True,
    ).unsafe_ask()
    data["date"] = parse_date(date.strip() or offered).isoformat()
    answered("落款日期：", data["date"])


def _date_problem(text: str, year: int) -> str | None:
    """Why `text` cannot be the 落款 date of a report for `year`; None when it can."""
    try:
        date = parse_date(text.strip())
    except InputError:
        return "请写作 2025-01-20 或 2025年1月20日"
    if date is None:
        return "落款日期必填"
    if date.year <= year:
        return f"应在 {year} 年度结束之后"
    if date > dt.date.today():
        return "不能晚于今天"
    return None


def ask_proactive(data: dict, previous):
    """二, block by block, only where the clerk says there is something."""
    ed = d.edition(data["edition"])
    start = blank_report(data["year"], data["agency"])
    rows = (carry_forward(start, previous) if previous else start).to_data()["proactive"]
    console.print("\n[bold]二、主动公开政府信息情况[/bold]")
    for block in ed.blocks:
        names = "、".join(ln.label for ln in block.lines)
        if not ask_yes(f"{block.heading}（{names}）有数字要填吗？", default=False):
            continue
        for line in block.lines:
            row = rows[line.id]
            for field in block.fields:
                if field.id == "in_force":  # offered: last year's, plus issued, less abolished
                    row["in_force"] = max(0, row["in_force"] + row["issued"] - row["abolished"])
                row[field.id] = ask_number(
                    f"  {line.label} · {field.label}：", row[field.id], field.kind
                )
    data["proactive"] = rows


def outcome_groups(ed: d.Edition) -> dict[str, list[d.Line]]:
    """（一）…（六）: each outcome group of 三 with its rows, from the label paths."""
    groups: dict[str, list[d.Line]] = {}
    for line in ed.result_lines:
        groups.setdefault(line.path[1], []).append(line)
    return groups


def ask_requests(data: dict, previous):
    """三, applicant type by applicant type, the balance checked as it goes."""
    ed = d.edition(data["edition"])
    requests = {ln.id: {} for ln in ed.request_lines if ln.id != "total"}
    carried = {
        f.id: (previous.requests["carried_forward"][f.id] or 0) if previous else 0
        for f in d.REQUEST_FIELDS[:-1]
    }
    console.print("\n[bold]三、收到和处理政府信息公开申请情况[/bold]")
    if not ask_yes(
        "本年度收到过政府信息公开申请，或有上年结转的申请吗？", default=any(carried.values())
    ):
        data["requests"] = _fill_requests(ed, requests, carried)
        return
    labels = {f.id: f.label for f in d.REQUEST_FIELDS[:-1]}
    chosen = ask_pick(
        "哪些申请人提出过申请？",
        [questionary.Choice(labels[c], value=c, checked=bool(carried[c])) for c in labels],
        validate=lambda picked: bool(picked) or "请至少选择一类申请人",
    )
    groups = outcome_groups(ed)
    for column in chosen:
        answers = {"carried_over": carried[column]}
        while True:  # 重新填写 asks this applicant again, the earlier answers offered
            answers = _ask_applicant(labels[column], answers, groups)
            if _balanced_or_fixed(labels[column], answers):
                break
        for row, value in answers.items():
            requests[row][column] = value
    data["requests"] = _fill_requests(ed, requests, carried)


def _ask_applicant(label: str, before: dict[str, int], groups) -> dict[str, int]:
    console.print(Text(f"\n{label}", style="bold"))
    answers = {
        "new_received": ask_number(
            f"  {label} · 本年新收申请（件）：", before.get("new_received", 0)
        ),
        "carried_over": ask_number(
            f"  {label} · 上年结转申请（件）：", before.get("carried_over", 0)
        ),
    }
    occurred = ask_pick(
        f"  {label}的申请有哪些办理结果？",
        [
            questionary.Choice(group, value=group, checked=any(before.get(ln.id) for ln in lines))
            for group, lines in groups.items()
        ],
    )
    done = 0
    for group in occurred:
        for line in groups[group]:
            name = line.label if len(line.path) > 2 else ""
            prompt = f"  {group}{(' · ' + name) if name else ''}（件）："
            if (
                display_width(prompt) > SCREEN - 8
            ):  # the long 其他处理 rows: the part before 、 names them
                prompt = f"  {name.split('、')[0]}…（件）："
            answers[line.id] = ask_number(prompt, before.get(line.id, 0))
            done += answers[line.id]
    remainder = max(0, answers["new_received"] + answers["carried_over"] - done)
    answers["carried_forward"] = ask_number(f"  {label} · 结转下年度继续办理（件）：", remainder)
    return answers


def _balanced_or_fixed(label: str, a: dict) -> bool:
    """True when 一 + 二 = （七） + 四 for this applicant, or the clerk chose how to go on."""
    done = sum(
        v for k, v in a.items() if k not in ("new_received", "carried_over", "carried_forward")
    )
    left, right = a["new_received"] + a["carried_over"], done + a["carried_forward"]
    if left == right:
        return True
    table = Table(title=f"{label}：勾稽关系不平衡", width=60)
    for name in ("项目", "件数"):
        table.add_column(name)
    table.add_row("一、本年新收 + 二、上年结转", str(left))
    table.add_row("办理结果合计 + 四、结转下年度", str(right))
    table.add_row("差额", f"{left - right:+d}")
    console.print(table)
    choices = ["重新填写" + label + "的数字"]
    if left - done >= 0:
        choices.append(f"把结转下年度改为 {left - done} 件")
    choices.append("保留（稍后在工作簿中改正）")
    choice = questionary.select(
        "怎么处理？", choices=choices, instruction="（↑↓ 选择，Enter 确认）", erase_when_done=True
    ).unsafe_ask()
    answered("怎么处理？", choice)
    if choice.startswith("把结转"):
        a["carried_forward"] = left - done
        return True
    return choice.startswith("保留")


def _fill_requests(ed: d.Edition, requests: dict, carried: dict) -> dict:
    for column, value in carried.items():
        requests["carried_over"].setdefault(column, value)
    return requests  # omitted counts are 0 and totals are derived


def ask_litigation(data: dict, previous):
    """四, only when there were cases."""
    console.print("\n[bold]四、政府信息公开行政复议、行政诉讼情况[/bold]")
    litigation = {}
    if ask_yes("本年度有政府信息公开方面的行政复议或行政诉讼吗？", default=False):
        for group in d.LITIGATION_GROUPS:
            caption = d.row_caption(group)
            if not ask_yes(f"  有{caption}案件吗？", default=False):
                continue
            litigation[group.id] = {
                f.id: ask_number(f"  {caption} · {f.label}（件）：")
                for f in d.LITIGATION_FIELDS[:-1]
            }
    data["litigation"] = litigation


def default_overview(data: dict) -> str:
    """An 一 built from the numbers entered, for the clerk to edit."""
    r = data.get("requests", {})
    new = sum(r.get("new_received", {}).values())
    old = sum(r.get("carried_over", {}).values())
    forward = sum(r.get("carried_forward", {}).values())
    return (
        f"（一）主动公开情况。{data['agency']}严格落实《中华人民共和国政府信息公开条例》，"
        "通过门户网站等渠道及时主动公开政府信息。\n"
        f"（二）依申请公开情况。{data['year']}年共收到政府信息公开申请{new}件，上年结转{old}件，"
        f"结转下年度继续办理{forward}件。\n"
        "（三）政府信息管理。严格执行信息发布审核制度。\n"
        "（四）平台建设。以政府门户网站为第一平台公开政府信息。\n"
        "（五）监督保障。加强监督检查，本年度未发生责任追究情况。"
    )


def ask_prose(data: dict, previous):
    """一, 五, the 信息处理费 and 六."""
    ed = d.edition(data["edition"])
    console.print("\n[bold]文字部分[/bold]")
    data["overview"] = ask_text(
        d.SECTION_TITLES["一"] + "：",
        data.get("overview") or default_overview(data),
        True,
        required="总体情况必填",
    )
    data["problems"] = ask_text(
        d.SECTION_TITLES["五"] + "：",
        data.get("problems", ""),
        True,
        required="必填：写明存在的问题、改进措施，以及上年问题的整改情况",
    )
    if ed.has_processing_fee:
        fee = {
            f.id: ask_number(f"信息处理费 · {f.label}：", 0, f.kind)
            for f in d.PROCESSING_FEE_FIELDS
        }
        data["processing_fee"] = fee
    data["other"] = ask_text(
        d.SECTION_TITLES["六"] + "：",
        data.get("other") or "无。",
        required="必填；没有其他事项时填写“无。”",
    )


ASK = {
    "basics": ask_basics,
    "proactive": ask_proactive,
    "requests": ask_requests,
    "litigation": ask_litigation,
    "prose": ask_prose,
}


# ---- The whole walk ---------------------------------------------------------------------


def progress_path(output: Path) -> Path:
    """Where the wizard keeps its progress beside the output."""
    return output.with_name(output.name + ".wizard.json")


def wizard(
    output: str | Path | None = None,
    resume: str | Path | None = None,
    previous: str | Path | None = None,
    force: bool = False,
) -> tuple[Path, list]:
    """Ask for the report section by section, save it to `output`; return its path and findings.

    Progress is saved after every section to `OUTPUT.wizard.json`; Ctrl-C leaves it there
    for `--resume`. An existing `output` is not written over unless `force`.
    """
    if resume:
        checkpoint = Path(resume)
        state = _read_progress(checkpoint)
        # the report goes beside its progress file, whatever the file says
        output = checkpoint.with_name(Path(state["output"]).name)
        previous, force = state.get("previous"), bool(state.get("force"))
    else:
        output = Path(output or "年度报告.xlsx")
        state = {
            "output": output.name,
            "previous": str(previous) if previous else None,
            "force": force,
            "done": [],
            "data": {},
        }
        checkpoint = progress_path(output)
    if output.suffix.lower() not in SUFFIXES:
        raise UsageError(f"{output}：应保存为 .xlsx 或 .json")
    if output.exists() and not force:
        raise UsageError(
            f"{output} 已存在，为免覆盖已填写的内容，未开始；换一个文件名，或加 --force 覆盖"
        )
    last_year = load(previous).report if previous else None
    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # piped, redirected, run by a script
        raise UsageError(
            "请在终端中运行 giagen wizard：它逐项提问，需要在键盘上回答。"
            "不在终端时，请填写工作簿（giagen template 生成）或报告 JSON，再用 giagen check、giagen render"
        )
    try:
        for step in STEPS:
            if step not in state["done"]:
                ASK[step](state["data"], last_year)
                state["done"].append(step)
                write_text(checkpoint, json.dumps(state, ensure_ascii=False, indent=1))
        report, _ = report_from_data(state["data"])
        summary(report)
        save(report, output)
        console.print(f"已保存 {output}", markup=False, highlight=False)
        findings = offer_render(output)
    except KeyboardInterrupt:
        if state["done"]:
            write_text(checkpoint, json.dumps(state, ensure_ascii=False, indent=1))
            raise WizardInterrupted(
                f"已中断，已填写的部分保存在 {checkpoint}。继续填写请运行：giagen wizard --resume {checkpoint}"
            ) from None
        raise WizardInterrupted("已中断，尚未保存任何内容。") from None
    checkpoint.unlink(missing_ok=True)
    return output, findings


def offer_render(output: Path) -> list:
    """Check the saved report; offer to render it only when it has no errors. Returns the findings."""

    findings = api.check([output])
    errors = [f for f in findings if f.severity == "error"]
    for f in findings:
        console.print(f"  {SEVERITY_NAMES[f.severity]} {f.message}", markup=False, highlight=False)
    if errors:
        console.print(
            f"有 {len(errors)} 个错误，暂不生成报告；改正后运行 giagen check {output}，"
            f"再运行 giagen render {output}",
            markup=False,
            highlight=False,
        )
    elif ask_yes("现在生成 DOCX 和 HTML 吗？", default=True):
        for path in api.render(output, output_dir=output.parent):
            console.print(f"已生成 {path}", markup=False, highlight=False)
    return findings


def _read_progress(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(state, dict) and isinstance(state.get("output"), str)
        assert isinstance(state.get("data"), dict) and isinstance(state.get("done"), list)
        assert all(step in STEPS for step in state["done"])
        data = state["data"]
        if state["done"]:  # the basics answered: what every later step relies on
            assert isinstance(data.get("agency"), str) and isinstance(data.get("year"), int)
            assert data.get("edition") == d.edition_for_year(data["year"]).id
        assert state.get("previous") is None or isinstance(state["previous"], str)
        return state
    except (OSError, ValueError, AssertionError, RecursionError):
        raise InputError(f"{path}：不是 giagen wizard 保存的进度文件") from None
