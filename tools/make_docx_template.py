"""Build templates/report.docx, the docxtpl template of the report (GB/T 9704-2012 layout).

Run it after changing the layout; the .docx it writes is committed. Agencies may copy the
.docx, restyle it in Word or WPS (letterhead, fonts) and pass it with `--template`.
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).resolve().parent.parent / "templates" / "report.docx"

FANGSONG, XIAOBIAOSONG, HEITI, KAITI, SONG = (
    "仿宋_GB2312",
    "方正小标宋简体",
    "黑体",
    "楷体_GB2312",
    "宋体",
)
LINE = Pt(28.95)  # 22 lines in the 225 mm text block
# 28 characters of 三号 (16 pt) on the 156 mm line: a pitch of 15.79 pt, so each character is
# drawn 0.25 pt (5 twentieths) narrower; titles and tables keep their natural spacing.
CHAR_SPACING = -5


def fonts(element, name: str, size: float | None = None, ascii_name: str | None = None):
    """Set the run fonts of a style or run, East-Asian name included (python-docx sets only Latin)."""
    rpr = element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), ascii_name or name)
    rfonts.set(qn("w:eastAsia"), name)
    if size:
        for tag in ("w:sz", "w:szCs"):
            el = rpr.find(qn(tag))
            if el is None:
                el = OxmlElement(tag)
                rpr.append(el)
            el.set(qn("w:val"), str(int(size * 2)))


def indent_chars(style, first_line: int = 0, right: int = 0, left: int = 0):
    """Indents in characters (hundredths), as Chinese documents measure them."""
    ppr = style.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = OxmlElement("w:ind")
        ppr.append(ind)
    ind.set(qn("w:firstLineChars"), str(first_line))
    ind.set(qn("w:firstLine"), str(first_line * 16 * 20 // 100))
    if right:
        ind.set(qn("w:rightChars"), str(right))
    if left:
        ind.set(qn("w:leftChars"), str(left))


# Chinese style names as a clerk sees them in Word; ASCII ids as giagen's XML refers to them.
STYLE_IDS = {
    "报告标题": "GiagenTitle",
    "报告正文": "GiagenBody",
    "一级标题": "GiagenHeading1",
    "表格文字": "GiagenTable",
    "表格文字小": "GiagenTableSmall",
    "落款": "GiagenSignature",
    "草稿标记": "GiagenDraft",
    "页码单页": "GiagenPageOdd",
    "页码双页": "GiagenPageEven",
    "二级标题字符": "GiagenSubheading",
}


def char_spacing(element, twentieths: int):
    rpr = element.get_or_add_rPr()
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(twentieths))
    rpr.append(spacing)


def paragraph_style(
    doc,
    name,
    font,
    size,
    *,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line=200,
    line=LINE,
    bold=False,
    outline=None,
    color=None,
):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), STYLE_IDS[name])
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    fonts(style.element, font, size)
    char_spacing(style.element, CHAR_SPACING if size == 16 and line == LINE else 0)
    style.font.bold = bold
    if color:
        style.font.color.rgb = color
    pf = style.paragraph_format
    pf.alignment = align
    pf.space_before = pf.space_after = Pt(1.5 if line is None else 0)
    if line is None:  # single spacing, off the 28.95 pt document grid (tables, headers, footers)
        pf.line_spacing = 1.0
        off_grid(style)
    else:
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, line
    indent_chars(style, first_line)
    if outline is not None:
        level = OxmlElement("w:outlineLvl")
        level.set(qn("w:val"), str(outline))
        style.element.get_or_add_pPr().append(level)
    return style


def off_grid(style):
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    style.element.get_or_add_pPr().append(snap)


def page_number(paragraph):
    """`— N —` with a PAGE field."""
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def build(path: Path = OUT) -> Path:
    doc = Document()
    body = doc.element.body
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    # Chinese document language and fonts by default, not python-docx's en-US / ja-JP.
    defaults = (
        doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")
    fonts(doc.styles["Normal"].element, FANGSONG, 16)
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:val"), "zh-CN")
        theme_lang.set(qn("w:eastAsia"), "zh-CN")
    doc.settings.odd_and_even_pages_header_footer = True

    normal = doc.styles["Normal"].paragraph_format
    normal.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.line_spacing_rule, normal.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    normal.space_before = normal.space_after = Pt(0)
    normal.widow_control = False  # a full page holds 22 lines, as 公文 are set

    title = paragraph_style(
        doc,
        "报告标题",
        XIAOBIAOSONG,
        22,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first_line=0,
        line=Pt(36),
    )
    off_grid(title)  # the 二号 title keeps its own pitch
    paragraph_style(doc, "报告正文", FANGSONG, 16)
    paragraph_style(doc, "一级标题", HEITI, 16, outline=0).paragraph_format.keep_with_next = True
    paragraph_style(
        doc, "表格文字", FANGSONG, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=0, line=None
    )
    paragraph_style(
        doc, "表格文字小", FANGSONG, 9, align=WD_ALIGN_PARAGRAPH.CENTER, first_line=0, line=None
    )
    signature = paragraph_style(
        doc, "落款", FANGSONG, 16, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=0
    )
    paragraph_style(
        doc,
        "草稿标记",
        HEITI,
        12,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        first_line=0,
        line=None,
        color=RGBColor(0xC0, 0x00, 0x00),
    )
    odd = paragraph_style(
        doc, "页码单页", SONG, 14, align=WD_ALIGN_PARAGRAPH.RIGHT, first_line=0, line=None
    )
    even = paragraph_style(
        doc, "页码双页", SONG, 14, align=WD_ALIGN_PARAGRAPH.LEFT, first_line=0, line=None
    )
    indent_chars(odd, right=100)
    indent_chars(even, left=100)
    sub = doc.styles.add_style("二级标题字符", WD_STYLE_TYPE.CHARACTER)
    sub.element.set(qn("w:styleId"), STYLE_IDS["二级标题字符"])
    fonts(sub.element, KAITI)
    del signature

    # The body: each placeholder is filled by giagen; `{{p …}}` ones become whole paragraphs or tables.
    doc.add_paragraph("{{ title }}", style="报告标题")
    for tag in (
        "preamble",
        "section_1",
        "overview",
        "section_2",
        "table_2",
        "section_3",
        "table_3",
        "section_4",
        "table_4",
        "section_5",
        "problems",
        "section_6",
        "other",
        "signature",
    ):
        doc.add_paragraph(f"{{{{p {tag} }}}}", style="报告正文")

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance, section.footer_distance = Mm(15), Mm(24)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # GB/T 9704: 22 lines of 28 characters of 三号 on the 156 × 225 mm text block. The line
    # pitch is the grid's (225 mm / 22); the character pitch comes from the body's character
    # spacing (see CHAR_SPACING), which Word and LibreOffice read alike.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), "579")

    for header in (section.header, section.even_page_header):
        header.is_linked_to_previous = False
        p = header.paragraphs[0]
        p.text, p.style = "{{ draft_mark }}", doc.styles["草稿标记"]
    for footer, style in ((section.footer, odd), (section.even_page_footer, even)):
        footer.is_linked_to_previous = False
        p = footer.paragraphs[0]
        p.style = style
        page_number(p)

    props = doc.core_properties
    props.title, props.author, props.last_modified_by = (
        "政府信息公开工作年度报告",
        "giagen",
        "giagen",
    )
    props.created = props.modified = dt.datetime(2024, 1, 1)
    props.revision = 1
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    prune(path)
    return path


# python-docx's base document carries ~800 KB of styles and parts no report uses; every
# render would copy them. Keep only what the report refers to.
# The document's properties: giagen's name, and per report its title, agency and date (so
# that rendering the same report twice gives the same bytes).
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>giagen</Application><DocSecurity>0</DocSecurity></Properties>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{{ title_text }}</dc:title><dc:creator>{{ agency }}</dc:creator>"
    "<cp:lastModifiedBy>{{ agency }}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{{ stamp }}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{{ stamp }}</dcterms:modified>'
    "</cp:coreProperties>"
)
DROP = ("word/stylesWithEffects.xml", "word/numbering.xml", "docProps/thumbnail.jpeg", "customXml/")
KEEP_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList", *STYLE_IDS.values()}


# The order ECMA-376 gives the children of these elements; Word rejects another order.
SCHEMA_ORDER = {
    "pPr": (
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr "
        "shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN "
        "bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc "
        "textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "rPr": (
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof "
        "snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd "
        "fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "sectPr": (
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders "
        "lnNumType pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter "
        "docGrid printerSettings sectPrChange"
    ),
    "style": (
        "name aliases basedOn next link autoRedefine hidden uiPriority semiHidden unhideWhenUsed qFormat "
        "locked personal personalCompose personalReply rsid pPr rPr tblPr trPr tcPr tblStylePr"
    ),
}


def schema_order(root):
    """Put the children of pPr, rPr, sectPr and style in the order the schema gives."""
    from lxml import etree

    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        order = SCHEMA_ORDER.get(etree.QName(el).localname)
        if order:
            rank = {name: i for i, name in enumerate(order.split())}
            children = sorted(el, key=lambda c: rank.get(etree.QName(c).localname, len(rank)))
            for child in children:
                el.append(child)  # moving each in turn leaves them sorted


def prune(path: Path):
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i)) for i in z.infolist()]
    out = []
    for name, data in members:
        if name.startswith(DROP):
            continue
        if name.endswith(".rels") or name == "[Content_Types].xml":
            root = etree.fromstring(data)
            for el in list(root):
                target = el.get("Target", "") + el.get("PartName", "")
                # rels name parts relative to their folder: compare the last path segment
                if any(d.rstrip("/").split("/")[-1] in target for d in DROP):
                    root.remove(el)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if name == "word/styles.xml":
            root = etree.fromstring(data)
            for el in list(root):
                tag = etree.QName(el).localname
                if tag == "latentStyles" or (
                    tag == "style" and el.get(qn("w:styleId")) not in KEEP_STYLES
                ):
                    root.remove(el)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if name.startswith("word/") and name.endswith(".xml"):
            root = etree.fromstring(data)
            schema_order(root)
            data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        if name == "docProps/app.xml":
            data = APP.encode()
        if name == "docProps/core.xml":
            data = CORE.encode()
        out.append((name, data))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in out:
            z.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                data,
                compress_type=zipfile.ZIP_DEFLATED,
            )


def record(path: Path = OUT) -> Path:
    """Write the template's parts as docxtpl patches them beside it, keyed by the template's bytes:
    giagen then compiles its own template without loading docxtpl (giagen.output.docxtemplate.PATCHED_RECORD)."""
    import hashlib
    import json

    from giagen.output.docxtemplate import PATCHED_RECORD, patched_parts

    record = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "parts": patched_parts(path)}
    PATCHED_RECORD.write_text(
        json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return PATCHED_RECORD


if __name__ == "__main__":
    if sys.argv[1:] == ["--record"]:  # the record alone, for the committed template
        print(record())
    else:
        built = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
        print(built, record() if built == OUT else "")
