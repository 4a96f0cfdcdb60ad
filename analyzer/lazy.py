"""Patterns compiled on first use.

Importing the sources and the redactor compiled some 500 patterns (about 0.2 s, most of a
small bundle's start-up); a run needs only those of the formats and secrets it meets.
"""
from __future__ import annotations

import re
from typing import Callable

import regex


class Lazy:
    """A pattern compiled on first use. After the first use its methods are plain attributes,
    as quick as the compiled pattern's."""

    _ATTRS = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern",
              "flags", "groups", "groupindex")

    def __init__(self, compile: Callable, pattern: str, flags: int = 0):
        self._compile, self._args = compile, (pattern, flags)

    def __getattr__(self, name: str):
        compiled = self._compile(*self._args)
        for attr in self._ATTRS:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)


def lazy_regex(pattern: str, flags: int = 0) -> "regex.Pattern":
    """A pattern that needs the `regex` module's syntax or not: the standard library compiles
    one about three times quicker, so it gets the pattern first (same meaning for the syntax
    both accept) and `regex` takes what it refuses."""
    return Lazy(_compile, pattern, flags)  # type: ignore[return-value]


def lazy_scan_regex(pattern: str, flags: int = 0) -> "regex.Pattern":
    """A pattern searched over whole heads or blocks (a sniffer's), for which the `regex`
    module's search is the quicker one: line-anchored patterns (`(?m)^\\s*[...`) run up to
    ten times faster there than in the standard library (measured per pattern on 64 KiB heads;
    the others stay with `lazy_regex`)."""
    return Lazy(regex.compile, pattern, flags)  # type: ignore[return-value]


_RE_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE | re.ASCII | re.UNICODE


def _compile(pattern: str, flags: int = 0):
    if not flags & ~_RE_FLAGS:
        try:
            return re.compile(pattern, flags)
        except (re.error, ValueError, OverflowError):
            pass
    return regex.compile(pattern, flags)


def lazy_re(pattern: str, flags: int = 0) -> "re.Pattern":
    return Lazy(re.compile, pattern, flags)  # type: ignore[return-value]
