"""Thin-evidence rules: `candidates` rank a layer's other causes at their own confidence."""

from pathlib import Path

from analyzer.analysis import analyze_texts, load_ruleset
from analyzer.engine import RuleSet, load

PRIOR = """\
id: prior-x
cause: tls_interception
title: a failure that names no layer
severity: medium
confidence: 0.4
match:
  generic:
    pattern: 'Connection error\\.'
  named:
    pattern: 'WARP'
condition: generic
boost: {{named: 0.05}}
candidates:
{candidates}
fix: Run curl -v.
"""


def _load(tmp_path: Path, candidates: str):
    (tmp_path / "prior-x.yaml").write_text(PRIOR.format(candidates=candidates))
    return load(dirs=[tmp_path])


def test_candidates_take_their_title_and_fix_from_the_taxonomy(tmp_path):
    result = _load(tmp_path, "  dns_failure: 0.38\n  firewall_block: 0.34")
    assert result.errors == []
    rule = result.rules["prior-x"]
    assert [(c.cause, c.confidence) for c in rule.candidates] == [("dns_failure", 0.38), ("firewall_block", 0.34)]
    assert rule.candidates[0].title == "The API host name cannot be resolved"
    assert "resolv" in rule.candidates[0].fix or "DNS" in rule.candidates[0].fix


def test_bad_candidates_are_reported_with_their_line(tmp_path):
    result = _load(tmp_path, "  dns_failur: 0.3\n  tls_interception: 0.3\n  firewall_block: 0.9")
    messages = [str(e) for e in result.errors]
    assert any('unknown cause "dns_failur"' in m and "dns_failure" in m for m in messages)
    assert any("repeats the rule's own cause" in m for m in messages)
    assert any('"firewall_block" needs a confidence' in m for m in messages)
    assert all("prior-x.yaml:" in m for m in messages)


def test_candidates_rank_below_the_rule_and_move_with_its_boosts(tmp_path):
    ruleset = RuleSet(_load(tmp_path, "  dns_failure: 0.38\n  firewall_block: 0.34").rules)
    plain = analyze_texts({"t.txt": "API Error: Connection error."}, ruleset)
    mine = [(f.cause, f.confidence, f.rule) for f in plain.findings if f.rule.startswith("prior-x")]
    assert mine == [
        ("tls_interception", 0.4, "prior-x"),
        ("dns_failure", 0.38, "prior-x:dns_failure"),
        ("firewall_block", 0.34, "prior-x:firewall_block"),
    ]
    boosted = analyze_texts({"t.txt": "API Error: Connection error.\nonly with WARP on"}, ruleset)
    moved = {f.cause: f.confidence for f in boosted.findings if f.rule.startswith("prior-x")}
    assert moved == {"tls_interception": 0.45, "dns_failure": 0.43, "firewall_block": 0.39}


def test_a_bare_connection_error_ranks_the_layer_not_a_vpn_default():
    d = analyze_texts({"terminal.txt": "API Error: Connection error."}, load_ruleset())
    causes = [f.cause for f in d.findings]
    assert causes[0] != "vpn_interference"
    assert {"tls_interception", "dns_failure", "proxy_env_missing"} <= set(causes)
    assert all(f.confidence < 0.5 for f in d.findings), "thin evidence stays below 0.5"
    assert any("curl -v https://api.anthropic.com/api/hello" in m for f in d.findings[:1] for m in f.missing)
