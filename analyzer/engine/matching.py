"""Run compiled rules over a bundle's evidence and raw lines, producing Hits.

Typed matchers are indexed by evidence kind. Line matchers never loop over lines in Python:
lines are joined into blocks and a *scanner* finds the candidate (line, matcher) pairs of a
block in one pass; each matcher's own test then runs on its candidate lines only, so what
fires is decided by the same code on every path. Two scanners exist:

- `prefilter.PythonScanner`: stdlib/regex only, always available;
- `accel.HyperscanScanner`: one Hyperscan database for every line matcher (extra `fast`),
  each matcher checked against the rule examples when the database is built and sent back
  to the Python scanner when the engine disagrees.

`CCDIAG_ENGINE=python|hyperscan|auto` picks one (auto: Hyperscan when installed). Small
inputs always use the Python scanner: building a database costs more than it saves there.
"""
from __future__ import annotations

import os
from collections import defaultdict
from itertools import islice
from typing import Callable, Iterable, Iterator

from ..model import Evidence, Hit, Location
from ..redact import MASK, redact_text
from ..textio import Doc
from .prefilter import LineIndex, PythonScanner, meets
from .rules import Matcher, RegexBudgetExceeded, Rule

BATCH_LINES = 4096
MAX_LINE_HITS_PER_FILE = 20  # evidence kept per matcher and file; the count goes on
ACCEL_MIN_BYTES = 4 * 1024 * 1024  # below this much text in one file the Python scanner is as quick


