"""Compiled rules: the objects the loader builds from YAML and the matcher tests they run.

Every pattern is compiled once, here, and kept on its matcher. A matcher without `kind`
tests raw input lines (the generic scanner feeds it); a matcher with `kind` tests typed
evidence from the parsers.
"""

from __future__ import annotations

import dataclasses as dc
from dataclasses import dataclass
from typing import Any

import regex

from ..model import Evidence, Severity
from . import condition as cond

REGEX_TIMEOUT = 0.25  # seconds per regex call; a runaway pattern is reported, not waited for


class RegexBudgetExceeded(Exception):
    def __init__(self, rule: str, matcher: str):
        super().__init__(f"rule {rule}: matcher {matcher} exceeded its regex time budget")
        self.rule, self.matcher = rule, matcher


@dataclass
class Matcher:
    rule: str
    name: str
    line: int
    kinds: frozenset[str] | None = None  # None: a line matcher
    sources: frozenset[str] | None = None
    field: str = "text"
    contains: tuple[str, ...] = ()
    patterns: tuple[regex.Pattern, ...] = ()
    where: dict[str, tuple[Any, ...]] = dc.field(default_factory=dict)
    case_sensitive: bool = False
    capture: tuple[str, ...] = ()
    min_count: int = 1
    literals: frozenset[str] | None = None  # prefilter for line matchers; None: always run

    @property
    def is_line(self) -> bool:
        return self.kinds is None

    def group_names(self) -> set[str]:
        out = set(self.capture)
        for p in self.patterns:
            out.update(p.groupindex)
        return out

    def test_text(self, text: str) -> dict[str, str] | None:
        """Named groups ({} when none) if the text passes contains/pattern, else None."""
        if self.contains:
            hay = text if self.case_sensitive else text.lower()
            if not any(c in hay for c in self.contains):
                return None
        if not self.patterns:
            return {}
        for pat in self.patterns:
            try:
                m = pat.search(text, timeout=REGEX_TIMEOUT)
            except TimeoutError:
                raise RegexBudgetExceeded(self.rule, self.name) from None
            if m:
                return {k: v for k, v in m.groupdict().items() if v is not None}
        return None

    def test(self, ev: Evidence) -> dict[str, str] | None:
        if self.kinds is not None and ev.kind not in self.kinds:
            return None
        if self.sources is not None and ev.source not in self.sources:
            return None
        for key, allowed in self.where.items():
            if not _field_allows(ev.fields.get(key) if key != "text" else ev.text, allowed):
                return None
        if self.contains or self.patterns:
            value = ev.get(self.field)
            if value is None:
                return None
            groups = self.test_text(str(value))
            if groups is None:
                return None
        else:
            groups = {}
        for key in self.capture:
            value = ev.get(key)
            if value is not None and key not in groups:
                groups[key] = str(value)
        return groups


def _field_allows(value: Any, allowed: tuple[Any, ...]) -> bool:
    for want in allowed:
        if want is None:
            if value is None or value == "":
                return True
        elif isinstance(want, dict):  # {min: 400, max: 499}
            try:
                num = float(value)
            except (TypeError, ValueError):
                continue
            if ("min" not in want or num >= want["min"]) and ("max" not in want or num <= want["max"]):
                return True
        elif want is True or want is False:
            if value is want or (isinstance(value, str) and value.lower() == str(want).lower()):
                return True
        elif value is not None:
            if isinstance(want, (int, float)) and not isinstance(want, bool):
                try:
                    if float(value) == float(want):
                        return True
                except (TypeError, ValueError):
                    pass
            elif str(value).lower() == str(want).lower():
                return True
    return False


@dataclass
class Missing:
    """What capture would confirm or rule the finding out; caps confidence while absent."""

    text: str
    when_not: tuple[str, ...] = ()  # shown (and capping) only while none of these matchers fired
    cap: float | None = None


@dataclass
class Example:
    name: str
    expect: dict[str, Any]
    input: dict[str, str]
    line: int


@dataclass(frozen=True)
class Candidate:
    """Another cause the same thin evidence stands for (`candidates:` in a rule), with the
    confidence real reports give it; titled and fixed by the taxonomy."""

    cause: str
    confidence: float
    family: str
    title: str
    fix: str


@dataclass
class Rule:
    id: str
    cause: str
    family: str
    title: str
    severity: Severity
    confidence: float
    description: str
    matchers: dict[str, Matcher]
    condition: cond.Expr
    condition_text: str
    fix: str | dict[str, str]
    path: str
    line: int = 1
    boost: dict[str, float] = dc.field(default_factory=dict)
    unless: dict[str, float] = dc.field(default_factory=dict)
    supersedes: tuple[str, ...] = ()
    applies_to: dict[str, str] = dc.field(default_factory=dict)
    missing: list[Missing] = dc.field(default_factory=list)
    references: tuple[str, ...] = ()
    examples: list[Example] = dc.field(default_factory=list)
    corroboration: float = 0.1
    tags: tuple[str, ...] = ()
    key_lines: dict[str, int] = dc.field(default_factory=dict)  # YAML line of each top-level key
    candidates: tuple[Candidate, ...] = ()

    @property
    def specificity(self) -> int:
        return len(self.matchers)

    def group_names(self) -> set[str]:
        out: set[str] = set()
        for m in self.matchers.values():
            out |= m.group_names()
        return out
