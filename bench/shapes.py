"""Reports in the shapes agencies publish them, for the audit's benchmark.

A saved page of a government site (~150 KB: inline styles and scripts, a menu of some hundred
links, the article as Word exports it, related links and the footer), the article body a
site's editor pastes, text copied from a browser, and a PDF for a share.
"""

from __future__ import annotations

import html
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import published_variants as pv  # noqa: E402

_STYLE = "".join(
    f".m{i} .c{i}>li a{{color:#1a4d8f;font-size:{12 + i % 6}px;line-height:2;padding:0 {i % 9}px}}"
    f"#box{i} .tab-hd li.on{{background:url(../images/tab{i}.png) no-repeat;border-bottom:2px solid #c00}}\n"
    for i in range(160)
)
_SCRIPT = "".join(
    f"function f{i}(a,b){{var c=document.getElementById('n{i}');if(c&&a>{i}){{c.className='on';"
    f"return b+'{i}'}}for(var k=0;k<a;k++){{c.style.left=k*{i}+'px'}}return null}}\n"
    for i in range(160)
)
_COLUMNS = (
    "首页",
    "政务公开",
    "政务服务",
    "互动交流",
    "走进本区",
    "新闻中心",
    "专题专栏",
    "数据开放",
)
_ITEMS = (
    "通知公告", "政策文件", "政策解读", "人事信息", "财政资金", "规划计划", "统计信息", "应急管理",
    "重点领域", "建议提案", "政府信息公开年报", "依申请公开",
)  # fmt: skip


def _menu() -> str:
    columns = []
    for c, column in enumerate(_COLUMNS):
        items = "".join(
            f'<li><a href="/col/col{c}{i}/index.html" target="_blank" title="{item}">{item}</a></li>'
            for i, item in enumerate(_ITEMS)
        )
        columns.append(
            f'<li class="nav-item"><a href="/col/col{c}/index.html">{column}</a>'
            f'<div class="sub"><ul class="c{c}">{items}</ul></div></li>'
        )
    return '<div class="nav"><ul class="m1">' + "".join(columns) + "</ul></div>"


_MENU = _menu()


def _word_paragraph(text: str, sign: bool = False) -> str:
    style = "text-align:right" if sign else "text-indent:32.0pt"
    return (
        f'<p class="MsoNormal" style="{style};line-height:28.0pt;mso-line-height-rule:exactly">'
        f'<span style="font-family:仿宋_GB2312;font-size:16.0pt">{html.escape(text)}</span></p>'
    )


def _word_table(rows) -> str:
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%"'
           ' style="border-collapse:collapse;border:none"><tbody>']  # fmt: skip
    for row in rows:
        tds = []
        for c in row:
            span = (f' rowspan="{c.rowspan}"' if c.rowspan > 1 else "") + (
                f' colspan="{c.colspan}"' if c.colspan > 1 else ""
            )
            tds.append(
                f'<td{span} valign="center" style="padding:0pt 5.4pt;border:solid windowtext 0.5pt">'
                f'<p class="MsoNormal" align="center" style="text-align:center">'
                f'<span style="font-family:仿宋_GB2312;font-size:10.5pt">{html.escape(c.text)}</span>'
                "</p></td>"
            )
        out.append("<tr>" + "".join(tds) + "</tr>")
    return "\n".join(out) + "</tbody></table>"


def word_article(blocks) -> str:
    """The article as Word exports it and a site's editor pastes it."""
    parts = []
    for b in blocks:
        if b.kind == "title":
            parts.append(f'<p align="center"><b><span>{html.escape(b.text)}</span></b></p>')
        elif b.kind == "heading":
            parts.append(
                f'<p class="MsoNormal" style="text-indent:32.0pt"><span style="font-family:黑体">'
                f"{html.escape(b.text)}</span></p>"
            )
        elif b.kind in ("para", "sign"):
            parts.append(_word_paragraph(b.text, b.kind == "sign"))
        else:
            parts.append(_word_table(b.rows))
    return "\n".join(parts)


def saved_page(blocks, title: str, agency: str, date: str) -> str:
    """The whole page a browser saves from a government site."""
    related = "".join(
        f'<li><a href="/art/2023/1/{i}/art_{i}.html">某某区{item}{i}</a><span>2023-01-{i:02d}</span></li>'
        for i, item in enumerate(_ITEMS[:10], start=1)
    )
    footer_links = "".join(f'<a href="/f{i}.html">{item}</a> | ' for i, item in enumerate(_ITEMS))
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}_某某区人民政府</title>"
        f'<meta name="ArticleTitle" content="{html.escape(title)}">'
        f'<meta name="PubDate" content="{date} 09:30">'
        f'<meta name="ContentSource" content="{html.escape(agency)}">'
        + "".join(f'<link rel="stylesheet" href="/css/s{i}.css">' for i in range(6))
        + f"<style>{_STYLE}</style><script>{_SCRIPT}</script></head><body>"
        '<div class="top"><img src="/images/logo.png" alt="某某区人民政府">'
        '<form action="/search"><input name="q" placeholder="请输入关键词"><button>搜索</button></form></div>'
        f"{_MENU}"
        '<div class="position">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; <a>政府信息公开年报</a></div>'
        f'<div class="article"><h1>{html.escape(title)}</h1>'
        f'<div class="info">发布时间：{date} 来源：{html.escape(agency)} 浏览次数：<span id="hits"></span>'
        "【字体：<a>大</a> <a>中</a> <a>小</a>】</div>"
        f'<div class="content" id="zoom">{word_article(blocks)}</div>'
        '<div class="tools">【<a>打印本页</a>】【<a>关闭窗口</a>】</div>'
        '<div class="prev-next"><p>上一篇：<a>关于某某事项的通知</a></p><p>下一篇：<a>某某工作动态</a></p></div>'
        f'<div class="related"><h3>相关链接</h3><ul>{related}</ul></div></div>'
        f'<div class="footer"><p>{footer_links}</p><p>主办单位：某某区人民政府办公室 承办单位：某某区大数据中心</p>'
        "<p>网站标识码：1234567890 某ICP备12345678号 某公网安备 12345678901234号</p>"
        "<p>地址：某某区人民路1号 邮编：100000 联系电话：0000-12345678</p></div>"
        f"<script>{_SCRIPT[:8000]}</script></body></html>"
    )


def page_of(report, shape: str, rng: random.Random) -> str:
    """A report published in `shape`: saved, article, text (pdf is made from its DOCX)."""
    blocks = pv.blocks_of(report)
    if rng.random() < 0.1:  # cells left blank instead of 0
        blocks = pv.cells_where(
            blocks,
            lambda k: k[0] == "三" and pv.value_of(report, k) == 0,
            lambda t: "",
        )
    if rng.random() < 0.1:  # a total that does not add up
        blocks = pv.cells_where(
            blocks, lambda k: k == ("三", "total", "total"), lambda t: str(int(t) + 1)
        )
    if shape == "article":
        return word_article(blocks)
    if shape == "text":
        return pv.cell_per_line(blocks)
    title = f"{report.agency}{report.year}年政府信息公开工作年度报告"
    date = f"{report.year + 1}-01-{rng.randint(10, 31)}"
    return saved_page(blocks, title, report.agency, date)
