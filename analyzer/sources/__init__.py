"""Format sources: each module has `sniff(head) -> bool` and `parse(doc, wordings=frozenset())
-> Iterator[Evidence]`. `wordings` are the lower-case literals the rules' typed matchers need
(RuleSet.wordings, handed in by the orchestrator): a source whose line gate skips lines lets the
lines holding one through, so a rule keyed on a new wording needs no Python.

`SOURCES` is read top to bottom. A file is parsed by every source whose sniff accepts its
head (a terminal paste can hold Claude Code output, an `export` line and a curl transcript
at once); the first one names the file's format in the report. The generic line scanner
in the engine reads every text file as well, so nothing unknown is lost.

A line source may declare `TRIGGERS` (literal -> lines after it that it also needs, so a
view of the file can hold just its constructs: `fastpath.sparse_views`, fastpath.gate.LineGate) and
`INTEREST`: the literals of the lines that carry a failure in its format (a 4xx status line,
`curl: (35)`, an `[ERROR]` record), with the lines before and after that belong to it.
Sources without TRIGGERS always read every line.

TRIGGERS, INTEREST and ANYWHERE are the structure a parser needs, and they are data: the
orchestrator hands them to the fast path (`analyzer.fastpath`), which points the parsers of a
big file at the windows that matter. The wordings a parser must see come from the rules and the
vocabulary (`RuleSet.wordings`), not from here.
"""

from __future__ import annotations

from types import ModuleType

from ..textio import SPARSE_MIN_BYTES, Doc
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


ANYWHERE = ("curl", "claude-log", "sdk", "env")  # formats whose failure lines a big file is searched for


def typed_only(doc: Doc, formats: list[str], emitted: int) -> bool:
    """True for a HAR of SPARSE_MIN_BYTES or more that parsed into evidence: the generic line
    scan is skipped there (hundreds of megabytes of JSON bodies, minutes of regexes for hits the
    typed request/response/error evidence already carries). Small HARs are scanned as before."""
    return formats == ["har"] and doc.size >= SPARSE_MIN_BYTES and emitted > 0
