"""Benchmark of `giagen audit` on a folder of saved web pages, against one process per page.

    python bench/audit.py --n 100 [--years 2] [--json]
    python bench/audit.py --generate DIR --n 2000 --years 7      # only write the pages

Generates N agencies' whole saved pages for Y years (navigation, scripts and footers around
the article, ~150 KB each, one in ten with cells left blank, one in ten with a wrong total),
one folder a year, then times: (a) `giagen audit DIR -o OUT --jobs 1`, one core; (b) the same
on all cores, with the PREV findings the year chain found; (c) auditing again after ten
pages changed (the rest come from the audit's memory); (d) the floor: lxml parsing each page
and taking its text, in this process; (e) the baseline a reviewer would otherwise run,
`giagen audit PAGE` once per page (a sample). Prints the figures; `--json` prints them as one
JSON object last.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import published_variants as pv  # noqa: E402

from giagen.core.synthetic import synthetic_report  # noqa: E402


def generate(folder: Path, n: int, seed: int = 2024, years: int = 1) -> list[Path]:
    """N agencies' saved pages for `years` years, one folder a year when there are several."""
    rng = random.Random(seed)
    filler = "".join(
        f"<li><a href='/c/{i}'>栏目{i} 政务公开 通知公告 新闻动态</a></li><script>var s{i}=1;</script>"
        for i in range(1200)
    )
    paths = []
    for y in range(years):
        year = 2024 - years + 1 + y if years > 1 else 2022
        place = folder / str(year) if years > 1 else folder
        place.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            agency = f"某某县第{i:04d}局" if years > 1 else f"某某县第{i // 2:03d}局"
            report = synthetic_report(
                rng, year=year + (i % 2 if years == 1 else 0), agency=agency, busy=i % 5 == 0
            )
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
            path = place / f"page{i:04d}.html"
            path.write_text(page, encoding="utf-8")
            paths.append(path)
    return paths


def floor(paths: list[Path]) -> float:
    """Seconds a page for lxml to parse it and take its text: what no reader of pages can beat."""
    import lxml.html

    start = time.perf_counter()
    for path in paths:
        lxml.html.document_fromstring(path.read_bytes()).text_content()
    return (time.perf_counter() - start) / len(paths)


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100, help="agencies")
    parser.add_argument("--years", type=int, default=1, help="years of each agency's pages")
    parser.add_argument("--generate", type=Path, help="only write the pages into this folder")
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object last"
    )
    args = parser.parse_args()
    if args.generate:
        paths = generate(args.generate, args.n, years=args.years)
        print(f"{len(paths)} pages in {args.generate}")
        return
    giagen = [sys.executable, "-m", "giagen"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        paths = generate(folder, args.n, years=args.years)
        pages = len(paths)
        size = sum(p.stat().st_size for p in paths) / pages / 1024
        one_core = timed(
            [*giagen, "audit", str(folder), "-o", str(Path(tmp) / "one"), "--jobs", "1"]
        )
        out = Path(tmp) / "all"
        all_cores = timed([*giagen, "audit", str(folder), "-o", str(out)])
        for path in paths[:10]:  # ten pages corrected since
            path.write_text(path.read_text(encoding="utf-8") + "<!-- 更正 -->", encoding="utf-8")
        reaudit = timed([*giagen, "audit", str(folder), "-o", str(out)])
        chained = (out / "findings.csv").read_text(encoding="utf-8-sig").count(",PREV-")
        floor_s = floor(paths[: min(pages, 200)])
        baseline = min(pages, 20)  # one process per page: a sample is enough for the figure
        per_page = sum(timed([*giagen, "audit", str(p)]) for p in paths[:baseline]) / baseline
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "pages": pages,
        "page_kb": round(size),
        "ms_per_page": round(one_core / pages * 1000, 1),
        "floor_ms_per_page": round(floor_s * 1000, 2),
        "pages_per_s_all_cores": round(pages / all_cores, 1),
        "prev_findings": chained,
        "reaudit_s": round(reaudit, 2),
        "peak_rss_mb": round(peak),
        "one_process_per_page_ms": round(per_page * 1000, 1),
        "ratio": round(per_page * pages / one_core, 1),
    }
    print(
        f"{pages} saved pages ({args.n} agencies × {args.years} years) of {figures['page_kb']} KB on average"
    )
    print(f"(a) giagen audit DIR --jobs 1:   {one_core:.2f} s, {figures['ms_per_page']} ms a page")
    print(
        f"(b) on all cores:                {all_cores:.2f} s, {figures['pages_per_s_all_cores']} pages a second, {chained} PREV findings chained"
    )
    print(f"(c) again, ten pages changed:    {reaudit:.2f} s")
    print(f"(d) floor, lxml parse and text:  {figures['floor_ms_per_page']} ms a page")
    print(
        f"(e) giagen audit PAGE, per page: {per_page * 1000:.0f} ms (a process each, {baseline} timed); (e)×N/(a) {figures['ratio']}×"
    )
    print(f"peak RSS of one audit: {figures['peak_rss_mb']} MB")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
