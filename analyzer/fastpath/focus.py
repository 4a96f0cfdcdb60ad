"""Where the parsers of a big file read: the windows of lines around what matters.

A big file (SPARSE_MIN_BYTES or more) reaches its parsers through `Focus`: each reads its
first HEAD_LINES lines at every trigger, and after that only around its INTEREST lines (the
first INTEREST_EACH of each literal), around the lines the rules' line matchers found
deciding (`RuleSet.interest_lines`) and around the lines holding a wording a typed matcher or
the vocabulary needs (`RuleSet.wordings`, derived when the rule set is built; the rules' line
scanner finds them in its own pass, `WordingLines`): the benign bulk of a gigabyte log, which
repeats what the head already said, is not parsed.

What the formats declare about their lines (TRIGGERS, INTEREST, which are searched anywhere,
the sniffers) comes in as data, a `FormatTriggers` the orchestrator builds from the sources:
this package does not import them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..textio import SPARSE_MIN_BYTES, Doc
from .gate import FixedPlan, LineGate, LineView, extend_windows, merge_windows

HEAD_LINES = 2000  # a big file's first lines: every parser reads them at all its triggers
INTEREST_EACH = 20  # windows a parser reads per INTEREST literal of one file: the rest repeat
AROUND_DECIDING = (40, 20)  # lines before and after a rule's deciding line that the parsers read
# Lines read per wording a typed matcher needs: one lets its rule fire, a few more serve a
# `min_count`. Common wordings sit in every block, so each line more per wording is a second
# pass over more of the file.
WORDING_EACH = 3


@dataclass(frozen=True, eq=False)
class FormatTriggers:
    """The line formats' structural triggers, as data.

    `triggers`: format -> literal -> lines after it the parser also needs (its TRIGGERS), in
    the sources' order; `interest`: format -> the literals of its failure lines (INTEREST);
    `anywhere`: formats whose failure lines a big file is searched for even when its head does
    not show them; `sniff(text)`: the line formats the sniffers find in a text.
    """

    triggers: dict[str, dict]
    interest: dict[str, dict]
    anywhere: tuple[str, ...]
    sniff: Callable[[str], list[str]]
    _gates: dict = field(default_factory=dict, repr=False)  # compiled searches, built once per process

    def gate(self, formats: tuple[str, ...], engine: str, kind: str = "TRIGGERS") -> LineGate | None:
        """The search for the triggers (or INTEREST literals) of `formats`: compiling one costs milliseconds."""
        if not formats:
            return None
        key = (formats, engine, kind)
        gate = self._gates.get(key)
        if gate is None:
            table = self.triggers if kind == "TRIGGERS" else self.interest
            gate = self._gates[key] = LineGate({f: table[f] for f in formats}, engine=engine)
        return gate


def sparse_views(doc: Doc, formats: list[str], known: FormatTriggers, engine: str = "auto") -> dict[str, Doc]:
    """For a file of SPARSE_MIN_BYTES or more: format -> the sparse view its parser reads (the
    windows at every trigger of the whole file, found in one pass), for the line formats
    among `formats` that declare triggers. Smaller files: {} (every parser reads every line)."""
    if doc.size < SPARSE_MIN_BYTES:
        return {}
    gate = known.gate(tuple(f for f in formats if f in known.triggers), engine)
    if gate is None:
        return {}
    plan = FixedPlan(gate.plan(doc))
    return {owner: doc.sparse(LineView(plan, owner)) for owner in gate.owners}


class Focus:
    """How the parsers of a big file are pointed at what matters, in two passes over it.

    The first pass is the rules' line scan; `add` sees its blocks and finds the trigger lines
    of the file's formats in its first HEAD_LINES lines, and the first INTEREST_EACH lines
    holding each INTEREST literal of those formats and of the `anywhere` ones. `views` then takes
    the deciding lines the scan gave (`RuleSet.interest_lines`) and reads, in the second pass,
    every format's windows: those lines, and AROUND_DECIDING lines around each deciding line.
    The sniffers read the text around the deciding lines too, so a curl transcript pasted into
    the middle of a debug log is parsed as one. `wordings` (RuleSet.wordings, lower case): the
    first WORDING_EACH lines holding each are read like deciding lines; the scan finds them
    and hands them to `words` (a `WordingLines`).
    """

    def __init__(
        self,
        formats: list[str],
        known: FormatTriggers,
        record: bool = False,
        engine: str = "auto",
        wordings: frozenset[str] = frozenset(),
    ):
        self.formats = formats
        self.known = known
        self.owners = tuple(known.triggers)
        head = known.gate(tuple(f for f in self.owners if f in formats), engine)
        self._head = head.planner(lines=HEAD_LINES) if head is not None else None
        # Failure lines of the formats a log commonly holds past its head, and of those it holds
        # at its head (s_client and tool settings rarely turn up in the middle of a log).
        looked_for = tuple(f for f in self.owners if f in formats or f in known.anywhere)
        interest = known.gate(looked_for, engine, "INTEREST")
        assert interest is not None, "no format is looked for anywhere"  # known.anywhere names some
        self._interest = interest.planner(each=INTEREST_EACH)
        self.words = WordingLines(wordings, WORDING_EACH)
        self._head_open = self._head is not None
        if record:  # a part of a file read in another process: its trigger lines go back (`events`)
            for planner in (self._head, self._interest, self.words):
                if planner is not None:
                    planner.events = []

    def events(self) -> dict[str, list | None]:
        """The trigger lines each planner took, in order (a Focus made with `record`)."""
        return {
            "head": self._head.events if self._head is not None else [],
            "interest": self._interest.events,
            "wording": self.words.events,
        }

    def take(self, events: dict[str, list], base: int) -> None:
        """Another part's `events`, its line numbers counted from line `base` + 1: the head lines
        come from the file's first part only."""
        if base == 0 and self._head is not None:
            self._head.take(events["head"])
        self._interest.take([(no + base, *rest) for no, *rest in events["interest"]])
        self.words.take([(no + base, w) for no, w in events["wording"]])

    def add(self, first: int, block: str) -> None:
        if self._head_open:
            assert self._head is not None  # open only when there is a head to read
            self._head_open = self._head.add(first, block)
        self._interest.add(first, block)

    def views(self, doc: Doc, deciding: set[int]) -> tuple[dict[str, Doc], list[str]]:
        """format -> its parser's view, and the file's formats with those found past its head."""
        head = self._head.windows() if self._head is not None else {}
        interest = self._interest.windows()
        before, after = AROUND_DECIDING
        worded = self.words.windows()
        around = merge_windows([(max(1, n - before), n + after) for n in sorted(deciding)], worded)
        plan = FixedPlan(
            {**{f: merge_windows(head.get(f, []), interest.get(f, []), around) for f in self.owners}, "": around}, doc
        )
        formats = self.formats + self._sniffed(doc.sparse(LineView(plan, "")))
        return {f: doc.sparse(LineView(plan, f)) for f in formats if f in self.owners}, formats

    def _sniffed(self, view: Doc) -> list[str]:
        """Line formats the sniffers find in a view's first 256 KiB that the file's formats lack."""
        text, size = [], 0
        for _, line in view.numbered():
            text.append(line)
            size += len(line) + 1
            if size > 256 * 1024:
                break
        found = self.known.sniff("\n".join(text)) if text else []
        return [f for f in found if f not in self.formats]


