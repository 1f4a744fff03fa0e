"""PDF through LibreOffice, when it is on the machine: many agencies publish PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..core.exceptions import GiagenError

INSTALL_HINT = "生成 PDF 需要 LibreOffice：请安装 Debian 软件包 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）"


# The faces GB/T 9704 names, as the DOCX asks for them.
FACES = ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312")


def missing_faces(faces=FACES) -> list[str]:
    """The faces fontconfig cannot give by their own name: LibreOffice will put others in."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        installed = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return []
    names = {name.strip() for line in installed.splitlines() for name in line.split(",")}
    return [face for face in faces if face not in names]


def docx_to_pdf(docx: bytes, warn=None) -> bytes:
    """Convert DOCX bytes to PDF bytes in a throwaway LibreOffice profile.

    `warn` is told, in Chinese, of each face the PDF will show in another font.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise GiagenError(INSTALL_HINT)
    for face in missing_faces():
        if warn:
            warn(f"本机没有字体“{face}”，PDF 中以其他字体代替；正式发布请在装有该字体的电脑上转换")
    with tempfile.TemporaryDirectory(prefix="giagen-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        command = [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=300, check=True)
            return (Path(tmp) / "report.pdf").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise GiagenError(f"LibreOffice 未能生成 PDF（{type(exc).__name__}）") from None
