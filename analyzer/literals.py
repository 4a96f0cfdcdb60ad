"""Find the literal text a pattern cannot match without, so lines can be prefiltered.

A line matcher runs its regex only on lines that contain one of its literals. The literals
come from `contains` directly, or from the regex: the longest literal run of its top-level
sequence, or one literal per branch of a top-level alternation. When no literal of three
or more characters is certain, the matcher runs on every line (None).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import Protocol, cast

if sys.version_info >= (3, 11):
    import re._constants as _c  # type: ignore[import-not-found]
    import re._parser as _p  # type: ignore[import-not-found]
else:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _p

MIN_LITERAL = 3
MIN_WORDING = 4  # a shorter wording literal (`403`, `ssl`) is on too many benign lines to point at anything


class HasPattern(Protocol):
    """A compiled pattern, or anything else with its source text: only `.pattern` is read."""

    @property
    def pattern(self) -> str: ...


def required_literals(contains: Iterable[str], patterns: Iterable[HasPattern]) -> frozenset[str] | None:
    contains = [c.lower() for c in contains if c]
    if contains:
        # contains is an any-of filter that every line must pass: it alone is a sound prefilter.
        if all(len(c) >= 1 for c in contains):
            return frozenset(contains)
    out: set[str] = set()
    for pat in patterns:
        lits = _pattern_literals(pat.pattern)
        if lits is None:
            return None
        out |= lits
    return frozenset(out) if out else None


def wordings(matchers: Iterable, vocabulary: Iterable[str] = ()) -> frozenset[str]:
    """Lower-cased literals that a typed matcher (its `contains`, or what its `pattern`s cannot match
    without) or a vocabulary entry needs, MIN_WORDING characters or longer. A big file's parsers read
    the lines that hold one (fastpath.Focus), so a rule keyed on a new wording needs no Python."""
    out = {lit for lit in vocabulary if len(lit) >= MIN_WORDING}
    for m in matchers:
        if m.kinds is not None and (m.contains or m.patterns):
            out.update(lit for lit in required_literals(m.contains, m.patterns) or () if len(lit) >= MIN_WORDING)
    return frozenset(out)


def guard_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-cased literals one of which every match of `pattern` holds (a text without any
    cannot match), or None when no such set of three-character or longer literals is certain.
    Raises ValueError when the standard parser cannot read the pattern."""
    try:
        parsed = _p.parse(
            pattern, flags & (_c.SRE_FLAG_IGNORECASE | _c.SRE_FLAG_MULTILINE | _c.SRE_FLAG_DOTALL | _c.SRE_FLAG_VERBOSE)
        )
    except Exception as exc:  # noqa: BLE001 - `regex`-only syntax, or not a pattern at all
        raise ValueError(str(exc)) from None
    found = _seq_literals(list(parsed))  # type: ignore[call-overload]  # SubPattern iterates by __getitem__, unstubbed
    return frozenset(found) if found else None


def _pattern_literals(pattern: str) -> frozenset[str] | None:
    try:
        return guard_literals(pattern.replace("(?i)", "").replace("(?x)", ""))
    except ValueError:  # regex-module syntax re cannot parse: no prefilter
        return None


MAX_CLASS = 10  # a character class of at most this many characters is spelled out
MAX_SPELLED = 64  # ... as long as the literal set it multiplies stays this small


def _class_chars(av) -> list[str] | None:
    """The characters of a small class like `[04]`, `[4-9]` or `\\d`, else None."""
    chars: list[str] = []
    for op, val in av:
        if op is _c.LITERAL:
            chars.append(chr(val))
        elif op is _c.RANGE and val[1] - val[0] < MAX_CLASS:
            chars.extend(chr(c) for c in range(val[0], val[1] + 1))
        elif op is _c.CATEGORY and val is _c.CATEGORY_DIGIT:
            chars.extend("0123456789")
        else:
            return None
    return chars if len(chars) <= MAX_CLASS else None


def _seq_literals(items: list) -> set[str] | None:
    """Best literal set for a sequence: the longest run (small classes spelled out, so
    `\\b40[04]\\b` gives {400, 404}), or the best alternation inside it."""
    best: set[str] | None = None
    best_len = 0
    run: set[str] = {""}
    runs: list[set[str]] = []

    def close() -> None:
        nonlocal run
        if run != {""}:
            runs.append(run)
        run = {""}

    for op, av in items:
        if op is _c.LITERAL:
            run = {r + chr(av) for r in run}
            continue
        if op is _c.AT:
            continue  # \b, ^, $: zero-width, the characters around it are still adjacent
        if op is _c.IN:
            chars = _class_chars(av)
            if chars is not None and len(run) * len(chars) <= MAX_SPELLED:
                run = {r + ch for r in run for ch in chars}
                continue
        close()
        if op is _c.SUBPATTERN:
            inner = _seq_literals(list(av[-1]))
            if inner and min(len(x) for x in inner) > best_len:
                best, best_len = inner, min(len(x) for x in inner)
        elif op is _c.BRANCH:
            branch_sets = [_seq_literals(list(b)) for b in av[1]]
            if all(branch_sets):
                merged = set().union(*cast("list[set[str]]", branch_sets))  # all() above: no None
                shortest = min(len(x) for x in merged)
                if shortest > best_len:
                    best, best_len = merged, shortest
        elif op is _c.MAX_REPEAT or op is _c.MIN_REPEAT:
            lo, _hi, sub = av
            if lo >= 1:
                inner = _seq_literals(list(sub))
                if inner and min(len(x) for x in inner) > best_len:
                    best, best_len = inner, min(len(x) for x in inner)
    close()
    for r in runs:
        shortest = min(len(x) for x in r)
        if shortest > best_len or (shortest == best_len and best is not None and len(r) < len(best)):
            best, best_len = r, shortest
    if best is None or best_len < MIN_LITERAL:
        return None
    return {x.lower() for x in best}
