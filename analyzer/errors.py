"""Errors ccdiag reports to users: one line, naming the file (and line) and the problem."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .redact import redact_text

if TYPE_CHECKING:  # in annotations only: the errors import nothing of ours but the redactor
    from .model import Location


class AnalyzerError(Exception):
    """Base of the errors that reach users as one line; the message is redacted."""

    def __init__(self, message: str, where: Location | str | None = None):
        self.where = where
        self.message = redact_text(message)
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{redact_text(str(self.where))}: {self.message}" if self.where else self.message


class InputError(AnalyzerError):
    """An input could not be read (missing, unreadable, refused by a safety limit)."""


class RuleError(AnalyzerError):
    """A rule file is invalid; carries the file and line."""


class RuleErrors(AnalyzerError):
    """Several rule errors, reported together."""

    def __init__(self, errors: list[RuleError]):
        self.errors = errors
        super().__init__(
            "; ".join(str(e) for e in errors[:3]) + (f" (+{len(errors) - 3} more)" if len(errors) > 3 else "")
        )
