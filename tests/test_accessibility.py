"""Every kind of page through axe-core's WCAG 2.1 A and AA rules, and the board by keyboard:
run where Chromium, its driver, selenium and axe-core's axe.min.js (GIAGEN_AXE) are present."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = os.environ.get("GIAGEN_AXE", "")


@pytest.mark.skipif(
    not (shutil.which("chromium") and shutil.which("chromedriver") and AXE and Path(AXE).is_file())
    or importlib.util.find_spec("selenium") is None,
    reason="needs chromium, chromium-driver, selenium and GIAGEN_AXE=…/axe.min.js",
)
def test_every_page_kind_passes_axe_and_the_board_works_by_keyboard(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "tools"))
    import accessibility

    assert accessibility.main(["--axe", AXE, "--keep", str(tmp_path / "pages")]) == 0
    said = capsys.readouterr().out
    assert "0 violations over" in said and "错误:ascending" in said and "筛选“有错误”" in said
