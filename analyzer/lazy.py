"""Patterns compiled on first use.

Importing the sources and the redactor compiled some 500 patterns (about 0.2 s, most of a
small bundle's start-up); a run needs only those of the formats and secrets it meets.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import regex


class Lazy:
    """A pattern compiled on first use. `pattern` and `flags` are plain attributes (reading them
    compiles nothing); after the first use the compiled pattern's methods are plain attributes
    too, as quick as the compiled pattern's. Pickled as its source: a cached rule set holds
    hundreds, most never compiled in a run."""

    _METHODS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "groups", "groupindex")

    def __init__(self, compile: Callable, pattern: str, flags: int = 0):
        self._compile, self.pattern, self.flags = compile, pattern, flags

    def __getattr__(self, name: str):
        if name.startswith("_"):  # copy/pickle probes and unset private fields are not the pattern's
            raise AttributeError(name)
        compiled = self._compile(self.pattern, self.flags)
        for attr in self._METHODS:
            if hasattr(compiled, attr):
                setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)

    def __getstate__(self):
        return (self._compile, self.pattern, self.flags)

    def __setstate__(self, state) -> None:
        self._compile, self.pattern, self.flags = state


def lazy_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern that needs the `regex` module's syntax or not: the standard library compiles
    one about three times quicker, so it gets the pattern first (same meaning for the syntax
    both accept) and `regex` takes what it refuses."""
    return Lazy(_compile, pattern, flags)  # type: ignore[return-value]


def lazy_scan_regex(pattern: str, flags: int = 0) -> regex.Pattern[str]:
    """A pattern compiled with the `regex` module always: one searched over whole heads or
    blocks (a sniffer's), where its search is the quicker one (line-anchored patterns such as
    `(?m)^\\s*[...` run up to ten times faster than in the standard library, measured per
    pattern on 64 KiB heads; the others stay with `lazy_regex`), and a rule's pattern, whose
    searches take a `timeout` and whose syntax is `regex`'s."""
    return Lazy(regex.compile, pattern, flags)  # type: ignore[return-value]


def lazy_sniff_regex(pattern: str, flags: int = 0) -> AnyOf:
    """A yes/no search over a head (a sniffer's): `search` returns a match or None, and the
    match need not be the leftmost. See AnyOf."""
    return Lazy(AnyOf, pattern, flags)  # type: ignore[return-value]


class AnyOf:
    """A top-level alternation searched one branch at a time, each branch only when the text
    holds one of the literals every match of it holds. The `regex` module tries every branch
    at every position of a 64 KiB head (about a millisecond for a sniffer of ten branches);
    most branches are cheap alone, and most heads hold no literal of most branches. Only ASCII
    text is checked for literals (lower case folds it exactly); other text runs every branch."""

    def __init__(self, pattern: str, flags: int = 0):
        from .literals import guard_literals

        self.pattern, self.flags = pattern, flags
        # [branch pattern, its literals, compiled on first use]: most heads never need most branches.
        # A cut the standard parser cannot read in every branch (a wrong cut leaves a bracket
        # open; `regex`-only syntax) is not made.
        self._branches: list[list[Any]]
        try:
            self._branches = [[p, _ascii_guard(guard_literals(p, flags)), None] for p in _top_level_branches(pattern)]
        except ValueError:
            self._branches = [[pattern, None, None]]

    def search(self, text: str) -> regex.Match[str] | None:
        low = _lowered(text) if text.isascii() else None
        for branch in self._branches:
            literals = branch[1]
            if low is not None and literals is not None and not any(lit in low for lit in literals):
                continue
            if branch[2] is None:
                branch[2] = regex.compile(branch[0], self.flags)
            m = branch[2].search(text)
            if m:
                return m
        return None


def _ascii_guard(literals: frozenset[str] | None) -> frozenset[str] | None:
    """No guard from a literal holding a character that matches an ASCII one when case is
    ignored (the long s, the Kelvin sign, dotted and dotless i): lowering the text misses those."""
    if literals is None or any(ch in "\u017f\u212a\u0130\u0131" for lit in literals for ch in lit):
        return None
    return literals


def _top_level_branches(pattern: str) -> list[str]:
    """`pattern` cut at its top-level `|`, each branch with the pattern's leading inline flags;
    [pattern] when there is none or a comment could hide one (verbose mode)."""
    lead = regex.match(r"\(\?[aiLmsux]+\)", pattern)
    prefix = lead.group() if lead else ""
    body = pattern[len(prefix) :]
    parts, depth, cls, cur, i = [], 0, False, [], 0
    while i < len(body):
        c = body[i]
        if c == "\\":
            cur.append(body[i : i + 2])
            i += 2
            continue
        if cls:  # a `]` first in a class (`[]x]`, `[^]x]`) is one of its characters
            cls = c != "]" or cur[-1] == "[" or (cur[-1] == "^" and cur[-2] == "[")
        elif c == "[":
            cls = True
        elif c == "#":
            return [pattern]  # in verbose mode a comment may hold anything: not cut
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append("".join(cur))
            cur, i = [], i + 1
            continue
        cur.append(c)
        i += 1
    parts.append("".join(cur))
    if len(parts) < 2 or depth != 0:
        return [pattern]
    return [prefix + p for p in parts]


class LastOf:
    """`fn(x)`, kept for the last `x` asked about (by identity): several readers of one block or
    head in a row pay for it once. The pair is swapped whole, so threads never get another's."""

    def __init__(self, fn: Callable):
        self._fn = fn
        self._last: tuple = (None, None)

    def __call__(self, x):
        pair = self._last
        if pair[0] is not x:
            pair = self._last = (x, self._fn(x))
        return pair[1]


_lowered = LastOf(str.lower)  # the sniffers of one head each ask for it lowered


_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII | re.UNICODE


def _compile(pattern: str, flags: int = 0):
    if not flags & ~_RE_FLAGS:
        try:
            return re.compile(pattern, flags)
        except (re.error, ValueError, OverflowError):
            pass
    return regex.compile(pattern, flags)


# The sources' name for `lazy_regex` (sources.common re-exports it): the standard library
# compiles every pattern they give it, so both name the same helper.
lazy_re = lazy_regex
