"""`analyze(paths) -> Diagnosis`: the whole pipeline for one bundle. Prints nothing."""

from __future__ import annotations

import io
import os
import traceback
from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import BinaryIO

from . import bundle, diagnosis, fastpath, sources
from .derive import FactBuilder
from .engine import RuleSet, Run, correlate
from .engine.cache import cached_load
from .errors import RuleErrors
from .model import Diagnosis, Evidence, Hit, InputInfo, Skipped
from .redact import redact_text
from .textio import SPARSE_MIN_BYTES, Doc, looks_binary
from .timeline import TimelineBuilder


def _line_formats(text: str) -> list[str]:
    """The line formats the sniffers find in a text (a window of a big file)."""
    return [f for f in sources.detect(text) if f not in sources.EXCLUSIVE and f != "text"]


# What the line sources declare about their lines, handed to the fast path as data.
LINE_TRIGGERS = fastpath.FormatTriggers(
    triggers={name: mod.TRIGGERS for name, mod in sources.SOURCES.items() if getattr(mod, "TRIGGERS", None)},
    interest={name: mod.INTEREST for name, mod in sources.SOURCES.items() if getattr(mod, "INTEREST", None)},
    anywhere=sources.ANYWHERE,
    sniff=_line_formats,
)


def load_ruleset(extra_dirs: Iterable = (), disable: Iterable[str] = (), strict: bool = True) -> RuleSet:
    """Built-in rules plus user folders; raises RuleErrors (all of them) when strict."""
    extra, off = [Path(d) for d in extra_dirs], list(disable)

    def build() -> tuple[RuleSet, list]:
        from .engine.loader import load  # YAML: only when the cache cannot serve

        result = load(extra=extra, disable=off, lazy_builtin=True)
        ruleset = RuleSet(result.rules)
        if not result.errors:  # built now so the cached copy carries them
            ruleset.python_scanner  # noqa: B018
            ruleset.accel_plan  # noqa: B018
        return ruleset, result.errors

    ruleset, errors = cached_load(extra, off, build)
    if errors and strict:
        raise RuleErrors(errors)
    return ruleset


def analyze(
    paths: list[str],
    ruleset: RuleSet | None = None,
    limits: bundle.Limits | None = None,
    stdin: BinaryIO | None = None,
    jobs: int = 1,
    engine: str | None = None,
) -> Diagnosis:
    """`jobs`: processes a big file's first pass may use (`firstpass`); the report is the same.
    `engine`: the line scanner (`engine_choice`)."""
    return analyze_items(bundle.open_inputs(paths, limits, stdin), ruleset or load_ruleset(), jobs, engine)


def engine_choice(engine: str | None = None) -> str:
    """python, hyperscan or auto (Hyperscan when installed): the one given, else CCDIAG_ENGINE.
    Read here only, once per bundle, and passed down in its `Run`."""
    return (engine or os.environ.get("CCDIAG_ENGINE") or "auto").lower()


def analyze_texts(files: dict[str, str], ruleset: RuleSet | None = None, engine: str | None = None) -> Diagnosis:
    """Analyze in-memory files (name -> content) as one bundle: rule examples and tests."""
    items = []
    for name, text in files.items():
        data = text.encode("utf-8")
        items.append(bundle.Member(name, len(data), partial(io.BytesIO, data)))
    return analyze_items(iter(items), ruleset or load_ruleset(), engine=engine)


