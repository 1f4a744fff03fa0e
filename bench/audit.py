"""Benchmark of `giagen audit` on a folder of published reports, against one process per page.

    python bench/audit.py --n 100 [--years 2] [--json]
    python bench/audit.py --generate DIR --n 2000 --years 7 [--flat]   # only write the pages

Generates N agencies' reports for Y years in the shapes agencies publish (bench/shapes.py:
saved pages of a government site, ~150 KB; article bodies; text copied from a browser; a PDF
for one in a hundred when LibreOffice is here; prose as agencies write it, a few hundred
characters of their own field under 一 and 五, one in four last year's again), one in ten
with cells left blank and one in ten with a wrong total, one folder a year (or one flat
folder), then times: (a) `giagen audit DIR --jobs 1` on the saved pages alone, one core;
(b) the whole folder on all cores, with the PREV findings the year chain found; (c) auditing
again after ten pages changed (the rest come from the audit's memory); (d) the floor: lxml
parsing each saved page and taking its text, in this process; (e) the baseline a reviewer
would otherwise run, `giagen audit PAGE` once per page (a sample). Prints the figures; `--json` prints them as one JSON object last.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import shapes

from giagen.core.synthetic import synthetic_report
from giagen.pipeline.rendering import documents

SUFFIX = {"saved": ".html", "article": ".html", "text": ".txt", "pdf": ".pdf"}


def shape_of(i: int, pdf: bool) -> str:
    """Seven in ten saved pages, two article bodies, one text; a PDF for one in a hundred."""
    if pdf and i % 100 == 50:
        return "pdf"
    return {1: "article", 6: "article", 4: "text"}.get(i % 10, "saved")


def generate(folder: Path, n: int, seed: int = 2024, years: int = 1, flat: bool = False):
    """N agencies' reports for `years` years, a folder a year unless `flat`; {path: shape}."""
    rng = random.Random(seed)
    pdf = shutil.which("soffice") is not None
    made, to_pdf, said = {}, [], {}
    for y in range(years):
        year = 2024 - years + 1 + y
        place = folder if flat or years == 1 else folder / str(year)
        place.mkdir(parents=True, exist_ok=True)
        for i in range(n):
            agency = f"某某县第{i:04d}局"
            report = synthetic_report(rng, year=year, agency=agency, busy=i % 5 == 0)
            said[i], overview, problems = shapes.prose(rng, report, i, said.get(i))
            report = report.replace(overview=overview, problems=problems)
            shape = shape_of(i, pdf)
            path = place / f"{year}-{i:04d}{SUFFIX[shape]}"
            if shape == "pdf":
                docx = documents(report, ("docx",))["docx"]
                path.with_suffix(".docx").write_bytes(docx)
                to_pdf.append(path)
            else:
                path.write_text(shapes.page_of(report, shape, rng), encoding="utf-8")
            made[path] = shape
    if to_pdf:  # one LibreOffice for all of them
        with tempfile.TemporaryDirectory() as profile:
            subprocess.run(
                ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(to_pdf[0].parent),
                 *[str(p.with_suffix(".docx")) for p in to_pdf if p.parent == to_pdf[0].parent]],
                capture_output=True, check=False,
            )  # fmt: skip
            for place in {p.parent for p in to_pdf} - {to_pdf[0].parent}:
                subprocess.run(
                    ["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                     "--convert-to", "pdf", "--outdir", str(place),
                     *[str(p.with_suffix(".docx")) for p in to_pdf if p.parent == place]],
                    capture_output=True, check=False,
                )  # fmt: skip
        for path in to_pdf:
            path.with_suffix(".docx").unlink()
            if not path.exists():
                del made[path]
    return made


def floor(paths: list[Path]) -> float:
    """Seconds a page for lxml to parse it and take its text: what no reader of pages can beat."""
    import lxml.html

    start = time.perf_counter()
    for path in paths:
        lxml.html.document_fromstring(path.read_bytes()).text_content()
    return (time.perf_counter() - start) / len(paths)


