"""PDF through LibreOffice, when it is on the machine: many agencies publish PDF."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .exceptions import GiagenError

INSTALL_HINT = "生成 PDF 需要 LibreOffice：请安装 Debian 软件包 libreoffice-writer-nogui（apt-get install libreoffice-writer-nogui）"


def docx_to_pdf(docx: bytes) -> bytes:
    """Convert DOCX bytes to PDF bytes in a throwaway LibreOffice profile."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise GiagenError(INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="giagen-pdf-") as tmp:
        source = Path(tmp) / "report.docx"
        source.write_bytes(docx)
        command = [soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=300, check=True)
            return (Path(tmp) / "report.pdf").read_bytes()
        except (subprocess.SubprocessError, OSError) as exc:
            raise GiagenError(f"LibreOffice 未能生成 PDF（{type(exc).__name__}）") from None
