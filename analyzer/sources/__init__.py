"""Format sources: each module has `sniff(head) -> bool` and `parse(doc) -> Iterator[Evidence]`.

`SOURCES` is read top to bottom. A file is parsed by every source whose sniff accepts its
head (a terminal paste can hold Claude Code output, an `export` line and a curl transcript
at once); the first one names the file's format in the report. The generic line scanner
in the engine reads every text file as well, so nothing unknown is lost.

A line source may declare `TRIGGERS` (literal -> lines after it that it also needs, so a
view of the file can hold just its constructs: `sparse_views`, textio.LineGate) and
`INTEREST`: the literals of the lines that carry a failure in its format (a 4xx status line,
`curl: (35)`, an `[ERROR]` record), with the lines before and after that belong to it.
Sources without TRIGGERS always read every line.

A big file (SPARSE_MIN_BYTES or more) reaches its parsers through `Focus`: each reads its
first HEAD_LINES lines at every trigger, and after that only around its INTEREST lines (the
first INTEREST_EACH of each literal) and around the lines the rules' line matchers found
deciding (`RuleSet.interest_lines`): the benign bulk of a gigabyte log, which repeats what
the head already said, is not parsed.
"""

from __future__ import annotations

import functools
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


ANYWHERE = ("curl", "claude-log", "sdk", "env")  # formats whose failure lines a big file is searched for
HEAD_LINES = 2000  # a big file's first lines: every parser reads them at all its triggers
INTEREST_EACH = 20  # windows a parser reads per INTEREST literal of one file: the rest repeat
AROUND_DECIDING = (40, 20)  # lines before and after a rule's deciding line that the parsers read


def sparse_views(doc: Doc, formats: list[str], engine: str = "auto") -> dict[str, Doc]:
    """For a file of SPARSE_MIN_BYTES or more: format -> the sparse view its parser reads (the
    windows at every trigger of the whole file, found in one pass), for the line sources
    among `formats` that declare TRIGGERS. Smaller files: {} (every parser reads every line)."""
    if doc.size < SPARSE_MIN_BYTES:
        return {}
    gate = _gate(tuple(f for f in formats if getattr(SOURCES[f], "TRIGGERS", None)), engine)
    if gate is None:
        return {}
    plan = FixedPlan(gate.plan(doc))
    return {owner: doc.sparse(LineView(plan, owner)) for owner in gate.owners}


class Focus:
    """How the parsers of a big file are pointed at what matters, in two passes over it.

    The first pass is the rules' line scan; `add` sees its blocks and finds the trigger lines
    of the file's formats in its first HEAD_LINES lines, and the first INTEREST_EACH lines
    holding each INTEREST literal of those formats and of the ANYWHERE ones. `views` then takes
    the deciding lines the scan gave (`RuleSet.interest_lines`) and reads, in the second pass,
    every source's windows: those lines, and AROUND_DECIDING lines around each deciding line.
    The sniffers read the text around the deciding lines too, so a curl transcript pasted into
    the middle of a debug log is parsed as one.
    """

    def __init__(self, formats: list[str], record: bool = False, engine: str = "auto"):
        self.formats = formats
        self.owners = tuple(name for name, mod in SOURCES.items() if getattr(mod, "TRIGGERS", None))
        head = _gate(tuple(f for f in self.owners if f in formats), engine)
        self._head = head.planner(lines=HEAD_LINES) if head is not None else None
        # Failure lines of the formats a log commonly holds past its head, and of those it holds
        # at its head (s_client and tool settings rarely turn up in the middle of a log).
        looked_for = tuple(f for f in self.owners if f in formats or f in ANYWHERE)
        self._interest = _gate(looked_for, engine, "INTEREST").planner(each=INTEREST_EACH)
        self._head_open = self._head is not None
        if record:  # a part of a file read in another process: its trigger lines go back (`events`)
            for planner in (self._head, self._interest):
                if planner is not None:
                    planner.events = []

    def events(self) -> dict[str, list]:
        """The trigger lines each planner took, in order (a Focus made with `record`)."""
        return {"head": self._head.events if self._head is not None else [], "interest": self._interest.events}

    def take(self, events: dict[str, list], base: int) -> None:
        """Another part's `events`, its line numbers counted from line `base` + 1: the head lines
        come from the file's first part only."""
        if base == 0 and self._head is not None:
            self._head.take(events["head"])
        self._interest.take([(no + base, *rest) for no, *rest in events["interest"]])

    def add(self, first: int, block: str) -> None:
        if self._head_open:
            self._head_open = self._head.add(first, block)
        self._interest.add(first, block)

    def views(self, doc: Doc, deciding: set[int]) -> tuple[dict[str, Doc], list[str]]:
        """format -> its parser's view, and the file's formats with those found past its head."""
        head = self._head.windows() if self._head is not None else {}
        interest = self._interest.windows()
        before, after = AROUND_DECIDING
        around = merge_windows([(max(1, n - before), n + after) for n in sorted(deciding)])
        plan = FixedPlan(
            {**{f: merge_windows(head.get(f, []), interest.get(f, []), around) for f in self.owners}, "": around}, doc
        )
        formats = self.formats + _sniffed(doc.sparse(LineView(plan, "")), self.formats)
        return {f: doc.sparse(LineView(plan, f)) for f in formats if f in self.owners}, formats


def _sniffed(view: Doc, known: list[str]) -> list[str]:
    """Line formats the sniffers find in a view's first 256 KiB that `known` lacks."""
    text, size = [], 0
    for _, line in view.numbered():
        text.append(line)
        size += len(line) + 1
        if size > 256 * 1024:
            break
    found = detect("\n".join(text)) if text else []
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
