"""The pure-Python line scanner: find the lines of a text block that a line matcher may match.

A block is many lines joined by `\\n` (a megabyte or so). The scanner never loops over lines
in Python: it runs C-level regex searches over the whole block and reports candidate
(line index, matcher) pairs. The caller then runs each matcher's real test on its candidate
lines, so a candidate that is not a match costs time, never correctness. What the scanner
must not do is miss a line the matcher would accept; three kinds of matcher get there by
different roads:

- literal matchers (the loader found literals every match contains): each literal is
  reduced to a short *anchor* that starts with its rarest character, anchors are grouped by
  first character, and one regex per group searches the lower-cased block;
- block matchers (no literal is certain): the matcher's own regex is searched over the
  block in multi-line mode, resuming at the next line after each hit so one long match
  cannot hide a later line;
- line matchers whose regex can see past a line end (lookaround, \\A, \\Z) run on every line.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

import regex

from ..literals import required_literals
from .rules import REGEX_TIMEOUT, Matcher

MIN_ANCHOR = 4  # an anchor starts where at least this many characters of its literal are left
ANCHOR_LEN = 12  # and runs this far: a longer anchor is searched as fast and proposes fewer lines
# Characters of lower-cased log text, most frequent first (measured on debug logs, curl -v
# transcripts and JSONL transcripts). Anything not listed counts as rarer than all of them.
_COMMON = " etaoinsrlcdhu\"pm0:1-.2/_,ygf3b5496k78w{}=v[]>x<()'qjz;@|#*+%&!?\\$^~`"
_RANK = {ch: len(_COMMON) - i for i, ch in enumerate(_COMMON)}
# A regex that can look beyond its line must see the line alone.
_LINE_BOUND = regex.compile(r"\(\?<?[=!]|\\[AZ]")


_NAMED_GROUP = regex.compile(r"\(\?P<[A-Za-z_]\w*>")


class _Source:
    """Just the `.pattern` text the literal extractor reads."""

    def __init__(self, pattern: str):
        self.pattern = pattern


def recovered_literals(m: Matcher) -> frozenset[str] | None:
    """Literals for a pattern the stdlib parser refused only for repeating a group name
    (`(?P<host>a)|(?P<host>b)` is valid in `regex`): names do not change what must match."""
    if not m.patterns or any("(?P=" in p.pattern for p in m.patterns):
        return None
    return required_literals((), [_Source(_NAMED_GROUP.sub("(?:", p.pattern)) for p in m.patterns])


def rarity(text: str) -> int:
    """Lower is rarer: the commonness rank of the text's first character."""
    return _RANK.get(text[:1], 0)


def anchor_of(literal: str) -> str:
    """The substring of `literal`, up to ANCHOR_LEN characters, searched for it: it starts at
    the literal's rarest character (ties: the earliest), or earlier when the literal ends too
    soon after it; a longer anchor proposes fewer lines, each of which costs a Python step."""
    if len(literal) <= MIN_ANCHOR:
        return literal
    best = min(range(len(literal) - MIN_ANCHOR + 1), key=lambda i: (rarity(literal[i]), rarity(literal[i + 1])))
    start = max(0, min(best, len(literal) - ANCHOR_LEN))
    return literal[start : start + ANCHOR_LEN]


class LineIndex:
    """Positions -> 0-based line numbers inside one block (newline offsets found once)."""

    def __init__(self, block: str):
        self.block = block
        self._ends: list[int] | None = None

    @property
    def ends(self) -> list[int]:
        if self._ends is None:
            self._ends = [m.start() for m in _NEWLINE.finditer(self.block)]
        return self._ends

    def line_of(self, pos: int) -> int:
        return bisect.bisect_left(self.ends, pos)

    def next_line_start(self, pos: int) -> int:
        nl = self.block.find("\n", pos)
        return len(self.block) if nl < 0 else nl + 1


_NEWLINE = regex.compile("\n")


