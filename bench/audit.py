"""Benchmark of `giagen audit` on a folder of saved web pages, against one process per page.

    python bench/audit.py --n 100 [--json]

Generates N whole saved pages (navigation, scripts and footers around the article, a few
hundred KB each, one in ten with cells left blank, one in ten with a wrong total), then
times (a) `giagen audit DIR -o OUT` in one process and (b) the baseline a reviewer would
otherwise run: `giagen audit PAGE` once per page. Prints seconds, per-page figures and the
ratio (b)/(a).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import published_variants as pv  # noqa: E402

from giagen.core.synthetic import synthetic_report  # noqa: E402


def generate(folder: Path, n: int, seed: int = 2024) -> list[Path]:
    """N saved pages of different agencies, two years each where n allows."""
    rng = random.Random(seed)
    filler = "".join(
        f"<li><a href='/c/{i}'>栏目{i} 政务公开 通知公告 新闻动态</a></li><script>var s{i}=1;</script>"
        for i in range(1200)
    )
    paths = []
    for i in range(n):
        year = 2022 + i % 2
        report = synthetic_report(rng, year=year, agency=f"某某县第{i // 2:03d}局", busy=i % 5 == 0)
        blocks = pv.blocks_of(report)
        if i % 10 == 3:
            blocks = pv.cells_where(
                blocks,
                lambda k, report=report: k[0] == "三" and pv.value_of(report, k) == 0,
                lambda t: "",
            )
        if i % 10 == 7:
            blocks = pv.cells_where(
                blocks, lambda k: k == ("三", "total", "total"), lambda t: str(int(t) + 1)
            )
        page = pv.saved_page(f"<ul>{filler}</ul>" + pv.article(blocks))
        path = folder / f"page{i:04d}.html"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON line last"
    )
    args = parser.parse_args()
    giagen = [sys.executable, "-m", "giagen"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        paths = generate(folder, args.n)
        size = sum(p.stat().st_size for p in paths) / len(paths) / 1024
        folder_s = timed([*giagen, "audit", str(folder), "-o", str(Path(tmp) / "out")])
        baseline = min(args.n, 20)  # one process per page: a sample is enough for the figure
        per_page = sum(timed([*giagen, "audit", str(p)]) for p in paths[:baseline]) / baseline
    figures = {
        "pages": args.n,
        "page_kb": round(size),
        "folder_s": round(folder_s, 2),
        "folder_ms_per_page": round(folder_s / args.n * 1000, 1),
        "one_process_per_page_ms": round(per_page * 1000, 1),
        "ratio": round(per_page * args.n / folder_s, 1),
    }
    print(f"{args.n} saved pages of {figures['page_kb']} KB on average")
    print(
        f"(a) giagen audit DIR:            {folder_s:.2f} s, {figures['folder_ms_per_page']} ms a page"
    )
    print(
        f"(b) giagen audit PAGE, per page: {per_page * 1000:.0f} ms (a process each, {baseline} timed)"
    )
    print(f"ratio (b)×N/(a): {figures['ratio']}×")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
