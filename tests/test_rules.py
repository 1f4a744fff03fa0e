"""The rules of format.md: the seeds as published, generated reports, each rule on its own."""

import json
import random

import pytest
from conftest import FIXTURES, keys
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giagen.checks.rules import check
from giagen.core import definitions as d
from giagen.core.model import report_from_data
from giagen.core.synthetic import synthetic_report

SEEDS = FIXTURES / "seeds_as_published"


@pytest.mark.parametrize(
    "seed, expected",
    [
        ("000", set()),
        (
            "002",
            {
                ("S3-RESULT-TOTAL", "total", "natural_person"),
                ("S3-RESULT-TOTAL", "total", "total"),
                ("S3-BALANCE", None, "natural_person"),
                ("S3-BALANCE", None, "total"),
            },
        ),
        ("004", set()),
    ],
)
def test_seeds_as_published_give_exactly_the_listed_findings(giagen, seed, expected):
    run = giagen("check", "--json", SEEDS / f"{seed}.json")
    assert keys(run.json()) == expected
    assert run.code == (1 if expected else 0)


def test_seed_002_messages_say_what_to_do(giagen):
    findings = giagen("check", "--json", SEEDS / "002.json").json()
    total = next(f for f in findings if f["rule"] == "S3-RESULT-TOTAL" and f["column"] == "total")
    assert total["message"] == "三、（七）总计 · 总计：应为 4（（一）至（六）之和），实际填写 0"
    assert (total["expected"], total["actual"], total["section"]) == (4, 0, "三")


# ---- Generated reports: balanced gives nothing, one change gives exactly its keys ----------


def implied_keys(ed: d.Edition, table: str, row: str, column: str) -> set:
    """What changing one number of a balanced report must break, by the role of its cell."""
    if table == "litigation":
        return {("S4-TOTAL", row, "total")}
    found = {("S3-ROW-TOTAL", row, "total")}
    if row not in ("new_received", "carried_over", "carried_forward"):
        found.add(("S3-RESULT-TOTAL", "total", column))
    if row in ("new_received", "carried_over", "total", "carried_forward"):
        found.add(("S3-BALANCE", None, column))
    return found


def all_cells(ed: d.Edition):
    for line in ed.request_lines:
        for field in d.REQUEST_FIELDS:
            yield "requests", line.id, field.id
    for group in d.LITIGATION_GROUPS:
        for field in d.LITIGATION_FIELDS:
            yield "litigation", group.id, field.id


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    seed=st.integers(0, 2**32),
    year=st.sampled_from([2019, 2020, 2021, 2023]),
    cell=st.integers(0, 10_000),
    delta=st.integers(1, 50),
)
def test_one_changed_number_gives_exactly_the_implied_findings(
    giagen, tmp_path, seed, year, cell, delta
):
    report = synthetic_report(random.Random(seed), year=year)
    path = tmp_path / "r.json"
    path.write_text(json.dumps(report.to_data(), ensure_ascii=False), encoding="utf-8")
    assert giagen("check", "--json", path).json() == []

    cells = list(all_cells(report.spec))
    table, row, column = cells[cell % len(cells)]
    data = report.to_data()
    data[table][row][column] += delta
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = giagen("check", "--json", path)
    assert keys(run.json()) == implied_keys(report.spec, table, row, column)
    assert run.code == 1


# ---- Each rule on its own ---------------------------------------------------------------


def base(year=2023, **changes):
    data = synthetic_report(random.Random(7), year=year, busy=True).to_data()
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for p in parents:
            target = target[p]
        target[last] = value
    return data


def rules_of(data, previous=None):
    report, findings = report_from_data(data)
    prev = report_from_data(previous)[0] if previous else None
    return {(f.rule, f.row, f.column) for f in findings + check(report, prev)}


def test_edition_mismatch():
    data = base(2023)
    data["edition"] = "2019"
    data["proactive"] = base(2020)["proactive"]
    data["requests"] = base(2020)["requests"]
    assert ("EDITION-MISMATCH", None, None) in rules_of(data)


def test_omitted_edition_follows_year():
    data = base(2020)
    del data["edition"]
    assert report_from_data(data)[0].edition == "2019"


