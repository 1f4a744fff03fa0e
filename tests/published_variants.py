"""A generator of published reports as agencies really put them online, one kind of variation at a time.

A report is laid out as blocks — title, headings, paragraphs, the three tables with the
official merged cells, the 落款 — which transformations vary (a heading reworded, cells
left blank, a row with a number too many, the title missing …) and serializers write out
(a CMS article body, a whole saved page, text copied from a browser a cell per line, with
tabs or pipes, or with the cells run together).
"""

from __future__ import annotations

import html
import random
from dataclasses import dataclass, field, replace

from giagen.core import definitions as d
from giagen.core.numbers import format_value
from giagen.core.synthetic import synthetic_report
from giagen.core.tables import grids, value_of  # noqa: F401  (value_of is used by the tests too)


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    key: tuple | None = None


@dataclass
class Block:
    kind: str  # title, heading, para, table, sign
    text: str = ""
    section: str = ""
    rows: list[list[Cell]] = field(default_factory=list)


def report_with_counts(seed: int = 7, year: int = 2023):
    """A busy, balanced report whose 一 states its counts as agencies write them."""
    report = synthetic_report(random.Random(seed), year=year, agency="某某区统计局", busy=True)
    r = report.requests
    overview = (
        f"{year}年，某某区统计局认真贯彻《中华人民共和国政府信息公开条例》。\n"
        f"（一）主动公开情况。全年主动公开政府信息。\n"
        f"（二）依申请公开情况。全年共收到政府信息公开申请{r['new_received']['total']}件，"
        f"上年结转{r['carried_over']['total']}件。\n"
        "（三）政府信息管理。健全发布审核制度。\n（四）平台建设。以门户网站为第一平台。\n"
        "（五）监督保障。加强考核。"
    )
    return report.replace(overview=overview)


def blocks_of(report) -> list[Block]:
    """The report as the standard lays it out."""
    ed = report.spec
    out = [
        Block("title", f"{report.agency}{report.year}年政府信息公开工作年度报告"),
        Block(
            "para",
            f"本报告根据《中华人民共和国政府信息公开条例》编制。本报告中所列数据的统计期限自"
            f"{report.year}年1月1日起至{report.year}年12月31日止。",
        ),
    ]
    prose = {"一": report.overview, "五": report.problems, "六": report.other}
    for section, title in d.SECTION_TITLES.items():
        out.append(Block("heading", title, section))
        if section in prose:
            out += [Block("para", p) for p in prose[section].splitlines() if p.strip()]
        else:
            out.append(Block("table", section=section, rows=table_rows(report, grids(ed)[section])))
    out.append(Block("sign", report.agency))
    out.append(Block("sign", f"{report.date.year}年{report.date.month}月{report.date.day}日"))
    return out


def table_rows(report, grid) -> list[list[Cell]]:
    rows: list[list[Cell]] = [[] for _ in range(grid.rows)]
    for c in sorted(grid.cells, key=lambda c: (c.row, c.col)):
        if c.key is None:
            text = c.text
        else:
            value = value_of(report, c.key)
            text = format_value(value, c.kind)
        rows[c.row].append(Cell(text, c.rowspan, c.colspan, c.key))
    return rows


# ---- Transformations ---------------------------------------------------------------------------


def with_heading(blocks, section: str, text: str) -> list[Block]:
    return [
        replace(b, text=text) if b.kind == "heading" and b.section == section else b for b in blocks
    ]


def run_on(blocks, section: str) -> list[Block]:
    """The heading and the paragraph after it flattened into one line."""
    out, i = [], 0
    while i < len(blocks):
        b = blocks[i]
        if b.kind == "heading" and b.section == section and blocks[i + 1].kind == "para":
            out.append(Block("para", b.text + blocks[i + 1].text))
            i += 2
            continue
        out.append(b)
        i += 1
    return out


def cells_where(blocks, predicate, change) -> list[Block]:
    """Every data cell whose key satisfies `predicate` rewritten by `change(text)`."""
    out = []
    for b in blocks:
        if b.kind == "table":
            rows = [
                [replace(c, text=change(c.text)) if c.key and predicate(c.key) else c for c in row]
                for row in b.rows
            ]
            b = replace(b, rows=rows)
        out.append(b)
    return out


def extra_cell(blocks, key: tuple, text: str = "0") -> list[Block]:
    """A row with one number too many: a cell split when the page was made."""
    out = []
    for b in blocks:
        if b.kind == "table":
            rows = []
            for row in b.rows:
                new = []
                for c in row:
                    new.append(c)
                    if c.key == key:
                        new.append(Cell(text))
                rows.append(new)
            b = replace(b, rows=rows)
        out.append(b)
    return out


def with_serials(blocks, section: str = "三") -> list[Block]:
    """A 序号 column before the table's rows, as many agencies' tables number them."""
    out = []
    for b in blocks:
        if b.kind == "table" and b.section == section:
            rows, n = [], 0
            for i, row in enumerate(b.rows):
                if i == 0:
                    rows.append([Cell("序号", rowspan=3), *row])
                elif any(c.key for c in row):
                    n += 1
                    rows.append([Cell(str(n)), *row])
                else:
                    rows.append(row)
            b = replace(b, rows=rows)
        out.append(b)
    return out


def without(blocks, kind: str) -> list[Block]:
    return [b for b in blocks if b.kind != kind]


