"""`giagen/report@1` as pydantic models, one per edition, made from the definitions table.

The models hold the report's form: which fields, tables, rows and columns there are, and what
kind of value each holds. `report_from_data` reads the values themselves (numbers as clerks
write them; a value that is none becomes a finding at its cell, not a refusal). `form_error`
says, in Chinese and by JSON path, where data leaves the form; `json_schema` gives the form to
those who exchange reports with giagen.
"""

from __future__ import annotations

import functools
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    create_model,
)

from . import definitions as d
from .numbers import shown

# What each kind of value is in JSON (the reader takes more: what a clerk types into a cell).
_NUMBER_TEXT = r"^[0-9]+(\.[0-9]+)?$"
_AMOUNT = {
    "anyOf": [
        {"type": "string", "pattern": _NUMBER_TEXT},
        {"type": "number", "minimum": 0},
        {"type": "null"},
    ]
}
_VALUE_SCHEMAS = {
    d.COUNT: {"type": ["integer", "null"], "minimum": 0},
    d.SIGNED: {"type": ["integer", "null"]},
    d.AMOUNT: _AMOUNT,
    d.YUAN: _AMOUNT,
}
_UNITS = {d.AMOUNT: "万元", d.YUAN: "元"}
TABLES = tuple(d.TABLE_SECTIONS)


class _Form(BaseModel):
    """A part of the form: nothing beyond what it names."""

    model_config = ConfigDict(extra="forbid")


def _value(field: d.Field):
    """A value: the reader takes it as written, the schema says what JSON should hold."""
    unit = _UNITS.get(field.kind, "")
    meaning = f"{field.label}（{unit}）" if unit and unit not in field.label else field.label
    schema = {**_VALUE_SCHEMAS[field.kind], "description": f"{meaning}；null 为不适用"}
    return (Annotated[Any, WithJsonSchema(schema)], None)


def _object(name: str, doc: str, fields: dict, extra: dict | None = None) -> type[BaseModel]:
    config = ConfigDict(extra="forbid", title=name, json_schema_extra=extra)
    return create_model(name, __config__=config, __doc__=doc, **fields)


def _table(ed: d.Edition, table: str) -> type[BaseModel]:
    """A table: an object of rows by id, each an object of values by column id (rows with the
    same columns share one form: every row of 三, of 四, of one block of 二)."""
    lines, fields_of = d.table_shape(ed, table)
    section = d.TABLE_SECTIONS[table]
    forms: dict[tuple, type[BaseModel]] = {}
    rows = {}
    for line in lines:
        fields = fields_of(line.id)
        if fields not in forms:
            heading = ed.block_of(line.id).heading if table == "proactive" else section
            forms[fields] = _object(
                f"Row{ed.id}_{table}_{len(forms) + 1}",
                f"{heading} 一行：列 id → 数值",
                {f.id: _value(f) for f in fields},
            )
        label = "：".join(line.path)
        rows[line.id] = (Optional[forms[fields]], Field(None, description=label))
    doc = f"{d.SECTION_TITLES[section]}（{ed.id} 版）：行 id → 列 id → 数值"
    return _object(f"Table{ed.id}_{table}", doc, rows)


_FEE = _object(
    "ProcessingFee",
    "六、信息处理费（2021 版起）",
    {f.id: _value(f) for f in d.PROCESSING_FEE_FIELDS},
)
_Text = Optional[StrictStr]
_YEAR = {"type": "integer", "minimum": 1990, "maximum": 2200, "description": "报告年度"}
_DATE = {"type": ["string", "null"], "description": "落款日期，如 2024-01-20；null 为未填"}
_AGENCY = {"type": ["string", "null"], "description": "机关名称"}


