"""The shape of the house: wings that import only downward, small modules, every command helped."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "giagen"
MAX_LINES = 400  # as formatted: `ruff format --check` holds every file to the formatter

# Each wing and the wings it may import, lowest first. The door (api, the package's
# __init__) stands over the round; the faces (the command line, the wizard) over the door.
WINGS = {
    "core": set(),
    "workbook": {"core"},
    "published": {"core"},
    "checks": {"core"},
    "output": {"core"},
    "pipeline": {"core", "workbook", "published", "checks", "output"},
    "round": {"core", "workbook", "published", "checks", "output", "pipeline"},
    "door": {"core", "workbook", "published", "checks", "output", "pipeline", "round"},
    "face": {"core", "workbook", "published", "checks", "output", "pipeline", "round", "door"},
}
# Imports inside functions, each with a `# lazy:` reason: start-up time is the only one.
MOST_LAZY_IMPORTS = 32


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name below `giagen` (`core.model`, `api`)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found[".".join(parts)] = path
    return found


MODULES = module_files()


def wing_of(module: str) -> str:
    """The wing a module belongs to: its folder, or the door for the package's top."""
    head = module.split(".")[0]
    if "." in module:
        return head
    return "face" if module == "__main__" else "door"


def _resolve(module: str, node: ast.ImportFrom) -> list[str]:
    """The package modules a relative `from … import …` names."""
    package = module.split(".")[:-1]  # a module's package; an __init__'s is its own folder
    base = package[: len(package) - (node.level - 1)]
    base += node.module.split(".") if node.module else []
    targets = []
    for alias in node.names:
        candidate = ".".join([*base, alias.name])
        if candidate in MODULES:
            targets.append(candidate)
        elif ".".join(base) in MODULES:
            targets.append(".".join(base))
        elif ".".join([*base, "__init__"]) in MODULES:
            targets.append(".".join([*base, "__init__"]))
    return targets


def imports(lazy: bool | None = None) -> dict[str, set[str]]:
    """Each module and the package modules it imports; `lazy`: only those inside functions (True)
    or only those at module level (False)."""
    found = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inner = {
            id(sub)
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            for sub in ast.walk(node)
        }
        targets = set()
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level
                and (lazy is None or (id(node) in inner) == lazy)
            ):
                targets |= set(_resolve(module, node))
        found[module] = targets - {module}
    return found


def lazy_imports() -> list[tuple[str, int, str, bool]]:
    """Every import inside a function: module, line, statement, whether a `# lazy:` says why."""
    found = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    found.append(
                        (module, sub.lineno, lines[sub.lineno - 1].strip(), _says_why(lines, sub))
                    )
    return sorted(set(found))


def _says_why(lines: list[str], node) -> bool:
    """A `# lazy:` comment on the import's line or above the run of imports it stands in."""
    if "# lazy:" in lines[node.lineno - 1]:
        return True
    at = node.lineno - 2
    while at >= 0 and re.match(r"\s*(import |from \S+ import |\)|[\w, ]+,?$)", lines[at]):
        at -= 1
    return at >= 0 and lines[at].strip().startswith("# lazy:")


def test_every_module_is_in_a_wing():
    strays = [m for m in MODULES if wing_of(m) not in WINGS]
    assert not strays, strays
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert folders == set(WINGS) - {"door"}, folders


def test_wings_import_only_downward():
    upward = [
        f"{module} → {target}"
        for module, targets in imports().items()
        for target in targets
        if wing_of(target) != wing_of(module) and wing_of(target) not in WINGS[wing_of(module)]
    ]
    assert not upward, "a wing imports one above it or beside it:\n" + "\n".join(upward)


def test_wings_form_no_circle():
    done: set[str] = set()

    def visit(wing, path):
        assert wing not in path, "wings in a circle: " + " → ".join([*path, wing])
        for lower in WINGS[wing]:
            if lower not in done:
                visit(lower, [*path, wing])
        done.add(wing)

    for wing in WINGS:
        visit(wing, [])


def test_no_import_circle_between_modules():
    graph = imports()
    graph.pop("__init__", None)  # the package's face hands names on and is imported by none
    for deps in graph.values():
        deps.discard("__init__")
    state: dict[str, int] = {}

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join(path + [nxt]))
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])


