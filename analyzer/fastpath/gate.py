"""Sparse reading: the trigger lines of several parsers found in one pass, and the views of
windows of lines each parser then reads.

A format parser reads every line of the files it sniffs, at a few microseconds a line; in a
gigabyte debug log almost none of them matter to it. Files of SPARSE_MIN_BYTES and more are
therefore read through a view: each line source declares TRIGGERS, the literals the lines
it acts on hold (with how many lines after such a line belong to the same construct: a Node
error's property lines, a wrapped JSON body). One pass over the file finds the trigger lines
of every source at once (C-level searches over whole blocks), and each parser then gets only
its windows of lines, with real line numbers. Smaller files are read whole, as before.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator

from ..textio import Doc, utf8

# Characters by how often they occur in logs and transcripts (case-sensitive), most common
# first; a trigger is searched by the substring that starts at its rarest character.
_COMMON_CHARS = " etosnari\"c:1ld20uhp-m\n./5g3,T4fvky6b9w7E8x][SACD_ZUGIBj=NLRP\\()*{}OqMFH<W>JzVXYK'Q\t@;?#+%`$!&^|~"
_RANK = {ch: len(_COMMON_CHARS) - i for i, ch in enumerate(_COMMON_CHARS)}
_ANCHOR_LEN = 4
_NEWLINE = re.compile("\n")

# literal -> lines after a line holding it that its parser must see too, or (lines before,
# lines after). A tuple of literals (found by the first, usually the rarer) asks for a line
# that holds all of them.
Triggers = dict["str | tuple[str, ...]", "int | tuple[int, int]"]


class LineView:
    """The windows of lines one parser reads: sorted, disjoint, inclusive (first, last) pairs."""

    def __init__(self, plan: FixedPlan, owner: str):
        self._plan = plan
        self._owner = owner

    @property
    def windows(self) -> list[tuple[int, int]]:
        return self._plan.windows(self._owner)

    def numbered(self, doc: Doc) -> Iterator[tuple[int, str]]:
        windows = self.windows
        if not windows:
            return
        cached = self._plan.lines()
        if cached is not None:
            yield from _from_cache(cached, windows)
            return
        w = 0
        start, end = windows[0]
        previous_end = None
        for first, block in doc.blocks():
            last = first + block.count("\n")
            if start > last:
                continue
            lines = block.split("\n")
            while start <= last:
                if previous_end is not None and start > previous_end + 1 and start >= first:
                    yield previous_end + 1, ""  # a gap: whatever was open ends here
                    previous_end = None
                for no in range(max(start, first), min(end, last) + 1):
                    yield no, lines[no - first]
                if end > last:  # the window goes on in the next block
                    start = last + 1
                    break
                previous_end = end
                w += 1
                if w == len(windows):
                    return
                start, end = windows[w]


class LineGate:
    """Finds, in one pass over a file, the trigger lines of several parsers (owners) at once.

    With Hyperscan installed (and the engine not "python") one literal database scans each
    block; otherwise one stdlib `re` search per group of anchors sharing a first character
    (memchr speed), each hit line then checked for the literals themselves. Both find exactly
    the lines that hold a literal, so both give the same windows.
    """

    def __init__(self, triggers: dict[str, Triggers], engine: str = "auto"):
        self.owners = list(triggers)
        # searched literal -> [(owner, before, after, literals the line must hold as well)];
        # a literal starting with "\n" must start the line
        self.literals: dict[str, list[tuple[str, int, int, tuple[str, ...]]]] = {}
        for owner, lits in triggers.items():
            for key, span in lits.items():
                lit, *also = (key,) if isinstance(key, str) else key
                for one in (lit, *also):
                    if not one or one == "\n" or "\n" in one[1:] or (one in also and one.startswith("\n")):
                        raise ValueError(f"bad trigger {key!r} of {owner}")
                before, after = span if isinstance(span, tuple) else (0, span)
                self.literals.setdefault(lit, []).append((owner, before, after, tuple(also)))
        self._engine = engine
        self._searches: dict[frozenset[str], object] = {}

    def search_without(self, dropped: frozenset[str]):
        """The search for every literal but `dropped` (a planner's spent ones), built once."""
        search = self._searches.get(dropped)
        if search is None:
            literals = {lit: uses for lit, uses in self.literals.items() if lit not in dropped}
            need_text = {lit for lit, uses in literals.items() if any(use[-1] for use in uses)}
            search = _hyperscan_search(list(literals), need_text, self._engine) or _PythonSearch(literals)
            if len(self._searches) >= 64:  # a long scan meets many files: keep the cache small
                self._searches = {k: v for k, v in self._searches.items() if not k}
            self._searches[dropped] = search
        return search

    def plan(self, doc: Doc, lines: int | None = None, each: int | None = None) -> dict[str, list[tuple[int, int]]]:
        """owner -> its windows of (first, last) line numbers. `lines` ends the pass after the
        file's first lines; `each` keeps an owner's first windows of each literal only."""
        planner = self.planner(lines, each)
        for first, block in doc.blocks():
            if not planner.add(first, block):
                break
        return planner.windows()

    def planner(self, lines: int | None = None, each: int | None = None) -> Planner:
        """A plan fed block by block (`plan` on a pass over the file that does other work too)."""
        return Planner(self, lines, each)


class Planner:
    """The windows of a LineGate's owners, from blocks as they are read."""

    def __init__(self, gate: LineGate, lines: int | None, each: int | None):
        self._gate, self._lines, self._each = gate, lines, each
        self._windows: dict[str, list[list[int]]] = {owner: [] for owner in gate.owners}
        self._counts: dict[tuple[str, str], int] = defaultdict(int)
        self._search = gate.search_without(frozenset())
        self._spent: frozenset[str] = frozenset()
        self.events: list[tuple[int, str, str, int, int]] | None = None  # a list: `take` keeps what it is given

    def add(self, first: int, block: str) -> bool:
        """Take the block whose first line is `first`; False once the lines asked for are done."""
        lines = self._lines
        if lines is not None and first > lines:
            return False
        found = self._search.hits(block)  # [(0-based line, literal, the line or None)]
        events = [
            (first + line, owner, lit, before, after)
            for line, lit, body in found
            if lines is None or first + line <= lines
            for owner, before, after, also in self._gate.literals[lit]
            if not also or all(x in body for x in also)
        ]
        self.take(events)
        if self._each is not None and found:  # a literal every owner has had `each` times is searched no more
            spent = self._spent | {
                lit
                for _, lit, _ in found
                if all(self._counts[owner, lit] >= self._each for owner, *_ in self._gate.literals[lit])
            }
            if spent != self._spent:
                self._spent = frozenset(spent)
                self._search = self._gate.search_without(self._spent)
        return True

    def take(self, events: list[tuple[int, str, str, int, int]]) -> None:
        """Trigger lines found, in file order: (line number, owner, literal, lines before, after).
        `add` finds them in a block; a file read in parts gives each part's here, in order."""
        if self.events is not None:
            self.events.extend(events)
        each = self._each
        per_owner: dict[str, list[tuple[int, int]]] = {}
        for no, owner, lit, before, after in events:
            if each is not None:
                self._counts[owner, lit] += 1
                if self._counts[owner, lit] > each:
                    continue
            per_owner.setdefault(owner, []).append((max(1, no - before), no + after))
        for owner, spans in per_owner.items():
            extend_windows(self._windows[owner], sorted(spans))

    def windows(self) -> dict[str, list[tuple[int, int]]]:
        return {owner: [(a, b) for a, b in ws] for owner, ws in self._windows.items()}


def extend_windows(windows: list[list[int]], spans: list[tuple[int, int]]) -> None:
    """Add (first, last) spans sorted by first; windows one line apart or less become one. A
    span reaching back before the last window (lines before a trigger) merges backwards too."""
    for start, end in spans:
        if windows and start <= windows[-1][1] + 2:
            last = windows[-1]
            last[1] = max(last[1], end)
            if start < last[0]:
                last[0] = start
                while len(windows) > 1 and windows[-2][1] + 2 >= last[0]:
                    prev = windows.pop(-2)
                    last[0] = min(last[0], prev[0])
                    last[1] = max(last[1], prev[1])
        else:
            windows.append([start, end])


def merge_windows(*lists: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of several window lists, as one sorted list of disjoint windows."""
    merged: list[list[int]] = []
    extend_windows(merged, sorted(span for spans in lists for span in spans))
    return [(a, b) for a, b in merged]


class FixedPlan:
    """Windows already known (owner -> windows), in the shape LineView reads. Given the `doc`, the
    lines of every window are read in one pass over it (on first use) and kept, so that several
    parsers of one big file do not each read it again; without, each view reads the file."""

    def __init__(self, windows: dict[str, list[tuple[int, int]]], doc: Doc | None = None):
        self._windows = windows
        self._doc = doc
        self._lines: dict[int, str] | None = None

    def windows(self, owner: str) -> list[tuple[int, int]]:
        return self._windows.get(owner, [])

    def lines(self) -> dict[int, str] | None:
        """Line number -> line, for every line in a window of any owner (None: not cached)."""
        if self._doc is None:
            return None
        if self._lines is None:
            self._lines = dict(self._doc.window_lines(merge_windows(*self._windows.values())))
        return self._lines


def anchor_of(literal: str) -> str:
    """The substring of `literal` (at most 4 characters) that starts at its rarest character."""
    if literal.startswith("\n") or len(literal) <= _ANCHOR_LEN:
        return literal[: _ANCHOR_LEN + 1] if literal.startswith("\n") else literal
    rank = _RANK.get
    best = min(range(len(literal) - _ANCHOR_LEN + 1), key=lambda i: (rank(literal[i], 0), rank(literal[i + 1], 0)))
    return literal[best : best + _ANCHOR_LEN]


class _PythonSearch:
    """Trigger lines with the standard library: one `re` search per first character of the anchors."""

    def __init__(self, literals: dict[str, list]):
        groups: dict[str, dict[str, list[str]]] = {}
        for lit in literals:
            anchor = anchor_of(lit)
            groups.setdefault(anchor[0], {}).setdefault(anchor, []).append(lit)
        self.groups = []
        for first, anchors in sorted(groups.items()):
            rests = sorted({a[1:] for a in anchors}, key=len, reverse=True)
            pattern = re.compile(re.escape(first) + "(?:" + "|".join(map(re.escape, rests)) + ")")
            # (anchor as found in a line, literals it stands for); line-start literals are checked whole
            checks = [(a[1:] if a.startswith("\n") else a, lits) for a, lits in anchors.items()]
            self.groups.append((pattern, first == "\n", checks))

    def hits(self, block: str) -> list[tuple[int, str, str]]:
        text = "\n" + block  # so that the first line starts after a newline like the others
        out: list[tuple[int, str, str]] = []
        newlines: list[int] | None = None
        for pattern, at_start, checks in self.groups:
            pos = 0
            search = pattern.search
            while True:
                m = search(text, pos)
                if m is None:
                    break
                p = m.start()
                if newlines is None:  # offsets of the newlines, once per block: a line number is a bisect
                    newlines = [nl.start() for nl in _NEWLINE.finditer(text)]
                line = bisect_right(newlines, p) - 1
                begin = p + 1 if at_start else text.rfind("\n", 0, p) + 1
                end = text.find("\n", p + 1)
                if end < 0:
                    end = len(text)
                body = text[begin:end]
                for anchor, lits in checks:
                    if anchor in body:
                        for lit in lits:
                            if body.startswith(lit[1:]) if at_start else lit in body:
                                out.append((line, lit, body))
                pos = end  # the newline ending this line: a line-start literal may follow it
        return out


def _hyperscan_search(literals: list[str], need_text: set[str], engine: str) -> _HyperscanSearch | None:
    """The Hyperscan search, unless the engine is python or Hyperscan is not installed."""
    if engine == "python":
        return None
    try:
        import hyperscan  # the optional `fast` extra; imported on first use (start-up time)
    except ImportError:
        return None
    try:
        return _HyperscanSearch(hyperscan, literals, need_text)
    except Exception:  # noqa: BLE001 - any build problem: the standard-library search gives the same lines
        return None


class _HyperscanSearch:
    """Trigger lines with one Hyperscan literal database (the `fast` extra)."""

    def __init__(self, hs, literals: list[str], need_text: set[str]):
        self.literals = literals
        self.need_text = [lit in need_text for lit in literals]
        self.db = hs.Database(mode=hs.HS_MODE_BLOCK)
        self.db.compile(
            expressions=["".join(f"\\x{b:02x}" for b in lit.encode("utf-8")).encode() for lit in literals],
            ids=list(range(len(literals))),
            flags=[0] * len(literals),
        )
        self._at_start = [(i, lit) for i, lit in enumerate(literals) if lit.startswith("\n")]

    def hits(self, block: str) -> list[tuple[int, str, str | None]]:
        data = utf8(block)  # the bytes the rules' scan of this block reads too
        ends: list[tuple[int, int]] = []

        def on_match(lit_id: int, start: int, end: int, flags: int, context: object) -> None:
            ends.append((end, lit_id))

        from .. import hsscan

        hsscan.scan(self.db, data, on_match)
        # A line-start literal (`\n*`) on the block's first line has no newline before it here.
        first = [(len(lit) - 1, i) for i, lit in self._at_start if block.startswith(lit[1:])]
        if first:
            ends = sorted(first + ends)
        out: list[tuple[int, str, str | None]] = []
        seen: set[tuple[int, int]] = set()
        line, counted = 0, 0
        for end, lit_id in ends:  # in order of end offset
            last = end - 1  # the literal's last byte: its line is the line of the hit
            line += data.count(b"\n", counted, last)
            counted = last
            if (line, lit_id) in seen:
                continue
            seen.add((line, lit_id))
            body = None
            if self.need_text[lit_id]:
                begin = data.rfind(b"\n", 0, last) + 1
                stop = data.find(b"\n", end)
                body = data[begin : len(data) if stop < 0 else stop].decode("utf-8", errors="surrogatepass")
            out.append((line, self.literals[lit_id], body))
        return out


def _from_cache(lines: dict[int, str], windows: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
    """What LineView.numbered yields, from cached lines: a window past the end stops at the end."""
    previous_end = None
    for start, end in windows:
        if start not in lines:
            return  # the file ends before this window
        if previous_end is not None and start > previous_end + 1:
            yield previous_end + 1, ""  # a gap: whatever was open ends here
        for no in range(start, end + 1):
            line = lines.get(no)
            if line is None:
                return
            yield no, line
        previous_end = end
