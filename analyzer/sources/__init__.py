"""Format sources: each module has `sniff(head) -> bool` and `parse(doc) -> Iterator[Evidence]`.

`SOURCES` is read top to bottom. A file is parsed by every source whose sniff accepts its
head (a terminal paste can hold Claude Code output, an `export` line and a curl transcript
at once); the first one names the file's format in the report. The generic line scanner
in the engine reads every text file as well, so nothing unknown is lost.

A line source may declare `TRIGGERS` (literal -> lines after it that it also needs): big
files then reach it through a sparse view (`sparse_views`, textio.LineGate) instead of line
by line. Sources without TRIGGERS always read every line.

It declares `INTEREST` as well: the literals of the lines that carry a failure in its format
(a 4xx status line, `curl: (35)`, an `[ERROR]` record), with the lines before and after that
belong to it. A big file's parser reads its first HEAD_LINES lines at every trigger, and
after that only around its INTEREST lines (the first INTEREST_EACH of each literal) and around the lines the rules' line matchers
found deciding (`RuleSet.interest_lines`): the benign bulk of a gigabyte log, which repeats
what the head already said, is not parsed.
"""
from __future__ import annotations

import functools
import os
from types import ModuleType
from typing import Iterator

from ..model import Evidence
from ..textio import SPARSE_MIN_BYTES, Doc, FixedPlan, LineGate, LineView, merge_windows
from . import claude_log, curl, env, har, openssl, sdk, settings, text, tool_config

SOURCES: dict[str, ModuleType] = {
    "har": har,
    "settings": settings,
    "env": env,
    "config": tool_config,
    "curl": curl,
    "openssl": openssl,
    "claude-log": claude_log,
    "sdk": sdk,
    "text": text,
}

# Formats that are whole documents: when one of these accepts a file, no line-oriented
# source runs on it as well.
EXCLUSIVE = {"har", "settings"}


def detect(head: str) -> list[str]:
    """The formats whose sniffers accept this head, best first; `text` when none does."""
    found = [name for name, mod in SOURCES.items() if name != "text" and mod.sniff(head)]
    for name in found:
        if name in EXCLUSIVE:
            return [name]
    return found or ["text"]


def parse(doc: Doc, formats: list[str]) -> Iterator[Evidence]:
    for name in formats:
        yield from SOURCES[name].parse(doc)


HEAD_LINES = 2000           # a big file's first lines: every parser reads them at all its triggers
INTEREST_EACH = 50          # windows a parser reads per INTEREST literal of one file: the rest repeat
AROUND_DECIDING = (40, 20)  # lines before and after a rule's deciding line that the parsers read


def sparse_views(doc: Doc, formats: list[str], deciding: set[int] | None = None) -> dict[str, Doc]:
    """For a file of SPARSE_MIN_BYTES or more: format -> the sparse view its parser reads, for
    the line sources among `formats` that declare TRIGGERS. Smaller files: {} (every parser
    reads every line).

    Without `deciding`, a view holds the windows at every trigger of the whole file (one pass,
    on first read). With it (the line numbers `RuleSet.interest_lines` gave), a view holds the
    trigger windows of the first HEAD_LINES lines, the windows at the first INTEREST_EACH lines
    holding each of the source's INTEREST literals, and AROUND_DECIDING lines around each
    deciding line.
    """
    if doc.size < SPARSE_MIN_BYTES:
        return {}
    owners = tuple(f for f in formats if getattr(SOURCES[f], "TRIGGERS", None))
    engine = os.environ.get("CCDIAG_ENGINE", "auto")
    gate = _gate(owners, engine)
    if gate is None:
        return {}
    if deciding is None:
        return gate.views(doc)
    head = gate.plan(doc, lines=HEAD_LINES)
    interest = _gate(owners, engine, "INTEREST").plan(doc, each=INTEREST_EACH)
    before, after = AROUND_DECIDING
    around = [(max(1, n - before), n + after) for n in sorted(deciding)]
    plan = FixedPlan({f: merge_windows(head[f], interest[f], around) for f in owners})
    return {f: doc.sparse(LineView(plan, f)) for f in owners}


def sniff_around(doc: Doc, deciding: set[int], known: list[str]) -> list[str]:
    """Line formats a big file holds past its head: the sniffers run on the text around the
    deciding lines too (a curl transcript pasted into the middle of a debug log)."""
    if not deciding:
        return []
    before, after = AROUND_DECIDING
    windows = merge_windows([(max(1, n - before), n + after) for n in sorted(deciding)])
    view = doc.sparse(LineView(FixedPlan({"sniff": windows}), "sniff"))
    text, size = [], 0
    for _, line in view.numbered():
        text.append(line)
        size += len(line) + 1
        if size > 256 * 1024:
            break
    found = detect("\n".join(text))
    return [f for f in found if f not in known and f not in EXCLUSIVE and f != "text"]


@functools.lru_cache(maxsize=32)
def _gate(formats: tuple[str, ...], engine: str, kind: str = "TRIGGERS") -> LineGate | None:
    """Built once per process and set of formats: compiling the trigger search costs milliseconds."""
    if not formats:
        return None
    return LineGate({f: getattr(SOURCES[f], kind) for f in formats}, engine=engine)


def typed_only(doc: Doc, formats: list[str], emitted: int) -> bool:
    """True for a HAR of SPARSE_MIN_BYTES or more that parsed into evidence: the generic line
    scan is skipped there (hundreds of megabytes of JSON bodies, minutes of regexes for hits the
    typed request/response/error evidence already carries). Small HARs are scanned as before."""
    return formats == ["har"] and doc.size >= SPARSE_MIN_BYTES and emitted > 0
