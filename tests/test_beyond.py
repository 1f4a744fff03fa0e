"""Beyond the 勾稽: local rules as data, prose against tables and the year, copied reports, changes after publication."""

import json
import random
import re
import shutil

import pytest
from conftest import EXAMPLES

from giagen.checks.rules import check
from giagen.core.model import report_from_data
from giagen.core.synthetic import synthetic_report

RULES = EXAMPLES / "local-rules.toml"


def data(**changes):
    d = synthetic_report(random.Random(4), year=2023, agency="甲局", busy=True).to_data()
    d.update(changes)
    return d


def rules_of(d, **kw) -> dict:
    report, _ = report_from_data(d)
    return {f.rule: f for f in check(report, **kw)}


# ---- Local rules ---------------------------------------------------------------------------------


def write_rules(tmp_path, text: str):
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "rule, breaks, keeps",
    [
        ('kind = "length"\nsection = "overview"\nmax = 20', "一" * 30, "一" * 10),
        ('kind = "length"\nsection = "problems"\nmin = 50', "问题" * 10, "问题" * 40),
        (
            'kind = "require"\nsection = "overview"\nphrase = "政府网站"',
            "没有那个词",
            "以政府网站为第一平台",
        ),
        ('kind = "forbid"\nsection = "all"\npattern = "某某|XX局"', "某某局负责", "本局负责"),
    ],
)
def test_each_kind_of_local_rule(giagen, tmp_path, rule, breaks, keeps):
    path = write_rules(
        tmp_path, f'[[rule]]\nid = "LOCAL-X"\nseverity = "error"\nmessage = "本地要求"\n{rule}\n'
    )
    field = "problems" if "problems" in rule else "overview"
    for text, expected in ((breaks, 1), (keeps, 0)):
        source = tmp_path / "r.json"
        source.write_text(json.dumps(data(**{field: text}), ensure_ascii=False), encoding="utf-8")
        found = [
            f
            for f in giagen("check", "--json", source, "--rules", path).json()
            if f["rule"] == "LOCAL-X"
        ]
        assert len(found) == expected, (text, found)


def test_deadline_and_stated_number(giagen, tmp_path):
    path = write_rules(
        tmp_path,
        '[[rule]]\nid = "LOCAL-DUE"\nmessage = "1 月 20 日前"\nkind = "deadline"\nby = "01-20"\n'
        '\n[[rule]]\nid = "LOCAL-N"\nmessage = "写明新收件数"\nkind = "stated"\n'
        'section = "overview"\nvalue = "requests.new_received.total"\nnear = "申请"\n',
    )
    d = data(date="2024-01-25")
    n = report_from_data(d)[0].requests["new_received"]["total"]
    source = tmp_path / "r.json"
    source.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    found = {f["rule"] for f in giagen("check", "--json", source, "--rules", path).json()}
    assert {"LOCAL-DUE", "LOCAL-N"} <= found
    d.update(date="2024-01-18", overview=d["overview"] + f"\n全年共收到政府信息公开申请{n}件。")
    source.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    found = {f["rule"] for f in giagen("check", "--json", source, "--rules", path).json()}
    assert not {"LOCAL-DUE", "LOCAL-N"} & found


@pytest.mark.parametrize(
    "text, line",
    [
        (
            '[[rule]]\nid = "A"\nmessage = "m"\nkind = "length"\nmax = 3\n\n[[rule]]\nid = "B"\nmessage = "m"\nkind = "sometimes"\n',
            7,
        ),
        ('[[rule]]\nid = "A"\nmessage = "m"\nkind = "length" max = 3\n', 4),
        ('[[rule]]\nid = "A"\nkind = "forbid"\n', 1),
        ('[[rule]]\nid = "A"\nmessage = "m"\nkind = "require"\npattern = "("\n', 1),
    ],
)
def test_a_malformed_rules_file_is_refused_naming_its_line(giagen, tmp_path, text, line):
    run = giagen("check", EXAMPLES / "xigong-2023.json", "--rules", write_rules(tmp_path, text))
    assert run.code == 2 and f"第 {line} 行" in run.stderr and "Traceback" not in run.stderr


