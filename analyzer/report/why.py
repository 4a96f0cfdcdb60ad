"""Say the steps of `Finding.why`: one sentence per step for every report, its tone, and the
JSON form of a step (which the Markdown and HTML reports read back, as they render report dicts).

The sentences are the `why` strings of the JSON report (`ccdiag.report/1`): consumers match
on them, so a change here is a change of that contract.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..model import WhyKind, WhyStep

# How a step moved the confidence, for colour (text) and CSS classes (HTML).
TONES: dict[WhyKind, str] = {
    WhyKind.base: "base",
    WhyKind.boost: "raise",
    WhyKind.corroboration: "raise",
    WhyKind.contrary: "lower",
    WhyKind.cap: "cap",
    WhyKind.applies_to: "note",
    WhyKind.supersedes: "note",
    WhyKind.also_matched: "note",
}


def why_tone(kind: WhyKind) -> str:
    """raise | lower | cap | base | note: how a step of this kind moves the confidence."""
    return TONES[kind]


def why_text(step: WhyStep) -> str:
    """The sentence a report shows for one step."""
    k = step.kind
    if k is WhyKind.base:
        return (
            f"base {_num(step.value)} from rule {_first(step.rules)} "
            f"(condition: {step.detail}; fired: {', '.join(step.names)})"
        )
    if k is WhyKind.applies_to:
        return f"applies to {step.detail}: seen {', '.join(step.names)}"
    if k is WhyKind.boost:
        return f"+{_num(step.value)} {step.matcher}: {step.evidence} {step.detail!r}"
    if k is WhyKind.corroboration:
        return f"+{_num(step.value)} independent sources agree ({', '.join(step.names)})"
    if k is WhyKind.contrary:
        return f"-{_num(step.value)} contrary evidence {step.matcher}: {step.evidence} {step.detail!r}"
    if k is WhyKind.cap:
        return f"capped at {_num(step.value)} until: {step.detail}"
    if k is WhyKind.supersedes:
        return f"supersedes {', '.join(step.rules)} (more specific explanation of the same evidence)"
    if k is WhyKind.also_matched:
        return f"also matched rule {_first(step.rules)} ({_num(step.value)})"
    raise ValueError(f"no sentence for why step kind {k!r}")


def _num(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "?"


def _first(rules: tuple[str, ...]) -> str:
    return rules[0] if rules else "?"


def step_dict(step: WhyStep) -> dict[str, Any]:
    """The JSON form of a step: every field, always present (null or empty when unused)."""
    return {
        "kind": step.kind.value,
        # 4 places: the rules' weights have 2, the rest is float noise (0.65 - 0.9)
        "delta": None if step.delta is None else round(step.delta, 4),
        "value": step.value,
        "matcher": step.matcher,
        "evidence": step.evidence,
        "rules": list(step.rules),
        "names": list(step.names),
        "detail": step.detail,
    }


def step_from_dict(d: Mapping[str, Any]) -> WhyStep:
    """A step back from its JSON form (`step_dict`)."""
    return WhyStep(
        WhyKind(d["kind"]),
        delta=d.get("delta"),
        value=d.get("value"),
        matcher=d.get("matcher"),
        evidence=d.get("evidence"),
        rules=tuple(d.get("rules") or ()),
        names=tuple(d.get("names") or ()),
        detail=str(d.get("detail") or ""),
    )


def report_steps(d: Mapping[str, Any]) -> list[WhyStep]:
    """The steps of one diagnosis of a report dict (none from a report made before they existed)."""
    return [step_from_dict(s) for s in d.get("why_steps") or ()]


def fired_count(steps: Iterable[WhyStep]) -> int:
    """How many matchers fired, from the base step (0 without one)."""
    return next((len(s.names) for s in steps if s.kind is WhyKind.base), 0)
