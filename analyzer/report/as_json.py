"""The stable JSON report (`schema` bumps on a breaking change; new keys may be added).

Each diagnosis keeps `fix` (one string) and `why` (sentences) as they always were, and has
them structured next to them: `fix_by_platform` (platform -> text) and `why_steps` (one
object per step, see `why.step_dict` and `model.WhyStep`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson

from .. import __version__
from ..model import Diagnosis, Evidence, Finding, Skipped
from .why import step_dict, why_text

SCHEMA = "ccdiag.report/1"
# Bumped when a diagnosis gains a key (2: fix_by_platform, why_steps): a scan database makes its
# rows again rather than serve reports without it.
REVISION = 2


def evidence_dict(ev: Evidence) -> dict[str, Any]:
    out: dict[str, Any] = {
        "path": ev.where.path,
        "line": ev.where.line,
        "text": ev.text,
        "source": ev.source,
        "kind": ev.kind,
    }
    if ev.where.entry is not None:
        out["entry"] = ev.where.entry
    return out


def finding_dict(rank: int, f: Finding) -> dict[str, Any]:
    return {
        "rank": rank,
        "cause": f.cause,
        "rule": f.rule,
        "title": f.title,
        "confidence": f.confidence,
        "severity": f.severity.name,
        "family": f.family,
        "evidence": [evidence_dict(e) for e in f.evidence],
        "missing": list(f.missing),
        "fix": fix_text(f.fix),
        "why": [why_text(s) for s in f.why],
        "fix_by_platform": dict(f.fix),
        "why_steps": [step_dict(s) for s in f.why],
    }


def fix_text(fix: Mapping[str, str]) -> str:
    """The `fix` string of ccdiag.report/1: the text of a one-platform fix, else each platform's
    text after `[platform] ` on its own line ("all" unmarked). Only for that field: reports
    read `fix_by_platform`."""
    if list(fix) == ["all"]:
        return fix["all"]
    return "\n".join(f"[{platform}] {text}" if platform != "all" else text for platform, text in fix.items())


def skipped_dict(s: Skipped) -> dict[str, Any]:
    """path and reason; a parser that stopped adds its format and the error (never its traceback)."""
    out: dict[str, Any] = {"path": s.path, "reason": s.reason}
    if s.format:
        out["format"] = s.format
    if s.error:
        out["error"] = s.error
    return out


def report_dict(d: Diagnosis) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "tool": {"name": "ccdiag", "version": __version__},
        "inputs": [{"path": i.path, "format": i.format, "bytes": i.bytes} for i in d.inputs],
        "diagnoses": [finding_dict(n, f) for n, f in enumerate(d.findings, 1)],
        "skipped": [skipped_dict(s) for s in d.skipped],
        "next_steps": list(d.next_steps),
    }


def render(d: Diagnosis, **_: Any) -> str:
    return orjson.dumps(report_dict(d), option=orjson.OPT_INDENT_2).decode() + "\n"
