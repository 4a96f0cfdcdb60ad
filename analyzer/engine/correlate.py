"""Turn the hits of a bundle into Findings: conditions across all files, explained confidence.

Confidence = the rule's base
  + each `boost` matcher that fired
  + `corroboration` when the supporting evidence comes from two or more input formats
  - each `unless` matcher that fired (contrary evidence)
  capped by each `missing` hint whose deciding matcher did not fire,
and every step is written to `why`, so a report can say why a cause ranked where it did.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from ..model import Evidence, Finding, Hit
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
    return findings


def _evaluate(rule: Rule, per_matcher: dict[str, list[Hit]], clients: dict[str, set[str]]) -> Finding | None:
    fired = {name for name, hs in per_matcher.items() if len(hs) >= rule.matchers[name].min_count}
    if not cond.evaluate(rule.condition, fired):
        return None
    why: list[str] = []
    if rule.applies_to:
        client = rule.applies_to["client"]
        versions = clients.get(client, set())
        spec = rule.applies_to["versions"]
        if versions and not any(in_range(v, spec) for v in versions):
            return None
        if versions:
            why.append(f"applies to {client} {spec}: seen {', '.join(sorted(versions))}")
    supporting = (cond.positive_names(rule.condition) | set(rule.boost)) & fired
    conf = rule.confidence
    why.insert(
        0,
        f"base {rule.confidence:.2f} from rule {rule.id} (condition: {rule.condition_text}; fired: {', '.join(sorted(fired))})",
    )
    for name, weight in rule.boost.items():
        if name in fired:
            conf += weight
            why.append(f"+{weight:.2f} {name}: {_first_loc(per_matcher[name])}")
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
        why.append(f"+{rule.corroboration:.2f} independent sources agree ({', '.join(sorted(formats))})")
    for name, weight in rule.unless.items():
        if name in fired:
            conf -= weight
            why.append(f"-{weight:.2f} contrary evidence {name}: {_first_loc(per_matcher[name])}")
    groups = _groups(per_matcher, supporting)
    missing = []
    for hint in rule.missing:
        if not (set(hint.when_not) & fired):
            text = fill(hint.text, groups)
            missing.append(text)
            if hint.cap is not None and conf > hint.cap:
                conf = hint.cap
                why.append(f"capped at {hint.cap:.2f} until: {text}")
    conf = round(min(0.99, max(0.01, conf)), 2)
    evidence = _evidence(per_matcher, supporting)
    fix = rule.fix if isinstance(rule.fix, str) else {k: fill(v, groups) for k, v in rule.fix.items()}
    return Finding(
        cause=rule.cause,
        rule=rule.id,
        title=fill(rule.title, groups),
        confidence=conf,
        severity=rule.severity,
        evidence=evidence,
        missing=missing,
        fix=fill(fix, groups) if isinstance(fix, str) else _join_fix(fix),
        why=why,
        specificity=len(fired),
        family=rule.family,
    )


def _join_fix(fix: dict[str, str]) -> str:
    if list(fix) == ["all"]:
        return fix["all"]
    return "\n".join(f"[{platform}] {text}" if platform != "all" else text for platform, text in fix.items())


def _first_loc(hits: list[Hit]) -> str:
    ev = hits[0].evidence
    return f"{ev.where} {ev.text[:80]!r}"


def _groups(per_matcher: dict[str, list[Hit]], names: set[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    ordered = sorted(names) + sorted(set(per_matcher) - names)
    for name in ordered:
        for hit in per_matcher.get(name, ()):
            for key, value in hit.groups.items():
                out.setdefault(key, value)
    return out


def fill(text: str, groups: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda m: groups.get(m.group(1)) or f"<{m.group(1)}>", text)


def _evidence(per_matcher: dict[str, list[Hit]], names: set[str]) -> list[Evidence]:
    seen, out = set(), []
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