def test_the_example_rules_run_over_the_examples(giagen):
    findings = giagen("check", "--json", *sorted(EXAMPLES.glob("*.xlsx")), "--rules", RULES).json()
    rules = {f["rule"] for f in findings}
    assert rules <= {"LOCAL-STATED-REQUESTS", "LOCAL-FEE-STATEMENT"} and rules
    assert all(f["rule"].startswith("LOCAL-") for f in findings)


# ---- Prose against the tables and the year ------------------------------------------------------


def test_counts_in_five_and_six_are_checked_too():
    d = data(problems=data()["problems"] + "本年度发生行政复议99件。")
    assert rules_of(d)["TEXT-TABLE"].section == "五"


@pytest.mark.parametrize(
    "section, sentence, figure, value",
    [
        ("overview", "全年申请均已按时答复，全部办结。", "carried_forward", 3),
        ("overview", "本年度未收到政府信息公开申请。", "new_received", 5),
        ("problems", "本年度未发生政府信息公开行政复议案件。", "review", 1),
        ("other", "本年度未收取任何费用。", "fee", 100),
    ],
)
def test_statements_the_tables_contradict(section, sentence, figure, value):
    d = data(**{section: sentence + "其他工作正常开展，各项制度落实到位，取得了较好的成效。"})
    d["requests"] = {
        "new_received": {"natural_person": 5},
        "granted": {"natural_person": 2},
        "carried_forward": {"natural_person": 3},
    }
    d["litigation"] = {"review": {"upheld": 1}}
    d["processing_fee"] = {"notices": 1, "notice_amount_yuan": "100", "collected_yuan": "100"}
    found = [f for f in check(report_from_data(d)[0]) if f.rule == "PROSE-TABLE"]
    assert [(f.row, f.actual) for f in found] == [(figure, value)]
    assert sentence[:6] in found[0].message


def test_a_fee_said_collected_when_none_was():
    d = data(other="本年度实际收取信息处理费共120元。")
    assert rules_of(d)["PROSE-TABLE"].row == "fee"


def test_the_wrong_year_in_the_prose_is_named_by_its_paragraph():
    d = data(overview="（一）主动公开情况。依法公开。\n2022年，我局坚持依法公开，取得了成效。")
    finding = rules_of(d)["PROSE-YEAR"]
    assert "第 2 段" in finding.message and finding.actual == 2022
    quiet = data(overview="与2022年相比，申请数量有所增加。2022年以来持续推进公开。")
    assert "PROSE-YEAR" not in rules_of(quiet)


@pytest.mark.parametrize("text", ["无", "暂无。", "暂无问题", "公开不够及时。"])
def test_a_five_that_says_nothing(text):
    assert "PROBLEMS-EMPTY" in rules_of(data(problems=text))


# ---- Copied between units --------------------------------------------------------------------------

LONG = (
    "（一）主动公开情况。本单位严格落实条例要求，围绕中心工作，通过门户网站、政务新媒体等渠道及时公开政策文件、"
    "财政预决算、重点领域信息，持续加强政策解读和回应关切，公开的及时性、准确性不断提升。\n"
    "（二）政府信息管理。健全发布审核机制，严格执行保密审查，动态调整主动公开基本目录，规范公开内容。"
)


