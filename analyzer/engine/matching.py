"""Run compiled rules over a bundle's evidence and raw lines, producing Hits.

Line matchers are prefiltered: one alternation of every required literal is searched in
large lower-cased blocks of lines, and a matcher's own test runs only on lines holding one
of its literals. Typed matchers are indexed by evidence kind.
"""
from __future__ import annotations

import re
from collections import defaultdict
from itertools import islice
from typing import Iterable, Iterator

from ..model import Evidence, Hit, Location
from ..redact import redact_text
from .rules import Matcher, RegexBudgetExceeded, Rule

BATCH_LINES = 4096
MAX_LINE_HITS_PER_FILE = 20  # evidence kept per matcher and file; the count goes on


class RuleSet:
    """All active rules, compiled for matching. Build once, use for many bundles."""

    def __init__(self, rules: dict[str, Rule]):
        self.rules = rules
        self.broken: set[str] = set()  # rules whose regex blew its time budget: skipped from then on
        line = [m for r in rules.values() for m in r.matchers.values() if m.is_line]
        self.always = [m for m in line if m.literals is None]
        self.prefiltered = [m for m in line if m.literals is not None]
        literals = sorted({lit for m in self.prefiltered for lit in m.literals}, key=len, reverse=True)
        self.literal_re = re.compile("|".join(re.escape(lit) for lit in literals)) if literals else None
        self.typed: dict[str, list[Matcher]] = defaultdict(list)
        for r in rules.values():
            for m in r.matchers.values():
                if not m.is_line:
                    for kind in m.kinds or ():
                        self.typed[kind].append(m)

    def match_evidence(self, ev: Evidence) -> Iterator[Hit]:
        for m in self.typed.get(ev.kind, ()):
            if m.rule in self.broken:
                continue
            try:
                groups = m.test(ev)
            except RegexBudgetExceeded:
                self.broken.add(m.rule)
                continue
            if groups is not None:
                yield Hit(m.rule, m.name, ev, groups)

    def scan_lines(self, lines: Iterable[str], path: str, source: str, sources: frozenset[str] | None = None) -> Iterator[Hit]:
        """Hits of line matchers over a stream of physical lines (1-based numbering)."""
        formats = sources or frozenset({source})
        kept: dict[str, int] = defaultdict(int)
        base = 0
        it = iter(lines)
        while True:
            batch = list(islice(it, BATCH_LINES))
            if not batch:
                break
            for idx in self._candidates(batch):
                text = batch[idx]
                low = text.lower()
                for m in self.prefiltered:
                    if m.sources is not None and not (m.sources & formats):
                        continue
                    if not any(lit in low for lit in m.literals):
                        continue
                    yield from self._test_line(m, text, path, source, base + idx + 1, kept)
            if self.always:
                for idx, text in enumerate(batch):
                    for m in self.always:
                        if m.sources is not None and not (m.sources & formats):
                            continue
                        yield from self._test_line(m, text, path, source, base + idx + 1, kept)
            base += len(batch)

    def _candidates(self, batch: list[str]) -> list[int]:
        if self.literal_re is None:
            return []
        low = "\n".join(batch).lower()
        found: list[int] = []
        line, last, next_break = 0, 0, -2
        for m in self.literal_re.finditer(low):
            pos = m.start()
            if pos <= next_break:
                continue  # this line is a candidate already
            line += low.count("\n", last, pos)
            last = pos
            found.append(line)
            next_break = low.find("\n", pos)
            if next_break < 0:
                break
        return found

    def _test_line(self, m: Matcher, text: str, path: str, source: str, lineno: int, kept: dict[str, int]) -> Iterator[Hit]:
        if m.rule in self.broken:
            return
        try:
            groups = m.test_text(text)
        except RegexBudgetExceeded:
            self.broken.add(m.rule)
            return
        if groups is None:
            return
        key = f"{m.rule}/{m.name}"
        kept[key] += 1
        if kept[key] > MAX_LINE_HITS_PER_FILE:
            return
        ev = Evidence.make(source, "line", text.strip(), Location(path, lineno))
        yield Hit(m.rule, m.name, ev, {k: redact_text(v) for k, v in groups.items()})
