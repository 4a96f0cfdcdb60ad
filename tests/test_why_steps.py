"""Why a finding has its confidence, as typed steps: the engine builds them, their deltas add up
to the confidence, every report says each step in the same sentence, and rule examples check
them as data."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from analyzer.analysis import analyze, analyze_texts, load_ruleset
from analyzer.engine import RuleSet, load
from analyzer.engine.rules import Example
from analyzer.examples import check
from analyzer.model import Finding, WhyKind
from analyzer.report import RENDERERS
from analyzer.report.as_json import report_dict
from analyzer.report.why import step_dict, step_from_dict, why_text

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "reference"

# One rule that goes through every kind of step: a version range, two boosts, corroboration,
# contrary evidence, a cap, a superseded generic rule and a same-cause rule merged in.
P407 = r"""id: p407
cause: proxy_auth_required
title: 407 asking for {{scheme}}
severity: high
confidence: 0.9
match:
  status:
    pattern: 'CONNECT tunnel failed, response 407'
  challenge:
    pattern: 'Proxy-Authenticate: (?P<scheme>\w+)'
  env_proxy:
    kind: env-var
    where: {name: [HTTPS_PROXY, https_proxy]}
  creds:
    pattern: 'proxy_creds_ok'
  connect_line:
    pattern: '> CONNECT \S+ HTTP/1.1'
condition: status
boost: {challenge: 0.1, env_proxy: 0.05}
unless: {creds: 0.3}
corroboration: 0.15
missing:
  - text: "curl -v shows the CONNECT request"
    when_not: connect_line
    cap: 0.65
applies_to: {client: claude-code, versions: ">=2.0,<3"}
supersedes: [generic]
fix:
  all: Give the proxy {{scheme}} credentials.
  linux: export HTTPS_PROXY=http://USER:PASS@proxy:3128
  windows: setx HTTPS_PROXY http://USER:PASS@proxy:3128
"""
GENERIC = """id: generic
cause: network_unreachable
title: generic
severity: medium
confidence: 0.8
match:
  err:
    contains: [tunnel failed]
fix: look
"""
SAME_CAUSE = """id: p407-plain
cause: proxy_auth_required
title: 407
severity: high
confidence: 0.3
match:
  status:
    contains: [response 407]
