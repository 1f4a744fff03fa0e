"""Auditing a folder of published reports: years chained by agency, an index and a CSV."""

import csv
import random

import published_variants as pv

from giagen.core.synthetic import synthetic_report


def _page(report) -> str:
    return pv.saved_page(pv.article(pv.blocks_of(report)))


def _folder(tmp_path):
    folder = tmp_path / "年报"
    (folder / "2023").mkdir(parents=True)
    last = synthetic_report(random.Random(1), year=2022, agency="甲局", busy=True)
    this = synthetic_report(random.Random(2), year=2023, agency="甲　局", busy=True)
    other = synthetic_report(random.Random(3), year=2023, agency="乙局")
    (folder / "甲局2022.html").write_text(_page(last), encoding="utf-8")
    (folder / "2023" / "甲局2023.htm").write_text(_page(this), encoding="utf-8")
    (folder / "2023" / "乙局2023.txt").write_text(pv.tabbed(pv.blocks_of(other)), encoding="utf-8")
    (folder / "2023" / "坏文件.html").write_text(
        "<html><body>页面不存在</body></html>", encoding="utf-8"
    )
    (folder / "logo.png").write_bytes(b"\x89PNG")
    return folder, last, this


def test_folder_audit_chains_years_and_writes_index_and_csv(giagen, tmp_path):
    folder, last, this = _folder(tmp_path)
    out = tmp_path / "审核"
    run = giagen("audit", folder, "-o", out)
    assert run.code == 1
    lines = [ln for ln in run.stdout.splitlines() if ln.strip()]
    assert len(lines) == 4 and sum("无法读取" in ln for ln in lines) == 1
    # 甲局 2023 is checked against 甲局 2022 without --previous: its carry-over differs
    carried = last.requests["carried_forward"] != this.requests["carried_over"]
    rows = list(csv.DictReader((out / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    rules_of = {(r["机关"], r["年度"], r["规则"]) for r in rows}
    assert (("甲局", "2023", "PREV-CARRY") in rules_of) == carried
    assert any(r["规则"] == "INPUT" and "坏文件" in r["文件"] for r in rows)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == 5 and "无法读取" in index and "甲局" in index
    assert (out / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_folder_audit_as_json_names_each_file(giagen, tmp_path):
    folder, _, _ = _folder(tmp_path)
    findings = giagen("audit", "--json", folder).json()
    assert all(f["file"] for f in findings)
    assert {f["file"].rsplit("/", 1)[-1] for f in findings} >= {"坏文件.html"}