class RuleSet:
    """All active rules, compiled for matching. Build once, use for many bundles."""

    def __init__(self, rules: dict[str, Rule], engine: str | None = None):
        self.rules = rules
        self.broken: set[str] = set()  # rules whose regex blew its time budget: skipped from then on
        self.line_matchers: list[Matcher] = [m for r in rules.values() for m in r.matchers.values() if m.is_line]
        self._keys = [f"{m.rule}/{m.name}" for m in self.line_matchers]
        self.typed: dict[str, list[Matcher]] = defaultdict(list)
        for r in rules.values():
            for m in r.matchers.values():
                if not m.is_line:
                    for kind in m.kinds or ():
                        self.typed[kind].append(m)
        self.engine_choice = (engine or os.environ.get("CCDIAG_ENGINE") or "auto").lower()
        self._python: PythonScanner | None = None
        self._accel = None  # built on the first big input; False once known to be unavailable
        self._active: dict[frozenset[str], frozenset[int]] = {}

    # ------------------------------------------------------------------ scanners
    @property
    def python_scanner(self) -> PythonScanner:
        if self._python is None:
            self._python = PythonScanner(self.line_matchers)
        return self._python

    def accel_scanner(self):
        """The Hyperscan scanner, or None when not installed or switched off."""
        if self._accel is None:
            self._accel = False
            if self.engine_choice in ("auto", "hyperscan"):
                from . import accel
                try:
                    self._accel = accel.HyperscanScanner(self.line_matchers, self.python_scanner, self.rules)
                except accel.Unavailable as exc:
                    if self.engine_choice == "hyperscan":
                        raise RuntimeError(f"CCDIAG_ENGINE=hyperscan but {exc}") from None
        return self._accel or None

    @property
    def engine(self) -> str:
        """The scanner big inputs get: "hyperscan" or "python"."""
        return "hyperscan" if self.accel_scanner() is not None else "python"

    def _scanner(self, big: bool):
        if big or self.engine_choice == "hyperscan":
            accel = self.accel_scanner()
            if accel is not None:
                return accel
        return self.python_scanner

    def _active_ids(self, formats: frozenset[str]) -> frozenset[int]:
        ids = self._active.get(formats)
        if ids is None:
            ids = frozenset(i for i, m in enumerate(self.line_matchers) if m.sources is None or m.sources & formats)
            self._active[formats] = ids
        return ids

    # ------------------------------------------------------------------ evidence
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

    # ------------------------------------------------------------------ lines
    def scan_lines(self, lines: Iterable[str], path: str, source: str, sources: frozenset[str] | None = None) -> Iterator[Hit]:
        """Hits of line matchers over a stream of physical lines (1-based numbering)."""
        formats = sources or frozenset({source})
        active = self._active_ids(formats)
        kept: dict[str, int] = defaultdict(int)
        base = 0
        seen = 0
        it = iter(lines)
        while True:
            batch = list(islice(it, BATCH_LINES))
            if not batch:
                break
            block = "\n".join(batch)
            seen += len(block)
            if block.count("\n") != len(batch) - 1:  # a "line" holding newlines: test each one whole
                for i, text in enumerate(batch):
                    for mid in sorted(active):
                        prev = batch[i - 1] if i > 0 else ""
                        yield from self._test_line(self.line_matchers[mid], text, path, source, base + i + 1, kept, prev)
            else:
                yield from self._scan_block(block, batch.__getitem__, base, active, path, source, kept, seen)
            base += len(batch)

    def scan_doc(self, doc: Doc, path: str, source: str, sources: frozenset[str] | None = None) -> Iterator[Hit]:
        """Same hits as `scan_lines(doc.lines(), ...)`, read in blocks without a string per line."""
        formats = sources or frozenset({source})
        active = self._active_ids(formats)
        kept: dict[str, int] = defaultdict(int)
        seen = 0
        for block, first in text_blocks(doc):
            seen += len(block)
            index = LineIndex(block)
            yield from self._scan_block(block, _line_getter(block, index), first, active, path, source, kept,
                                        seen, index)

    def _scan_block(self, block: str, line_at: Callable[[int], str], base: int, active: frozenset[int],
                    path: str, source: str, kept: dict[str, int], seen: int, index: LineIndex | None = None) -> Iterator[Hit]:
        # A matcher that kept its evidence quota for this file can add nothing more: skip it.
        if len(kept) and any(n >= MAX_LINE_HITS_PER_FILE for n in kept.values()):
            active = frozenset(i for i in active if kept.get(self._keys[i], 0) < MAX_LINE_HITS_PER_FILE)
        scanner = self._scanner(seen >= ACCEL_MIN_BYTES)
        found = scanner.candidates(block, active)
        matchers, keys = self.line_matchers, self._keys
        needs = self.python_scanner.requirements
        for idx in sorted(found):
            text = line_at(idx)
            low = None
            for mid in sorted(found[idx]):
                if mid not in active or kept.get(keys[mid], 0) >= MAX_LINE_HITS_PER_FILE:
                    continue
                if needs[mid] is not None:  # a few `in` tests rule most candidates out before the regex
                    low = text.lower() if low is None else low
                    if not meets(needs[mid], low):
                        continue
                prev = line_at(idx - 1) if idx > 0 else ""
                yield from self._test_line(matchers[mid], text, path, source, base + idx + 1, kept, prev)

    def _test_line(self, m: Matcher, text: str, path: str, source: str, lineno: int, kept: dict[str, int],
                   prev: str = "") -> Iterator[Hit]:
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
        # Redact with the line before: `- name: DB_PASSWORD` makes the next line's value secret.
        shown = redact_text(prev + "\n" + text).rsplit("\n", 1)[-1] if prev else redact_text(text)
        ev = Evidence.make(source, "line", shown.strip(), Location(path, lineno))
        # A group is shown only if its text survived redaction of the whole line.
        yield Hit(m.rule, m.name, ev, {k: (v if v in shown else MASK) for k, v in groups.items()})


def _line_getter(block: str, index: LineIndex) -> Callable[[int], str]:
    def line_at(i: int) -> str:
        ends = index.ends
        start = ends[i - 1] + 1 if i > 0 else 0
        end = ends[i] if i < len(ends) else len(block)
        return block[start:end]
    return line_at


def text_blocks(doc: Doc) -> Iterator[tuple[str, int]]:
    """(block, 0-based index of its first line): `Doc.blocks()`, whose lines are exactly `doc.lines()`."""
    for first, block in doc.blocks():
        yield block, first - 1