def test_the_render_of_one_report_never_enters_the_round():
    """What `api.render` and `api.check` reach at module level, followed down, holds no round module."""
    graph = imports(lazy=False)
    lazy = imports(lazy=True)
    # render's own path: rendering's lazy output imports are part of it
    seen, todo = set(), ["pipeline.rendering", "pipeline.checking", "pipeline.reports"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo += graph[module] | (lazy[module] if module.startswith("pipeline.") else set())
    assert not [m for m in seen if wing_of(m) in ("round", "face")], sorted(seen)


def test_lazy_imports_say_why_and_stay_few():
    found = lazy_imports()
    listing = "\n".join(f"{m}:{line}  {text}" for m, line, text, _ in found)
    print(f"{len(found)} imports inside functions:\n{listing}")
    unexplained = [f"{m}:{line}  {text}" for m, line, text, why in found if not why]
    assert not unexplained, "an import inside a function without a `# lazy:` reason:\n" + "\n".join(
        unexplained
    )
    assert len(found) <= MOST_LAZY_IMPORTS, listing


@pytest.mark.parametrize(
    "path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_no_module_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_the_readme_tree_is_the_tree_of_wings():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    tree = readme.split("## Layout", 1)[1].split("```", 2)[1]
    lines = {m.group(1): m.group(2) for m in re.finditer(r"^\s+(\w+)/\s+(.*)$", tree, re.M)}
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__")}
    assert set(lines) == folders, set(lines) ^ folders
    for wing, line in lines.items():
        named = set(re.findall(r"[a-z_]+", line.split("—")[-1]))
        modules = {m.split(".")[1] for m in MODULES if m.startswith(wing + ".")} - {"__init__"}
        assert modules <= named, (wing, modules - named)
    for top in ("api.py", "__init__.py", "__main__.py"):
        assert top in tree, top


def test_every_command_has_help_and_is_in_the_readme(giagen):
    from giagen.face.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        assert f"giagen {name}" in readme, name


def test_every_module_says_its_one_job():
    for path in PACKAGE.rglob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path


def test_every_rule_code_in_the_code_is_in_the_catalogue():
    from giagen.core.findings import CATALOGUE

    used = set()
    for path in PACKAGE.rglob("*.py"):
        if path.name == "findings.py":
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(
            re.findall(
                r'(?:Finding|_finding\(report,|_fee_finding)\(?\s*"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{4,})"',
                text,
            )
        )
        used |= set(re.findall(r'"rule": "([A-Z][A-Z0-9-]+)"', text))
    assert used and used <= set(CATALOGUE), used - set(CATALOGUE)


def test_findings_keep_the_catalogue_severity(giagen):
    from conftest import FIXTURES

    from giagen.core.findings import CATALOGUE

    findings = giagen("audit", "--json", FIXTURES / "published").json()
    assert findings and all(CATALOGUE[f["rule"]].severity == f["severity"] for f in findings)


def test_every_public_function_says_what_it_does():
    missing = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            inner = node.body if isinstance(node, ast.ClassDef) else []
            for item in [node, *inner]:
                if (
                    isinstance(item, (ast.FunctionDef, ast.ClassDef))
                    and not item.name.startswith("_")
                    and not ast.get_docstring(item)
                ):
                    missing.append(f"{path.relative_to(PACKAGE)}:{item.name}")
    assert not missing


def test_example_outputs_are_as_recorded():
    """The examples' DOCX, HTML and JSON, member by member, as tools/example_outputs.py recorded them.

    Workbooks are left to the script: openpyxl writes them, and another version of it may
    write other bytes. A change that alters an output on purpose records the new digests:
    `python tools/example_outputs.py --save tests/fixtures/example_outputs.sha256`.
    """
    import sys

    sys.path.insert(0, str(ROOT / "tools"))
    import example_outputs

    kept = example_outputs.read(ROOT / "tests" / "fixtures" / "example_outputs.sha256")
    now = example_outputs.digests()
    ours = {name for name in kept.keys() | now.keys() if not name.endswith(".xlsx")}
    mine = {k: v for k, v in kept.items() if k in ours}
    assert not example_outputs.differences(mine, {k: v for k, v in now.items() if k in ours}, True)