class PythonScanner:
    """Candidate lines of a block for a fixed list of line matchers (their index is their id).

    `wordings` (lower case, `RuleSet.wordings`): a big file's scan can also ask for the first
    lines holding some of them (`candidates(words=...)`); their anchors join the matchers' in
    the same group searches, so asking costs no pass of its own over the block.
    """

    def __init__(self, matchers: Sequence[Matcher], wordings: Iterable[str] = ()):
        self.matchers = list(matchers)
        self.per_line: list[int] = []
        self.block_mode: list[tuple[int, regex.Pattern]] = []
        anchors: dict[str, set[int]] = defaultdict(set)
        self.requirements = [requirement(m) for m in self.matchers]
        for mid, m in enumerate(self.matchers):
            literals = m.literals if m.literals is not None else recovered_literals(m)
            literals = selective(literals, self.requirements[mid])
            if literals is not None and all(literals):
                for lit in literals:
                    anchors[anchor_of(lit)].add(mid)
            elif not m.patterns or any(_LINE_BOUND.search(p.pattern) for p in m.patterns):
                self.per_line.append(mid)
            else:
                for p in m.patterns:
                    self.block_mode.append((mid, regex.compile(p.pattern, p.flags | regex.MULTILINE)))
        # An anchor found at a position implies every shorter anchor that is its prefix.
        self.anchor_owners = {
            a: frozenset(ids.union(*(anchors[a[:n]] for n in range(1, len(a)) if a[:n] in anchors)))
            for a, ids in anchors.items()
        }
        # Block matchers search with their own regex: in a big file each proposes one line per
        # block, and the caller looks further only when that line fails the matcher's test.
        self.single = frozenset(mid for mid, _ in self.block_mode)
        self.word_anchor = {w: anchor_of(w) for w in sorted(wordings)}
        worded: dict[str, set[str]] = defaultdict(set)
        for w, a in self.word_anchor.items():
            worded[a].add(w)
        # Any anchor found -> the wordings and the matchers whose anchor is it or a prefix of it.
        every = set(anchors) | set(worded)
        self.anchor_words = {
            a: frozenset().union(*(worded.get(a[:n], ()) for n in range(1, len(a) + 1))) for a in every
        }
        self._hit_owners = {
            a: frozenset().union(*(anchors.get(a[:n], ()) for n in range(1, len(a) + 1))) for a in every
        }

    @property
    def groups(self) -> list[tuple[re.Pattern, bool]]:
        """The anchor searches, compiled on first use and never pickled: compiling them costs
        tens of milliseconds, and a run that reads only small files never needs them."""
        groups = self.__dict__.get("_groups")
        if groups is None:
            groups = self.__dict__["_groups"] = _group_regexes(self.anchor_owners)
        return groups

    def _groups_for(self, active, words: dict[str, int] | None = None) -> list[tuple[re.Pattern, bool]]:
        """The anchor searches for the matchers in `active` only (and the anchors of `words`). In a
        big file a matcher that has kept its lines leaves `active`, and a wording its parsers have
        seen often enough leaves `words`: their common words stop costing a Python step per hit;
        each first-character group is compiled once per set of anchors."""
        if active is None and not words:
            return self.groups
        if active is None:
            live = frozenset(self.anchor_owners)
        else:
            live = frozenset(a for a, ids in self.anchor_owners.items() if not ids.isdisjoint(active))
        if words:
            live |= {self.word_anchor[w] for w in words}
        elif len(live) == len(self.anchor_owners):
            return self.groups
        cache = self.__dict__.setdefault("_live_groups", {})
        groups = cache.get(live)
        if groups is None:
            if len(cache) >= 256:  # one file's saturation steps: a long scan meets many files
                cache.clear()
            groups = cache[live] = _group_regexes(live)
        return groups

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_live_groups", None)  # compiled patterns: rebuilt on use, not worth pickling
        state.pop("_groups", None)
        state.pop("_found_chars", None)
        return state

    def first_candidates(
        self,
        block: str,
        active: set[int] | frozenset[int] | None = None,
        at: dict[int, int] | None = None,
        words: dict[str, int] | None = None,
        worded: list[tuple[int, str]] | None = None,
    ):
        """Candidates for a big file's block, where a block matcher (`single`) proposes only its
        first line, and the ids to re-check (none here). `at` gets an offset inside each
        candidate line found by an anchor, so the caller can cut it out without a split.
        `words` (wording -> lines still wanted): `worded` gets (line index, wording) for the
        first lines of the block holding each, in line order."""
        return self.candidates(block, active, first=True, at=at, words=words, worded=worded), set()

    def candidates(
        self,
        block: str,
        active: set[int] | frozenset[int] | None = None,
        first: bool = False,
        at: dict[int, int] | None = None,
        words: dict[str, int] | None = None,
        worded: list[tuple[int, str]] | None = None,
    ) -> dict[int, set[int]]:
        """0-based line index -> ids of matchers to test on that line (and the wording lines, as
        `first_candidates` says)."""
        found: dict[int, set[int]] = defaultdict(set)
        index = LineIndex(block)
        words = {w: n for w, n in words.items() if n > 0 and w in self.word_anchor} if words else None
        if self.anchor_owners and not words and "_groups" not in self.__dict__ and self._find_budget(len(block)):
            self._find_anchors(block, active, found, index)
        elif self.anchor_owners or words:
            low = block.lower()
            # A character that changes length when lowered shifts positions: index the lowered text.
            low_index = index if len(low) == len(block) else LineIndex(low)
            if low_index is not index:
                at = None  # offsets in the lowered text are not offsets in the block
            owners = self._hit_owners if words else self.anchor_owners
            lits = self.anchor_words
            word_hits: list[tuple[int, frozenset[str]]] = []
            for pattern, rescan in self._groups_for(active, words):
                for m in pattern.finditer(low):
                    hit = m.group()
                    line = low_index.line_of(m.start())
                    ids = owners[hit]
                    if ids:
                        found[line] |= ids
                        if at is not None:
                            at.setdefault(line, m.start())
                    if words and lits[hit]:
                        word_hits.append((line, lits[hit]))
                    if rescan:  # the group's first character recurs inside this hit: overlapping anchors
                        start = m.start()
                        k = hit.find(hit[0], 1)
                        while k > 0:
                            inner = pattern.match(low, start + k)
                            if inner:
                                line = low_index.line_of(start + k)
                                ids = owners[inner.group()]
                                if ids:
                                    found[line] |= ids
                                if words and lits[inner.group()]:
                                    word_hits.append((line, lits[inner.group()]))
                            k = hit.find(hit[0], k + 1)
            if words and worded is not None:
                worded.extend(_word_lines(low, low_index, word_hits, words))
        for mid, block_pattern in self.block_mode:
            if active is not None and mid not in active:
                continue
            for line in _block_hits(block_pattern, block, index):
                found[line].add(mid)
                if first:
                    break
        if self.per_line:
            lines = block.count("\n") + 1
            every = [mid for mid in self.per_line if active is None or mid in active]
            if every:
                for line in range(lines):
                    found[line].update(every)
        return found

    def _find_budget(self, chars: int) -> bool:
        """True while searching anchor by anchor costs less than compiling the group regexes:
        for the first FIND_MAX_CHARS characters a scanner reads (a small bundle's every line)."""
        spent = self.__dict__.get("_found_chars", 0) + chars
        self.__dict__["_found_chars"] = spent
        return spent <= FIND_MAX_CHARS

    def _find_anchors(self, block: str, active, found: dict[int, set[int]], index: LineIndex) -> None:
        """The anchor search of `candidates` with one `in` test per anchor: the same candidates
        as the group regexes, about four times slower a character, and nothing to compile."""
        low = block.lower()
        if len(low) != len(block):
            index = LineIndex(low)
        for anchor, ids in self.anchor_owners.items():
            if anchor not in low or (active is not None and ids.isdisjoint(active)):
                continue
            pos = low.find(anchor)
            while pos >= 0:
                found[index.line_of(pos)] |= ids
                pos = low.find(anchor, pos + 1)


