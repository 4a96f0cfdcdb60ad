"""Every example of every built-in rule is a test item: it must rank the way it says."""

import pytest

from analyzer.engine import RuleSet, load, taxonomy
from analyzer.examples import check

_RESULT = load()
_RULESET = RuleSet(_RESULT.rules)
_ITEMS = [(rule, ex) for rule in _RESULT.rules.values() for ex in rule.examples]


@pytest.mark.parametrize("rule,example", _ITEMS, ids=[f"{r.id}: {e.name}" for r, e in _ITEMS])
def test_rule_example(rule, example):
    result = check(example, rule, _RULESET)
    assert result.ok, result.detail


def test_every_rule_has_an_example_it_wins_and_a_near_miss():
    for rule in _RESULT.rules.values():
        wins = [
            e
            for e in rule.examples
            if e.expect.get("top") == rule.cause or e.expect.get("rank_max") or e.expect.get("present") == rule.cause
        ]
        misses = [
            e
            for e in rule.examples
            if e.expect.get("absent") == rule.cause
            or e.expect.get("not_top") == rule.cause
            or e.expect.get("quiet")
            or e.expect.get("no_rule") == rule.id
        ]
        assert wins, f"{rule.id} has no example it must win"
        assert misses, f"{rule.id} has no near-miss example"


def test_every_taxonomy_cause_has_a_rule():
    covered = {r.cause for r in _RESULT.rules.values()}
    assert sorted(set(taxonomy()) - covered) == []
