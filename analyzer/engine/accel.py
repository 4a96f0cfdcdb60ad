"""The accelerated line scanner: every line matcher in one Hyperscan database (extra `fast`).

Hyperscan reports the end of every match of every expression in one pass over a block, so
the line holding each end is a candidate for that matcher (a match inside one line always
ends inside it). The scanner only proposes candidates: the matcher's own Python test still
decides, so a disagreement could only ever *lose* a line. To rule that out a matcher stays
on the Python scanner when:

- Hyperscan cannot compile its regex (backreferences, some lookarounds, atomic groups ...);
- the self-test disagrees: every line of every rule example that the matcher accepts in
  Python must be reported by the database (the Hyperscan wheel is known to miss some
  case-insensitive patterns).

Compiled databases are cached on disk by content hash (`CCDIAG_CACHE_DIR`, default
~/.cache/ccdiag), so a worker or a second run loads one in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from .. import hsscan
from ..textio import utf8
from .prefilter import LineIndex, PythonScanner
from .rules import Matcher, RegexBudgetExceeded, Rule
from .wordscan import WordingSearch

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _lines_of(block: str, index: LineIndex):
    def line_at(i: int) -> str:
        ends = index.ends
        start = ends[i - 1] + 1 if i > 0 else 0
        return block[start : ends[i] if i < len(ends) else len(block)]

    return line_at


def hyperscan_form(pattern: str) -> str:
    """A pattern Hyperscan can compile that matches at least what `pattern` matches.

    Group names go (Hyperscan refuses a name used twice) and lookarounds go: dropping an
    assertion can only let more lines through, and the Python test decides afterwards.

    The database only ever decides ASCII lines (lines holding other characters go to the
    Python scanner), so a non-ASCII character is one no such line holds: outside a class it
    becomes the byte 0xFF, which UTF-8 text never contains, and inside a class it goes.
    """
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "[":
            end = _class_end(pattern, i)
            out.append(_ascii_class(pattern[i:end]))
            i = end
            continue
        if not c.isascii():
            out.append("\\xff")
            i += 1
            continue
        if pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i) and not pattern.startswith("(?<P", i):
            i = _group_end(pattern, i)
            continue
        m = _GROUP_NAME.match(pattern, i)
        if m:
            out.append("(?:")
            i = m.end()
            continue
        out.append(c)
        i += 1
    return "".join(out)


_GROUP_NAME = re.compile(r"\(\?P?<(?![=!])[A-Za-z_]\w*>")


def _class_end(pattern: str, start: int) -> int:
    """Index just past the character class opening at `start`."""
    i = start + 1
    if pattern.startswith("^", i):
        i += 1
    if pattern.startswith("]", i):
        i += 1
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "]":
            return i + 1
        i += 1
    return len(pattern)


def _ascii_class(cls: str) -> str:
    """A class without its non-ASCII members (as `hyperscan_form` says why); a leading `]`
    escaped. A range reaching past ASCII is kept as it is: Hyperscan refuses it or the
    self-test finds it, and the matcher stays on the Python scanner."""
    head = "[^" if cls.startswith("[^") else "["
    body = cls[len(head) : -1] if cls.endswith("]") else cls[len(head) :]
    if body.startswith("]"):
        body = "\\]" + body[1:]
    if body.isascii():
        return head + body + "]"
    if _range_beyond_ascii(body):
        return cls
    kept = "".join(ch for ch in body if ch.isascii())
    if not kept:
        return "[\\x00-\\x7f]" if head == "[^" else "\\xff"
    return head + kept + "]"


def _range_beyond_ascii(body: str) -> bool:
    """True when a range of the class body has a non-ASCII end (`a-ü`)."""
    for k, ch in enumerate(body):
        if (
            ch == "-"
            and 0 < k < len(body) - 1
            and body[k - 1] != "\\"
            and not (body[k - 1].isascii() and body[k + 1].isascii())
        ):
            return True
    return False


def _group_end(pattern: str, start: int) -> int:
    """Index just past the group opening at `start` (escapes and classes respected)."""
    depth, i, n, in_class = 0, start, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern.startswith("]", i + 1) or pattern.startswith("^]", i + 1):
                i += 2 if pattern[i + 1] == "]" else 3
                continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n


class Unavailable(Exception):
    """Hyperscan is not installed or cannot run here."""


def _hyperscan():
    try:
        import hyperscan
    except ImportError:
        raise Unavailable('hyperscan is not installed (pip install "ccdiag[fast]")') from None
    return hyperscan


class HyperscanScanner:
    """Candidate lines of a block, from one Hyperscan database plus a Python scanner for the rest."""

    def __init__(
        self,
        matchers: Sequence[Matcher],
        python: PythonScanner,
        rules: dict[str, Rule],
        plan: DatabasePlan | None = None,
        wordings: Sequence[str] = (),
    ):
        hs = _hyperscan()
        self.hs = hs
        self.python = python
        self.matchers = list(matchers)
        plan = plan or database_plan(self.matchers, rules)
        exprs: list[tuple[bytes, int, int]] = [
            (form, mid, hs.HS_FLAG_MULTILINE | (hs.HS_FLAG_CASELESS if caseless else 0))
            for form, mid, caseless in plan.exprs
        ]
        self.fallback: set[int] = set(plan.fallback)
        examples = plan.examples
        key = _cache_key(hs, exprs, examples)
        verdict = _cache_read_verdict(key)
        if verdict is not None:
            refused, disagree = verdict
            self.db, failed = _compile(hs, [e for e in exprs if e[1] not in refused])
            self.fallback |= refused | failed | disagree
        else:
            self.db, failed = _compile(hs, exprs)
            self.fallback |= failed
            disagree = self._self_test(python, examples)
            self.fallback |= disagree
            _cache_write_verdict(key, failed, disagree)
        self._rest_ids = sorted(self.fallback)
        self._rest = PythonScanner([self.matchers[i] for i in self._rest_ids]) if self._rest_ids else None
        # Big files keep a matcher's first line per block: the database for them reports each
        # matcher whose Hyperscan form is its exact regex once per scan (built on first use).
        self._exprs = [e for e in exprs if e[1] not in self.fallback]
        self.single = frozenset({e[1] for e in self._exprs} & plan.exact)
        self._single_db = None
        self._wordings = list(wordings)
        self._words: WordingSearch | None = None  # built on a big file's first block, once per process

    def describe(self) -> str:
        return (
            f"hyperscan: {len(self.matchers) - len(self.fallback)} line matchers in the database, "
            f"{len(self.fallback)} on the Python scanner"
        )

    def _raw(self, block: str, db=None, at: dict[int, int] | None = None) -> dict[int, set[int]]:
        """Line index -> matcher ids reported by the database (fallback matchers included).
        `at` gets an offset inside each reported line (for an ASCII block, where byte offsets
        are character offsets): the caller cuts those lines out without splitting the block."""
        data = utf8(block)
        ends: list[tuple[int, int]] = []
        add = ends.append

        def on_match(mid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
            add((end, mid))

        db = db or self.db
        if not isinstance(db, _EmptyDb):
            hsscan.scan(db, data, on_match)
        found: dict[int, set[int]] = defaultdict(set)
        if not ends:
            return found
        ends.sort()
        line, last = 0, 0
        for end, mid in ends:
            pos = max(end - 1, 0)
            if pos > last:
                line += data.count(b"\n", last, pos)
                last = pos
            found[line].add(mid)
            if at is not None:
                at.setdefault(line, pos)
        return found

    def candidates(self, block: str, active: set[int] | frozenset[int] | None = None) -> dict[int, set[int]]:
        return self._candidates(block, active, self.db)[0]

    def first_candidates(
        self,
        block: str,
        active: set[int] | frozenset[int] | None = None,
        at: dict[int, int] | None = None,
        words: dict[str, int] | None = None,
        worded: list[tuple[int, str]] | None = None,
    ):
        """For a big file's block: candidates where each matcher of `single` is reported once (its
        first match), and the ids of those whose one report fell on a line handed to Python.
        `at` gets an offset inside candidate lines, as `_raw` says; `words` and `worded` are
        as `PythonScanner.first_candidates` says."""
        if words and worded is not None and self._wordings:
            if self._words is None:
                self._words = WordingSearch(self.hs, self._wordings)
            worded.extend(self._words.lines(block, words))
        if self._single_db is None:
            hs = self.hs
            self._single_db, _ = _compile(
                hs,
                [
                    (expr, mid, flags | (hs.HS_FLAG_SINGLEMATCH if mid in self.single else 0))
                    for expr, mid, flags in self._exprs
                ],
            )
        return self._candidates(block, active, self._single_db, at)

    def _candidates(
        self, block: str, active, db, at: dict[int, int] | None = None
    ) -> tuple[dict[int, set[int]], set[int]]:
        found = self._raw(block, db, at if at is not None and block.isascii() else None)
        fallback = self.fallback
        if fallback:
            for ids in found.values():
                ids -= fallback
        unsure: set[int] = set()
        if not block.isascii():
            unsure = self._python_for_non_ascii_lines(block, found, active) & self.single
        if self._rest is not None:
            local_active = None
            if active is not None:
                local_active = {i for i, mid in enumerate(self._rest_ids) if mid in active}
            if local_active is None or local_active:
                for line, ids in self._rest.candidates(block, local_active).items():
                    found[line].update(self._rest_ids[i] for i in ids)
        return found, unsure

    def _python_for_non_ascii_lines(self, block: str, found: dict[int, set[int]], active) -> set[int]:
        """The database reads bytes with ASCII classes (\\w, \\b, case folding): lines holding other
        characters get their candidates from the Python scanner instead. Returns the ids the
        database had reported on those lines."""
        index = LineIndex(block)
        picked: list[int] = []
        pos = 0
        while True:
            m = _NON_ASCII.search(block, pos)
            if m is None:
                break
            line = index.line_of(m.start())
            picked.append(line)
            pos = index.next_line_start(m.start())
        getter = _lines_of(block, index)
        sub = "\n".join(getter(i) for i in picked)
        dropped: set[int] = set()
        for i in picked:
            dropped |= found.pop(i, set())
        for local, ids in self.python.candidates(sub, active).items():
            found[picked[local]] = set(ids)
        return dropped

    def _self_test(self, python: PythonScanner, block: str) -> set[int]:
        """Matchers whose accepted example lines the database does not all report."""
        if not block:
            return set()
        lines = block.split("\n")
        reported = self._raw(block)
        disagree: set[int] = set()
        for idx, ids in python.candidates(block).items():
            if not lines[idx].isascii():
                continue  # the Python scanner reads such lines at run time, never the database
            for mid in ids:
                if mid in self.fallback or mid in disagree:
                    continue
                try:
                    accepted = self.matchers[mid].test_text(lines[idx]) is not None
                except RegexBudgetExceeded:
                    accepted = True  # cannot tell: keep the matcher where its budget is enforced per line
                if accepted and mid not in reported.get(idx, ()):
                    disagree.add(mid)
        return disagree


class DatabasePlan(NamedTuple):
    """What the database is built from, worked out from the rules alone (no Hyperscan needed),
    so the rule-set cache can carry it: rewriting some 500 patterns costs a tenth of a second."""

    exprs: list[tuple[bytes, int, bool]]  # (Hyperscan form, matcher id, caseless)
    fallback: frozenset[int]  # matchers with nothing the database can search
    exact: frozenset[int]  # matchers whose form is exactly their test (`_exact`)
    examples: str  # the self-test block (`_example_block`)


def database_plan(matchers: Sequence[Matcher], rules: dict[str, Rule]) -> DatabasePlan:
    exprs: list[tuple[bytes, int, bool]] = []
    fallback: set[int] = set()
    for mid, m in enumerate(matchers):
        if m.patterns:
            exprs.extend((hyperscan_form(p.pattern).encode("utf-8"), mid, not m.case_sensitive) for p in m.patterns)
        elif m.literals and all(m.literals):
            exprs.extend((re.escape(lit).encode("utf-8"), mid, True) for lit in m.literals)
        else:
            fallback.add(mid)
    exact = frozenset(mid for mid, m in enumerate(matchers) if mid not in fallback and _exact(m))
    return DatabasePlan(exprs, frozenset(fallback), exact, _example_block(rules))


def _exact(m: Matcher) -> bool:
    """True when the database's form of `m` matches exactly what the Python test accepts on an
    ASCII line: its regexes lose only group names, and no `contains` or repeat count is added."""
    if m.contains or m.min_count > 1:
        return False
    if not m.patterns:
        return bool(m.literals)
    return all(hyperscan_form(p.pattern) == _GROUP_NAME.sub("(?:", p.pattern) for p in m.patterns)


def _example_block(rules: dict[str, Rule]) -> str:
    """Every line of every rule example, as one block."""
    texts = [text for rule in rules.values() for ex in rule.examples for text in ex.input.values()]
    return "\n".join(line.rstrip("\r") for text in texts for line in text.replace("\0", "\n").split("\n"))


def _compile(hs, exprs: list[tuple[bytes, int, int]]):
    """A block-mode database of the expressions Hyperscan accepts; ids of matchers it refused."""
    failed: set[int] = set()
    todo = list(exprs)
    while True:
        todo = [e for e in todo if e[1] not in failed]
        if not todo:
            return _EmptyDb(), failed
        cached = _cache_load(hs, todo)
        if cached is not None:
            return cached, failed
        db = hs.Database(mode=hs.HS_MODE_BLOCK)
        try:
            db.compile(
                expressions=[e[0] for e in todo],
                ids=[e[1] for e in todo],
                elements=len(todo),
                flags=[e[2] for e in todo],
            )
        except hs.error:
            # The error does not say which expression: try each alone once, drop the refused ones.
            bad = {mid for expr, mid, flags in todo if not _compiles(hs, expr, flags)}
            if not bad:
                raise Unavailable("hyperscan could not build the rule database") from None
            failed |= bad
            continue
        _cache_store(hs, todo, db)
        return db, failed


def _compiles(hs, expr: bytes, flags: int) -> bool:
    try:
        hs.Database(mode=hs.HS_MODE_BLOCK).compile(expressions=[expr], ids=[0], elements=1, flags=[flags])
    except hs.error:
        return False
    return True


class _EmptyDb:
    def scan(self, data, match_event_handler) -> None:
        return None


def _cache_dir() -> Path:
    root = os.environ.get("CCDIAG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "ccdiag"
    )
    return Path(root)


def _cache_key(hs, exprs, extra: str = "") -> str:
    h = hashlib.sha256(str(getattr(hs, "__version__", "")).encode())
    for expr, mid, flags in exprs:
        h.update(b"%d\0%d\0" % (mid, flags) + expr + b"\0\1")
    h.update(extra.encode("utf-8", "replace"))
    return h.hexdigest()[:32]


def _cache_read_verdict(key: str) -> tuple[set[int], set[int]] | None:
    """(refused, disagreeing) matcher ids found when this exact rule set was last built."""
    try:
        data = json.loads((_cache_dir() / f"hs-{key}.json").read_text())
        return set(data["refused"]), set(data["disagree"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _cache_write_verdict(key: str, refused: set[int], disagree: set[int]) -> None:
    path = _cache_dir() / f"hs-{key}.json"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"refused": sorted(refused), "disagree": sorted(disagree)}))
        os.replace(tmp, path)
    except OSError:
        pass


def _cache_load(hs, exprs):
    path = _cache_dir() / f"hs-{_cache_key(hs, exprs)}.db"
    try:
        db = hs.loadb(path.read_bytes(), hs.HS_MODE_BLOCK)
        db.scratch = hs.Scratch(db)  # a loaded database comes without the scratch space a scan needs
        return db
    except (OSError, hs.error, ValueError, TypeError):
        return None


def _cache_store(hs, exprs, db) -> None:
    path = _cache_dir() / f"hs-{_cache_key(hs, exprs)}.db"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(hs.dumpb(db))
        os.replace(tmp, path)
    except (OSError, hs.error):
        pass  # a read-only home only costs a recompile next time
