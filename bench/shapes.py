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


# What agencies write in 一 and 五, as the seeds do: some hundreds of characters under the
# headings of 一, what the agency published in its own field, a 五 of some hundreds; one in four
# agencies writes last year's again with this year's figures.
_FIELDS = {
    "教育": "招生入学 学生资助 教育收费 校园安全 教师招聘 义务教育均衡",
    "卫生健康": "医疗机构 疫苗接种 公共卫生 健康扶贫 医疗服务价格 传染病防控",
    "交通运输": "道路建设 公交线路 交通运输执法 农村公路 客运班线 工程招标",
    "农业农村": "惠农补贴 高标准农田 农产品质量安全 乡村振兴 动物防疫 种子管理",
    "水利": "河长制 水资源管理 防汛抗旱 水利工程 农村饮水安全 水土保持",
    "生态环境": "环境质量 环评审批 排污许可 环境执法 污染防治 突发环境事件",
    "住房城乡建设": "保障性住房 棚户区改造 建筑市场 物业管理 城市建设 老旧小区改造",
    "民政": "最低生活保障 特困供养 社会组织 养老服务 婚姻登记 殡葬管理",
    "人力资源社会保障": "就业创业 社会保险 人才引进 劳动监察 职业培训 工资支付",
    "市场监督管理": "市场主体登记 食品安全 产品质量抽检 价格监督 特种设备 知识产权",
    "文化旅游": "公共文化服务 文物保护 旅游市场 非物质文化遗产 文艺演出 景区管理",
    "应急管理": "安全生产 应急预案 自然灾害救助 危险化学品 森林防火 应急演练",
}
_OPENERS = ("", "今年以来，", "本年度，", "一年来，", "同时，", "此外，", "全年")
# What makes an agency's text its own: the places and the work it names
_PLACE = "东西南北新安宁和平清河山阳泉水石城桥湾林柳桃李梅竹松兴隆丰盛富华民乐康泰金银龙凤"
_WORK = ("专项整治", "试点工作", "集中宣传", "入户走访", "现场办公", "联合检查", "调研座谈",
         "示范创建", "督导检查", "政策宣讲", "结对帮扶", "隐患排查")  # fmt: skip


def _specific(rng: random.Random) -> str:
    place = "".join(rng.sample(_PLACE, 2)) + rng.choice(("镇", "街道", "乡", "社区", "村"))
    return f"在{place}开展{rng.choice(_WORK)}{rng.randint(1, 9)}次，"