def test_copied_units_in_a_batch_and_none_for_a_shared_preamble(tmp_path):
    from giagen.api import batch

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(40):
        d = synthetic_report(random.Random(i), year=2023, agency=f"单位{i:02d}").to_data()
        d["overview"] = (
            LONG.replace("本单位", f"单位{i:02d}")
            if i in (3, 17)
            else f"（一）主动公开情况。单位{i:02d}第{i}项独特工作："
            + "".join(chr(0x4E00 + (i * 97 + k * 31) % 3000) for k in range(120))
        )
        (folder / f"{i}.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    result = batch([folder], tmp_path / "out")
    copied = {r.unit: [f for f in r.findings if f.rule == "PROSE-COPIED"] for r in result.rows}
    assert {u for u, f in copied.items() if f} == {"单位03", "单位17"}
    assert "单位17" in copied["单位03"][0].message and "%" in copied["单位03"][0].message
    assert "PROSE-COPIED" in (tmp_path / "out" / "findings.csv").read_text(encoding="utf-8-sig")
    assert (tmp_path / "out" / "notices" / "单位03.txt").exists()


# ---- Changed after publication ---------------------------------------------------------------------


def test_compare_finds_one_number_and_one_sentence_edited_in_the_html(giagen, tmp_path):
    assert giagen("render", EXAMPLES / "xigong-2023.json", "--to", "html", "-o", tmp_path).code == 0
    page = tmp_path / "xigong-2023.html"
    assert giagen("compare", page, EXAMPLES / "xigong-2023.json").code == 0
    html = page.read_text(encoding="utf-8")
    html = html.replace("我局坚持以习近平", "我局始终坚持以习近平", 1)
    html = re.sub(
        r'(<td align="center" valign="middle" style="[^"]*">)0(</td>)', r"\g<1>7\2", html, count=1
    )
    page.write_text(html, encoding="utf-8")
    run = giagen("compare", "--json", page, EXAMPLES / "xigong-2023.json")
    assert run.code == 1
    found = run.json()
    assert [
        (f["rule"], f["row"], f["column"], f["expected"], f["actual"])
        for f in found
        if f["rule"] == "CHANGED-NUMBER"
    ] == [("CHANGED-NUMBER", "rules", "issued", 0, 7)]
    said = [f["message"] for f in found if f["rule"] == "CHANGED-TEXT"]
    assert (
        len(said) == 1 and "后增加“始终”" in said[0]
    )  # the words changed, not the paragraph's start
    assert len(found) == 2


def test_compare_shows_the_sentence_appended_to_a_paragraph(giagen, tmp_path):
    giagen("render", EXAMPLES / "xigong-2023.json", "--to", "html", "-o", tmp_path)
    page = tmp_path / "xigong-2023.html"
    html = page.read_text(encoding="utf-8")
    added = "特此说明，本报告数据以统计口径为准。"
    html = (
        html.replace("年度报告的事项。", "年度报告的事项。" + added, 1)
        if "年度报告的事项。" in html
        else html.replace("</p>", added + "</p>", 2).replace(added + "</p>", "</p>", 1)
    )
    page.write_text(html, encoding="utf-8")
    found = giagen("compare", "--json", page, EXAMPLES / "xigong-2023.json").json()
    said = [f["message"] for f in found if f["rule"] == "CHANGED-TEXT"]
    assert said and added[:20] in said[0] and "增加" in said[0]
    assert "本报告根据" not in said[0]  # not the paragraph's first words


def test_audit_against_the_sources_of_a_round(giagen, tmp_path):
    pages, sources = tmp_path / "网页", tmp_path / "原稿"
    pages.mkdir()
    sources.mkdir()
    for name in ("xigong-2023", "shizhong-2020"):
        shutil.copy(EXAMPLES / f"{name}.xlsx", sources / f"{name}.xlsx")
        giagen("render", EXAMPLES / f"{name}.json", "--to", "html", "-o", pages)
        (pages / f"{name}.fragment.html").unlink()
    page = pages / "xigong-2023.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("我局坚持", "我局长期坚持", 1), encoding="utf-8"
    )
    findings = giagen("audit", "--json", pages, "--against", sources).json()
    changed = [f for f in findings if f["rule"].startswith("CHANGED")]
    assert [f["file"].rsplit("/", 1)[1] for f in changed] == ["xigong-2023.html"]