def analyze_items(
    items: Iterable[bundle.Item], ruleset: RuleSet, jobs: int = 1, engine: str | None = None
) -> Diagnosis:
    run = Run(engine_choice(engine))  # what this bundle's analysis learns; the rule set stays as built
    inputs: list[InputInfo] = []
    skipped: list[Skipped] = []
    hits: list[Hit] = []
    clients: dict[str, set[str]] = defaultdict(set)
    timeline = TimelineBuilder()
    facts = FactBuilder()
    for item in items:
        if isinstance(item, Skipped):
            skipped.append(Skipped(redact_text(item.path), redact_text(item.reason)))
            continue
        crashes: list[Skipped] = []
        problem = _read_member(item, ruleset, run, inputs, hits, clients, timeline, facts, crashes, jobs)
        skipped.extend(crashes)
        if problem:
            skipped.append(Skipped(redact_text(item.path), redact_text(problem)))
    for fact in facts.facts():
        hits.extend(ruleset.match_evidence(fact, run))
    for rule_id in sorted(run.broken):
        skipped.append(Skipped(f"rule:{rule_id}", "a regex of this rule exceeded its time budget; rule skipped"))
    hits = ruleset.settle(hits, run)
    findings = correlate(ruleset.rules, hits, clients)
    ranked = diagnosis.rank(findings, {r.id: r.supersedes for r in ruleset.rules.values()})
    return Diagnosis(ranked, inputs, skipped, diagnosis.next_steps(ranked, inputs), timeline.exchanges())


def _read_member(
    item: bundle.Member,
    ruleset: RuleSet,
    run: Run,
    inputs: list[InputInfo],
    hits: list[Hit],
    clients: dict[str, set[str]],
    timeline: TimelineBuilder,
    facts: FactBuilder,
    crashes: list[Skipped],
    jobs: int = 1,
) -> str | None:
    """Parse and match one file; returns why it was skipped, or None. A parser that stops on
    an error goes into `crashes`; the file's other parsers and its line scan still run."""
    if item.size == 0:
        return "empty file"
    try:
        doc = Doc.open(item.path, item.size, item.opener)
        if looks_binary(doc.raw_head(8192), doc.encoding):
            return "binary file"
    except OSError as exc:
        return f"cannot read: {exc}"
    formats = sources.detect(doc.head)
    inputs.append(InputInfo(item.path, formats[0], item.size))
    big = doc.size >= SPARSE_MIN_BYTES and formats != ["har"]
    if big:
        # The rules' line scan runs first and says where the format parsers must read; the same
        # pass finds each parser's own failure lines (fastpath.Focus).
        try:
            line_hits, focus = fastpath.line_hits(doc, item.path, formats, ruleset, run, LINE_TRIGGERS, jobs)
        except (OSError, EOFError) as exc:
            return f"read error: {exc}"
        hits.extend(line_hits)
        views, formats = fastpath.windows(doc, focus, line_hits, ruleset, run)
    else:
        views = {}  # every parser reads every line
    emitted = 0
    for fmt in formats:
        for ev in _parsed(fmt, views.get(fmt, doc), item.path, crashes, ruleset.wordings):
            emitted += 1
            if ev.kind == "client" and ev.fields.get("name") and ev.fields.get("version"):
                clients[str(ev.fields["name"])].add(str(ev.fields["version"]))
            timeline.add(ev)
            facts.add(ev)
            hits.extend(ruleset.match_evidence(ev, run))
    if big:
        return None
    if not crashes and sources.typed_only(doc, formats, emitted):
        return None  # a big HAR: its typed evidence says what the raw-line scan would, far quicker
    try:
        hits.extend(ruleset.scan_doc(doc, item.path, formats[0], frozenset(formats), pending=True, run=run))
    except (OSError, EOFError) as exc:
        return f"read error after partial analysis: {exc}"
    return None


def _parsed(
    fmt: str, doc: Doc, path: str, crashes: list[Skipped], wordings: frozenset[str] = frozenset()
) -> Iterator[Evidence]:
    """The evidence of one parser: the one guard around it. An error ends that parser's
    evidence (what it yielded stands) and is recorded for the report, with its traceback for
    `--traceback`; the bundle's other parsers and the line scan still read the file."""
    try:
        yield from sources.SOURCES[fmt].parse(doc, wordings=wordings)  # the rules' wordings widen its gates
    except Exception as exc:  # noqa: BLE001 - recorded in the report's `skipped`, not hidden
        error = f"{type(exc).__name__}: {redact_text(str(exc))[:100]}"
        crashes.append(
            Skipped(
                redact_text(path),
                f"partly analysed: the {fmt} parser stopped ({error})",
                format=fmt,
                error=error,
                traceback=redact_text("".join(traceback.format_exception(exc))),
            )
        )