def test_negative_values_and_items():
    data = base(
        2020,
        proactive__licensing__last_year_items=3,
        proactive__licensing__change=-5,
        proactive__penalty__decisions=-1,
    )
    assert rules_of(data) >= {
        ("S2-ITEMS-NEGATIVE", "licensing", "change"),
        ("VALUE-NEGATIVE", "penalty", "decisions"),
    }
    # 本年增/减 itself may be negative
    assert ("VALUE-NEGATIVE", "licensing", "change") not in rules_of(data)


def test_negative_count_in_three():
    data = base(2023)
    data["requests"]["granted"]["research"] = -2
    assert ("VALUE-NEGATIVE", "granted", "research") in rules_of(data)


def test_published_total_warning():
    data = base(2020, proactive__rules__new_published=5, proactive__rules__total_published=2)
    assert ("S2-PUBLISHED-TOTAL", "rules", "total_published") in rules_of(data)


def test_value_type_from_json():
    data = base(2023)
    data["requests"]["granted"]["research"] = "abc"
    report, findings = report_from_data(data)
    assert [(f.rule, f.row, f.column, f.actual) for f in findings] == [
        ("VALUE-TYPE", "granted", "research", "abc")
    ]
    data["requests"]["granted"]["research"] = "无"  # in JSON too: a count is a number
    assert report_from_data(data)[1][0].rule == "VALUE-TYPE"


def test_empty_narratives_are_required_of_a_clerk_and_warned_of_in_a_published_report():
    data = base(2023, overview="  ", problems="")
    report, _ = report_from_data(data)
    assert sorted(f.section for f in check(report) if f.rule == "REQUIRED") == ["一", "五"]
    published = [f for f in check(report, entered=False)]
    assert sorted(f.section for f in published if f.rule == "NARRATIVE-EMPTY") == ["一", "五"]
    assert not [f for f in published if f.rule == "REQUIRED"]


def test_fee_missing_only_when_requests_were_handled_and_six_is_silent():
    data = base(2023, other="无。")
    del data["processing_fee"]
    assert data["requests"]["new_received"]["total"] > 0
    assert ("FEE-MISSING", None, None) in rules_of(data)
    data["other"] = "本年度未收取信息处理费。"
    assert ("FEE-MISSING", None, None) not in rules_of(data)


PROBLEMS = (
    "存在的问题是公开还不够及时，改进措施是加强培训，上年提出的问题已经整改到位。",
    "政策解读的形式比较单一；下一步将丰富图解和视频解读，去年指出的栏目更新慢已经改进。",
)


def small(year, requests=None, proactive=None):
    """A report with only the given numbers, totals derived."""
    return {
        "year": year,
        "agency": "某局",
        "date": f"{year + 1}-01-20",
        "overview": "有。",
        "problems": PROBLEMS[year % 2],
        "other": "本年度未收取信息处理费。",
        "requests": requests or {},
        "proactive": proactive or {},
    }


def test_previous_year_rules_2021():
    last = small(
        2022,
        {
            "new_received": {"commercial": 3},
            "granted": {"commercial": 1},
            "carried_forward": {"commercial": 2},
        },
        {"rules": {"issued": 2, "in_force": 5}},
    )
    this = small(
        2023,
        {"carried_over": {"commercial": 2}, "granted": {"commercial": 2}},
        {"rules": {"issued": 1, "abolished": 2, "in_force": 4}},
    )
    assert rules_of(this, last) == set()
    this["requests"] = {"carried_over": {"commercial": 1}, "granted": {"commercial": 1}}
    this["proactive"]["rules"]["in_force"] = 5
    assert rules_of(this, last) == {
        ("PREV-CARRY", "carried_over", "commercial"),
        ("PREV-CARRY", "carried_over", "total"),
        ("PREV-IN-FORCE", "rules", "in_force"),
    }


def test_previous_year_items_2019():
    last = small(2019, proactive={"penalty": {"last_year_items": 10, "change": -3}})
    this = small(2020, proactive={"penalty": {"last_year_items": 7, "change": 1}})
    assert rules_of(this, last) == set()
    this["proactive"]["penalty"]["last_year_items"] = 9
    assert rules_of(this, last) == {("PREV-ITEMS", "penalty", "last_year_items")}


def test_previous_year_must_be_last_year(giagen, tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(base(2023)), encoding="utf-8")
    b.write_text(json.dumps(base(2021)), encoding="utf-8")
    run = giagen("check", a, "--previous", b)
    assert run.code == 2
    assert "应为 2022 年度" in run.stdout + run.stderr


