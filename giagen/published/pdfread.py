"""A PDF's pages as text, read by PDFium in a child process held to limits of memory and time.

PDFium is C, and a PDF can ask it for anything: a form drawn ten times inside one drawn ten
times, nine deep, is a file of 3 KB that asks for a billion drawings; a damaged file may crash
it. The child meets that; the audit goes on and says what it could not read. Where processes
cannot be forked (Windows), the PDF is read in this process.
"""

from __future__ import annotations

import os
import pickle
import re
import signal

try:
    import resource  # Unix's alone; a child is forked only there
except ImportError:
    resource = None

from ..core.exceptions import InputError
from ..core.processes import working_for_parent
from .pdfbudget import check_pdf_budget

MEMORY = 256 << 20  # bytes the child may take beyond what it starts with (a report: tens)
SECONDS = 20  # of the processor's time: a report of 200 pages takes under one
MAX_PAGES = 200


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, its lines ended as in a text file; InputError when the PDF cannot be
    read, asks more than a report could (its streams measured first), or its reading went past
    the limits."""
    # lazy: PDFium (~25 ms) only for a PDF; loaded here, before a child is forked, once
    import pypdfium2 as pdfium

    check_pdf_budget(data)
    pages = _pages(pdfium, data) if not hasattr(os, "fork") else _in_child(pdfium, data)
    if _unmapped("".join(pages)):
        raise InputError(
            "PDF 的文字读出来是乱码：它的字体没有给出字形对应的文字（缺少 Unicode 映射），"
            "读不出数字；请提供网页、DOCX，或可复制文字的 PDF"
        )
    return pages


def _pages(pdfium, data: bytes) -> list[str]:
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium.raw.FPDF_ERR_PASSWORD:
            raise InputError("PDF 设有打开密码，无法读取；请提供不加密的 PDF 或网页") from None
        raise InputError("无法读取 PDF（文件损坏或不是 PDF）") from None
    try:
        if len(document) > MAX_PAGES:
            raise InputError(f"PDF 有 {len(document)} 页，超出上限 {MAX_PAGES} 页")
        return [_page_text(page) for page in document]
    except pdfium.PdfiumError:
        raise InputError("无法读取 PDF（文件损坏或不是 PDF）") from None
    finally:
        document.close()


def _page_text(page) -> str:
    text = page.get_textpage().get_text_range()
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _in_child(pdfium, data: bytes) -> list[str]:
    """`_pages(pdfium, data)`, worked out by a forked child under limits and handed back through a pipe."""
    reading, writing = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to be had now (too many, no memory): read here, as on Windows
        os.close(reading)
        os.close(writing)
        return _pages(pdfium, data)
    if pid == 0:  # the child: never returns into the caller's code
        code = 1
        try:
            os.close(reading)
            _limited()
            try:
                said = ("pages", _pages(pdfium, data))
            except InputError as exc:
                said = ("refused", str(exc))
            with os.fdopen(writing, "wb") as out:
                out.write(pickle.dumps(said))
            code = 0
        finally:
            os._exit(code)
    os.close(writing)
    try:
        with os.fdopen(reading, "rb") as got:
            answer = got.read()  # read whole before waiting: the pipe holds only 64 KB
        _, status = os.waitpid(pid, 0)
        pid = 0
    finally:
        if pid:  # interrupted while the child works: it goes too
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if not answer or os.waitstatus_to_exitcode(status) != 0:
        raise InputError("无法读取 PDF：读取它超出了内存或时间的上限（文件损坏，或内容嵌套过多）")
    kind, value = pickle.loads(answer)  # whole, from the child forked here: never the file's
    if kind == "refused":
        raise InputError(value)
    return value


def _limited():
    """The child's limits: memory beyond what it starts with, the processor's time; Ctrl-C left
    to the process that forked it, and ended with it (a worker of an interrupted audit)."""
    working_for_parent(signal.SIGKILL)
    try:
        with open("/proc/self/statm") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (mapped + MEMORY, mapped + MEMORY))
    except (OSError, ValueError):
        pass  # no /proc (macOS), or a lower limit set already: the time limit still holds
    try:
        resource.setrlimit(resource.RLIMIT_CPU, (SECONDS, SECONDS + 1))
    except (OSError, ValueError):
        pass  # a lower limit set already (`ulimit -t`): that one holds


# Compiled with the reader (a PDF's only): a class of the CJK block takes 2 ms to compile
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What a font's own codes come out as when it maps none to characters: control characters,
# Latin-1's accented letters, the replacement character, the private use area
_CODES = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xff\ufffd\ufffe\ue000-\uf8ff]")


def _unmapped(text: str) -> bool:
    """Whether a PDF's text is its fonts' codes rather than characters: more of those than of
    Chinese characters (a report's text is mostly Chinese; a text in English has neither)."""
    codes = len(_CODES.findall(text))
    return codes > 50 and len(_HAN.findall(text)) < codes
