"""The shape of the house: no import circle, small modules, every command helped and in the README."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "giagen"
MAX_LINES = 400


def imports() -> dict[str, set[str]]:
    """Each module of the package and the package modules it imports (at any depth of its code)."""
    found = {}
    for path in PACKAGE.glob("*.py"):
        name = path.stem
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                if node.module:
                    targets.add(node.module.split(".")[0])
                else:
                    targets |= {alias.name for alias in node.names}
        found[name] = {t for t in targets if (PACKAGE / f"{t}.py").exists()} - {name}
    return found


def test_no_import_circle():
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


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_every_command_has_help_and_is_in_the_readme(giagen):
    from giagen.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help and command.help.strip(), name
        assert f"giagen {name}" in readme, name


def test_every_module_says_its_one_job():
    for path in PACKAGE.glob("*.py"):
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), path.name


def test_every_rule_code_in_the_code_is_in_the_catalogue():
    import re

    from giagen.findings import CATALOGUE

    used = set()
    for path in PACKAGE.glob("*.py"):
        if path.name == "findings.py":
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r'(?:Finding|_finding\(report,|_fee_finding)\(?\s*"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|[A-Z]{4,})"', text))
        used |= set(re.findall(r'"rule": "([A-Z][A-Z0-9-]+)"', text))
    assert used and used <= set(CATALOGUE), used - set(CATALOGUE)


def test_findings_keep_the_catalogue_severity(giagen):
    from giagen.findings import CATALOGUE
    from conftest import FIXTURES

    findings = giagen("audit", "--json", FIXTURES / "published").json()
    assert findings and all(CATALOGUE[f["rule"]].severity == f["severity"] for f in findings)


def test_every_public_function_says_what_it_does():
    missing = []
    for path in PACKAGE.glob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            inner = node.body if isinstance(node, ast.ClassDef) else []
            for item in [node, *inner]:
                if (isinstance(item, (ast.FunctionDef, ast.ClassDef)) and not item.name.startswith("_")
                        and not ast.get_docstring(item)):
                    missing.append(f"{path.name}:{item.name}")
    assert not missing
