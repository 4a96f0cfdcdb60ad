"""The engine's arithmetic: conditions across files, boosts, corroboration, contrary evidence,
caps, supersedes, one entry per cause, version ranges."""

from pathlib import Path

import pytest

from analyzer.analysis import analyze_texts
from analyzer.engine import RuleSet, load
from analyzer.model import WhyKind, WhyStep


def one_step(why: list[WhyStep], kind: WhyKind) -> WhyStep:
    """The only step of `kind`."""
    steps = [s for s in why if s.kind is kind]
    assert len(steps) == 1, why
    return steps[0]


def ruleset(tmp_path: Path, *rules: str) -> RuleSet:
    for text in rules:
        rule_id = text.split("id:")[1].split()[0]
        (tmp_path / f"{rule_id}.yaml").write_text(text)
    result = load(dirs=[tmp_path])
    assert [str(e) for e in result.errors] == []
    return RuleSet(result.rules)


PROXY_AUTH = """\
id: p407
cause: proxy_auth_required
title: 407 asking for {{{{scheme}}}}
severity: high
confidence: 0.6
match:
  status:
    pattern: 'CONNECT tunnel failed, response 407'
  challenge:
    pattern: 'Proxy-Authenticate: (?P<scheme>\\w+)'
  env_proxy:
    kind: env-var
    where: {{name: [HTTPS_PROXY, https_proxy]}}
  creds:
    pattern: 'proxy_creds_ok'
condition: status
boost: {{challenge: 0.1}}
unless: {{creds: 0.3}}
corroboration: {corr}
missing:
  - text: "curl -v -x ... shows the challenge"
    when_not: challenge
    cap: 0.65
fix: give credentials
"""


def test_base_confidence_is_capped_until_the_deciding_capture_is_present(tmp_path):
    rs = ruleset(tmp_path, PROXY_AUTH.format(corr=0.1).replace("0.6\n", "0.9\n", 1))
    d = analyze_texts({"curl.txt": "curl: (56) CONNECT tunnel failed, response 407\n"}, rs)
    f = d.findings[0]
    assert f.confidence == 0.65
    assert f.missing == ["curl -v -x ... shows the challenge"]
    cap = one_step(f.why, WhyKind.cap)
    assert (cap.value, cap.detail) == (0.65, "curl -v -x ... shows the challenge")
    assert cap.delta == pytest.approx(0.65 - 0.9)  # the cap took back what was above it


def test_boost_and_corroboration_from_a_second_format_raise_confidence(tmp_path):
    rs = ruleset(tmp_path, PROXY_AUTH.format(corr=0.15))
    one = analyze_texts(
        {"curl.txt": "< Proxy-Authenticate: NTLM\ncurl: (56) CONNECT tunnel failed, response 407\n"}, rs
    )
    assert one.findings[0].confidence == 0.7  # 0.6 + 0.1 boost, one format only
    assert one.findings[0].missing == []  # the challenge was seen
    files = {
        "curl.txt": "< Proxy-Authenticate: NTLM\ncurl: (56) CONNECT tunnel failed, response 407\n",
        "env.txt": "HTTPS_PROXY=http://proxy:3128\nNO_PROXY=localhost\n",
    }
    # env_proxy neither decides nor boosts this rule, so the env file does not corroborate it
    assert analyze_texts(files, rs).findings[0].confidence == 0.7
    boosted = PROXY_AUTH.format(corr=0.15).replace(
        "boost: {challenge: 0.1}", "boost: {challenge: 0.1, env_proxy: 0.05}"
    )
    (tmp_path / "p407.yaml").write_text(boosted)
    rs2 = RuleSet(load(dirs=[tmp_path]).rules)
    two = analyze_texts(files, rs2).findings[0]
    assert two.confidence == 0.9  # 0.6 + 0.1 + 0.05 + 0.15 for env and curl agreeing
    corroboration = one_step(two.why, WhyKind.corroboration)
    assert (corroboration.delta, corroboration.names) == (0.15, ("curl", "env"))
    assert [s.kind for s in two.why] == [WhyKind.base, WhyKind.boost, WhyKind.boost, WhyKind.corroboration]


