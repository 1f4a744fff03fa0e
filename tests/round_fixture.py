"""A county's round as it really goes: 30 units, most fine, some doing what real units do.

`make_round(folder)` writes the unit list (GBK, a title row above the header, a 序号 column,
a 本级 column), sends every unit its workbook with `giagen template --agencies`, and fills
the returned files: 18 correct, 2 with cross-sum errors, 2 returned blank, 1 with 无 typed
in count cells, 1 with an amount in 元 typed in a 万元 cell, 1 whose agency name was retyped
with full-width brackets, 1 that sent last year's file, 1 that sent two files (the newer
one right), 2 that sent nothing, and the 本级 office. It returns what each unit's status
must be.
"""

from __future__ import annotations

import os
import random
import shutil
import time
from pathlib import Path

from giagen.api import template
from giagen.core.synthetic import synthetic_report
from giagen.pipeline.reports import save
from giagen.workbook.cells import cell_map
from giagen.workbook.xlsxpatch import PatchableWorkbook

YEAR = 2025
REGION = "某某县"
OWN = "某某县人民政府办公室"
NAMES = [
    "某某县发展和改革局",
    "某某县教育局",
    "某某县科技局",
    "某某县工业和信息化局",
    "某某县公安局",
    "某某县民政局",
    "某某县司法局",
    "某某县财政局",
    "某某县人力资源和社会保障局",
    "某某县自然资源局",
    "某某县生态环境分局",
    "某某县住房和城乡建设局",
    "某某县交通运输局",
    "某某县水利局",
    "某某县农业农村局",
    "某某县商务局",
    "某某县文化和旅游局",
    "某某县卫生健康局",
    "某某县退役军人事务局",
    "某某县应急管理局",
    "某某县审计局",
    "某某县市场监督管理局",
    "某某县统计局",
    "某某县医疗保障局",
    "某某县林业局",
    "某某县城市管理局(综合执法局)",
    "某某县信访局",
    "某某县数据局",
    "某某县档案馆",
    OWN,
]
CASES = {  # unit → what it does, and the status that follows
    "某某县公安局": ("cross-sum", "有错误"),
    "某某县民政局": ("cross-sum", "有错误"),
    "某某县司法局": ("blank", "未填写"),
    "某某县财政局": ("blank", "未填写"),
    "某某县自然资源局": ("无", "有错误"),
    "某某县生态环境分局": ("元", "有错误"),
    "某某县城市管理局(综合执法局)": ("brackets", "可发布"),
    "某某县审计局": ("last-year", "年度不符"),
    "某某县统计局": ("two-files", "可发布"),
    "某某县信访局": ("missing", "未报送"),
    "某某县数据局": ("missing", "未报送"),
    OWN: ("own", "可发布"),
}
DEADLINE = "2026-01-20"
LATE = "某某县交通运输局"  # a correct unit whose file arrived after the deadline


def unit_list(path: Path):
    """The list as a county office keeps it: GBK, a title row, 序号, 本级, 联系人."""
    lines = [
        f"{REGION}{YEAR}年政府信息公开工作年度报告报送单位名单,,,",
        "序号,单位名称,本级,联系人",
    ]
    for i, name in enumerate(NAMES, start=1):
        lines.append(f"{i},{name},{'是' if name == OWN else ''},联系人{i}")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))


def report(name: str, seed: int, year: int = YEAR):
    return synthetic_report(random.Random(seed), year=year, agency=name, busy=seed % 4 == 0)


def _when(path: Path, day: str, hour: int = 10):
    stamp = time.mktime(time.strptime(f"{day} {hour}", "%Y-%m-%d %H"))
    os.utime(path, (stamp, stamp))


def make_round(folder: Path) -> dict[str, str]:
    """The list, the workbooks sent out, and the files collected; what each unit's status must be."""
    listing = folder / "单位名单.csv"
    unit_list(listing)
    sent, back = folder / "发出", folder / "收回"
    template(YEAR, sent, agencies=listing)
    back.mkdir()
    expected = {}
    for seed, name in enumerate(NAMES):
        case, status = CASES.get(name, ("correct", "可发布"))
        expected[name] = status
        target = back / f"{name}.xlsx"
        if case == "missing":
            continue
        if case == "blank":
            shutil.copy(sent / f"{name}.xlsx", target)
        elif case == "last-year":
            save(report(name, seed, YEAR - 1), target)
        elif case == "brackets":
            save(report(name.replace("(", "（").replace(")", "）"), seed), target)
        elif case == "cross-sum":
            wrong = report(name, seed)
            data = wrong.to_data()
            data["requests"]["total"]["natural_person"] += 2
            from giagen.core.model import report_from_data

            save(report_from_data(data)[0], target)
        elif case in ("无", "元"):
            save(report(name, seed), target)
            ref = cell_map("2021")[
                ("三", "granted", "natural_person")
                if case == "无"
                else ("二", "admin_fees", "amount_wan")
            ]
            patched = PatchableWorkbook(target.read_bytes()).fill(
                {ref: "无" if case == "无" else 35600}
            )
            target.write_bytes(patched)
        elif case == "two-files":
            first = back / f"{name}（第一次）.xlsx"
            wrong = report(name, seed).to_data()
            wrong["requests"]["total"]["total"] += 1
            from giagen.core.model import report_from_data

            save(report_from_data(wrong)[0], first)
            _when(first, "2026-01-10")
            save(report(name, seed), target)
        else:
            save(report(name, seed), target)
        _when(target, "2026-01-25" if name == LATE else "2026-01-15")
    return expected


CORRECTED = ("某某县公安局", "某某县民政局", "某某县自然资源局")


def correct(folder: Path):
    """Three units send their corrected files."""
    for name in CORRECTED:
        seed = NAMES.index(name)
        path = folder / "收回" / f"{name}.xlsx"
        save(report(name, seed), path)
        _when(path, "2026-01-18")
