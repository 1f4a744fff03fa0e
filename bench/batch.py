"""Benchmark of `giagen batch` against a naive baseline measured in the same run.

    python bench/batch.py --n 1000

Generates N synthetic unit workbooks (balanced; most units quiet, some busy), then times
(a) `giagen batch --jobs 1`, (b) `giagen batch` on all cores, and (c) the naive way a
competent user would write it with the same libraries: for each unit an openpyxl load of
the workbook, the same checks, a fresh DocxTemplate(...).render(...).save(...) of the same
template, and the same HTML template. Prints ms per unit, the ratio (c)/(a), wall time,
peak RSS, `giagen check`'s cold start and how much faster two processes of plain arithmetic
run than one on this machine now (the ceiling for (b)). Each timing starts on idle disks and
once creating a file is quick (see creating_is_quick).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import jinja2
import openpyxl
from docxtpl import DocxTemplate
from markupsafe import Markup

from giagen.api import batch
from giagen.checks.rules import check
from giagen.core import definitions as d
from giagen.core.compose import DRAFT_MARK, compose
from giagen.core.model import report_from_data
from giagen.core.synthetic import synthetic_report
from giagen.output.docx import context
from giagen.output.docxtemplate import DEFAULT_TEMPLATE
from giagen.output.templating import environment
from giagen.workbook.cells import FACTS_SHEET, FIRST_FACT_ROW, cell_map, fact_rows
from giagen.workbook.copies import write_workbooks


def generate(folder: Path, n: int, seed: int = 2024) -> list[Path]:
    rng = random.Random(seed)
    units = (
        (
            synthetic_report(rng, year=2023, agency=f"某某县第{i:05d}局"),
            folder / f"unit{i:05d}.xlsx",
        )
        for i in range(n)
    )  # one at a time: the benchmark should not hold N reports
    return write_workbooks(units)


def generate_apart(folder: Path, n: int) -> list[Path]:
    """generate() in a child process: building a thousand workbooks leaves a large, scattered heap
    behind, and the timings that follow in this process — (a) runs here — should not inherit it,
    as a `giagen batch` started on its own would not."""
    import multiprocessing

    child = multiprocessing.get_context("fork").Process(target=generate, args=(folder, n))
    child.start()
    child.join()
    if child.exitcode:
        raise SystemExit(f"generating the workbooks failed (exit status {child.exitcode})")
    return [folder / f"unit{i:05d}.xlsx" for i in range(n)]


def naive_unit(path: Path, out: Path, env: jinja2.Environment):
    """What one would write without giagen's fast paths: openpyxl, then docxtpl's own render."""
    wb = openpyxl.load_workbook(path, data_only=True)
    facts = wb[FACTS_SHEET]
    raw: dict = {"edition": "2021"}
    for i, (key, _, _) in enumerate(fact_rows("2021")):
        value = facts[f"B{FIRST_FACT_ROW + i}"].value
        if key not in ("edition",) and not key.startswith("processing_fee.") and value is not None:
            raw[key] = value
    for (section, row, column), ref in cell_map("2021").items():
        sheet, cell = ref.split("!")
        value = wb[sheet][cell].value
        if value is None:
            continue
        if section == "六":
            raw.setdefault("processing_fee", {})[column] = value
        else:
            table = next(t for t, s in d.TABLE_SECTIONS.items() if s == section)
            raw.setdefault(table, {}).setdefault(row, {})[column] = value
    report, _ = report_from_data(raw)
    check(report)
    composition = compose(report)
    tpl = DocxTemplate(DEFAULT_TEMPLATE)
    tpl.render(context(composition), autoescape=True)
    tpl.save(out / f"{path.stem}.docx")
    tables = {
        s.key: Markup(env.get_template("table.html.j2").render(t=s.table, fragment=False))
        for s in composition.sections
        if s.table is not None
    }
    html = env.get_template("report.html.j2").render(
        c=composition, tables=tables, fragment=False, draft_mark=DRAFT_MARK
    )
    (out / f"{path.stem}.html").write_text(html, encoding="utf-8")


def settle(limit: float = 30.0):
    """Write out what earlier steps left and wait until the disks have been idle for half a
    second (Linux; at most `limit` seconds): a timing then pays for its own writes, not for the
    writeback and discards of the step before it."""
    if hasattr(os, "sync"):
        os.sync()
    stats = Path("/proc/diskstats")
    if not stats.exists():
        return

    def busy_ms() -> int:  # milliseconds the disks have spent doing I/O (the io_ticks column)
        return sum(
            int(f[12])
            for f in (line.split() for line in stats.read_text().splitlines())
            if len(f) > 12
        )

    end, last, quiet = time.monotonic() + limit, busy_ms(), time.monotonic()
    while time.monotonic() < end:
        time.sleep(0.1)
        now = busy_ms()
        if now != last:
            last, quiet = now, time.monotonic()
        elif time.monotonic() - quiet >= 0.5:
            return


def creating_is_quick(folder: Path, limit: float = 120.0, quick_us: float = 50.0) -> float:
    """Wait (at most `limit` seconds) until creating a file in `folder` takes under `quick_us`
    microseconds; return the seconds waited.

    A file system may avoid reusing recently freed inodes for a while (ext4 without a journal:
    for a minute or more after thousands of files were deleted — the previous run's folder,
    say — each new file costs ten times as much); the timings should not pay for that."""
    start = time.monotonic()
    while True:
        where = Path(tempfile.mkdtemp(prefix="creation-probe-", dir=folder))
        begin = time.perf_counter()
        for i in range(200):
            os.close(os.open(where / str(i), os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o644))
        cost = (time.perf_counter() - begin) / 200 * 1e6
        waited = time.monotonic() - start
        if cost < quick_us or waited > limit:
            if waited > 1:
                print(
                    f"(waited {waited:.0f} s for file creation to be quick again: {cost:.0f} µs a file)"
                )
            return waited
        time.sleep(5)


def timed(label: str, n: int, run, folder: Path | None = None) -> float:
    settle()
    if folder is not None:
        creating_is_quick(folder)
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<34} {seconds * 1000 / n:8.2f} ms/unit   {seconds:7.2f} s wall   ({n} units)")
    return seconds / n


def peak_rss_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, workers


def _spin(rounds: int = 3) -> float:
    start, x = time.perf_counter(), 0
    for i in range(1_000_000 * rounds):
        x += i * i
    return time.perf_counter() - start


def machine_ceiling(jobs: int) -> float:
    """How much faster `jobs` processes of plain Python arithmetic get through the same work
    than one, on this machine now (virtual cores may share a physical one): what (b) can reach."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        pool.map(_spin, [1] * jobs)  # started and warm
        alone, together = float("inf"), float("inf")
        for _ in range(3):  # the best of three of each, taken in turns
            alone = min(alone, _spin())
            start = time.perf_counter()
            pool.map(_spin, [3] * jobs, chunksize=1)
            together = min(together, time.perf_counter() - start)
    return jobs * alone / together