_SAYINGS = (
    "本机关坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开。",
    "全年主动公开政府信息，及时回应社会关切，依法办理政府信息公开申请。",
    "公开工作仍存在信息更新不够及时、解读形式较为单一等问题，下一步将加强培训。",
)


@pytest.mark.parametrize("seed", range(4))
def test_last_years_rules_read_the_same_from_a_year_view(seed):
    """An audit checks one year against the last from each page's JSON form, reading back only
    what last year's rules read (yearly.year_report); those rules find the same there as in the
    whole reports, on generated pairs of years: both
    editions, rows of 二 and 三 the reading could not read, 一 and 五 copied or not."""
    from giagen.checks.rules import year_findings
    from giagen.checks.yearly import year_report

    rng = random.Random(seed)
    seen = set()
    for _ in range(60):
        year = rng.choice([2020, 2021, 2022, 2024])
        before = synthetic_report(rng, year=year - 1, agency="某某县教育局")
        this = synthetic_report(rng, year=year, agency=rng.choice(["某某县教育局", "教育局"]))
        said = {  # what an agency says of its year, one sentence or another
            s: "".join(rng.choice(_SAYINGS) for _ in range(3)) for s in ("overview", "problems")
        }
        before = before.replace(**said)
        copied = rng.choice([[], ["overview"], ["problems"], ["overview", "problems"]])
        this = this.replace(**{s: said[s] + "。" for s in copied})
        for i, report in enumerate((this, before)):
            if rng.random() < 0.6:  # read back from a page, some rows not readable
                lost = [
                    {"table": t, "row": rng.choice([None, *r]), "message": "x", "where": None}
                    for t, r in (("requests", ["carried_over", "carried_forward"]),
                                 ("proactive", [ln.id for ln in report.spec.proactive_lines]))
                    if rng.random() < 0.5
                ]  # fmt: skip
                report = report.replace(import_={"source": "p.html", "unreadable": lost})
            if i == 0:
                this = report
            else:
                before = report
        whole = year_findings(this, before, entered=False)
        viewed = year_findings(
            year_report(json.loads(json.dumps(this.to_data(), ensure_ascii=False))),
            year_report(json.loads(json.dumps(before.to_data(), ensure_ascii=False))),
            entered=False,
        )
        assert [f.to_json() for f in viewed] == [f.to_json() for f in whole]
        seen |= {f.rule for f in whole}
    assert {"PREV-CARRY", "PREV-IN-FORCE", "PREV-ITEMS", "PROSE-COPIED"} <= seen


_WORDS = ["政府信息公开", "主动公开", "依申请公开", "我局", "严格落实", "条例", "平台建设", "监督保障",
          "不断完善", "本年度", "工作", "群众", "要求", "进一步", "规范", "，", "。", "；"]  # fmt: skip


def _edited(rng: random.Random, text: str, rate: float) -> str:
    """`text` with about `rate` of its characters changed, dropped or added."""
    out = []
    for ch in text:
        roll = rng.random()
        if roll < rate / 3:
            continue
        out.append(rng.choice(_WORDS)[0] if roll < 2 * rate / 3 else ch)
        if roll > 1 - rate / 3:
            out.append(rng.choice(_WORDS))
    return "".join(out)


@pytest.mark.parametrize("seed", range(4))
def test_copied_prose_is_told_as_the_full_comparison_tells_it(seed):
    """PROSE-COPIED skips the full comparison where difflib's quick upper bounds already fall
    short: on texts from alike to unrelated, short and long, it says what comparing in full says."""
    from giagen.checks.yearly import COPIED_AT, copied, similar

    rng = random.Random(seed)
    near = 0
    for _ in range(30):
        size = rng.choice([25, 120, 600, 1200, 3200])
        text = "".join(rng.choice(_WORDS) for _ in range(size // 4))[:size]
        other = (
            _edited(rng, text, rng.choice([0.0, 0.02, 0.05, 0.08, 0.12, 0.3]))
            if rng.random() < 0.8
            else "".join(rng.choice(_WORDS) for _ in range(size // 4))
        )
        full = similar(text, other)
        assert copied(text, other) == (full if full >= COPIED_AT else None)
        near += 0.85 <= full < 0.95
    assert near  # the threshold itself was straddled
