"""How a big file is read fast: the rules' line scan first, then only the windows of lines the
format parsers need. The orchestrator (analysis.py) calls two functions for such a file:

- `line_hits(doc, path, formats, ruleset, run, known, jobs)`: the rules' line hits (pending
  redaction) and the `Focus` the same pass found, read by several processes for a big enough
  file (`firstpass`);
- `windows(doc, focus, hits, ruleset, run)`: each parser's view of the file, and the formats
  found past its head.

This package does not import analyzer.sources: what the formats declare about their lines comes
in as data (`FormatTriggers`).
"""

from __future__ import annotations

from ..engine import RuleSet, Run
from ..model import Hit
from ..textio import SPARSE_MIN_BYTES, Doc
from .firstpass import default_jobs, first_pass
from .focus import Focus, FormatTriggers, sparse_views

__all__ = [
    "SPARSE_MIN_BYTES",
    "Focus",
    "FormatTriggers",
    "default_jobs",
    "line_hits",
    "sparse_views",
    "windows",
]


def line_hits(
    doc: Doc, path: str, formats: list[str], ruleset: RuleSet, run: Run, known: FormatTriggers, jobs: int = 1
) -> tuple[list[Hit], Focus]:
    """The first pass over a big file: its line hits and where its parsers must read."""
    return first_pass(doc, ruleset, run, path, formats, known, jobs)


def windows(doc: Doc, focus: Focus, hits: list[Hit], ruleset: RuleSet, run: Run) -> tuple[dict[str, Doc], list[str]]:
    """format -> its parser's view of a big file (the windows around what decides a rule there,
    and the formats' own trigger and failure lines), and the file's formats."""
    return focus.views(doc, ruleset.interest_lines(hits, run))
