"""A published report against what it was made from: every number and paragraph that differs."""

from __future__ import annotations

import difflib
from pathlib import Path

from ..checks.provenance import unreadable
from ..core import definitions as d
from ..core.compose import compose
from ..core.exceptions import GiagenError
from ..core.findings import WARNING, Finding
from ..core.identity import name_key
from .collecting import report_files
from .reports import load


def _paragraphs(report) -> dict[str, list[str]]:
    """Each prose part as published, a paragraph a line: lead and text together."""

    c = compose(report)
    parts = {"前言": [p.lead + p.text for p in c.preamble]}
    for s in c.sections:
        if s.table is None:
            parts[s.key] = [p.lead + p.text for p in s.paragraphs]
    return parts


def differences(published, source, where: str = "") -> list[Finding]:
    """What the published report shows differently from its source: numbers, paragraphs, identity."""
    found = []
    for field, name in (("agency", "机关名称"), ("year", "报告年度"), ("date", "落款日期")):
        a, b = getattr(published, field), getattr(source, field)
        if a is not None and b is not None and a != b:
            found.append(
                Finding(
                    "CHANGED-IDENTITY",
                    WARNING,
                    None,
                    field,
                    None,
                    str(b),
                    str(a),
                    f"{name}：发布稿为“{a}”，原稿为“{b}”",
                )
            )
    if published.edition != source.edition:
        found.append(
            Finding(
                "CHANGED-IDENTITY",
                WARNING,
                None,
                "edition",
                None,
                source.edition,
                published.edition,
                "发布稿与原稿的格式版本不同，表格无法逐格比对",
            )
        )
        return found
    lost = unreadable(published)
    for table, section in d.TABLE_SECTIONS.items():
        lines, fields_of = d.table_shape(published.spec, table)
        for line in lines:
            if (table, None) in lost or (table, line.id) in lost:
                continue
            for f in fields_of(line.id):
                a, b = (
                    getattr(published, table)[line.id][f.id],
                    getattr(source, table)[line.id][f.id],
                )
                if (a or 0) != (b or 0):
                    place = d.describe(published.spec, section, line.id, f.id)
                    found.append(
                        Finding(
                            "CHANGED-NUMBER",
                            WARNING,
                            section,
                            line.id,
                            f.id,
                            b,
                            a,
                            f"{place}：发布稿为 {a}，原稿为 {b}",
                        )
                    )
    before, after = _paragraphs(source), _paragraphs(published)
    for key, old in before.items():
        new = after.get(key, [])
        title = d.SECTION_TITLES.get(key, key)
        matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            what = {"replace": "改动", "delete": "删去", "insert": "增加"}[op]
            shown = "“" + (new[j1] if op != "delete" else old[i1])[:40] + "”"
            if op == "replace" and i2 - i1 == j2 - j1:  # paragraphs changed in place: the words
                shown = "；".join(
                    f"第 {j1 + k + 1} 段{changed_words(old[i1 + k], new[j1 + k])}"
                    for k in range(i2 - i1)
                )
                what = ""
            at = j1 + 1 if op != "delete" else i1 + 1
            found.append(
                Finding(
                    "CHANGED-TEXT",
                    WARNING,
                    key if key in d.SECTION_TITLES else None,
                    None,
                    None,
                    " ".join(old[i1:i2])[:80] or None,
                    " ".join(new[j1:j2])[:80] or None,
                    f"{title}第 {at} 段{what}：{shown}" if what else f"{title}{shown}",
                )
            )
    for f in found:
        f.file = where or None
    return found


def changed_words(old: str, new: str, most: int = 3) -> str:
    """What changed in a paragraph, as the words removed and added (characters, in Chinese)."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    said = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        removed, added = _short(old[i1:i2]), _short(new[j1:j2])
        if op == "replace":
            said.append(f"“{removed}”改为“{added}”")
        elif op == "delete":
            said.append(f"删去“{removed}”")
        else:
            before = old[max(0, i1 - 6) : i1]
            said.append(f"在“{before}”后增加“{added}”" if before else f"开头增加“{added}”")
    more = f"等 {len(said)} 处" if len(said) > most else ""
    return "：" + "，".join(said[:most]) + more if said else "：空白不同"


def _short(text: str, room: int = 30) -> str:
    return text if len(text) <= room else text[: room - 8] + "…" + text[-6:]


def compare(published: str | Path, source: str | Path, given=None) -> list[Finding]:
    """`giagen compare`: a published report (page, DOCX, PDF, text) against its workbook, JSON
    or an earlier copy of the page."""

    return differences(load(published, given).report, load(source).report, str(published))


def sources_by_agency(paths) -> dict[tuple[str, int], object]:
    """The reports under `paths` (files or folders) by (agency, year), for `audit --against`."""

    found = {}
    for path in report_files([paths] if isinstance(paths, (str, Path)) else paths):
        try:
            report = load(path).report
        except GiagenError:
            continue
        found.setdefault((name_key(report.agency), report.year), report)
    return found