fix: credentials
"""
FILES = {
    "curl.txt": "< Proxy-Authenticate: NTLM\ncurl: (56) CONNECT tunnel failed, response 407\nproxy_creds_ok\n",
    "env.txt": "HTTPS_PROXY=http://proxy:3128\n",
    "log.txt": "claude-cli/2.1.197 (external, cli)\n",
}
# What ccdiag 0.1.0 wrote as `why` before the steps were typed (ccdiag.report/1 consumers read these).
OLD_WHY = [
    "base 0.90 from rule p407 (condition: status; fired: challenge, creds, env_proxy, status)",
    "applies to claude-code >=2.0,<3: seen 2.1.197",
    "+0.10 challenge: curl.txt:1 '< Proxy-Authenticate: NTLM'",
    "+0.05 env_proxy: env.txt:1 'HTTPS_PROXY=http://proxy:3128'",
    "+0.15 independent sources agree (curl, env)",
    "-0.30 contrary evidence creds: curl.txt:3 'proxy_creds_ok'",
    "capped at 0.65 until: curl -v shows the CONNECT request",
    "supersedes generic (more specific explanation of the same evidence)",
    "also matched rule p407-plain (0.30)",
]


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> RuleSet:
    folder = tmp_path_factory.mktemp("rules")
    for name, text in (("p407", P407), ("generic", GENERIC), ("p407-plain", SAME_CAUSE)):
        (folder / f"{name}.yaml").write_text(text)
    result = load(dirs=[folder])
    assert [str(e) for e in result.errors] == []
    return RuleSet(result.rules)


@pytest.fixture(scope="module")
def finding(rules) -> Finding:
    d = analyze_texts(FILES, rules)
    assert [f.rule for f in d.findings] == ["p407"]
    return d.findings[0]


def summed(f: Finding) -> float:
    """The confidence the steps add up to, kept in 0.01..0.99 and rounded as the engine does."""
    total = sum(s.delta for s in f.why if s.delta is not None)
    return round(min(0.99, max(0.01, total)), 2)


def test_every_kind_of_step_is_typed_in_the_order_the_engine_applied_it(finding):
    assert [(s.kind, s.delta) for s in finding.why] == [
        (WhyKind.base, 0.9),
        (WhyKind.applies_to, None),
        (WhyKind.boost, 0.1),
        (WhyKind.boost, 0.05),
        (WhyKind.corroboration, 0.15),
        (WhyKind.contrary, -0.3),
        (WhyKind.cap, pytest.approx(0.65 - 0.9)),
        (WhyKind.supersedes, None),
        (WhyKind.also_matched, None),
    ]
    assert [(s.matcher, s.evidence) for s in finding.why if s.kind in (WhyKind.boost, WhyKind.contrary)] == [
        ("challenge", "curl.txt:1"),
        ("env_proxy", "env.txt:1"),
        ("creds", "curl.txt:3"),
    ]
    base = finding.why[0]
    assert base.rules == ("p407",) and base.detail == "status"
    assert len(base.names) == finding.specificity
    assert summed(finding) == finding.confidence == 0.65


def test_each_step_says_the_sentence_the_report_always_said(finding, rules):
    assert [why_text(s) for s in finding.why] == OLD_WHY
    d = report_dict(analyze_texts(FILES, rules))["diagnoses"][0]
    assert d["why"] == OLD_WHY
    # The Markdown and HTML reports read steps back from the JSON form: nothing is lost on the
    # way but float noise of the deltas (the JSON has 4 places).
    back = [step_from_dict(s) for s in d["why_steps"]]
    assert [replace(s, delta=None) for s in back] == [replace(s, delta=None) for s in finding.why]
    assert [s.delta for s in back] == [None if s.delta is None else pytest.approx(s.delta) for s in finding.why]
    assert d["why_steps"][6] == {
        "kind": "cap",
        "delta": -0.25,
        "value": 0.65,
        "matcher": None,
        "evidence": None,
        "rules": [],
        "names": [],
        "detail": "curl -v shows the CONNECT request",
    }


def _bundles() -> list[Path]:
    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir())
    return samples + sorted({p.parent for p in REFERENCE.rglob("*") if p.is_file()})


@pytest.fixture(scope="module")
def shipped_rules():
    return load_ruleset()


@pytest.mark.parametrize("bundle", _bundles(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_steps_of_every_real_finding_add_up_to_its_confidence(bundle, shipped_rules):
    for f in analyze([str(bundle)], ruleset=shipped_rules).findings:
        assert f.why[0].kind is WhyKind.base and f.why[0].rules == (f.rule,), f.rule
        assert [s for s in f.why if s.kind is WhyKind.base] == [f.why[0]], f.rule
        moves = {WhyKind.base, WhyKind.boost, WhyKind.corroboration, WhyKind.contrary, WhyKind.cap}
        assert all((s.delta is not None) == (s.kind in moves) for s in f.why), f.rule
        assert summed(f) == f.confidence, (f.rule, [step_dict(s) for s in f.why])


def test_a_real_sample_explains_its_top_cause_step_by_step(shipped_rules):
    d = analyze([str(ROOT / "samples" / "proxy-407")], ruleset=shipped_rules)
    top = d.findings[0]
    assert top.rule == "proxy-407-auth-required"
    assert [(s.kind, s.matcher, s.delta) for s in top.why] == [
        (WhyKind.base, None, 0.8),
        (WhyKind.boost, "challenge", 0.1),
        (WhyKind.boost, "reply_407", 0.05),
        (WhyKind.corroboration, None, 0.1),
    ]
    assert top.why[3].names == ("claude-log", "curl")
    assert top.confidence == 0.99  # 1.05 by the steps, kept below certainty
    assert top.why[1].evidence.endswith("proxy-407/curl-v.txt:16")


def test_text_markdown_and_html_say_each_step_with_its_tone(finding, rules):
    d = analyze_texts(FILES, rules)
    text = RENDERERS["text"](d, verbose=True, color=False, width=400)
    markdown = RENDERERS["markdown"](d, verbose=True)
    page = RENDERERS["html"](d, verbose=True, context=False, rules=rules.rules)
    for sentence in OLD_WHY:
        assert sentence in text
    assert "- \\-0.30 contrary evidence creds: curl.txt:3 'proxy_creds_ok'" in markdown
    assert "- applies to claude-code >=2.0,\\<3: seen 2.1.197" in markdown
    tones = re.findall(r'<li class="(\w+)">', page.split('<ul class="why">')[1].split("</ul>")[0])
    assert tones == ["rank", "base", "note", "raise", "raise", "raise", "lower", "cap", "note", "note"]


def _example(expect: dict) -> Example:
    return Example("t", expect, FILES, 1)


@pytest.mark.parametrize(
    "expect,ok",
    [
        ({"rule": "p407"}, True),
        ({"rule": "generic"}, True),  # it fired, and the more specific p407 replaced it
        ({"rule": "p407-plain"}, True),  # it fired, merged into p407 (same cause)
        ({"rule": "p40"}, False),  # a piece of a rule id is no rule
        ({"rule": "NTLM"}, False),  # nor is a word of the evidence
        ({"no_rule": "p407-plain"}, False),
        ({"no_rule": "generic"}, True),  # superseded: no diagnosis of its own
        ({"no_rule": "p4"}, True),
    ],
)
def test_rule_examples_check_the_rules_the_steps_name(rules, expect, ok):
    result = check(_example(expect), rules.rules["p407"], rules)
    assert result.ok is ok, result.detail
