"""Read a few lines around each evidence line from the inputs, redacted, for reports that show
evidence in context.

Inputs are read again from where the analysis found them: plain files (also inside folders)
by path, archive members (`bundle.zip!logs/debug.txt`) by opening the archive once more
through `bundle.open_inputs` with its safety limits. Standard input cannot be read twice, so
its evidence has no context. Every line passes through redaction, and the body of a PEM
private key is masked outright because no single line of it looks like a secret.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Iterable, Iterator

from .. import bundle, redact
from ..textio import Doc, looks_binary

Window = list[tuple[int, str]]  # (1-based line number, redacted text)

_ASSIGNMENT = re.compile(r"^(\s*(?:export\s+|set\s+|\$env:)?)([A-Za-z_][A-Za-z0-9_.\-]*)(\s*[=:]\s*)(.*)$")
_KEY_BEGIN = re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")
_KEY_END = re.compile(r"-----END [A-Z ]*PRIVATE KEY-----")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_LINE = 400


def printable(line: str) -> str:
    """The line as it read on screen: colour codes dropped, other control characters (curl's
    progress-meter `\\r`) as spaces."""
    return _CONTROL.sub(" ", _ANSI.sub("", line))


def redact_line(line: str) -> str:
    """Redact one raw input line for display: secrets in free text, values of secret-named variables."""
    line = redact.redact_text(printable(line))
    m = _ASSIGNMENT.match(line)
    if m and redact.is_secret_name(m.group(2)):
        line = m.group(1) + m.group(2) + m.group(3) + redact.redact_value(m.group(2), m.group(4))
    return line[:MAX_LINE]


def read_context(wanted: Iterable[tuple[str, int]], radius: int = 2) -> dict[tuple[str, int], Window]:
    """Lines `line - radius .. line + radius` for each (path, line) that can be read again."""
    by_path: dict[str, set[int]] = defaultdict(set)
    for path, line in wanted:
        if path and isinstance(line, int) and line > 0:
            by_path[path].add(line)
    out: dict[tuple[str, int], Window] = {}
    for path, doc in _docs(by_path):
        try:
            windows = _windows(doc, sorted(by_path[path]), radius)
        except (OSError, EOFError, ValueError):
            continue
        for line, window in windows.items():
            out[(path, line)] = window
    return out


def _docs(by_path: dict[str, set[int]]) -> Iterator[tuple[str, Doc]]:
    """Open every wanted path that still exists: plain files directly, archive members by archive."""
    archives: dict[str, set[str]] = defaultdict(set)
    for path in by_path:
        file = Path(path)
        if "!" not in path:
            if file.is_file():
                yield path, Doc.open(path, file.stat().st_size, lambda f=file: open(f, "rb"))
        else:
            archives[path.split("!", 1)[0]].add(path)
    for root, members in archives.items():
        if not Path(root).is_file():
            continue
        try:
            for item in bundle.open_inputs([root]):
                if isinstance(item, bundle.Member) and item.path in members:
                    yield item.path, Doc.open(item.path, item.size, item.opener)
        except OSError:
            continue


def _windows(doc: Doc, lines: list[int], radius: int) -> dict[int, Window]:
    if looks_binary(doc.raw_head(8192), doc.encoding):
        return {}
    keep = {n for line in lines for n in range(max(1, line - radius), line + radius + 1)}
    last = max(keep)
    text: dict[int, str] = {}
    in_key = False
    for number, raw in enumerate(doc.lines(), 1):
        begin = _KEY_BEGIN.search(raw)
        end = _KEY_END.search(raw) if in_key or begin else None
        if number in keep:
            text[number] = _key_safe(raw, begin, end, in_key)
        if begin and not (end and end.start() > begin.start()):
            in_key = True
        elif end:
            in_key = False
        if number >= last:
            break
    return {line: [(n, text[n]) for n in range(max(1, line - radius), line + radius + 1) if n in text]
            for line in lines if line in text}


def _key_safe(raw: str, begin: re.Match | None, end: re.Match | None, in_key: bool) -> str:
    """A line redacted, with any private-key material on it masked (markers stay readable)."""
    if begin:
        tail = raw[begin.end():end.start()] if end and end.start() > begin.start() else raw[begin.end():]
        shown = raw[:begin.end()] + (redact.MASK if tail.strip(" \t\"',") else "")
        if end and end.start() > begin.start():
            shown += raw[end.start():]
        return redact_line(shown)
    if in_key:
        return redact_line(raw[end.start():]) if end else redact.MASK
    return redact_line(raw)
