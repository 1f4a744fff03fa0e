"""DOCX templates: giagen's own from its record, an agency's checked and patched, each compiled once."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import re
import stat
import zipfile
import zlib
from pathlib import Path

import jinja2
from jinja2 import meta
from jinja2.exceptions import SecurityError

from ..core.exceptions import InputError, os_reason
from ..core.packages import xml_parser as _parser
from .docxzip import SMALL, deflated, stored, zip_parts
from .templating import TEMPLATES, Inserts, environment

DEFAULT_TEMPLATE = TEMPLATES / "report.docx"

# A template may come from another agency: it is data, so it renders in the sandbox.
_ENV = environment()


def undefined_name(exc: jinja2.UndefinedError) -> str:
    """The placeholder's name out of jinja's English message (`'unit_head' is undefined`)."""
    match = re.search(r"'([^']+)' is undefined", exc.message or "")
    return match.group(1) if match else (exc.message or "")


# The default template's parts as docxtpl patches them (tools/make_docx_template.py records
# them beside it): giagen's own template compiles without loading docxtpl and python-docx,
# a tenth of a second of every start. Any other template, or this one changed, is patched.
PATCHED_RECORD = TEMPLATES / "report.docx.patched.json"


def recorded_parts(raw: bytes) -> dict[str, str] | None:
    """The patched XML of a template's parts, when the record beside the default template is of these bytes."""
    try:
        record = json.loads(PATCHED_RECORD.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record.get("parts") if record.get("sha256") == hashlib.sha256(raw).hexdigest() else None


def patched_parts(path: Path) -> dict[str, str]:
    """Every templated part of a DOCX template as docxtpl patches it (what the record holds)."""
    patch, parts = _patcher(path), {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            data = z.read(name)
            if _templated(name, data):
                parts[name] = patch(data.decode("utf-8"))
    return parts


def _templated(name: str, data: bytes) -> bool:
    """Whether a part of a DOCX template holds placeholders (the document, headers, properties)."""
    return (name.startswith("word/") or name == "docProps/core.xml") and (
        b"{{" in data or b"{%" in data
    )


def _patcher(path: Path):
    """docxtpl's clean-up of Jinja tags split across Word's runs (opening the file checks it is a DOCX)."""
    # lazy: docxtpl and python-docx (~75 ms) only for an agency's own template
    from docxtpl import DocxTemplate

    return DocxTemplate(str(path)).patch_xml


def _part_name(name: str) -> str:
    """A template part as the agency knows it."""
    if name == "word/document.xml":
        return "正文"
    if name.startswith("word/header"):
        return "页眉"
    if name.startswith("word/footer"):
        return "页脚"
    return "文档属性" if name.startswith("docProps/") else f"的 {name} "


def _check_template(path: Path, parts: list[tuple[str, bytes]]):
    """An agency's template is a whole Word document: a body, every XML part complete and UTF-8."""
    # lazy: lxml (~15 ms) only when an agency's template is checked
    from lxml import etree

    if "word/document.xml" not in dict(parts):
        raise InputError(f"{path}：模板中没有正文（word/document.xml），不是完整的 Word 文档")
    for name, data in parts:
        if name.endswith((".xml", ".rels")):
            try:
                etree.fromstring(data, _parser())
            except etree.XMLSyntaxError:
                try:
                    data.decode("utf-8")
                    utf8 = True
                except UnicodeDecodeError as exc:
                    utf8 = (
                        exc.start >= len(data) - 3
                    )  # cut short inside a character: damaged, not another code
                reason = "已损坏（XML 不完整）" if utf8 else "不是 UTF-8 编码"
                raise InputError(
                    f"{path}：模板{_part_name(name)}{reason}，请在 Word 中重新保存"
                ) from None


def _check_placeholders(path: Path, body: str):
    """The body (its patched source) places everything giagen's own template places: without them a
    report would lack a section, a table or the 落款, and nothing would say so."""
    used = meta.find_undeclared_variables(_ENV.parse(body)) if body else set()
    missing = sorted(_body_placeholders() - used)
    if missing:
        raise InputError(
            f"{path}：模板正文缺少这些占位符：{'、'.join(missing)}；"
            "报告的法定内容会缺失（可用的占位符见 README）"
        )


@functools.cache
def _body_placeholders() -> frozenset[str]:
    """The placeholders in the body of giagen's own template (from the record beside it)."""
    record = recorded_parts(DEFAULT_TEMPLATE.read_bytes()) or {}
    body = record.get("word/document.xml")
    return frozenset(meta.find_undeclared_variables(_ENV.parse(body))) if body else frozenset()


class CompiledDocx:
    """A docxtpl template with its parts patched and compiled once, rendered many times."""

    def __init__(self, path: Path):
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}：无法读取模板（{os_reason(exc)}）") from None
        recorded = recorded_parts(raw)
        self.members = []
        try:
            with zipfile.ZipFile(io.BytesIO(raw)) as z:
                parts = [(info.filename, z.read(info)) for info in z.infolist()]
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            ValueError,
            EOFError,
            zlib.error,
        ):
            raise InputError(
                f"{path}：不是 Word 的 .docx 文件，或文件已损坏"
                "（.doc、.wps 请在 Word 或 WPS 中另存为 .docx）"
            ) from None
        if recorded is None:  # an agency's own template: checked, then patched as docxtpl does
            _check_template(path, parts)
            patch = _patcher(path)
        body = ""
        for name, data in parts:
            template = None
            if _templated(name, data):
                source = recorded[name] if recorded else patch(data.decode("utf-8"))
                body = source if name == "word/document.xml" else body
                try:
                    template = _ENV.from_string(source)
                except jinja2.TemplateSyntaxError:
                    raise InputError(
                        f"{path}：模板{_part_name(name)}中的占位符写法有误"
                        "（每个 {{ 要有对应的 }}，每个 {% 要有对应的 %}）"
                    ) from None
            self.members.append((name, data, template))
        if recorded is None:
            _check_placeholders(path, body)

    def render(self, ctx: dict, inserts: Inserts | None = None) -> bytes:
        """The DOCX bytes of the template filled with `ctx`, tokens replaced by their `inserts`."""
        entries = []
        for name, data, template in self.members:
            if template is None:
                entries.append(self.static[name])  # compressed once, for every report
                continue
            try:
                data = template.render(ctx).encode("utf-8")
            except jinja2.UndefinedError as exc:
                raise InputError(
                    f"模板中有 giagen 不提供的占位符：{undefined_name(exc)}"
                    "（可用的占位符见 README）"
                ) from None
            except (SecurityError, TypeError, AttributeError, ValueError):
                raise InputError(
                    "模板中有不允许的写法：模板只能使用 README 列出的占位符，"
                    "不能调用函数或访问其内部属性"
                ) from None
            if inserts:
                data = inserts.put_in(data)
            # a small part (properties, headers) is stored: deflating it costs more than it saves
            entries.append(deflated(name, data) if len(data) > SMALL else stored(name, data))
        return zip_parts(entries)

    @functools.cached_property
    def static(self) -> dict[str, tuple]:
        """The parts no report changes, deflated once."""
        return {
            name: deflated(name, data) for name, data, template in self.members if template is None
        }


@functools.lru_cache(maxsize=8)
def compiled(path: Path, mtime: float) -> CompiledDocx:
    """The compiled template of a file, kept while the file is unchanged."""
    return CompiledDocx(path)


def template_for(template: Path | None = None) -> CompiledDocx:
    """The compiled DOCX template: the default one or an agency's own, compiled once while unchanged."""
    path = Path(
        os.path.abspath(template or DEFAULT_TEMPLATE)
    )  # no resolve(): one stat a report, not one a folder
    try:
        found = os.stat(path)
    except OSError:
        found = None
    if found is None or not stat.S_ISREG(found.st_mode):
        raise InputError(f"{path}：模板文件不存在")
    return compiled(path, found.st_mtime)
