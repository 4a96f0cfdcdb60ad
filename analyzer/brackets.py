"""Find where a bracketed value ends, skipping quoted strings: the one scanner for JSON bodies,
Python dict reprs and `API Error (...)` wrappers in redaction and parsing."""

from __future__ import annotations

import re


def closing_index(
    text: str,
    start: int,
    opens: str = "{[",
    closes: str = "}]",
    quotes: str = "\"'",
    limit: int = 200_000,
    depth: int = 0,
) -> int | None:
    """Index of the bracket that brings `depth` back to 0, scanning text[start:start+limit];
    brackets inside quotes (with backslash escapes) do not count. None when it never closes."""
    # A C-level search jumps between the characters that matter.
    special = re.compile("[" + re.escape(opens + closes + quotes) + r"\\]")
    quote, skip = "", -1
    for m in special.finditer(text, start, min(len(text), start + limit)):
        i = m.start()
        if i < skip:
            continue  # the character after a backslash inside a string
        ch = text[i]
        if quote:
            if ch == "\\":
                skip = i + 2
            elif ch == quote:
                quote = ""
        elif ch in quotes:
            quote = ch
        elif ch in opens:
            depth += 1
        elif ch in closes:
            depth -= 1
            if depth == 0:
                return i
    return None
