"""Shared helpers: running the CLI in-process and the paths of fixtures and examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from giagen.face.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLES = ROOT / "examples"


class Run:
    def __init__(self, result):
        self.code, self.stdout, self.stderr = result.exit_code, result.stdout, result.stderr
        self.exception = result.exception

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def giagen():
    """Run `giagen ARGS…` in-process; the result has code, stdout, stderr."""

    def run(*args: str, input: str | None = None) -> Run:
        result = CliRunner().invoke(main, [str(a) for a in args], input=input, prog_name="giagen")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Run(result)

    return run


def keys(findings) -> set:
    return {(f["rule"], f["row"], f["column"]) for f in findings}
