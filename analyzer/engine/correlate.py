"""Turn the hits of a bundle into Findings: conditions across all files, explained confidence.

Confidence = the rule's base
  + each `boost` matcher that fired
  + `corroboration` when the supporting evidence comes from two or more input formats
  - each `unless` matcher that fired (contrary evidence)
  capped by each `missing` hint whose deciding matcher did not fire,
and every step is a typed `WhyStep` in `why`, so a report can say why a cause ranked where it did.
"""

from __future__ import annotations

import dataclasses as dc
from collections import defaultdict
from collections.abc import Iterable

import regex

from ..model import Evidence, Finding, Hit, WhyKind, WhyStep
from . import condition as cond
from .ruledirs import PLACEHOLDER
from .rules import Rule
from .versions import in_range

MAX_EVIDENCE = 8


def correlate(rules: dict[str, Rule], hits: Iterable[Hit], clients: dict[str, set[str]]) -> list[Finding]:
    by_rule: dict[str, dict[str, list[Hit]]] = defaultdict(lambda: defaultdict(list))
    for hit in hits:
        by_rule[hit.rule][hit.matcher].append(hit)
    findings = []
    for rule_id, per_matcher in by_rule.items():
        rule = rules.get(rule_id)
        if rule is None:
            continue
        finding = _evaluate(rule, per_matcher, clients)
        if finding is not None:
            findings.append(finding)
            findings.extend(_candidates(rule, finding))
    return findings


def _candidates(rule: Rule, finding: Finding) -> list[Finding]:
    """The other causes a thin-evidence rule stands for: each at its own confidence, moved by
    what moved the rule's (boosts, contrary evidence, caps), never above the rule's own."""
    shift = finding.confidence - rule.confidence
    out = []
    for c in rule.candidates:
        conf = round(min(finding.confidence, max(0.01, c.confidence + shift)), 2)
        rule_id = f"{rule.id}:{c.cause}"
        why = [
            WhyStep(
                WhyKind.base,
                delta=conf,
                value=conf,
                rules=(rule_id,),
                detail=f"a candidate of {rule.id} ({rule.condition_text}) at the share real reports give it",
            )
        ]
        out.append(
            dc.replace(
                finding,
                cause=c.cause,
                rule=rule_id,
                title=c.title,
                confidence=conf,
                fix={"all": c.fix},
                why=why,
                family=c.family,
            )
        )
    return out


def _evaluate(rule: Rule, per_matcher: dict[str, list[Hit]], clients: dict[str, set[str]]) -> Finding | None:
    fired = {name for name, hs in per_matcher.items() if len(hs) >= rule.matchers[name].min_count}
    if not cond.evaluate(rule.condition, fired):
        return None
    conf = rule.confidence
    why = [
        WhyStep(
            WhyKind.base,
            delta=conf,
            value=conf,
            rules=(rule.id,),
            names=tuple(sorted(fired)),
            detail=rule.condition_text,
        )
    ]
    if rule.applies_to:
        client = rule.applies_to["client"]
        versions = clients.get(client, set())
        spec = rule.applies_to["versions"]
        if versions and not any(in_range(v, spec) for v in versions):
            return None
        if versions:
            why.append(WhyStep(WhyKind.applies_to, names=tuple(sorted(versions)), detail=f"{client} {spec}"))
    supporting = (cond.positive_names(rule.condition) | set(rule.boost)) & fired
    for name, weight in rule.boost.items():
        if name in fired:
            conf += weight
            why.append(_matcher_step(WhyKind.boost, weight, weight, name, per_matcher[name]))
    # Independent = different files of different formats (one paste read by two parsers is one
    # source); facts are derived from other records and do not count.
    by_path: dict[str, set[str]] = defaultdict(set)
    for name in supporting:
        for h in per_matcher[name]:
            if h.evidence.source != "derived":
                by_path[h.evidence.where.path].add(h.evidence.source)
    formats = set().union(*by_path.values()) if by_path else set()
    if len(by_path) >= 2 and len(formats) >= 2 and rule.corroboration:
        conf += rule.corroboration
        why.append(
            WhyStep(
                WhyKind.corroboration,
                delta=rule.corroboration,
                value=rule.corroboration,
                names=tuple(sorted(formats)),
            )
        )
    for name, weight in rule.unless.items():
        if name in fired:
            conf -= weight
            why.append(_matcher_step(WhyKind.contrary, -weight, weight, name, per_matcher[name]))
    groups = _groups(per_matcher, supporting)
    missing = []
    for hint in rule.missing:
        if not (set(hint.when_not) & fired):
            text = fill(hint.text, groups)
            missing.append(text)
            if hint.cap is not None and conf > hint.cap:
                why.append(WhyStep(WhyKind.cap, delta=hint.cap - conf, value=hint.cap, detail=text))
                conf = hint.cap
    conf = round(min(0.99, max(0.01, conf)), 2)
    evidence = _evidence(per_matcher, supporting)
    fix = {"all": rule.fix} if isinstance(rule.fix, str) else rule.fix
    return Finding(
        cause=rule.cause,
        rule=rule.id,
        title=fill(rule.title, groups),
        confidence=conf,
        severity=rule.severity,
        evidence=evidence,
        missing=missing,
        fix={platform: fill(text, groups) for platform, text in fix.items()},
        why=why,
        specificity=len(fired),
        family=rule.family,
    )