def timed(command: list[str]) -> tuple[float, float]:
    """Seconds the command took, and the peak of the memory its processes held together (MB):
    their proportional set sizes (a page shared by a forked worker and its parent counts once),
    sampled from /proc every 100 ms (the time is taken when it ends, not at a sample)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while True:
        peak = max(peak, _tree_pss(process.pid))
        try:  # its end is seen when it comes, not at the next sample
            process.wait(timeout=0.1)
            return time.perf_counter() - start, peak / 1024
        except subprocess.TimeoutExpired:
            continue


def _tree_pss(pid: int) -> int:
    """KB held by `pid` and its descendants (0 where /proc cannot say)."""
    total = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                total += _tree_pss(int(child))
    except (OSError, ValueError):
        pass  # the process ended between two looks: it holds nothing now
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="agencies")
    parser.add_argument("--years", type=int, default=2, help="years of each agency's reports")
    parser.add_argument("--generate", type=Path, help="only write the pages into this folder")
    parser.add_argument("--flat", action="store_true", help="with --generate: one folder")
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON object last"
    )
    args = parser.parse_args()
    if args.generate:
        made = generate(args.generate, args.n, years=args.years, flat=args.flat)
        counts = {s: list(made.values()).count(s) for s in SUFFIX}
        print(f"{len(made)} reports in {args.generate}: {counts}")
        return
    giagen = [sys.executable, "-m", "giagen"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        made = generate(folder, args.n, years=args.years)
        saved = Path(tmp) / "saved"  # the saved pages alone, for the figure a page
        saved.mkdir()
        for path, shape in made.items():
            if shape == "saved":
                (saved / path.name).hardlink_to(path)
        saved_paths = sorted(saved.iterdir())
        size = sum(p.stat().st_size for p in saved_paths) / len(saved_paths) / 1024
        start_up, _ = timed([*giagen, "audit", str(saved_paths[0]), "-o", str(Path(tmp) / "s")])
        one_core, _ = timed(
            [*giagen, "audit", str(saved), "-o", str(Path(tmp) / "one"), "--jobs", "1"]
        )
        out = Path(tmp) / "all"
        all_cores, peak = timed([*giagen, "audit", str(folder), "-o", str(out)])
        changed = [p for p, shape in made.items() if shape in ("saved", "text")][:10]
        for path in changed:  # ten pages corrected since
            path.write_text(path.read_text(encoding="utf-8") + "\n更正", encoding="utf-8")
        reaudit, _ = timed([*giagen, "audit", str(folder), "-o", str(out)])
        chained = (out / "findings.csv").read_text(encoding="utf-8-sig").count(",PREV-")
        floor_s = floor(saved_paths[:200])
        sample = saved_paths[:20]  # one process per page: a sample is enough for the figure
        per_page = sum(timed([*giagen, "audit", str(p)])[0] for p in sample) / len(sample)
    pages, saved_n = len(made), len(saved_paths)
    figures = {
        "pages": pages,
        "shapes": {s: list(made.values()).count(s) for s in SUFFIX},
        "saved_page_kb": round(size),
        "ms_per_page": round(one_core / saved_n * 1000, 2),
        "ms_per_page_after_start_up": round((one_core - start_up) / (saved_n - 1) * 1000, 2),
        "start_up_s": round(start_up, 2),
        "floor_ms_per_page": round(floor_s * 1000, 2),
        "pages_per_s_all_cores": round(pages / all_cores, 1),
        "prev_findings": chained,
        "reaudit_s": round(reaudit, 2),
        "peak_rss_mb": round(peak),
        "one_process_per_page_ms": round(per_page * 1000, 1),
        "ratio": round(per_page * saved_n / one_core, 1),
    }
    print(f"{pages} reports ({args.n} agencies × {args.years} years): {figures['shapes']}")
    print(
        f"(a) giagen audit DIR --jobs 1, {saved_n} saved pages of {figures['saved_page_kb']} KB: "
        f"{one_core:.2f} s, {figures['ms_per_page']} ms a page (start-up {start_up:.2f} s included; "
        f"{figures['ms_per_page_after_start_up']} ms a page after it)"
    )
    print(
        f"(b) the whole folder on all cores: {all_cores:.2f} s, "
        f"{figures['pages_per_s_all_cores']} pages a second, {chained} PREV findings chained, "
        f"peak memory {figures['peak_rss_mb']} MB"
    )
    print(f"(c) again, ten pages changed:    {reaudit:.2f} s")
    print(
        f"(d) floor, lxml parse and text:  {figures['floor_ms_per_page']} ms a saved page; "
        f"(a) is {figures['ms_per_page'] / figures['floor_ms_per_page']:.1f} times it"
    )
    print(
        f"(e) giagen audit PAGE, per page: {per_page * 1000:.0f} ms (a process each, "
        f"{len(sample)} timed); (e)×N/(a) {figures['ratio']}×"
    )
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
