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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from .. import bundle, redact
from ..textio import Doc, looks_binary

Window = list[tuple[int, str]]  # (1-based line number, redacted text)

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_LINE = 400


def printable(line: str) -> str:
    """The line as it read on screen: colour codes dropped, other control characters (curl's
    progress-meter `\\r`) as spaces."""
    return _CONTROL.sub(" ", _ANSI.sub("", line))


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
                yield path, Doc.open(path, file.stat().st_size, _opener(file))
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


def _opener(file: Path) -> Callable[[], IO[bytes]]:
    return lambda: open(file, "rb")


def _windows(doc: Doc, lines: list[int], radius: int) -> dict[int, Window]:
    if looks_binary(doc.raw_head(8192), doc.encoding):
        return {}
    keep = {n for line in lines for n in range(max(1, line - radius), line + radius + 1)}
    last = max(keep)
    text: dict[int, str] = {}
    # Redacted in blocks, not line by line: a value whose secret name stands on the line before
    # (k8s env, PowerShell Format-List, pretty-printed JSON) and private-key bodies stay masked.
    for number, shown in enumerate(redact.redact_lines(printable(raw) for raw in doc.lines()), 1):
        if number in keep:
            text[number] = shown[:MAX_LINE]
        if number >= last:
            break
    return {
        line: [(n, text[n]) for n in range(max(1, line - radius), line + radius + 1) if n in text]
        for line in lines
        if line in text
    }
