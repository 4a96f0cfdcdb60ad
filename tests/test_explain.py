"""`ccdiag explain CAUSE|RULE` prints what the taxonomy and the rule catalog say, and names a
close match when the name is unknown."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from analyzer.engine import load
from analyzer.engine.correlate import fill
from analyzer.engine.loader import taxonomy
from analyzer.report.parts import platform_label

SECTIONS = ["What it is", "How it shows up", "How to confirm", "How to fix"]


@pytest.fixture(scope="module")
def rules():
    return load().rules


def explain(name: str):
    return CliRunner().invoke(cli, ["explain", name])


def flat(text: str) -> str:
    return " ".join(text.split())


def test_explaining_a_cause_shows_the_taxonomy_and_every_rule_that_detects_it(rules):
    by_cause: dict[str, list] = {}
    for rule in rules.values():
        by_cause.setdefault(rule.cause, []).append(rule)
    cause = max(by_cause, key=lambda c: (len(by_cause[c]), c))
    info = taxonomy()[cause]
    result = explain(cause)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert result.stdout.startswith(f"{cause}  (cause, family {info['family']})")
    for key in ("title", "signs", "fix"):
        assert flat(info[key]) in out
    for rule in by_cause[cause]:
        assert f"{rule.id} ({rule.severity.name}, base confidence {rule.confidence:.2f})" in out
        for m in rule.missing:
            assert flat(fill(m.text, {})) in out
    assert [line for line in result.stdout.splitlines() if line in SECTIONS] == SECTIONS


def test_explaining_a_rule_shows_its_matchers_fix_per_platform_and_examples(rules):
    rule = max(rules.values(), key=lambda r: (isinstance(r.fix, dict) and len(r.fix), len(r.examples), r.id))
    result = explain(rule.id)
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert flat(rule.description) in out
    for name in rule.matchers:
        assert f"- {name}: " in out
    platforms = rule.fix if isinstance(rule.fix, dict) else {"all": rule.fix}
    for platform in platforms:
        assert f"{platform_label(platform)}:" in out
    for example in rule.examples:
        assert flat(example.name) in out
    assert [line for line in result.stdout.splitlines() if line in SECTIONS] == SECTIONS


def test_a_misspelt_name_fails_with_one_line_naming_the_closest_match(rules):
    cause = sorted(taxonomy())[0]
    result = explain(cause[:-2])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert f'did you mean "{cause}"' in result.stderr


def test_an_unknown_name_fails_with_one_line_and_usage_status():
    result = explain("no-such-thing-at-all")
    assert result.exit_code == 2
    assert result.stderr.startswith('ccdiag: no cause or rule "no-such-thing-at-all"')
    assert result.stderr.count("\n") == 1
