"""A province's own rules, as data: a TOML file of `[[rule]]` tables, checked like the official ones."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import definitions as d
from ..core.compose import other_text, standard_preamble
from ..core.exceptions import UsageError
from ..core.findings import ERROR, WARNING, Finding

KINDS = ("length", "require", "forbid", "deadline", "stated")
SECTIONS = {"overview": "一", "problems": "五", "other": "六", "preamble": "前言", "all": "全文"}
KEYS = {
    "length": {"min", "max"},
    "require": {"phrase", "pattern"},
    "forbid": {"phrase", "pattern"},
    "deadline": {"by", "date"},
    "stated": {"value", "near"},
}
COMMON = {"id", "severity", "message", "kind", "section", "editions"}


@dataclass(frozen=True)
class LocalRule:
    """One rule of the file: its code, severity, message, kind and what the kind needs."""

    id: str
    severity: str
    message: str
    kind: str
    section: str
    params: dict = field(default_factory=dict)
    editions: tuple[str, ...] = ()
    line: int = 0


def load_rules(path: str | Path) -> list[LocalRule]:
    """The rules of a TOML file; a file that is not right is refused naming its line (第 N 行)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise UsageError(f"{path}：无法读取规则文件（应为 UTF-8 编码的 TOML）") from None
    # lazy: tomllib only when a rules file is given; every check and round imports this module
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise UsageError(f"{path}：第 {line.group(1) if line else '?'} 行 TOML 格式错误") from None
    starts = [i + 1 for i, ln in enumerate(text.splitlines()) if ln.strip() == "[[rule]]"]
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise UsageError(f"{path}：没有 [[rule]] 规则")
    return [_rule(path, raw, starts[i] if i < len(starts) else 0) for i, raw in enumerate(tables)]


def _rule(path: Path, raw: dict, line: int) -> LocalRule:
    def refuse(why: str):
        raise UsageError(f"{path}：第 {line} 行的规则{why}")

    missing = [
        k
        for k in ("id", "message", "kind")
        if not isinstance(raw.get(k), str) or not raw[k].strip()
    ]
    if missing:
        refuse(f"缺少 {'、'.join(missing)}")
    kind = raw["kind"]
    if kind not in KINDS:
        refuse(f"的 kind “{kind}” 不认识，应为 {' | '.join(KINDS)}")
    unknown = set(raw) - COMMON - KEYS[kind]
    if unknown:
        refuse(f"有不认识的项：{'、'.join(sorted(unknown))}")
    severity = raw.get("severity", "warning")
    if severity not in (ERROR, WARNING):
        refuse(" severity 应为 error 或 warning")
    section = raw.get("section", "all")
    if kind != "deadline" and section not in SECTIONS:
        refuse(f"的 section “{section}” 不认识，应为 {' | '.join(SECTIONS)}")
    params = {k: raw[k] for k in KEYS[kind] if k in raw}
    if (
        kind == "length"
        and not ({"min", "max"} & set(params))
        or any(not isinstance(params.get(k, 0), int) for k in ("min", "max"))
    ):
        refuse(" 应有整数 min 或 max")
    if kind in ("require", "forbid"):
        if not ({"phrase", "pattern"} & set(params)):
            refuse(" 应有 phrase 或 pattern")
        try:
            params["regex"] = re.compile(
                params["pattern"] if "pattern" in params else re.escape(params["phrase"])
            )
        except (re.error, TypeError):
            refuse(" 的 pattern 不是有效的正则表达式")
    if (
        kind == "deadline"
        and not re.fullmatch(r"\d{2}-\d{2}", str(params.get("by", "")) or "")
        and not isinstance(params.get("date"), dt.date)
    ):
        refuse(' 应有 by = "01-31"（次年的月-日）或 date = 2025-01-31')
    if kind == "stated" and not _value_path(params.get("value")):
        refuse(' 的 value 应为报告中的数字，如 "requests.new_received.total"')
    editions = tuple(str(e) for e in raw.get("editions", ()))
    return LocalRule(
        raw["id"].strip(), severity, raw["message"].strip(), kind, section, params, editions, line
    )


def _value_path(value) -> tuple[str, ...] | None:
    if not isinstance(value, str):
        return None
    parts = tuple(value.split("."))
    return parts if len(parts) == 3 and parts[0] in d.TABLE_SECTIONS else None


def _text(report, section: str) -> str:
    """A section as it is published: the generated preamble, 六 with its 信息处理费 sentence."""

    texts = {
        "preamble": report.preamble if report.preamble is not None else standard_preamble(report),
        "overview": report.overview or "",
        "problems": report.problems or "",
        "other": other_text(report),
    }
    return "\n".join(texts.values()) if section == "all" else texts[section]


def check_local(report, rules: list[LocalRule]) -> list[Finding]:
    """The findings of the local rules for `report`; each carries its rule's id."""
    found = []
    for rule in rules:
        if rule.editions and report.edition not in rule.editions:
            continue
        problem = _broken(report, rule)
        if problem:
            where = SECTIONS.get(rule.section, "") if rule.kind != "deadline" else "落款日期"
            key = (
                d.text_key(rule.section)
                if rule.section in d.PROSE_SECTIONS
                else (None, rule.section, None)
            )
            found.append(
                Finding(
                    rule.id,
                    rule.severity,
                    key[0],
                    key[1] if rule.kind != "deadline" else "date",
                    None,
                    None,
                    None,
                    f"{rule.message}（{where}：{problem}）",
                )
            )
    return found


def _broken(report, rule: LocalRule) -> str | None:
    """Why `report` breaks `rule`, in a few words; None when it does not."""
    p = rule.params
    if rule.kind == "length":
        n = len(re.sub(r"\s", "", _text(report, rule.section)))
        if "max" in p and n > p["max"]:
            return f"{n} 字，多于 {p['max']} 字"
        if "min" in p and n < p["min"]:
            return f"{n} 字，少于 {p['min']} 字"
    elif rule.kind in ("require", "forbid"):
        match = p["regex"].search(_text(report, rule.section))
        if rule.kind == "require" and not match:
            return f"没有“{p.get('phrase') or p.get('pattern')}”"
        if rule.kind == "forbid" and match:
            return f"有“{match.group(0)}”"
    elif rule.kind == "deadline":
        due = p["date"] if "date" in p else dt.date(report.year + 1, *map(int, p["by"].split("-")))
        if report.date is None:
            return "没有落款日期"
        if report.date > due:
            return f"{report.date:%Y-%m-%d} 晚于 {due:%Y-%m-%d}"
    elif rule.kind == "stated":
        table, row, column = _value_path(p["value"])
        value = getattr(report, table).get(row, {}).get(column)
        text = _text(report, rule.section)
        near = p.get("near")
        numbers = [
            m
            for m in re.finditer(r"\d+", text)
            if not near or near in text[max(0, m.start() - 20) : m.start()]
        ]
        if value is not None and str(value) not in {m.group(0) for m in numbers}:
            return f"没有写明 {value}" + (f"（在“{near}”之后）" if near else "")
    return None
