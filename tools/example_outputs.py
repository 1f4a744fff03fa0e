"""Digests of every output giagen makes from the shipped examples, to show a change left them alone.

    python tools/example_outputs.py                     # print one line per output
    python tools/example_outputs.py --save FILE         # keep the digests
    python tools/example_outputs.py --against FILE      # exit 1 and name each output that differs

Each output is made through the public functions (render, draft render, convert both ways,
blank templates of both editions, the region's rollup). A line holds the output's name, the
sha256 of its bytes, and for a zip (DOCX, XLSX) the sha256 of its members' names and
uncompressed contents, which does not depend on the zlib that deflated them. An XLSX written
by openpyxl carries the time it was written (in docProps/core.xml and the zip's entries): its
line holds only the members' digest, with those times left out.

"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_PUBLISHED = ROOT / "tests" / "fixtures" / "seeds_as_published"


def make_outputs(out: Path) -> list[Path]:
    """Every kind of output from the examples, written under `out`."""
    import giagen.api as api

    made: list[Path] = []
    for source in sorted(EXAMPLES.glob("*.xlsx")) + sorted(EXAMPLES.glob("*.json")):
        folder = out / "render" / source.suffix[1:]
        folder.mkdir(parents=True, exist_ok=True)
        made += api.render(source, to=("docx", "html"), output_dir=folder)
        converted = (
            out / "convert" / f"{source.stem}{'.json' if source.suffix == '.xlsx' else '.xlsx'}"
        )
        converted.parent.mkdir(parents=True, exist_ok=True)
        made.append(api.convert(source, converted))
    draft = out / "draft"
    draft.mkdir()
    made += api.render(AS_PUBLISHED / "002.json", to=("docx", "html"), output_dir=draft, draft=True)
    for year, agency in ((2020, "某某县统计局"), (2023, "西工区统计局"), (2025, "")):
        made += api.template(year, out / "template" / f"{year}.xlsx", agency=agency)
    region = out / "region" / "某某区2020年政府信息公开工作年度报告.xlsx"
    region.parent.mkdir()
    api.rollup([EXAMPLES / "dadukou-2020.xlsx", EXAMPLES / "shizhong-2020.xlsx"], "某某区", region)
    made += sorted(region.parent.iterdir())
    return made


WRITTEN_AT = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def digest(path: Path) -> str:
    """sha256 of the bytes; for a zip also of its members, uncompressed (an XLSX: only those)."""
    if not zipfile.is_zipfile(path):
        return hashlib.sha256(path.read_bytes()).hexdigest()
    members = hashlib.sha256()
    with zipfile.ZipFile(path) as z:
        for info in z.infolist():
            content = z.read(info)
            if path.suffix == ".xlsx" and info.filename == "docProps/core.xml":
                content = WRITTEN_AT.sub(rb"\1", content)
            members.update(info.filename.encode() + b"\0" + content + b"\0")
    raw = "" if path.suffix == ".xlsx" else hashlib.sha256(path.read_bytes()).hexdigest() + " "
    return f"{raw}members:{members.hexdigest()}"


def digests() -> dict[str, str]:
    """Output name (relative to its folder) → digest line."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        return {p.relative_to(out).as_posix(): digest(p) for p in make_outputs(out)}


def read(path: Path) -> dict[str, str]:
    """Digests kept by --save."""
    pairs = (line.split("  ", 1) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {name: value for value, name in pairs}


def differences(kept: dict[str, str], now: dict[str, str], members_only: bool = False) -> list[str]:
    """Outputs whose digest differs, is missing or is new."""

    def part(value: str) -> str:
        return value.split(" members:")[-1] if members_only else value

    return [
        name
        for name in sorted(kept.keys() | now.keys())
        if name not in kept or name not in now or part(kept[name]) != part(now[name])
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path)
    parser.add_argument("--against", type=Path)
    args = parser.parse_args(argv)
    now = digests()
    if args.save:
        args.save.write_text(
            "".join(f"{v}  {k}\n" for k, v in sorted(now.items())), encoding="utf-8"
        )
        return 0
    if args.against:
        changed = differences(read(args.against), now)
        for name in changed:
            print(f"differs: {name}")
        print(f"{len(now) - len(changed)} of {len(now)} outputs byte-identical")
        return 1 if changed else 0
    for name, value in sorted(now.items()):
        print(f"{value}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
