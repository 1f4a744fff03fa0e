"""The errors giagen raises; each carries a one-line message in Chinese for the user."""


class GiagenError(Exception):
    """Base of every error giagen reports to the user instead of a traceback."""

    exit_code = 2


class InputError(GiagenError):
    """An input that cannot be read at all: not a workbook, not JSON, not a report."""


class UsageError(GiagenError):
    """A command called with options that do not fit together."""


class RefusedError(GiagenError):
    """Work refused because the input has errors; carries the findings that stand in the way."""

    exit_code = 1

    def __init__(self, message: str, findings=()):
        super().__init__(message)
        self.findings = list(findings)
