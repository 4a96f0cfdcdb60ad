"""The first pass over a big file (the rules' line scan and `Focus`), on several cores.

The pass is CPU-bound: Hyperscan or the Python scanner read every byte. On a Linux machine
with more than one core, a big plain file is cut into parts at block boundaries (`_cut_near`), each
part is scanned in a forked process, and the parts' results are joined in file order:

- line numbers are rebased by the lines of the parts before;
- a matcher keeps its first MAX_LINE_HITS_PER_FILE hits of the whole file, as in one pass;
- the parsers' trigger lines are replayed into one Focus (`Planner.take`), which keeps the
  first ones of each literal, as in one pass;
- the parts' byte marks become the file's, for the second pass.

Each part is cut into exactly the blocks one pass makes (reads end at multiples of
CHUNK_BYTES, and every cut is where a whole pass cuts), so a matcher's first line per block
is the same line, and the report is the same, byte for byte, as a one-process run's.
Anything else (a file in an archive or from stdin, a UTF-16 file, not Linux, a pool worker) is
read in one pass.
"""

from __future__ import annotations

import io
import os
import sys
from collections import defaultdict
from dataclasses import replace
from typing import Any

from ..engine import RuleSet, Run
from ..engine.matching import MAX_LINE_HITS_PER_FILE, PendingLine
from ..model import Hit
from ..textio import CHUNK_BYTES, LINE_BYTE_ENCODINGS, MAX_LINE_CHARS, Doc
from .focus import Focus, FormatTriggers

# Smaller parts cost more than they save (a fork, and each process compiles the regexes it
# needs): with Hyperscan a part reads 32 MB in about a quarter of a second; the Python scanner
# takes seconds for 4 MB.
PART_MIN_BYTES = 32 * 1024 * 1024
PYTHON_PART_MIN_BYTES = 4 * 1024 * 1024

_JOB: dict[str, Any] = {}  # what the forked processes inherit: the doc, the rules, the run, the formats


def first_pass(
    doc: Doc, ruleset: RuleSet, run: Run, path: str, formats: list[str], known: FormatTriggers, jobs: int = 1
) -> tuple[list[Hit], Focus]:
    """The line hits of `doc` (pending redaction) and the Focus of its parsers; what the scan
    learns (rules skipped) goes into `run`, from every part."""
    spans = _spans(
        doc, jobs, PART_MIN_BYTES if ruleset.scanner_engine(run.engine) == "hyperscan" else PYTHON_PART_MIN_BYTES
    )
    if len(spans) < 2:
        focus = Focus(formats, known, engine=run.engine, wordings=ruleset.wordings)
        hits = list(
            ruleset.scan_doc(
                doc, path, formats[0], frozenset(formats), visit=focus.add, pending=True, run=run, words=focus.words
            )
        )
        return hits, focus
    import multiprocessing  # here: a small file's run never needs it (7 ms of start-up)

    _JOB.update(doc=doc, ruleset=ruleset, run=run, path=path, formats=formats, known=known)
    try:
        with multiprocessing.get_context("fork").Pool(len(spans)) as pool:
            parts = pool.map(_scan_part, spans, chunksize=1)
    except Exception:  # noqa: BLE001 - no processes to be had, or a part failed: one pass says which
        parts = None
    finally:
        _JOB.clear()
    if parts is None:
        return first_pass(doc, ruleset, run, path, formats, known, jobs=1)
    return _join(doc, run, formats, known, parts, ruleset.wordings)