@functools.cache
def report_model(edition_id: str) -> type[BaseModel]:
    """The form of a report of one edition."""
    ed = d.edition(edition_id)
    ordered = d.editions()
    years: dict = {} if ed is ordered[0] else {"minimum": ed.years[0]}
    if ed is not ordered[-1]:
        years["maximum"] = ed.years[1]
    # Without `edition`, the year decides it (definitions.edition_for_year)
    decided = {
        "if": {"properties": {"edition": {"type": "null"}}},
        "then": {"properties": {"year": years}},
    }
    fields = {
        "schema_": (Literal[d.SCHEMA], Field(d.SCHEMA, alias="schema")),
        "edition": (Optional[Literal[ed.id]], None),
        "year": (Annotated[Any, WithJsonSchema(_YEAR)], ...),
        "agency": (
            Annotated[Optional[Union[StrictStr, StrictInt, StrictFloat]], WithJsonSchema(_AGENCY)],
            None,
        ),
        "title": (_Text, None),
        "date": (Annotated[Any, WithJsonSchema(_DATE)], None),
        "preamble": (_Text, None),
        "overview": (_Text, None),
        **{table: (Optional[_table(ed, table)], None) for table in TABLES},
        "problems": (_Text, None),
        "other": (_Text, None),
        "processing_fee": (Optional[_FEE], None),
        "import_": (Optional[dict], Field(None, alias="import")),
    }
    doc = f"政府信息公开工作年度报告（{ed.id} 版，{ed.issued_by}，{ed.years_text}）"
    return _object(f"Report{ed.id}", doc, fields, decided)


def form_error(data: dict, ed: d.Edition) -> str | None:
    """Where `data` first leaves the form of `ed`'s reports, in Chinese with its JSON path, what
    belongs there and what was found (the first in the order the report is read: the tables,
    the fee, the import block, unknown items, the texts, the agency); None when it keeps to
    the form."""
    try:
        report_model(ed.id).model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False, include_context=False)
        return min((_said(e, ed, errors) for e in errors), key=lambda said: said[0])[1]
    return None


def _said(error: dict, ed: d.Edition, errors: list) -> tuple[tuple, str]:
    """(when the reader meets it, what it says) of one error the model found."""
    loc, top = error["loc"], error["loc"][0]
    path = ".".join(str(part) for part in loc[:3])
    found = f"，实际为 {shown(error['input'])}（JSON 路径 {path}）"

    def extra(prefix: tuple) -> str:  # every unknown key beside this one
        keys = (
            e["loc"][-1]
            for e in errors
            if e["loc"][:-1] == prefix and e["type"] == "extra_forbidden"
        )
        return "、".join(sorted(str(k) for k in keys))

    if top in TABLES:
        order, section = (0, TABLES.index(top)), d.TABLE_SECTIONS[top]
        if len(loc) == 1:
            return (*order, 0), f"{d.SECTION_TITLES[section]}：{top} 应为以行 id 为键的对象{found}"
        if len(loc) == 2 and error["type"] == "extra_forbidden":
            rows = extra((top,))
            return (*order, 1), (
                f"{d.SECTION_TITLES[section]}：{ed.id} 版没有这些行：{rows}（JSON 路径 {top}）"
            )
        row = loc[1]
        place = (*order, 2, [ln.id for ln in d.table_shape(ed, top)[0]].index(row))
        if len(loc) == 2:
            return place, f"{d.describe(ed, section, row, None)}：应为以列 id 为键的对象{found}"
        columns = extra((top, row))
        return place, (
            f"{d.describe(ed, section, row, None)}：没有这些列：{columns}（JSON 路径 {top}.{row}）"
        )
    if top == "processing_fee":
        wrong = extra(("processing_fee",)) if len(loc) > 1 else shown(error["input"])
        return (1,), (
            f"processing_fee 应只含 notices、notice_amount_yuan、collected_yuan，实际为 {wrong}"
            "（JSON 路径 processing_fee）"
        )
    if top == "import":
        return (2,), f"import 应为对象（导入时记录的来源）{found}"
    if error["type"] == "extra_forbidden":
        return (3,), f"报告中有不认识的项：{extra(())}"
    if top in d.TEXT_FIELDS:
        return (4, d.TEXT_FIELDS.index(top)), f"报告的 {top} 不合格式：应为文字{found}"
    if top == "agency":
        return (5,), f"机关名称 agency 应为文字{found.replace(path, 'agency')}"
    return (6,), f"{path} 不合格式{found}"


def json_schema(edition_id: str | None = None) -> dict:
    """The JSON Schema (2020-12) of `giagen/report@1`: one edition's form, or every edition's."""
    ids = [edition_id] if edition_id else [e.id for e in d.editions()]
    models = [report_model(i) for i in ids]
    form = models[0] if len(models) == 1 else Union[tuple(models)]
    schema = TypeAdapter(form).json_schema(by_alias=True)
    title = f"{d.SCHEMA}：政府信息公开工作年度报告" + (f"（{edition_id} 版）" if edition_id else "")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema, "title": title}