def _word_lines(
    low: str, index: LineIndex, hits: list[tuple[int, frozenset[str]]], words: dict[str, int]
) -> list[tuple[int, str]]:
    """(line, wording) for the first lines holding each wording, at most `words[w]` of them, in
    line order: the lines where an anchor was found, checked for the whole wording."""
    lines: dict[str, set[int]] = defaultdict(set)
    for line, lits in hits:
        for w in lits:
            if w in words:
                lines[w].add(line)
    ends = index.ends
    out = []
    for w, at in lines.items():
        left = words[w]
        for line in sorted(at):
            if w in low[ends[line - 1] + 1 if line else 0 : ends[line] if line < len(ends) else len(low)]:
                out.append((line, w))
                left -= 1
                if not left:
                    break
    return sorted(out)


# A scanner searches anchor by anchor until it has read this much text; then it compiles the
# group regexes (some 40 ms, the cost of searching about 70 KB anchor by anchor).
FIND_MAX_CHARS = 64 * 1024
_CODE = regex.compile(r"\d{3}")


def selective(literals: frozenset[str] | None, req: Requirement | None) -> frozenset[str] | None:
    """The literal set to search a matcher by: every line it accepts holds one of them.

    The loader's literals are its regex's longest certain run; a requirement can offer a
    rarer set: `(?:API Error|status|HTTP/\\S+)\\W{0,3}429` needs "429" as well as one of
    the words, and a line holding "status" is far commoner than one holding "429". The set
    with the lowest `_set_cost` wins.
    """
    options = [literals] if literals and all(literals) else []
    if req:
        options.append(frozenset().union(*(min(branch, key=_set_cost) for branch in req)))
    return min(options, key=_set_cost) if options else literals


def _set_cost(literals: frozenset[str]) -> float:
    """A guess at how often a line holds one of the literals: each halves per two characters,
    and a status code (three digits) is five times rarer than a word of its length."""
    if min(len(lit) for lit in literals) < 3:
        return float("inf")  # "20", "ok": on almost every line
    return sum((0.2 if _CODE.search(lit) else 1.0) * 2 ** (-len(lit) / 2) for lit in literals)