def _spans(doc: Doc, jobs: int, part_min: int | None = None) -> list[tuple[int, int]]:
    """Byte ranges of parts of at least `part_min` bytes, or [] when the file is read in one pass."""
    part_min = part_min or PART_MIN_BYTES
    if jobs < 2 or doc.size < 2 * part_min or doc.encoding not in LINE_BYTE_ENCODINGS or doc.span is not None:
        return []
    import multiprocessing

    # Forked processes inherit the loaded rules and databases; fork is safe on Linux only (macOS
    # system libraries may not survive it), and a pool worker may not have children of its own.
    if not sys.platform.startswith("linux") or multiprocessing.current_process().daemon:
        return []
    parts = min(jobs, doc.size // part_min)
    cuts = [0]
    with doc.opener() as fh:
        if not _own_file(fh):
            return []
        for k in range(1, parts):
            cut = _cut_near(fh, doc.size * k // parts)
            if cut is not None and cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(doc.size)
    return list(zip(cuts, cuts[1:], strict=False))


def _own_file(fh) -> bool:
    """A stream on a file of its own (each part opens one): not a member of an archive, whose
    spool file the processes would share, nor an in-memory copy."""
    return isinstance(fh, io.BufferedReader) and isinstance(fh.raw, io.FileIO)


def _cut_near(fh, target: int) -> int | None:
    """A byte offset at or after `target` where a whole pass starts a block: just after the
    last line end (a `\\n`, or a NUL, which reads as one) of the CHUNK_BYTES read that holds
    it, when the unfinished line carried past that read is too short to be cut in pieces."""
    for read_end in range((target // CHUNK_BYTES + 1) * CHUNK_BYTES, target + 8 * CHUNK_BYTES, CHUNK_BYTES):
        fh.seek(read_end - CHUNK_BYTES)
        data = fh.read(CHUNK_BYTES)
        if len(data) < CHUNK_BYTES:
            return None  # the end of the file: no whole read left
        cut = max(data.rfind(b"\n"), data.rfind(b"\0")) + 1
        if cut and CHUNK_BYTES - cut < MAX_LINE_CHARS:
            return read_end - CHUNK_BYTES + cut
    return None


def _scan_part(span: tuple[int, int]) -> dict[str, Any]:
    """In a forked process: the first pass over one part, with line numbers counted from its start."""
    doc: Doc = replace(_JOB["doc"], span=span, _marks=None, view=None, _text=None)
    ruleset: RuleSet = _JOB["ruleset"]
    formats: list[str] = _JOB["formats"]
    run: Run = _JOB["run"].copy()  # the part's own, from what the bundle learned so far; `_join` merges it
    focus = Focus(formats, _JOB["known"], record=True, engine=run.engine, wordings=_JOB["ruleset"].wordings)
    last: list[tuple[int, str]] = []

    def visit(first: int, block: str) -> None:
        focus.add(first, block)
        last[:] = [(first, block)]

    hits = list(
        ruleset.scan_doc(
            doc, _JOB["path"], formats[0], frozenset(formats), visit=visit, pending=True, run=run, words=focus.words
        )
    )
    lines = last[0][0] + last[0][1].count("\n") if last else 0
    return {
        "hits": hits,
        "events": focus.events(),
        "marks": doc._marks or [],
        "lines": lines,
        "run": run,
    }


def _join(
    doc: Doc,
    run: Run,
    formats: list[str],
    known: FormatTriggers,
    parts: list[dict[str, Any]],
    wordings: frozenset[str],
) -> tuple[list[Hit], Focus]:
    focus = Focus(formats, known, engine=run.engine, wordings=wordings)
    hits: list[Hit] = []
    kept: dict[tuple[str, str], int] = defaultdict(int)
    marks: list[tuple[int, int]] = []
    base = 0
    for part in parts:
        for hit in part["hits"]:
            if hit.rule in run.broken:
                continue  # a rule whose regex blew its budget in an earlier part: one pass stops there too
            kept[hit.rule, hit.matcher] += 1
            if kept[hit.rule, hit.matcher] <= MAX_LINE_HITS_PER_FILE:
                hits.append(_rebased(hit, base))
        focus.take(part["events"], base)
        marks.extend((no + base, offset) for no, offset in part["marks"])
        run.merge(part["run"])
        base += part["lines"]
    doc._marks = marks
    return hits, focus


def _rebased(hit: Hit, base: int) -> Hit:
    """The hit with its line number counted from the file's start (the first pass makes line hits only)."""
    ev = hit.evidence
    if not base or not isinstance(ev, PendingLine):
        return hit
    where = replace(ev.where, line=ev.where.line + base)
    return Hit(hit.rule, hit.matcher, PendingLine(ev.source, where, ev.raw, ev.prev), hit.groups)


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1
