"""The JSON report keeps its contract (ccdiag.report/1): `why` and `fix` are the strings they
always were, and the structured `why_steps` and `fix_by_platform` sit next to them. A fix stays
a per-platform mapping until a report formats it.

tests/data/report-v1-samples.json holds the rule, fix and why of every sample's diagnoses as
ccdiag wrote them before the structured fields existed (commit c16142f). A deliberate change
of a sample's diagnosis or a rule's text rewrites it: `PYTHONPATH=. python tests/test_report_contract.py`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from analyzer.analysis import analyze, analyze_texts, load_ruleset
from analyzer.engine import RuleSet, load
from analyzer.report import RENDERERS
from analyzer.report.as_json import fix_text, report_dict
from analyzer.report.why import report_steps, why_text

ROOT = Path(__file__).resolve().parent.parent
RECORDED = ROOT / "tests" / "data" / "report-v1-samples.json"
OLD_KEYS = ["rank", "cause", "rule", "title", "confidence", "severity", "family", "evidence", "missing", "fix", "why"]


def sample_fields(ruleset) -> dict[str, list[dict]]:
    """Rule, fix and why of each sample's diagnoses, the samples named relative to the repo."""
    out = {}
    for sample in sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir()):
        name = sample.relative_to(ROOT).as_posix()
        report = report_dict(analyze([name], ruleset=ruleset))
        out[name] = [{k: d[k] for k in ("rule", "fix", "why")} for d in report["diagnoses"]]
    return out


@pytest.fixture(scope="module")
def reports() -> dict[str, dict]:
    ruleset = load_ruleset()
    out = {}
    for sample in sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir()):
        out[sample.name] = report_dict(analyze([str(sample)], ruleset=ruleset))
    return out


def test_the_old_fields_of_every_sample_are_what_they_were(monkeypatch):
    monkeypatch.chdir(ROOT)  # evidence paths in `why` are as given on the command line
    assert sample_fields(load_ruleset()) == json.loads(RECORDED.read_text(encoding="utf-8"))


def test_new_fields_come_after_the_old_ones_and_say_the_same(reports):
    diagnoses = [d for r in reports.values() for d in r["diagnoses"]]
    assert diagnoses
    for d in diagnoses:
        assert list(d) == [*OLD_KEYS, "fix_by_platform", "why_steps"]
        assert d["fix"] == fix_text(d["fix_by_platform"])
        assert d["why"] == [why_text(s) for s in report_steps(d)]
    assert reports["proxy-407"]["schema"] == "ccdiag.report/1"


P407 = r"""id: p407
cause: proxy_auth_required
title: 407
severity: high
confidence: 0.7
match:
  status:
    pattern: 'CONNECT tunnel failed, response 407'
  challenge:
    pattern: 'Proxy-Authenticate: (?P<scheme>\w+)'
condition: status
fix:
  all: Give the proxy {{scheme}} credentials.
  linux: export HTTPS_PROXY=http://USER:PASS@proxy:3128
  windows: setx HTTPS_PROXY http://USER:PASS@proxy:3128
"""
# A one-text fix that happens to have a line starting like "[linux] ": it is not a platform.
BRACKETS = """id: brackets
cause: proxy_auth_required
title: 407
severity: high
confidence: 0.7
match:
  status:
    contains: [response 407]
fix: |
  Read what the proxy logged:
  [linux] is how the log prefixes its host lines.
"""
CURL = "< Proxy-Authenticate: NTLM\ncurl: (56) CONNECT tunnel failed, response 407\n"


def analyzed(tmp_path: Path, rule: str):
    (tmp_path / f"{rule.split()[1]}.yaml").write_text(rule)  # a rule file is named after its id
    result = load(dirs=[tmp_path])
    assert [str(e) for e in result.errors] == []
    return analyze_texts({"curl.txt": CURL}, RuleSet(result.rules)), result.rules


def test_a_per_platform_fix_is_a_mapping_until_each_report_formats_it(tmp_path):
    d, rules = analyzed(tmp_path, P407)
    fix = d.findings[0].fix
    assert fix == {
        "all": "Give the proxy NTLM credentials.",
        "linux": "export HTTPS_PROXY=http://USER:PASS@proxy:3128",
        "windows": "setx HTTPS_PROXY http://USER:PASS@proxy:3128",
    }
    j = json.loads(RENDERERS["json"](d))["diagnoses"][0]
    assert j["fix_by_platform"] == fix
    assert j["fix"] == (
        "Give the proxy NTLM credentials.\n"
        "[linux] export HTTPS_PROXY=http://USER:PASS@proxy:3128\n"
        "[windows] setx HTTPS_PROXY http://USER:PASS@proxy:3128"
    )
    text = RENDERERS["text"](d, color=False, width=100)
    assert [line.strip(" │") for line in text.splitlines() if "│" in line] == [
        "All platforms:",
        "Give the proxy NTLM credentials.",
        "Linux:",
        "export HTTPS_PROXY=http://USER:PASS@proxy:3128",
        "Windows:",
        "setx HTTPS_PROXY http://USER:PASS@proxy:3128",
    ]
    markdown = RENDERERS["markdown"](d)
    assert "**Linux**\n\nexport HTTPS_PROXY=http://USER:PASS@proxy:3128\n\n**Windows**" in markdown
    page = RENDERERS["html"](d, context=False, rules=rules)
    assert page.count('class="platform"') == 3
    assert '<div class="platform" data-platform="windows">Windows</div><p>setx HTTPS_PROXY' in page


def test_a_one_text_fix_is_never_cut_into_platforms(tmp_path):
    d, rules = analyzed(tmp_path, BRACKETS)
    text = "Read what the proxy logged:\n[linux] is how the log prefixes its host lines."
    assert d.findings[0].fix == {"all": text}
    j = json.loads(RENDERERS["json"](d))["diagnoses"][0]
    assert (j["fix"], j["fix_by_platform"]) == (text, {"all": text})
    assert "Linux:" not in RENDERERS["text"](d, color=False, width=100)
    assert "**Linux**" not in RENDERERS["markdown"](d)
    assert 'class="platform"' not in RENDERERS["html"](d, context=False, rules=rules)


def test_a_report_made_before_fix_by_platform_shows_its_fix_as_one_text():
    """A scan database row written by an earlier build of the same version has no new keys."""
    from analyzer.report import as_markdown

    old = {"rule": "r", "cause": "c", "title": "t", "confidence": 0.8, "severity": "high", "evidence": []}
    old |= {"missing": [], "why": ["base 0.80 from rule r (condition: a; fired: a)"], "fix": "1. one\n[linux] two"}
    out = as_markdown.render_report({"diagnoses": [old], "inputs": []}, verbose=True)
    assert "1. one \\[linux\\] two" in out and "**Linux**" not in out


if __name__ == "__main__":
    os.chdir(ROOT)
    RECORDED.write_text(
        json.dumps(sample_fields(load_ruleset()), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {RECORDED.relative_to(ROOT)}")
