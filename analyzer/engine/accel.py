"""The accelerated line scanner: every line matcher in one Hyperscan database (extra `fast`).

Hyperscan reports the end of every match of every expression in one pass over a block, so
the line holding each end is a candidate for that matcher (a match inside one line always
ends inside it). The scanner only proposes candidates: the matcher's own Python test still
decides, so a disagreement could only ever *lose* a line. To rule that out a matcher stays
on the Python scanner when:

- Hyperscan cannot compile its regex (backreferences, some lookarounds, atomic groups ...);
- the self-test disagrees: every line of every rule example that the matcher accepts in
  Python must be reported by the database (the Hyperscan wheel is known to miss some
  case-insensitive patterns).

Compiled databases are cached on disk by content hash (`CCDIAG_CACHE_DIR`, default
~/.cache/ccdiag), so a worker or a second run loads one in milliseconds.
"""
from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from pathlib import Path
from typing import Sequence

from .prefilter import PythonScanner
from .rules import Matcher, RegexBudgetExceeded, Rule

_BAD_EXPRESSION = re.compile(r"expression (\d+)")


class Unavailable(Exception):
    """Hyperscan is not installed or cannot run here."""


def _hyperscan():
    try:
        import hyperscan
    except ImportError:
        raise Unavailable('hyperscan is not installed (pip install "ccdiag[fast]")') from None
    return hyperscan


class HyperscanScanner:
    """Candidate lines of a block, from one Hyperscan database plus a Python scanner for the rest."""

    def __init__(self, matchers: Sequence[Matcher], python: PythonScanner, rules: dict[str, Rule]):
        hs = _hyperscan()
        self.hs = hs
        self.matchers = list(matchers)
        exprs: list[tuple[bytes, int, int]] = []
        self.fallback: set[int] = set()
        for mid, m in enumerate(self.matchers):
            flags = hs.HS_FLAG_MULTILINE | hs.HS_FLAG_UTF8 | hs.HS_FLAG_UCP
            if not m.case_sensitive:
                flags |= hs.HS_FLAG_CASELESS
            if m.patterns:
                for p in m.patterns:
                    exprs.append((p.pattern.encode("utf-8"), mid, flags))
            elif m.literals and all(m.literals):
                for lit in m.literals:
                    exprs.append((re.escape(lit).encode("utf-8"), mid, flags | hs.HS_FLAG_CASELESS))
            else:
                self.fallback.add(mid)
        self.db, failed = _compile(hs, exprs)
        self.fallback |= failed
        self.fallback |= self._self_test(python, rules)
        self._rest_ids = sorted(self.fallback)
        self._rest = PythonScanner([self.matchers[i] for i in self._rest_ids]) if self._rest_ids else None

    def describe(self) -> str:
        return f"hyperscan: {len(self.matchers) - len(self.fallback)} line matchers in the database, {len(self.fallback)} on the Python scanner"

    def _raw(self, block: str) -> dict[int, set[int]]:
        """Line index -> matcher ids reported by the database (fallback matchers included)."""
        data = block.encode("utf-8", "replace")
        ends: list[tuple[int, int]] = []
        add = ends.append

        def on_match(mid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            add((end, mid))

        self.db.scan(data, match_event_handler=on_match)
        found: dict[int, set[int]] = defaultdict(set)
        if not ends:
            return found
        ends.sort()
        line, last = 0, 0
        for end, mid in ends:
            pos = max(end - 1, 0)
            if pos > last:
                line += data.count(b"\n", last, pos)
                last = pos
            found[line].add(mid)
        return found

    def candidates(self, block: str, active: set[int] | frozenset[int] | None = None) -> dict[int, set[int]]:
        found = self._raw(block)
        fallback = self.fallback
        if fallback:
            for ids in found.values():
                ids -= fallback
        if self._rest is not None:
            local_active = None
            if active is not None:
                local_active = {i for i, mid in enumerate(self._rest_ids) if mid in active}
            if local_active is None or local_active:
                for line, ids in self._rest.candidates(block, local_active).items():
                    found[line].update(self._rest_ids[i] for i in ids)
        return found

    def _self_test(self, python: PythonScanner, rules: dict[str, Rule]) -> set[int]:
        """Matchers whose accepted example lines the database does not all report."""
        texts = [text for rule in rules.values() for ex in rule.examples for text in ex.input.values()]
        if not texts:
            return set()
        block = "\n".join(line.rstrip("\r") for text in texts for line in text.replace("\0", "\n").split("\n"))
        lines = block.split("\n")
        reported = self._raw(block)
        disagree: set[int] = set()
        for idx, ids in python.candidates(block).items():
            for mid in ids:
                if mid in self.fallback or mid in disagree:
                    continue
                try:
                    accepted = self.matchers[mid].test_text(lines[idx]) is not None
                except RegexBudgetExceeded:
                    accepted = True  # cannot tell: keep the matcher where its budget is enforced per line
                if accepted and mid not in reported.get(idx, ()):
                    disagree.add(mid)
        return disagree


def _compile(hs, exprs: list[tuple[bytes, int, int]]):
    """A block-mode database of the expressions Hyperscan accepts; ids of matchers it refused."""
    failed: set[int] = set()
    todo = list(exprs)
    while True:
        todo = [e for e in todo if e[1] not in failed]
        cached = _cache_load(hs, todo)
        if cached is not None:
            return cached, failed
        if not todo:
            return _EmptyDb(), failed
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        try:
            db.compile(expressions=[e[0] for e in todo], ids=[e[1] for e in todo], elements=len(todo),
                       flags=[e[2] for e in todo])
        except hs.error as exc:
            m = _BAD_EXPRESSION.search(str(exc))
            if m is None or int(m.group(1)) >= len(todo):
                raise Unavailable(f"hyperscan could not build the rule database: {exc}") from None
            failed.add(todo[int(m.group(1))][1])
            continue
        _cache_store(hs, todo, db)
        return db, failed


class _EmptyDb:
    def scan(self, data, match_event_handler) -> None:
        return None


def _cache_dir() -> Path:
    root = os.environ.get("CCDIAG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ccdiag")
    return Path(root)


def _cache_key(hs, exprs) -> str:
    h = hashlib.sha256(str(getattr(hs, "__version__", "")).encode())
    for expr, mid, flags in exprs:
        h.update(b"%d\0%d\0" % (mid, flags) + expr + b"\0\1")
    return h.hexdigest()[:32]


def _cache_load(hs, exprs):
    path = _cache_dir() / f"hs-{_cache_key(hs, exprs)}.db"
    try:
        db = hs.loadb(path.read_bytes(), hs.HS_MODE_BLOCK)
        db.scratch = hs.Scratch(db)  # a loaded database comes without the scratch space a scan needs
        return db
    except (OSError, hs.error, ValueError, TypeError):
        return None


def _cache_store(hs, exprs, db) -> None:
    path = _cache_dir() / f"hs-{_cache_key(hs, exprs)}.db"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hs.dumpb(db))
        os.replace(tmp, path)
    except (OSError, hs.error):
        pass  # a read-only home only costs a recompile next time
