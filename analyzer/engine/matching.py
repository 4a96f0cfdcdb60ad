"""Run compiled rules over a bundle's evidence and raw lines, producing Hits.

Typed matchers are indexed by evidence kind. Line matchers never loop over lines in Python:
lines are joined into blocks and a *scanner* finds the candidate (line, matcher) pairs of a
block in one pass; each matcher's own test then runs on its candidate lines only, so what
fires is decided by the same code on every path. Two scanners exist:

- `prefilter.PythonScanner`: stdlib/regex only, always available;
- `accel.HyperscanScanner`: one Hyperscan database for every line matcher (extra `fast`),
  each matcher checked against the rule examples when the database is built and sent back
  to the Python scanner when the engine disagrees.

The run's `engine` (python, hyperscan or auto: Hyperscan when installed; `CCDIAG_ENGINE`, read
once at the entry, `analysis.engine_choice`) picks one. Small inputs use the Python scanner
unless the engine is hyperscan: building a database costs more than it saves there.

A matcher keeps at most MAX_LINE_HITS_PER_FILE lines of a file. In a big file (BIG_DOC_BYTES
or more) it keeps at most one line per block as well, the first of the block: a gigabyte
log repeats its common lines a million times, and one example per megabyte says as much as
twenty in a row. That lets Hyperscan report each matcher once per block (SINGLEMATCH)
instead of calling back into Python for every repeat; both scanners keep the same lines.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Protocol, cast

from ..literals import wordings
from ..model import Evidence, Hit, Location
from ..redact import MASK, redact_text
from ..textio import Doc
from ..vocabulary import VOCAB
from .condition import evaluate, required
from .prefilter import PythonScanner, meets
from .rules import Matcher, RegexBudgetExceeded, Rule
from .run import Run

if TYPE_CHECKING:
    from .accel import HyperscanScanner

BATCH_LINES = 4096
MAX_LINE_HITS_PER_FILE = 20  # evidence kept per matcher and file; the count goes on
ACCEL_MIN_BYTES = 4 * 1024 * 1024  # below this much text in one file the Python scanner is as quick
BIG_DOC_BYTES = ACCEL_MIN_BYTES  # from this file size on, a matcher keeps one line per block


class RuleSet:
    """All active rules, compiled for matching. Build once, use for many bundles.

    A run never changes it: what one bundle's analysis learns (rules skipped for a runaway
    regex) lives in the `Run` passed to each method. Its other fields are the rules and what is
    compiled from them on first use (scanners, index sets), the same for every bundle."""

    # Attributes compiled on first use: their content does not depend on which bundle asks first.
    MEMO = ("_python", "_accel", "_active", "_accel_plan", "_line_clause_map", "_once_ids")

    def __init__(self, rules: dict[str, Rule]):
        self.rules = rules
        self.line_matchers: list[Matcher] = [m for r in rules.values() for m in r.matchers.values() if m.is_line]
        self._keys = [f"{m.rule}/{m.name}" for m in self.line_matchers]
        self.typed: dict[str, list[Matcher]] = defaultdict(list)
        for r in rules.values():
            for m in r.matchers.values():
                if not m.is_line:
                    for kind in m.kinds or ():
                        self.typed[kind].append(m)
        # What the parsers of a big file must not skip: built with the rule set and cached with it.
        self.wordings = wordings((m for r in rules.values() for m in r.matchers.values()), VOCAB.wordings())
        self.accel_min_bytes = ACCEL_MIN_BYTES  # smaller files use the Python scanner (start-up cost)
        self._python: PythonScanner | None = None
        self._accel: HyperscanScanner | str | None = (
            None  # built on the first big input; a str (why) once known to be unavailable
        )
        self._active: dict[frozenset[str], frozenset[int]] = {}

    # ------------------------------------------------------------------ scanners
    @property
    def python_scanner(self) -> PythonScanner:
        if self._python is None:
            self._python = PythonScanner(self.line_matchers, self.wordings)
        return self._python

    def accel_scanner(self, engine: str):
        """The Hyperscan scanner for a run with this `engine`, or None when it is python or
        Hyperscan is not installed; an error when it is hyperscan and Hyperscan cannot be had."""
        if engine not in ("auto", "hyperscan"):
            return None
        if self._accel is None:
            from . import accel

            try:
                self._accel = accel.HyperscanScanner(
                    self.line_matchers, self.python_scanner, self.rules, self.accel_plan, sorted(self.wordings)
                )
            except accel.Unavailable as exc:
                self._accel = str(exc)
        if isinstance(self._accel, str):
            if engine == "hyperscan":
                raise RuntimeError(f"CCDIAG_ENGINE=hyperscan but {self._accel}")
            return None
        return self._accel

    @property
    def accel_plan(self):
        """What the Hyperscan database is built from (`accel.database_plan`): worked out once and
        kept in the rule-set cache, with or without Hyperscan installed."""
        plan = self.__dict__.get("_accel_plan")
        if plan is None:
            from .accel import database_plan

            plan = self.__dict__["_accel_plan"] = database_plan(self.line_matchers, self.rules)
        return plan

    def scanner_engine(self, engine: str) -> str:
        """The scanner big inputs of a run with this `engine` get: "hyperscan" or "python"."""
        return "hyperscan" if self.accel_scanner(engine) is not None else "python"

    def _scanner(self, big: bool, engine: str):
        if big or engine == "hyperscan":
            accel = self.accel_scanner(engine)
            if accel is not None:
                return accel
        return self.python_scanner

    def _active_ids(self, formats: frozenset[str]) -> frozenset[int]:
        ids = self._active.get(formats)
        if ids is None:
            ids = frozenset(i for i, m in enumerate(self.line_matchers) if m.sources is None or m.sources & formats)
            self._active[formats] = ids
        return ids

    # ------------------------------------------------------------------ evidence
    def match_evidence(self, ev: Evidence, run: Run) -> Iterator[Hit]:
        for m in self.typed.get(ev.kind, ()):
            if m.rule in run.broken:
                continue
            try:
                groups = m.test(ev)
            except RegexBudgetExceeded:
                run.broken.add(m.rule)
                continue
            if groups is not None:
                yield Hit(m.rule, m.name, ev, groups)

    # ------------------------------------------------------------------ lines
    def scan_lines(
        self,
        lines: Iterable[str],
        path: str,
        source: str,
        sources: frozenset[str] | None = None,
        run: Run | None = None,
    ) -> Iterator[Hit]:
        """Hits of line matchers over a stream of physical lines (1-based numbering); without a
        `run`, the scan is a run of its own."""
        return map(materialize, self._scan_lines(lines, path, source, sources, run or Run()))

    def _scan_lines(
        self, lines: Iterable[str], path: str, source: str, sources: frozenset[str] | None, run: Run
    ) -> Iterator[Hit]:
        formats = sources or frozenset({source})
        active = self._active_ids(formats)
        kept: dict[str, int] = defaultdict(int)
        base = 0
        it = iter(lines)
        while True:
            batch = list(islice(it, BATCH_LINES))
            if not batch:
                break
            block = "\n".join(batch)
            if block.count("\n") != len(batch) - 1:  # a "line" holding newlines: test each one whole
                for i, text in enumerate(batch):
                    for mid in sorted(active):
                        prev = batch[i - 1] if i > 0 else ""
                        yield from self._test_line(
                            run, self.line_matchers[mid], text, path, source, base + i + 1, kept, prev
                        )
            else:
                yield from self._scan_block(run, block, batch.__getitem__, base, active, path, source, kept, False)
            base += len(batch)

    def scan_doc(
        self,
        doc: Doc,
        path: str,
        source: str,
        sources: frozenset[str] | None = None,
        visit: Callable[[int, str], object] | None = None,
        pending: bool = False,
        run: Run | None = None,
        words: WordingSink | None = None,
    ) -> Iterator[Hit]:
        """Same hits as `scan_lines(doc.lines(), ...)`, read in blocks without a string per line.
        `visit(first line number, block)` sees each block too (other work on the same pass).
        With `pending`, line evidence stays unredacted `PendingLine` until `settle`. `words` (a big
        file's, BIG_DOC_BYTES or more) gets the lines holding the wordings it still `wants`,
        found by the same scanner pass (never as hits)."""
        hits = self._scan_doc(doc, path, source, sources, visit, run or Run(), words)
        return hits if pending else map(materialize, hits)

    def settle(self, hits: list[Hit], run: Run) -> list[Hit]:
        """The hits of a bundle that can matter: every hit of each rule whose condition holds,
        with pending line evidence redacted; the rest go (they could not change a finding)."""
        per_rule: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for h in hits:
            per_rule[h.rule][h.matcher] += 1
        firing = set()
        for rule_id, counts in per_rule.items():
            rule = self.rules.get(rule_id)
            if rule is None or rule_id in run.broken:
                continue
            fired = {name for name, n in counts.items() if n >= rule.matchers[name].min_count}
            if evaluate(rule.condition, fired):
                firing.add(rule_id)
        return [materialize(h) for h in hits if h.rule in firing]

    def _scan_doc(
        self,
        doc: Doc,
        path: str,
        source: str,
        sources: frozenset[str] | None,
        visit: Callable[[int, str], object] | None,
        run: Run,
        words: WordingSink | None = None,
    ) -> Iterator[Hit]:
        formats = sources or frozenset({source})
        active = self._active_ids(formats)
        kept: dict[str, int] = defaultdict(int)
        big = doc.size >= BIG_DOC_BYTES
        for block, first in text_blocks(doc):
            if visit is not None:
                visit(first + 1, block)
            at: dict[int, int] = {}
            worded: list[tuple[int, str]] = []
            wanted = words.wants() if words is not None and big else None
            yield from self._scan_block(
                run, block, _line_getter(block, at), first, active, path, source, kept, big, at, wanted, worded
            )
            if wanted and words is not None:
                words.found(first + 1, worded)

    def _scan_block(
        self,
        run: Run,
        block: str,
        line_at: Callable[[int], str],
        base: int,
        active: frozenset[int],
        path: str,
        source: str,
        kept: dict[str, int],
        big: bool,
        at: dict[int, int] | None = None,
        words: dict[str, int] | None = None,
        worded: list[tuple[int, str]] | None = None,
    ) -> Iterator[Hit]:
        # A matcher that kept its evidence quota for this file can add nothing more: skip it.
        if len(kept) and any(n >= MAX_LINE_HITS_PER_FILE for n in kept.values()):
            active = frozenset(i for i in active if kept.get(self._keys[i], 0) < MAX_LINE_HITS_PER_FILE)
        scanner = self._scanner(big or len(block) >= self.accel_min_bytes, run.engine)
        keys = self._keys
        once = self._once if big else frozenset()  # matchers that keep one line of this block
        if big:
            found, unsure = scanner.first_candidates(block, active, at, words, worded)
        else:
            found, unsure = scanner.candidates(block, active), set()
        single = scanner.single if big else frozenset()
        done: set[int] = set()
        for idx in sorted(found):
            text = line_at(idx)
            low: list[str] = []
            for mid in sorted(found[idx]):
                if mid in done or mid not in active or kept.get(keys[mid], 0) >= MAX_LINE_HITS_PER_FILE:
                    continue
                fired = False
                for hit in self._verify(run, mid, text, low, line_at, idx, path, source, base, kept):
                    fired = True
                    yield hit
                if fired and mid in once:
                    done.add(mid)
                elif not fired and mid in single:
                    unsure.add(mid)  # reported once, and not here: an earlier-ending lookalike hid the line
        unsure -= done
        if unsure:  # find those matchers' first line the slow, certain way
            for idx, ids in sorted(self.python_scanner.candidates(block, unsure).items()):
                text = line_at(idx)
                low = []
                for mid in sorted(ids & unsure):
                    if mid in done or kept.get(keys[mid], 0) >= MAX_LINE_HITS_PER_FILE:
                        continue
                    for hit in self._verify(run, mid, text, low, line_at, idx, path, source, base, kept):
                        done.add(mid)
                        yield hit

    def _verify(
        self,
        run: Run,
        mid: int,
        text: str,
        low: list[str],
        line_at: Callable[[int], str],
        idx: int,
        path: str,
        source: str,
        base: int,
        kept: dict[str, int],
    ) -> Iterator[Hit]:
        need = self.python_scanner.requirements[mid]
        if need is not None:  # a few `in` tests rule most candidates out before the regex
            if not low:
                low.append(text.lower())
            if not meets(need, low[0]):
                return
        prev = line_at(idx - 1) if idx > 0 else ""
        yield from self._test_line(run, self.line_matchers[mid], text, path, source, base + idx + 1, kept, prev)

    # ------------------------------------------------------------------ where to parse
    def interest_lines(self, hits: Iterable[Hit], run: Run | None = None) -> set[int]:
        """Line numbers of one file's line hits that can decide a rule there.

        A rule's condition needs one matcher of each of its clauses (`condition.required`). A
        clause of line matchers only that has no hit in the file means the file's lines cannot
        make the rule fire. Otherwise the clause with the fewest hit lines stands for the rule,
        and its lines are where the format parsers of a big file read (with the lines around
        them), so the common word of a conjunction adds no reading; a clause that a typed
        matcher can satisfy too counts by its line matchers' hits.
        """
        lines: dict[tuple[str, str], set[int]] = defaultdict(set)
        for h in hits:
            loc = h.evidence.where
            if loc is not None and loc.line:
                lines[(h.rule, h.matcher)].add(loc.line)
        out: set[int] = set()
        for rule_id, clauses in self._line_clauses.items():
            if run is not None and rule_id in run.broken:
                continue
            found = [(set().union(*(lines.get((rule_id, n), ()) for n in names)), pure) for names, pure in clauses]
            if any(pure and not at for at, pure in found):
                continue
            hit_lines = [at for at, _ in found if at]
            if hit_lines:
                fewest: set[int] = min(hit_lines, key=len)
                out.update(fewest)
        return out

    @property
    def _line_clauses(self) -> dict[str, list[tuple[frozenset[str], bool]]]:
        """rule -> its clauses as (line matcher names, whether line matchers are all it has)."""
        clauses = self.__dict__.get("_line_clause_map")
        if clauses is None:
            clauses = {}
            for rule in self.rules.values():
                parts = []
                for c in required(rule.condition):
                    names = frozenset(n for n in c if n in rule.matchers and rule.matchers[n].is_line)
                    if names:
                        parts.append((names, len(names) == len(c)))
                if parts:
                    clauses[rule.id] = parts
            self.__dict__["_line_clause_map"] = clauses
        return clauses

    @property
    def _once(self) -> frozenset[int]:
        """Matchers that keep one line per block of a big file: all but those counting repeats."""
        once = self.__dict__.get("_once_ids")
        if once is None:
            once = self.__dict__["_once_ids"] = frozenset(
                i for i, m in enumerate(self.line_matchers) if m.min_count <= 1
            )
        return once

    def _test_line(
        self,
        run: Run,
        m: Matcher,
        text: str,
        path: str,
        source: str,
        lineno: int,
        kept: dict[str, int],
        prev: str = "",
    ) -> Iterator[Hit]:
        if m.rule in run.broken:
            return
        try:
            groups = m.test_text(text)
        except RegexBudgetExceeded:
            run.broken.add(m.rule)
            return
        if groups is None:
            return
        key = f"{m.rule}/{m.name}"
        kept[key] += 1
        if kept[key] > MAX_LINE_HITS_PER_FILE:
            return
        # Evidence once settled (`settle`): a pending line never leaves the engine.
        yield Hit(m.rule, m.name, cast(Evidence, PendingLine(source, Location(path, lineno), text, prev)), groups)


class WordingSink(Protocol):
    """What a big file's scan reports wording lines to (`fastpath.focus.WordingLines`)."""

    def wants(self) -> dict[str, int]:
        """Wording -> how many more lines holding it are wanted (none: {})."""
        ...

    def found(self, first: int, lines: list[tuple[int, str]]) -> None:
        """(0-based line in the block, wording) pairs of the block whose first line is `first`."""


class PendingLine:
    """A line hit's evidence before redaction: most line hits belong to rules that do not fire
    in the end, and redacting a line costs more than finding it. `settle` turns the hits of
    the rules that fire into real Evidence; the raw text never reaches a report."""

    __slots__ = ("source", "where", "raw", "prev")
    kind = "line"

    def __init__(self, source: str, where: Location, raw: str, prev: str):
        self.source, self.where, self.raw, self.prev = source, where, raw, prev


def materialize(hit: Hit) -> Hit:
    """The hit with its line redacted into Evidence (a no-op for hits that have Evidence)."""
    ev = hit.evidence
    if not isinstance(ev, PendingLine):
        return hit
    # Redact with the line before: `- name: DB_PASSWORD` makes the next line's value secret.
    shown = redact_text(ev.prev + "\n" + ev.raw).rsplit("\n", 1)[-1] if ev.prev else redact_text(ev.raw)
    evidence = Evidence.make(ev.source, "line", shown.strip(), ev.where)
    # A group is shown only if its text survived redaction of the whole line.
    return Hit(hit.rule, hit.matcher, evidence, {k: (v if v in shown else MASK) for k, v in hit.groups.items()})


def _line_getter(block: str, at: dict[int, int] | None = None) -> Callable[[int], str]:
    """Line i of the block. A line whose offset the scanner gave (`at`: line -> an offset inside
    it), or the line before such a line, is cut out around it: a big file's block has few
    candidates, and splitting a megabyte into lines for them costs more than all of them. Any
    other line comes from one split of the block, made on first use."""
    lines: list[str] = []

    def line_at(i: int) -> str:
        pos = at.get(i) if at else None
        if pos is None and at and i + 1 in at:  # the line before a candidate: up to the newline ending it
            pos = block.rfind("\n", 0, at[i + 1])
            pos = None if pos < 0 else pos
        if pos is None:
            return lines_of()[i]
        end = block.find("\n", pos)
        return block[block.rfind("\n", 0, pos) + 1 : end if end >= 0 else len(block)]

    def lines_of() -> list[str]:
        if not lines:
            lines.extend(block.split("\n"))
        return lines

    return line_at


def text_blocks(doc: Doc) -> Iterator[tuple[str, int]]:
    """(block, 0-based index of its first line): `Doc.blocks()`, whose lines are exactly `doc.lines()`."""
    for first, block in doc.blocks():
        yield block, first - 1
