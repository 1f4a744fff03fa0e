"""The shipped JSON Schema: made from the models, and read by another validator as giagen reads.

`docs/report.schema.json` must be what the pydantic models generate; `jsonschema` (not
giagen) validates the examples, generated reports of both editions and generated structural
faults with it, and must reach the verdict `giagen check` reaches: a report in form, or not.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

import jsonschema
import pytest

from giagen import api
from giagen.core import definitions as d
from giagen.core.synthetic import synthetic_report

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "docs" / "report.schema.json"
# What giagen says when a report leaves its form: it cannot be read (INPUT), or a value is not
# of its column's kind (VALUE-TYPE, VALUE-NEGATIVE).
OUT_OF_FORM = {"INPUT", "VALUE-TYPE", "VALUE-NEGATIVE"}


def validator(edition: str | None = None):
    """jsonschema's validator of the shipped schema (of one edition's, as `giagen schema` prints it)."""
    schema = api.schema(edition) if edition else json.loads(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_what_the_models_make():
    assert json.loads(SHIPPED.read_text(encoding="utf-8")) == api.schema()


def test_the_schema_command_prints_it(giagen):
    run = giagen("schema")
    assert run.code == 0 and json.loads(run.stdout) == api.schema()
    one = giagen("schema", "--edition", "2019")
    assert json.loads(one.stdout)["title"].endswith("（2019 版）")
    wrong = giagen("schema", "--edition", "2030")
    assert wrong.code == 2 and "应为 2019 或 2021" in wrong.stderr


def giagen_says_in_form(tmp_path, data) -> bool:
    path = tmp_path / "report.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return not any(f.rule in OUT_OF_FORM for f in api.check([path]))


def reports() -> list[dict]:
    """The examples, and generated reports of every year of both editions, busy or quiet,
    with figures that do not apply (null) and with 信息处理费."""
    out = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((ROOT / "examples").glob("*.json"))
    ]
    rng = random.Random(28)
    for year in range(2019, 2026):
        for busy in (False, True):
            data = synthetic_report(rng, year=year, agency=f"某某县第{year}局", busy=busy).to_data()
            if busy:
                data["requests"]["total"]["other_org"] = None
                data.pop("edition")  # the year decides it
            if year >= 2021:
                data["processing_fee"] = {
                    "notices": 1,
                    "notice_amount_yuan": "120.5",
                    "collected_yuan": 100,
                }
            out.append(data)
    return out


REPORTS = reports()


@pytest.mark.parametrize("n", range(len(REPORTS)))
def test_reports_in_form_are_valid_to_both(tmp_path, n):
    data = REPORTS[n]
    errors = list(validator().iter_errors(data))
    assert errors == []
    assert giagen_says_in_form(tmp_path, data)


def _first(data, table):
    return next(iter(data[table]))


# Each fault a platform's data could have, as a change to a report in form.
FAULTS = {
    "an unknown item": lambda r, data: data.update(remarks="备注"),
    "an unknown row": lambda r, data: data[
        r.choice(["proactive", "requests", "litigation"])
    ].update(row_99={}),
    "an unknown column": lambda r, data: data["requests"][_first(data, "requests")].update(
        column_99=0
    ),
    "a table that is a list": lambda r, data: data.update(litigation=[0] * 15),
    "a row that is a number": lambda r, data: data["proactive"].update(
        {_first(data, "proactive"): 3}
    ),
    "prose that is a number": lambda r, data: data.update(
        {r.choice(["overview", "problems", "other", "title", "preamble"]): 2023}
    ),
    "an agency that is a list": lambda r, data: data.update(agency=["某某局"]),
    "another schema": lambda r, data: data.update(schema="giagen/report@2"),
    "an edition that does not exist": lambda r, data: data.update(edition="2030"),
    "no year": lambda r, data: data.pop("year"),
    "a year out of reason": lambda r, data: data.update(year=1980),
    "a count that is words": lambda r, data: data["requests"]["total"].update(
        natural_person="若干"
    ),
    "a count with a fraction": lambda r, data: data["litigation"]["review"].update(total=2.5),
    "a negative count": lambda r, data: data["requests"]["new_received"].update(natural_person=-3),
    "an amount that is words": lambda r, data: _amount(data, "约十万"),
    "a fee with an unknown part": lambda r, data: data.update(processing_fee={"refunded": 0}),
    "a fee that is a number": lambda r, data: data.update(processing_fee=0),
    "an import block that is text": lambda r, data: data.update({"import": "网页"}),
}


def _amount(data, text):
    for row in data["proactive"].values():
        for column in row:
            if column in ("amount", "total_amount"):
                row[column] = text
                return
    data["processing_fee"] = {"notices": 0, "notice_amount_yuan": text, "collected_yuan": "0"}


@pytest.mark.parametrize("fault", sorted(FAULTS))
@pytest.mark.parametrize("seed", range(3))
def test_reports_out_of_form_are_refused_by_both(tmp_path, fault, seed):
    rng = random.Random(seed)
    data = copy.deepcopy(rng.choice([r for r in REPORTS if "requests" in r and "litigation" in r]))
    FAULTS[fault](rng, data)
    errors = list(validator().iter_errors(data))
    assert errors, fault
    assert not giagen_says_in_form(tmp_path, data), fault


@pytest.mark.parametrize("edition", sorted(d.BY_ID))
def test_one_edition_schema_takes_its_own_reports_only(edition):
    own = [r for r in REPORTS if r.get("edition") == edition and "requests" in r]
    other = [r for r in REPORTS if r.get("edition") not in (edition, None) and "requests" in r]
    assert all(validator(edition).is_valid(r) for r in own)
    assert not any(validator(edition).is_valid(r) for r in other)


def test_refusals_name_the_json_path_what_belongs_and_what_was_found(tmp_path, giagen):
    data = copy.deepcopy(REPORTS[-1])
    data["requests"]["total"] = [1, 2]
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    run = giagen("check", path)
    assert run.code == 2
    assert (
        "三、（七）总计：应为以列 id 为键的对象，实际为 [1, 2]（JSON 路径 requests.total）"
        in run.stdout + run.stderr
    )
    data = copy.deepcopy(REPORTS[-1])
    data["requests"]["total"]["natural_person"] = "若干"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    run = giagen("check", path)
    assert run.code == 1
    assert "JSON 路径 requests.total.natural_person" in run.stdout
    assert "Input should" not in run.stdout + run.stderr  # never pydantic's English