def test_contrary_evidence_lowers_confidence_and_says_so(tmp_path):
    rs = ruleset(tmp_path, PROXY_AUTH.format(corr=0.1))
    d = analyze_texts(
        {"curl.txt": "< Proxy-Authenticate: Basic\ncurl: (56) CONNECT tunnel failed, response 407\nproxy_creds_ok\n"},
        rs,
    )
    f = d.findings[0]
    assert f.confidence == 0.4
    contrary = one_step(f.why, WhyKind.contrary)
    assert (contrary.delta, contrary.value, contrary.matcher) == (-0.3, 0.3, "creds")
    assert (contrary.evidence, contrary.detail) == ("curl.txt:3", "proxy_creds_ok")


def test_conditions_correlate_across_files_of_one_bundle(tmp_path):
    rule = PROXY_AUTH.format(corr=0.1).replace("condition: status", "condition: status and env_proxy")
    rs = ruleset(tmp_path, rule)
    alone = analyze_texts({"curl.txt": "curl: (56) CONNECT tunnel failed, response 407\n"}, rs)
    assert alone.findings == []
    both = analyze_texts(
        {
            "curl.txt": "curl: (56) CONNECT tunnel failed, response 407\n",
            "env.txt": "HTTPS_PROXY=http://proxy:3128\nNO_PROXY=localhost\n",
        },
        rs,
    )
    assert [f.rule for f in both.findings] == ["p407"]
    assert {e.where.path for e in both.findings[0].evidence} == {"curl.txt", "env.txt"}


GENERIC = """\
id: generic
cause: network_unreachable
title: generic
severity: medium
confidence: 0.8
match:
  err:
    contains: [connection error]
fix: look
"""
SPECIFIC = """\
id: specific
cause: dns_failure
title: dns
severity: high
confidence: 0.5
match:
  dns:
    contains: [ENOTFOUND]
supersedes: [generic]
fix: dns
"""
SAME_CAUSE = """\
id: another-dns
cause: dns_failure
title: dns again
severity: high
confidence: 0.4
match:
  dns:
    contains: [ENOTFOUND]
fix: dns
"""


def test_a_superseding_rule_removes_the_generic_one_and_causes_are_listed_once(tmp_path):
    rs = ruleset(tmp_path, GENERIC, SPECIFIC, SAME_CAUSE)
    d = analyze_texts({"t.txt": "API Error: Connection error.\ngetaddrinfo ENOTFOUND api.anthropic.com\n"}, rs)
    assert [f.rule for f in d.findings] == ["specific"]
    assert one_step(d.findings[0].why, WhyKind.supersedes).rules == ("generic",)
    also = one_step(d.findings[0].why, WhyKind.also_matched)
    assert (also.rules, also.value, also.delta) == (("another-dns",), 0.4, None)  # merged in, moves nothing
    only_generic = analyze_texts({"t.txt": "API Error: Connection error.\n"}, rs)
    assert [f.rule for f in only_generic.findings] == ["generic"]


VERSIONED = """\
id: bun-dns
cause: dns_failure
title: bun dns
severity: high
confidence: 0.7
match:
  code:
    contains: [FailedToOpenSocket]
applies_to: {client: claude-code, versions: ">=2.1.113,<3"}
fix: dns
"""


@pytest.mark.parametrize(
    "version_line,fires",
    [
        ("", True),  # unknown version: the rule may apply
        ("claude-cli/2.1.197 (external, cli)", True),
        ("claude-cli/1.0.128 (external, cli)", False),
    ],
)
def test_version_ranges_limit_a_rule_to_the_builds_that_print_its_signature(tmp_path, version_line, fires):
    rs = ruleset(tmp_path, VERSIONED)
    d = analyze_texts({"log.txt": f"{version_line}\nConnection error details: code=FailedToOpenSocket\n"}, rs)
    assert bool(d.findings) is fires
    if fires and version_line:
        applies = one_step(d.findings[0].why, WhyKind.applies_to)
        assert (applies.names, applies.detail) == (("2.1.197",), "claude-code >=2.1.113,<3")


def test_placeholders_are_filled_from_named_groups(tmp_path):
    rule = PROXY_AUTH.format(corr=0.1)
    rs = ruleset(tmp_path, rule)
    d = analyze_texts(
        {"c.txt": "< Proxy-Authenticate: Negotiate\ncurl: (56) CONNECT tunnel failed, response 407\n"}, rs
    )
    assert d.findings[0].title == "407 asking for Negotiate"