_OVERVIEW = {
    "（一）主动公开": (
        "{a}坚持以公开为常态、不公开为例外，通过门户网站主动公开政府信息{n}条。",
        "围绕{x}、{y}等重点领域，及时发布相关信息{n}条。",
        "严格落实政策文件与解读材料同步组织、同步审签、同步部署，发布政策解读{m}篇。",
        "在{x}方面，公开办事指南、办理流程和结果信息，方便群众查询。",
        "政务新媒体发布{y}相关信息{n}条，回应社会关切{m}次。",
        "按照基层政务公开标准化规范化要求，动态调整{z}等公开事项目录。",
    ),
    "（二）依申请公开": (
        "全年共受理政府信息公开申请{r}件，均在法定期限内答复。",
        "完善申请登记、审核、办理、答复、归档等环节，做到依法依规、及时准确。",
        "申请内容主要涉及{x}、{z}等方面。",
        "对申请内容不明确的，及时告知申请人作出补正，并说明补正事项和合理期限。",
    ),
    "（三）政府信息管理": (
        "严格执行信息发布审核制度，落实“先审查、后公开”和“一事一审”原则。",
        "开展{y}领域政策文件清理，对{m}件规范性文件进行评估。",
        "加强政府信息公开保密审查，防止泄露国家秘密、工作秘密和个人隐私。",
    ),
    "（四）政府信息公开平台建设": (
        "持续优化门户网站政府信息公开专栏，完善{x}等栏目设置。",
        "推进政务公开专区建设，为群众提供{z}政策咨询和查阅服务。",
        "加强网站常态化监测，全年开展自查{m}次，及时整改发现的问题。",
    ),
    "（五）监督保障": (
        "调整充实政务公开工作领导小组，明确分管领导和工作人员。",
        "将政务公开工作纳入年度目标考核，组织业务培训{m}次，参训{n}人次。",
        "主动接受社会监督，全年未发生政务公开工作责任追究情况。",
    ),
}
_PROBLEMS = (
    "政策解读形式较为单一，{x}方面图解、视频等多样化解读比例不高",
    "{x}等栏目信息更新不够及时，公开内容的完整性有待提升",
    "工作人员业务能力有待加强，对条例的理解把握还不够深入",
    "依申请公开答复文书的规范性还需提高，个别答复说理不够充分",
    "基层政务公开标准化规范化建设推进不平衡，{z}事项目录有待细化",
    "{y}领域信息公开的深度和广度还需拓展",
    "政务公开与政务服务融合不够，{x}办事指南线上线下衔接有待加强",
    "公众参与渠道不够丰富，涉及{y}的互动回应时效性有待提高",
    "部分信息公开不够规范，存在格式不统一、要素不完整的情况",
    "政务新媒体内容更新频次不高，{z}相关信息发布偏少",
    "主动公开的{y}信息以结果为主，过程信息公开不够",
    "政策文件清理不够及时，{x}方面个别文件已失效未及时标注",
    "网站栏目设置与{z}工作实际结合不够紧密",
    "信息发布审核把关还需加强，偶有错别字等问题",
    "对{y}相关政策的宣传解读不够深入，群众知晓率不高",
)
_NEXT = (
    "加强业务培训，提高工作人员的政策水平和业务能力",
    "围绕{y}、{z}等群众关注的事项，加大主动公开力度",
    "健全信息发布审核机制，确保信息发布及时、准确、规范",
    "丰富{x}政策解读形式，提升解读质量，增强政策知晓度",
    "规范依申请公开办理，加强答复文书审核",
    "推动政务公开向基层延伸，完善{x}公开事项目录",
    "强化考核监督，把政务公开工作落到实处",
    "拓展公众参与渠道，及时回应{y}方面的社会关切",
    "加快{z}领域过程信息公开，让群众看得到、看得懂",
    "定期开展网站自查，及时更新{x}栏目内容",
    "推进政务公开与{y}业务工作深度融合",
    "建立健全政策文件动态清理机制",
)


def prose(rng: random.Random, report, field: int, last: tuple | None) -> tuple[tuple, str, str]:
    """What an agency of the `field`-th field writes in 一 and 五 this year: (what it chose to
    say, 一, 五). With `last` (what it chose last year), one in four says it again."""
    if last is None or rng.random() >= 0.25:
        topics = _FIELDS[list(_FIELDS)[field % len(_FIELDS)]].split()
        said = [
            (
                heading,
                [
                    rng.choice(_OPENERS) + (_specific(rng) if rng.random() < 0.5 else "") + s
                    for s in bank
                    if rng.random() < 0.8
                ],
            )
            for heading, bank in _OVERVIEW.items()
        ]
        problems = (
            "；".join(
                f"{'一二三四'[i]}是{s}"
                for i, s in enumerate(rng.sample(_PROBLEMS, rng.randint(2, 4)))
            )
            + "。下一步，{a}将"
            + "；".join(rng.sample(_NEXT, rng.randint(2, 4)))
            + "。"
        )
        last = (said, problems, rng.sample(topics, 3))
    said, problems, (x, y, z) = last
    requests = report.requests["new_received"]["total"]
    figures = lambda: {"a": report.agency, "x": x, "y": y, "z": z, "r": requests,  # noqa: E731
                       "n": rng.randint(20, 3000), "m": rng.randint(1, 60)}  # fmt: skip
    overview = "\n".join(
        heading + "情况。" + "".join(s.format(**figures()) for s in sentences)
        for heading, sentences in said
    )
    return last, overview, problems.format(**figures())


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
