"""Every kind of page giagen writes, checked with axe-core's WCAG 2.1 A and AA rules in headless
Chromium, at a desktop width and a phone's.

    npm pack axe-core && tar xzf axe-core-*.tgz        # gives package/axe.min.js
    apt-get install chromium chromium-driver; pip install selenium
    python tools/accessibility.py --axe package/axe.min.js [--keep DIR] [--json]

Prints each page kind, width and violation (rule, impact, how many elements, the first
element), then the totals; exits 1 when there is any violation. Nothing is fetched: the
pages are files, axe is injected from the file given.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

WIDTHS = (1280, 375)
# Headless Chromium on a machine without a network: without these it waits for one.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
)
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages(out: Path) -> dict[str, Path]:
    """One page of each kind giagen writes, made from the examples and a practice round."""
    import round_fixture as rf

    from giagen.api import audit, batch, render

    made = {}
    for name in ("dadukou-2020", "xigong-2023"):
        render(ROOT / "examples" / f"{name}.json", to=("html",), output_dir=out / "reports")
        made[f"report {name}"] = out / "reports" / f"{name}.html"
        made[f"fragment {name}"] = embedded(out / "reports" / f"{name}.fragment.html")
    render(
        ROOT / "tests/fixtures/seeds_as_published/002.json",
        to=("html",),
        output_dir=out / "draft",
        draft=True,
    )
    made["report draft"] = out / "draft" / "002.html"
    folder = out / "round"
    folder.mkdir()
    rf.make_round(folder)
    result = batch(
        [folder / "收回"], folder / "结果", units=folder / "单位名单.csv", rollup=rf.REGION, jobs=1
    )
    made["board"] = folder / "结果" / "index.html"
    made["专栏"] = folder / "结果" / "专栏.html"
    made["report region"] = next(p for p in result.region if p.suffix == ".html")
    audit([out / "reports"], output_dir=out / "audit")
    made["audit index"] = out / "audit" / "index.html"
    return made


def embedded(fragment: Path) -> Path:
    """The fragment as a CMS puts it: inside a page of the site (which has its own language)."""
    host = fragment.with_name(fragment.stem + ".in-a-page.html")
    host.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Site</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>'
        + fragment.read_text(encoding="utf-8")
        + "</main></body></html>",
        encoding="utf-8",
    )
    return host


def check(made: dict[str, Path], axe: str) -> dict[str, list]:
    """axe's violations of every page at every width."""
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp()}")
    os.environ["SE_AVOID_STATS"] = "true"  # selenium's manager reports nothing anywhere
    service = webdriver.ChromeService(executable_path=shutil.which("chromedriver"))
    browser = webdriver.Chrome(options=options, service=service)
    found = {}
    try:
        for kind, path in made.items():
            for width in WIDTHS:
                browser.set_window_size(width, 900)
                browser.get(path.as_uri())
                browser.execute_script(axe)
                result = browser.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, {runOnly: {type: 'tag', values: %s}})"
                    ".then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,"
                    " nodes: v.nodes.length, first: v.nodes[0].html.slice(0, 160)}))));"
                    % json.dumps(RULES)
                )
                found[f"{kind} @{width}"] = result
        if "board" in made:
            found["keyboard walk of the board"] = keyboard_walk(browser, made["board"])
    finally:
        browser.quit()
    return found


def keyboard_walk(browser, board: Path) -> list:
    """Filter the board to 有错误 and sort it by 错误 with the keyboard alone (Tab, Enter); what
    fails is returned as violations, each step printed."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    browser.set_window_size(1280, 900)
    browser.get(board.as_uri())
    failed = []

    def tab_to(text: str) -> bool:
        for _ in range(60):
            ActionChains(browser).send_keys(Keys.TAB).perform()
            if browser.switch_to.active_element.text.startswith(text):
                return True
        return False

    for label, check in (
        ("有错误", "document.querySelector('.counts [aria-pressed=true]').textContent"),
        (
            "错误",
            "Array.from(document.querySelectorAll('#board th'))"
            ".map(t => t.textContent + ':' + t.getAttribute('aria-sort')).join(' ')",
        ),
    ):
        reached = tab_to(label)
        ActionChains(browser).send_keys(Keys.ENTER).perform()
        state = browser.execute_script(f"return {check};")
        shown = browser.execute_script("return document.getElementById('shown').textContent;")
        print(
            f"  Tab → “{label}” {'reached' if reached else 'NOT reached'}, Enter → {state} | {shown}"
        )
        if not reached:
            failed.append({"id": "keyboard", "impact": "serious", "nodes": 1, "first": label})
    if "错误:ascending" not in state or "有错误" not in shown:
        failed.append({"id": "keyboard-state", "impact": "serious", "nodes": 1, "first": state})
    return failed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--axe", required=True, type=Path, help="axe.min.js from the axe-core package"
    )
    parser.add_argument("--keep", type=Path, help="write the pages here and keep them")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    out = args.keep or Path(tempfile.mkdtemp())
    out.mkdir(parents=True, exist_ok=True)
    try:
        found = check(pages(out), args.axe.read_text(encoding="utf-8"))
    finally:
        if not args.keep:
            shutil.rmtree(out, ignore_errors=True)
    total = 0
    for where, violations in found.items():
        total += len(violations)
        print(f"{where}: {len(violations)} violations")
        for v in violations:
            print(f"  {v['id']} ({v['impact']}) ×{v['nodes']}: {v['first']}")
    print(f"{total} violations over {len(found)} page views")
    if args.json:
        print(json.dumps(found, ensure_ascii=False))
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