def _matcher_step(kind: WhyKind, delta: float, weight: float, name: str, hits: list[Hit]) -> WhyStep:
    """A boost or contrary step, pointing at the first place its matcher fired."""
    ev = hits[0].evidence
    return WhyStep(kind, delta=delta, value=weight, matcher=name, evidence=str(ev.where), detail=ev.text[:80])


def _groups(per_matcher: dict[str, list[Hit]], names: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    ordered = sorted(names) + sorted(set(per_matcher) - names)
    for name in ordered:
        for hit in per_matcher.get(name, ()):
            for key, value in hit.groups.items():
                out.setdefault(key, value)
    return out


# A placeholder alone in parentheses, "(…{{how}}…)": the whole parenthetical goes when it has no value.
_ALONE_IN_PARENS = regex.compile(r"[ \t]*\(\s*" + PLACEHOLDER.pattern + r"[\s.…]*\)")
_WITH_SPACES = regex.compile(r"(?P<lead>[ \t]*)" + PLACEHOLDER.pattern + r"(?P<trail>[ \t]*)")


def fill(text: str, groups: dict[str, str]) -> str:
    """A rule's text with each placeholder's value. A field the bundle did not give shows the
    placeholder's fallback (`{{host|the gateway}}`); without one, the placeholder goes with the
    parentheses it stands alone in and one of the spaces around it, so no report shows `{{…}}`."""

    def parenthetical(m: regex.Match) -> str:
        return m[0] if groups.get(m["name"]) or (m["fallback"] or "").strip() else ""

    def one(m: regex.Match) -> str:
        value = groups.get(m["name"]) or (m["fallback"] or "").strip()
        if value:
            return m["lead"] + value + m["trail"]
        return m["lead"] if m["lead"] and m["trail"] else ""  # one space stays between two words

    return _WITH_SPACES.sub(one, _ALONE_IN_PARENS.sub(parenthetical, text))


def _evidence(per_matcher: dict[str, list[Hit]], names: set[str]) -> list[Evidence]:
    seen: set[tuple] = set()
    out: list[Evidence] = []
    # Round-robin over matchers so each kind of support shows before repeats of one.
    queues = [list(per_matcher[n]) for n in sorted(names)]
    while queues and len(out) < MAX_EVIDENCE:
        for q in list(queues):
            if not q:
                queues.remove(q)
                continue
            ev = q.pop(0).evidence
            # One evidence per place: a typed record and its raw line say the same thing.
            key = (
                (ev.where.path, ev.where.line, ev.where.entry)
                if (ev.where.line or ev.where.entry is not None)
                else (ev.where.path, ev.text)
            )
            if key in seen:
                continue
            seen.add(key)
            out.append(ev)
            if len(out) >= MAX_EVIDENCE:
                break
    out.sort(key=lambda e: (e.where.path, e.where.line or 0, e.where.entry or 0))
    return out
