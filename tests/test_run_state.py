"""A rule set is built once and never changed by a run: what one bundle's run learns (a rule
skipped for a runaway regex) stays with that bundle's report."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from click.testing import CliRunner

from analyzer.analysis import analyze_texts, load_ruleset
from analyzer.cli import cli
from analyzer.engine import RuleSet, extra_rule_dirs

REDOS_RULE = """\
id: redos
cause: network_unreachable
title: a rule with a catastrophic pattern
severity: high
confidence: 0.9
match:
  evil:
    pattern: '(a|aa)+$'
fix: none
"""
SKIPPED = {"path": "rule:redos", "reason": "a regex of this rule exceeded its time budget; rule skipped"}


def _rules(tmp_path: Path) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "redos.yaml").write_text(REDOS_RULE)
    return folder


def test_a_rule_skipped_in_one_bundle_of_a_scan_is_not_skipped_in_the_next(tmp_path, monkeypatch):
    monkeypatch.setenv("CCDIAG_ENGINE", "python")
    rules = _rules(tmp_path)
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    (fleet / "1-slow.txt").write_text("a" * 60 + "b\n")
    (fleet / "2-plain.txt").write_text("hello world\n")
    result = CliRunner().invoke(
        cli, ["scan", str(fleet), "--rules", str(rules), "--jobs", "1", "--format", "jsonl", "--fail-on", "none"]
    )
    assert result.exit_code == 0, result.output
    records = {Path(r["bundle"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    assert SKIPPED in records["1-slow.txt"]["skipped"]
    assert SKIPPED not in records["2-plain.txt"]["skipped"]


def _state(ruleset: RuleSet) -> dict:
    """What a run could change: the rule set's fields (less its memo of compiled things), and
    each rule's and matcher's fields, copied one level deep."""

    def flat(obj, skip=()) -> dict:
        return {k: copy.copy(v) for k, v in vars(obj).items() if k not in skip}

    return {
        "ruleset": flat(ruleset, RuleSet.MEMO),
        "rules": {rid: flat(rule) for rid, rule in ruleset.rules.items()},
        "matchers": {(rid, n): flat(m) for rid, rule in ruleset.rules.items() for n, m in rule.matchers.items()},
    }


def test_analysing_a_bundle_that_trips_the_regex_budget_leaves_the_rule_set_unchanged(tmp_path):
    ruleset = load_ruleset(extra_rule_dirs([str(_rules(tmp_path))]))
    before = _state(ruleset)
    d = analyze_texts({"slow.txt": "a" * 60 + "b\n"}, ruleset)
    assert ("rule:redos", SKIPPED["reason"]) in [(s.path, s.reason) for s in d.skipped]
    assert _state(ruleset) == before
    d = analyze_texts({"plain.txt": "hello world\n"}, ruleset)
    assert "rule:redos" not in [s.path for s in d.skipped]