def _group_regexes(anchors: Iterable[str]) -> list[tuple[re.Pattern, bool]]:
    """One search per first character: stdlib `re` finds a literal first character at memchr
    speed (measured 1.5 GB/s against 0.2 GB/s for `regex` or for a lookahead form).

    Matches do not overlap, so the flag says when an anchor of the group holds the group's
    first character again and the characters after a hit must be tried as well.
    """
    by_first: dict[str, set[str]] = defaultdict(set)
    for a in anchors:
        by_first[a[0]].add(a[1:])
    out = []
    for first, rests in sorted(by_first.items()):
        alts = "|".join(re.escape(r) for r in sorted(rests, key=len, reverse=True))
        rescan = any(first in r for r in rests)
        out.append((re.compile(f"{re.escape(first)}(?:{alts})"), rescan))
    return out


def _block_hits(pattern: regex.Pattern, block: str, index: LineIndex) -> Iterator[int]:
    """Lines holding a match of `pattern`, each once, in order."""
    pos = 0
    n = len(block)
    budget = REGEX_TIMEOUT + n / 20e6  # a block search may take 50 ns a character before it counts as runaway
    while pos < n:
        try:
            m = pattern.search(block, pos, timeout=budget)
        except TimeoutError:
            # Too slow as one search: offer every remaining line; the per-line test keeps its own budget.
            first = index.line_of(pos)
            yield from range(first, block.count("\n") + 1)
            return
        if m is None:
            return
        line = index.line_of(m.start())
        yield line
        pos = index.next_line_start(m.start())


# ---------------------------------------------------------------------------- requirements
if True:  # the stdlib parser reads the regex syntax the rules use; `regex`-only syntax gets no check
    import sys as _sys

    if _sys.version_info >= (3, 11):
        import re._constants as _c  # type: ignore[import-not-found]
        import re._parser as _p  # type: ignore[import-not-found]
    else:  # pragma: no cover
        import sre_constants as _c
        import sre_parse as _p

Requirement = tuple[tuple[frozenset[str], ...], ...]  # any branch whose every set has a literal in the line


def requirement(m: Matcher) -> Requirement | None:
    """What a line must hold for `m` to match, as OR-of-ANDs of literal sets (lower case).

    `(?:API Error|status)\\W{0,3}429\\b|429 Too Many` needs ("api error" or "status") and
    "429", or "429 too many": checking that with `in` costs far less than the regex.
    None when no such condition is certain (or `contains` decides first anyway).
    """
    if not m.patterns or m.contains or any("(?P=" in p.pattern for p in m.patterns):
        return None
    branches: list[tuple[frozenset[str], ...]] = []
    for p in m.patterns:
        try:
            parsed = _p.parse(_NAMED_GROUP.sub("(?:", p.pattern), p.flags & (re.IGNORECASE | re.VERBOSE))
        except Exception:  # noqa: BLE001 - syntax only `regex` knows: no requirement
            return None
        alts = _alternatives(list(parsed))
        if alts is None:
            return None
        branches.extend(alts)
    return tuple(branches) if branches else None


def meets(req: Requirement, low: str) -> bool:
    for conj in req:  # plain loops: three times quicker than nested any()/all() here
        for options in conj:
            for lit in options:
                if lit in low:
                    break
            else:
                break
        else:
            return True
    return False


def _alternatives(items: list) -> list[tuple[frozenset[str], ...]] | None:
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        out = []
        for branch in items[0][1][1]:
            conj = _conjunction(list(branch))
            if not conj:
                return None
            out.append(conj)
        return out
    conj = _conjunction(items)
    return [conj] if conj else None


def _conjunction(items: list) -> tuple[frozenset[str], ...]:
    """Literal sets that are all required by a sequence."""
    sets: list[frozenset[str]] = []
    run = ""

    def close() -> None:
        nonlocal run
        if len(run) >= 2:
            sets.append(frozenset({run.lower()}))
        run = ""

    for op, av in items:
        if op is _c.LITERAL:
            run += chr(av)
            continue
        close()
        if op is _c.SUBPATTERN:
            sets.extend(_as_required(list(av[-1])))
        elif op is _c.BRANCH:
            sets.extend(_as_required([(op, av)]))
        elif (op is _c.MAX_REPEAT or op is _c.MIN_REPEAT) and av[0] >= 1:
            sets.extend(_as_required(list(av[2])))
    close()
    return tuple(sets)


def _as_required(items: list) -> list[frozenset[str]]:
    """The sets a sub-expression requires: its own conjunction, or for an alternation one set
    holding the best literal set of each branch (when every branch has one)."""
    alts = _alternatives(items)
    if alts is None:
        return []
    if len(alts) == 1:
        return list(alts[0])
    merged: set[str] = set()
    for conj in alts:
        merged |= max(conj, key=lambda s: min(len(x) for x in s))
    return [frozenset(merged)]