def truncated(blocks, section: str, rows: int) -> list[Block]:
    """The copy stops `rows` rows into `section`'s table."""
    out = []
    for b in blocks:
        if b.kind == "table" and b.section == section:
            out.append(replace(b, rows=b.rows[:rows]))
            return out
        out.append(b)
    return out


# ---- Writing ---------------------------------------------------------------------------------------

HEADING_TAGS = {
    "p": "<p>{}</p>",
    "strong": "<p><strong>{}</strong></p>",
    "span": '<p><span style="font-weight:bold">{}</span></p>',
    "h3": "<h3>{}</h3>",
    "td": "<table><tr><td><b>{}</b></td></tr></table>",
    "styled": '<p style="text-indent:2em;font-family:黑体">{}</p>',
}


def article(blocks, heading_tag="p", blank="", br_in_labels=False, split_three=False) -> str:
    """A CMS article body."""
    parts = []
    for b in blocks:
        if b.kind == "title":
            parts.append(f"<h1>{html.escape(b.text)}</h1>")
        elif b.kind == "heading":
            parts.append(HEADING_TAGS[heading_tag].format(html.escape(b.text)))
        elif b.kind in ("para", "sign"):
            align = ' style="text-align:right"' if b.kind == "sign" else ""
            parts.append(f"<p{align}>{html.escape(b.text)}</p>")
        else:
            rows = b.rows
            if split_three and b.section == "三":
                head = rows[:3]
                parts.append(_table(rows[:15], blank, br_in_labels))
                parts.append(_table(head + rows[15:], blank, br_in_labels))
            else:
                parts.append(_table(rows, blank, br_in_labels))
    return "\n".join(parts)


def _table(rows, blank, br_in_labels) -> str:
    out = ['<table border="1" cellspacing="0" cellpadding="0" width="100%"><tbody>']
    for row in rows:
        tds = []
        for c in row:
            text = html.escape(c.text) if c.text else blank
            if br_in_labels and c.key is None and len(c.text) > 8:
                text = html.escape(c.text[:6]) + "<br/>" + html.escape(c.text[6:])
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            tds.append(
                f'<td{span} valign="center"><p style="text-align:center"><span>{text}</span></p></td>'
            )
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def saved_page(
    body: str,
    title: str = "",
    meta: dict | None = None,
    charset: str | None = "utf-8",
    layout_table: bool = False,
) -> str:
    """A whole saved web page: head, navigation, scripts and footer around the article."""
    metas = "".join(
        f'<meta name="{k}" content="{html.escape(v)}">' for k, v in (meta or {}).items()
    )
    head = f'<meta charset="{charset}">' if charset else ""
    nav = (
        '<div class="nav"><a href="/">首页</a> | <a>政务公开</a> | <a>政府信息公开年报</a>'
        "<ul><li><a>某某区统计局2022年政府信息公开工作年度报告</a></li><li><a>网站地图</a></li></ul></div>"
    )
    script = "<script>var _hmt=_hmt||[];document.write('<p>一、总体情况</p>');</script><style>p{margin:0}</style>"
    footer = (
        '<div class="footer"><p>【打印本页】【关闭窗口】</p><p>主办单位：某某区人民政府办公室</p>'
        "<p>网站标识码：1234567890 ICP备12345678号</p></div>"
    )
    if layout_table:
        body = f'<table width="1000"><tr><td width="200">{nav}</td><td><div class="article">{body}</div></td></tr></table>'
    else:
        body = f'{nav}<div class="article"><div class="content">{body}</div></div>'
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{html.escape(title)}</title>{metas}{script}</head>"
        f"<body>{body}{footer}{script}</body></html>"
    )


def cell_per_line(blocks) -> str:
    """Text copied from a browser: every table cell on a line of its own (as the seeds are)."""
    return _text(blocks, lambda cells: "\n".join(cells))


def tabbed(blocks) -> str:
    return _text(blocks, lambda cells: "\t".join(cells))


def piped(blocks) -> str:
    return _text(blocks, lambda cells: "| " + " | ".join(cells) + " |")


def run_together(blocks) -> str:
    """The worst copy: labels and their figures with no separator at all."""
    return _text(blocks, lambda cells: "".join(cells))


def _text(blocks, join) -> str:
    lines = []
    for b in blocks:
        if b.kind == "table":
            for row in b.rows:
                lines.append(join([c.text for c in row]))
        else:
            lines.append(b.text)
    return "\n".join(lines) + "\n"


def with_older_other_row(blocks, report) -> list[Block]:
    """三 of a 2021 report with the 2019 layout's single （六）其他处理 row for its three parts."""
    parts = ("other_no_correction", "other_fee_unpaid", "other_other")
    out = []
    for b in blocks:
        if b.kind == "table" and b.section == "三":
            rows = []
            for row in b.rows:
                keys = {c.key[1] for c in row if c.key}
                if keys & set(parts):
                    if "other_no_correction" in keys:
                        sums = [
                            sum(report.requests[p][f.id] for p in parts) for f in d.REQUEST_FIELDS
                        ]
                        rows.append(
                            [Cell("（六）其他处理", colspan=2)] + [Cell(str(v)) for v in sums]
                        )
                    continue
                rows.append(
                    [replace(c, rowspan=c.rowspan - 2) if c.text == d.RESULTS else c for c in row]
                )
            b = replace(b, rows=rows)
        out.append(b)
    return out
