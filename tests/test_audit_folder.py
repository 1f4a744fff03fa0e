"""Auditing a folder of published reports: years chained by agency, an index and a CSV."""

import csv
import random

import published_variants as pv
import pytest

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
    # every file has its line, the picture too (its numbers cannot be read)
    assert len(lines) == 5 and sum("无法读取" in ln for ln in lines) == 2
    # 甲局 2023 is checked against 甲局 2022 without --previous: its carry-over differs
    carried = last.requests["carried_forward"] != this.requests["carried_over"]
    rows = list(csv.DictReader((out / "findings.csv").read_text(encoding="utf-8-sig").splitlines()))
    rules_of = {(r["机关"], r["年度"], r["规则"]) for r in rows}
    assert (("甲局", "2023", "PREV-CARRY") in rules_of) == carried
    assert any(r["规则"] == "INPUT" and "坏文件" in r["文件"] for r in rows)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<tr>") == 6 and "无法读取" in index and "甲局" in index
    assert (out / "findings.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_folder_audit_as_json_names_each_file(giagen, tmp_path):
    folder, _, _ = _folder(tmp_path)
    findings = giagen("audit", "--json", folder).json()
    assert all(f["file"] for f in findings)
    assert {f["file"].rsplit("/", 1)[-1] for f in findings} >= {"坏文件.html"}


def test_a_renamed_agencys_years_are_chained_and_said(tmp_path):
    import random

    from giagen.api import audit, render
    from giagen.core.synthetic import synthetic_report
    from giagen.pipeline.reports import save

    rng = random.Random(24)
    earlier = synthetic_report(rng, year=2023, agency="洪泽区人民政府", busy=True)
    later = synthetic_report(rng, year=2024, agency="淮安市洪泽区人民政府", busy=True)
    data = later.to_data()
    data["requests"]["carried_over"]["natural_person"] = (
        earlier.requests["carried_forward"]["natural_person"] + 1
    )
    for row in data["requests"].values():
        row.pop("total", None)
    data["requests"].pop("total", None)
    from giagen.core.model import report_from_data

    later = report_from_data(data)[0]
    folder = tmp_path / "年报"
    for report, name in ((earlier, "2023"), (later, "2024")):
        source = save(report, tmp_path / f"{name}.json")
        render(source, to=("html",), output_dir=folder, draft=True)
    (folder / "2024.fragment.html").unlink()
    (folder / "2023.fragment.html").unlink()
    (folder / "扫描件.jpg").write_bytes(b"\xff\xd8\xff\xe0")
    results = {r.path.name: r for r in audit([folder])}
    assert set(results) == {"2023.html", "2024.html", "扫描件.jpg"}  # every file its line
    assert results["扫描件.jpg"].status == "无法读取" and "图片" in results["扫描件.jpg"].reason
    rules = {f.rule for f in results["2024.html"].findings}
    assert {"PREV-CARRY", "CHAIN-NAMES"} <= rules
    said = next(f for f in results["2024.html"].findings if f.rule == "CHAIN-NAMES")
    assert "洪泽区人民政府" in said.message and "淮安市洪泽区人民政府" in said.message


def test_agencies_of_one_name_in_two_regions_stay_apart():
    from giagen.core.identity import agency_keys

    keys = agency_keys(["南京市鼓楼区人民政府", "福州市鼓楼区人民政府", "鼓楼区人民政府"])
    assert len(set(keys.values())) == 3
    keys = agency_keys(["洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府"])
    assert len({keys["洪泽区人民政府"], keys["淮安市洪泽区人民政府"]}) == 1


def test_agency_keys_are_those_of_comparing_every_pair_of_names():
    """The keys are found from each name's own ends; comparing every pair (the way it was
    done, square in the names) gives the same keys, on generated names of a province."""
    import random

    from giagen.core.identity import _REGION_PREFIX, _without_suffix, agency_keys, name_key

    def pairwise(names):
        keys = {n: _without_suffix(name_key(n)) for n in {n for n in names if n}}
        distinct = set(keys.values())
        into = {}
        for key in distinct:
            shorter = [
                s
                for s in distinct
                if s != key and key.endswith(s) and _REGION_PREFIX.fullmatch(key[: -len(s)])
            ]
            if len(shorter) == 1:
                into[key] = shorter[0]
        sources = {}
        for key, target in into.items():
            sources.setdefault(target, set()).add(key)
        for folded in sources.values():
            if len(folded) > 1:
                for key in folded:
                    del into[key]
        return {n: into.get(k, k) for n, k in keys.items()}

    regions = ["江苏省", "淮安市", "洪泽区", "南京市", "鼓楼区", "福州市", "某某县", "内蒙古自治区",
               "呼伦贝尔市", "鄂温克族自治旗", "延边朝鲜族自治州", "市", "区", ""]  # fmt: skip
    bodies = ["人民政府", "人民政府办公室", "教育局", "统计局", "财政局", "区教育局", "办公室",
              "市场监督管理局", "县", "局", ""]  # fmt: skip
    rng = random.Random(7)
    for _ in range(200):
        names = [
            "".join(rng.choice(regions) for _ in range(rng.randint(0, 3))) + rng.choice(bodies)
            for _ in range(rng.randint(0, 40))
        ]
        assert agency_keys(names) == pairwise(names), names


def test_auditing_a_folder_again_reads_only_the_pages_that_changed(tmp_path, monkeypatch):
    from giagen.api import audit
    from giagen.published import importer

    folder, last, this = _folder(tmp_path)
    out = tmp_path / "审核"
    first = [(r.path.name, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]
    read = []
    real = importer.import_data
    monkeypatch.setattr(
        importer, "import_data", lambda path, *a: read.append(path) or real(path, *a)
    )
    again = [(r.path.name, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]
    assert again == first and read == []  # nothing changed: nothing read, the same findings
    changed = folder / "2023" / "乙局2023.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    audit([folder], out)
    assert [p.name for p in read] == ["乙局2023.txt"]


def test_what_another_version_of_giagen_kept_is_read_again(tmp_path, monkeypatch):
    """After an upgrade (here, its code's digest changed) every page is read anew: a fix to
    reading is never hidden by what the older giagen kept."""
    from giagen.api import audit
    from giagen.published import importer
    from giagen.round import auditcache

    folder, _, _ = _folder(tmp_path)
    out = tmp_path / "审核"
    read = []
    real = importer.import_data
    monkeypatch.setattr(
        importer, "import_data", lambda path, *a: read.append(path.name) or real(path, *a)
    )
    audit([folder], out)
    first, read[:] = sorted(read), []
    audit([folder], out)
    assert read == [] and first
    monkeypatch.setattr(auditcache, "code_digest", lambda: "another version")
    audit([folder], out)
    assert sorted(read) == first


def test_an_audit_on_two_cores_finds_what_one_core_finds(tmp_path):
    from giagen.api import audit

    folder = tmp_path / "年报"
    folder.mkdir()
    for i in range(12):
        report = synthetic_report(
            random.Random(i), year=2022 + i % 2, agency=f"第{i // 2}局", busy=i % 3 == 0
        )
        (folder / f"p{i:02d}.html").write_text(_page(report), encoding="utf-8")
    (folder / "坏.html").write_text("<html><body>页面不存在</body></html>", encoding="utf-8")

    def seen(results):
        return [(r.path.name, r.status, r.reason, [f.message for f in r.findings]) for r in results]

    assert seen(audit([folder], jobs=2)) == seen(audit([folder], jobs=1))


def test_an_audits_memory_out_of_form_is_read_again_not_believed(tmp_path):
    """An entry of the audit's memory that leaves the report's form (a file edited by hand) is
    not used: its page is read again, and says what it said the first time."""
    import json

    from giagen.api import audit
    from giagen.round.auditcache import read_cache

    folder, last, this = _folder(tmp_path)
    out = tmp_path / "审核"
    first = [(r.path.name, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]
    memory = out / ".giagen-audit.json"
    entries = json.loads(memory.read_text(encoding="utf-8"))
    for entry in entries.values():
        if "report" in entry:
            entry["report"]["requests"] = {"no_such_row": {}}
    lines = [f"{json.dumps(k)}:{json.dumps(e, ensure_ascii=False)}" for k, e in entries.items()]
    memory.write_text("{\n" + ",\n".join(lines) + "\n}", encoding="utf-8")  # as it is written
    assert read_cache(out).keys() == entries.keys()  # the edited entries are found, and refused
    again = [(r.path.name, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]
    assert again == first
    memory.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")  # not a line each
    assert read_cache(out) == {}


def test_a_figure_edited_in_the_audits_memory_is_not_believed(tmp_path):
    """An entry still in the report's form, a figure of it changed (by hand, or a damaged disk):
    its check says so, and its page is read again and says what it said the first time."""
    from giagen.api import audit
    from giagen.round.auditcache import CACHE

    folder, last, this = _folder(tmp_path)
    out = tmp_path / "审核"
    first = [(r.path.name, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]
    memory = out / CACHE
    text = memory.read_text(encoding="utf-8")
    edited = text.replace(
        '"new_received": {"natural_person": ', '"new_received": {"natural_person": 9'
    )
    assert edited != text
    memory.write_text(edited, encoding="utf-8")
    again = [(r.path.name, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]
    assert again == first
    assert memory.read_text(encoding="utf-8") == text  # each page's entry written anew


@pytest.mark.parametrize("name", [".giagen-audit.json", "findings.csv", "index.html"])
def test_an_output_that_is_a_folder_is_refused_before_any_page_is_read(
    tmp_path, monkeypatch, giagen, name
):
    """A province's pages take a minute to read: an output that could not be written is said
    at once, not after them."""
    from giagen.round import auditing

    folder, last, this = _folder(tmp_path)
    out = tmp_path / "审核"
    (out / name).mkdir(parents=True)

    def never(*args, **kwargs):
        raise AssertionError("a page was read")

    monkeypatch.setattr(auditing, "_each", never)
    run = giagen("audit", folder, "-o", out)
    assert run.code == 2 and f"无法写入 {out / name}：这是文件夹" in run.stderr, run.stderr
    assert sorted(p.name for p in out.iterdir()) == [name]


@pytest.mark.parametrize("inside", ["审核", "."])
def test_an_output_kept_in_the_folder_audited_is_no_report_of_the_next_audit(tmp_path, inside):
    """`giagen audit 年报 -o 年报/审核` (or `-o 年报`) run again: its own index.html and
    findings.csv are not audited as reports; the second audit says what the first said."""
    from giagen.api import audit

    folder, last, this = _folder(tmp_path)
    out = folder / inside

    def said():
        return [(r.path, r.status, [f.message for f in r.findings]) for r in audit([folder], out)]

    first = said()
    assert (out / "index.html").exists() and (out / "findings.csv").exists()
    assert said() == first


def test_a_link_to_a_folder_elsewhere_is_a_row_of_its_own_not_a_silence(tmp_path):
    """`年报/2021 → /elsewhere/2021`: its reports are not audited (as a round does not follow
    such links), and the reviewer is told so on its row; a link back into the folder is read
    where it leads, once."""
    from giagen.api import audit

    folder, last, this = _folder(tmp_path)
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (elsewhere / "丙局2021.html").write_text(_page(last), encoding="utf-8")
    try:
        (folder / "2021").symlink_to(elsewhere, target_is_directory=True)
        (folder / "2023" / "上一级").symlink_to(folder, target_is_directory=True)
    except OSError:
        pytest.skip("no symbolic links here")
    results = {r.path: r for r in audit([folder])}
    assert "链接" in results[folder / "2021"].reason
    assert folder / "2023" / "上一级" not in results
    assert not any("丙局" in str(p) for p in results)
    assert sum(p.name == "甲局2022.html" for p in results) == 1


@pytest.mark.parametrize(
    "option, said",
    [
        (("--against", "没有这个文件夹"), "--against：{tmp}/没有这个文件夹：文件或文件夹不存在"),
        (("--previous", "坏.docx"), "{tmp}/坏.docx："),
    ],
)
def test_a_wrong_previous_or_against_is_said_before_any_page_is_read(
    tmp_path, monkeypatch, giagen, option, said
):
    """A mistyped --against is not a source missing for every page, and an unreadable
    --previous is said at once, not after a province's pages."""
    from giagen.round import auditing

    folder, last, this = _folder(tmp_path)
    (tmp_path / "坏.docx").write_bytes(b"not a document")

    def never(*args, **kwargs):
        raise AssertionError("a page was read")

    monkeypatch.setattr(auditing, "_each", never)
    name, value = option
    run = giagen("audit", folder, name, tmp_path / value)
    assert run.code == 2 and said.format(tmp=tmp_path) in run.stderr, run.stderr


def test_a_file_that_is_not_there_is_said_so_in_chinese(giagen, tmp_path):
    run = giagen("audit", tmp_path / "没有.html")
    assert run.code == 2 and "文件不存在" in run.stdout, run.stdout
    assert "No such file" not in run.stdout + run.stderr


def test_copies_between_units_are_found_again_from_the_audits_memory(tmp_path):
    """Each page's prose sketches are kept in the audit's memory: auditing again finds the same
    copies between units without sketching the pages again, and sketches that are not sketches
    (a memory edited by hand) are made again rather than believed."""
    import json

    from giagen.api import audit

    folder = tmp_path / "年报"
    folder.mkdir()
    prose = "，".join(
        f"第{i}项工作坚持以公开为常态不公开为例外并加强组织领导完善机制" for i in range(12)
    )
    for i, agency in enumerate(["某某县甲局", "某某县乙局", "某某县丙局"]):
        report = synthetic_report(random.Random(i), year=2023, agency=agency)
        own = prose if i < 2 else "，".join(f"丙局自己的第{n}件事做得很好" for n in range(30))
        (folder / f"{i}.html").write_text(_page(report.replace(overview=own)), encoding="utf-8")
    out = tmp_path / "审核"

    def copies():
        return sorted(
            (r.path.name, f.message) for r in audit([folder], out) for f in r.findings
            if f.rule == "PROSE-COPIED"
        )  # fmt: skip

    first = copies()
    assert [name for name, _ in first] == ["0.html", "1.html"]
    memory = out / ".giagen-audit.json"
    entries = json.loads(memory.read_text(encoding="utf-8"))
    assert all(0 < len(e["sketches"]["一"]) <= 16 * 64 for e in entries.values())
    assert copies() == first  # from memory
    for entry, bad in zip(entries.values(), ["不是十六进制", ["1", "2"], "abc"]):
        entry["sketches"]["一"] = bad
    memory.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    assert copies() == first


def test_an_entry_of_the_memory_is_read_where_it_stands_and_only_as_its_own(tmp_path):
    """Each entry is read from where the memory file had it; when the file has been written
    again since (another audit into the same folder), a line that is no longer the page's own is
    not taken for it."""
    import json

    from giagen.api import audit
    from giagen.round.auditcache import CACHE, kept_text, read_cache

    folder, last, this = _folder(tmp_path)
    out = tmp_path / "审核"
    audit([folder], out)
    memory = out / CACHE
    whole = json.loads(memory.read_text(encoding="utf-8"))
    where = read_cache(out)
    assert set(where) == set(whole) and all(isinstance(at, tuple) for at in where.values())
    for entry in whole.values():
        assert entry.pop("check")  # each entry as written carries its check
    for key, entry in whole.items():
        assert json.loads(kept_text(out, where, key)) == entry
    lines = memory.read_text(encoding="utf-8").split("\n")
    body = [line.rstrip(",") for line in lines[1:-1]]
    memory.write_text("{\n" + ",\n".join(reversed(body)) + "\n}", encoding="utf-8")
    for key, entry in whole.items():
        text = kept_text(out, where, key)
        assert text is None or json.loads(text) == entry
    assert any(kept_text(out, where, key) is None for key in whole)
