"""Run a rule's examples: each builds a small bundle and checks the ranked outcome.

The same runner backs `ccdiag rules test` and the pytest items in tests/test_rule_examples.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .engine.matching import RuleSet
from .engine.rules import Example, Rule
from .model import Diagnosis, WhyKind

QUIET = 0.5  # a healthy capture may show notes, nothing at or above this confidence


@dataclass
class ExampleResult:
    rule: str
    example: str
    ok: bool
    detail: str


def example_files(ex: Example) -> dict[str, str]:
    """Example input keys are file names; a bare key like `curl` becomes `curl.txt`."""
    return {(k if "." in k else f"{k}.txt"): v for k, v in ex.input.items()}


def check(ex: Example, rule: Rule, ruleset: RuleSet) -> ExampleResult:
    from .analysis import analyze_texts

    d = analyze_texts(example_files(ex), ruleset)
    causes = [f.cause for f in d.findings]
    got = ", ".join(f"{f.cause}({f.rule}) {f.confidence:.2f}" for f in d.findings[:4]) or "no diagnosis"
    e = ex.expect
    problems = []
    if "top" in e and (not causes or causes[0] != e["top"]):
        problems.append(f"expected {e['top']} first")
    if "not_top" in e and causes and causes[0] == e["not_top"]:
        problems.append(f"expected {e['not_top']} not first")
    if "absent" in e and any(f.cause == e["absent"] and f.confidence >= QUIET for f in d.findings):
        problems.append(f"expected no {e['absent']} at confidence >= {QUIET}")
    if "present" in e and e["present"] not in causes:
        problems.append(f"expected {e['present']} among the diagnoses")
    if "rank_max" in e:
        want = e.get("cause", rule.cause)
        if want not in causes[: int(e["rank_max"])]:
            problems.append(f"expected {want} in the first {e['rank_max']}")
    if "min_confidence" in e or "max_confidence" in e:
        want = e.get("cause", rule.cause)
        conf = next((f.confidence for f in d.findings if f.cause == want), 0.0)
        if conf < float(e.get("min_confidence", 0)):
            problems.append(f"expected {want} confidence >= {e['min_confidence']}, got {conf:.2f}")
        if conf > float(e.get("max_confidence", 1)):
            problems.append(f"expected {want} confidence <= {e['max_confidence']}, got {conf:.2f}")
    if "rule" in e and e["rule"] not in _rules_in(d, WhyKind.also_matched, WhyKind.supersedes):
        problems.append(f"expected rule {e['rule']} to fire")
    # A superseded rule is no finding of its own: `no_rule` holds while a more specific rule replaced it.
    if "no_rule" in e and e["no_rule"] in _rules_in(d, WhyKind.also_matched):
        problems.append(f"expected rule {e['no_rule']} not to fire")
    if e.get("quiet") and any(f.confidence >= QUIET for f in d.findings):
        problems.append(f"expected nothing at confidence >= {QUIET}")
    detail = "; ".join(problems) + f" (got: {got})" if problems else f"got: {got}"
    return ExampleResult(rule.id, ex.name, not problems, detail)


def _rules_in(d: Diagnosis, *kinds: WhyKind) -> set[str]:
    """The rules of the findings and those their why steps of `kinds` name (merged in, replaced)."""
    return {f.rule for f in d.findings} | {r for f in d.findings for s in f.why if s.kind in kinds for r in s.rules}


def run(ruleset: RuleSet, only: set[str] | None = None) -> Iterator[ExampleResult]:
    for rule in ruleset.rules.values():
        if only and rule.id not in only and rule.cause not in only:
            continue
        for ex in rule.examples:
            yield check(ex, rule, ruleset)