def check_cold_start(runs: int = 5) -> float:
    """`giagen check` on one workbook from a fresh process: the best of a few runs.

    The package's bytecode is compiled first, as `pip install` leaves it: an editable install
    under PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start."""
    import compileall
    import subprocess

    import giagen

    compileall.compile_dir(Path(giagen.__file__).parent, quiet=1)
    example = Path(__file__).resolve().parent.parent / "examples" / "xigong-2023.xlsx"
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "giagen", "check", str(example)], capture_output=True)
        best = min(best, time.perf_counter() - start)
    return best


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200, help="units to generate")
    parser.add_argument("--baseline-n", type=int, default=100, help="units for the slow baseline")
    parser.add_argument("--jobs", type=int, default=os.cpu_count())
    parser.add_argument(
        "--generate", metavar="DIR", help="only write the N unit workbooks into DIR"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the figures as one JSON line last"
    )
    parser.add_argument(
        "--dir", help="where the temporary folder goes (default: the system's temporary folder)"
    )
    args = parser.parse_args(argv)
    if args.generate:
        Path(args.generate).mkdir(parents=True, exist_ok=True)
        generate(Path(args.generate), args.n)
        print(f"wrote {args.n} unit workbooks to {args.generate}")
        return

    with tempfile.TemporaryDirectory(prefix="giagen-bench-", dir=args.dir) as tmp:
        tmp = Path(tmp)
        start = time.perf_counter()
        files = generate_apart(tmp / "in", args.n)
        print(
            f"generated {args.n} unit workbooks in {time.perf_counter() - start:.1f} s in {tmp} "
            f"({sys.platform}, {os.cpu_count()} cores, Python {sys.version.split()[0]})"
        )
        quiet = lambda *_: None  # noqa: E731

        a = timed(
            "(a) giagen batch --jobs 1",
            args.n,
            lambda: batch([tmp / "in"], tmp / "a", jobs=1, progress=quiet),
            tmp,
        )
        b = timed(
            f"(b) giagen batch --jobs {args.jobs}",
            args.n,
            lambda: batch([tmp / "in"], tmp / "b", jobs=args.jobs, progress=quiet),
            tmp,
        )
        rerun = timed(
            "    re-run, nothing changed",
            args.n,
            lambda: batch([tmp / "in"], tmp / "b", jobs=args.jobs, progress=quiet),
            tmp,
        )

        subset = files[: min(args.baseline_n, args.n)]
        (tmp / "c").mkdir()
        c = timed(
            "(c) naive: openpyxl + DocxTemplate",
            len(subset),
            lambda: [naive_unit(p, tmp / "c", environment()) for p in subset],
            tmp,
        )
        same = [
            (tmp / "a" / "units" / f"某某县第{i:05d}局.html").read_bytes()
            == (tmp / "c" / f"unit{i:05d}.html").read_bytes()
            for i in range(len(subset))
        ]
        print(f"ratio (c)/(a): {c / a:.1f}x   (same HTML for {sum(same)}/{len(same)} units)")
        own, workers = peak_rss_mb()
        print(f"peak RSS: {own:.0f} MB (this process), {workers:.0f} MB (largest worker)")
        cold = check_cold_start()
        print(f"giagen check, one workbook, cold start: {cold:.2f} s")
        ceiling = machine_ceiling(args.jobs)
        print(
            f"this machine: {args.jobs} processes of plain Python arithmetic run ×{ceiling:.2f} as fast as one"
        )
        if args.json:
            print(
                json.dumps(
                    {
                        "units": args.n,
                        "jobs1_ms_per_unit": round(a * 1000, 2),
                        "all_cores_wall_s": round(b * args.n, 2),
                        "speedup": round(a / b, 2),
                        "rerun_s": round(rerun * args.n, 2),
                        "naive_ms_per_unit": round(c * 1000, 2),
                        "ratio": round(c / a, 1),
                        "peak_rss_mb": round(max(own, workers)),
                        "check_cold_s": round(cold, 3),
                        "machine_ceiling": round(ceiling, 2),
                    }
                )
            )


if __name__ == "__main__":
    main()