class WordingLines:
    """The first `each` lines holding each wording (lower case, matched case-insensitively), with
    AROUND_DECIDING lines around them: the rules' line scan finds them (`RuleSet.scan_doc`'s
    `words`), asking `wants` before each block and handing the block's lines to `found`."""

    def __init__(self, wordings: frozenset[str], each: int):
        self._left = dict.fromkeys(sorted(wordings), each)
        self._wants = dict(self._left)  # the scanner's request, the same object while nothing is spent
        self._windows: list[list[int]] = []
        self.events: list[tuple[int, str]] | None = None  # a list: `take` keeps what it is given

    def wants(self) -> dict[str, int]:
        return self._wants

    def found(self, first: int, lines: list[tuple[int, str]]) -> None:
        self.take([(first + line, w) for line, w in lines])

    def take(self, events: list[tuple[int, str]]) -> None:
        """Wording lines in file order, (line number, wording): a block's from `found`, or each
        part's of a file read in parts, in order."""
        if self.events is not None:
            self.events.extend(events)
        before, after = AROUND_DECIDING
        spans = []
        left = self._left
        for no, w in events:
            if left.get(w, 0) > 0:
                left[w] -= 1
                spans.append((max(1, no - before), no + after))
        if spans:
            extend_windows(self._windows, sorted(spans))
            self._wants = {w: n for w, n in left.items() if n > 0}

    def windows(self) -> list[tuple[int, int]]:
        return [(a, b) for a, b in self._windows]
