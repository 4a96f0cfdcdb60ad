"""`ccdiag rules eval` scores cases as the team's scorer does (tests/data/eval/score.py, a copy).

The scoring is checked on tiny synthetic cases that a throw-away rule set decides, so the
numbers do not move with the catalog; the agreement with score.py on real cases and lab
captures, by running score.py once.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys

import pytest
from click.testing import CliRunner

from analyzer import evaluate
from analyzer.analysis import load_ruleset
from analyzer.cli import cli
from analyzer.engine import extra_rule_dirs
from tests.conftest import CASES, LAB, ROOT

SCORE_PY = ROOT / "tests" / "data" / "eval" / "score.py"

# Throw-away rules keyed on marker words no capture holds, so only they decide the synthetic cases.
RULES = {
    "eval-alpha": ("proxy_auth_required", "zqxalpha", 0.9),
    "eval-beta": ("dns_failure", "zqxbeta", 0.7),
    "eval-gamma": ("tls_interception", "zqxgamma", 0.6),
    "eval-delta": ("rate_limited", "zqxdelta", 0.4),
}

# name -> (truth, the one file's text)
SYNTHETIC = {
    "a-pass": ({"root_cause": "proxy_auth_required"}, "zqxalpha\n"),
    "b-second": ({"root_cause": "dns_failure", "also_plausible": ["proxy_auth_required"]}, "zqxalpha\nzqxbeta\n"),
    "c-miss": ({"root_cause": "clock_skew"}, "zqxbeta\n"),
    "d-healthy-loud": ({"root_cause": "none"}, "zqxgamma\n"),
    "e-healthy-quiet": ({"root_cause": "none"}, "zqxdelta\n"),
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("eval")
    rules = root / "rules"
    rules.mkdir()
    for rid, (cause, word, conf) in RULES.items():
        rule = {
            "id": rid,
            "cause": cause,
            "title": f"synthetic {word}",
            "severity": "high",
            "confidence": conf,
            "fix": "x",
            "match": {"m": {"contains": [word]}},
        }
        (rules / f"{rid}.yaml").write_text(json.dumps(rule))
    cases = root / "cases"
    for name, (truth, text) in SYNTHETIC.items():
        (cases / name).mkdir(parents=True)
        (cases / name / "truth.yaml").write_text(json.dumps(truth))
        (cases / name / "terminal.txt").write_text(text)
    (cases / "not-a-case").mkdir()  # no truth.yaml: not scored
    return cases, rules, load_ruleset(extra_rule_dirs([str(rules)]))


def test_each_synthetic_case_scores_as_score_py_defines_it(world):
    cases, _, ruleset = world
    result = evaluate.score(evaluate.select(cases), ruleset)
    rows = {r.case: (r.got, r.top1, r.top1_ok, r.top3, r.rr) for r in result.rows}
    assert rows == {
        "a-pass": (["proxy_auth_required"], True, True, True, 1.0),
        "b-second": (["proxy_auth_required", "dns_failure"], False, True, True, 0.5),
        "c-miss": (["dns_failure"], False, False, False, 0.0),
        "d-healthy-loud": (["tls_interception"], False, False, False, 0.0),  # 0.6 >= 0.5 fails
        "e-healthy-quiet": (["rate_limited"], True, True, True, 1.0),  # a 0.4 note is quiet
    }
    assert result.summary == {"top1": 0.4, "top1_ok": 0.6, "top3": 0.6, "mrr": 0.5, "cases": 5, "errors": 0}
    assert result.summary_line() == "cases=5 top1=0.400 top1_ok=0.600 top3=0.600 mrr=0.500 errors=0"
    assert [(c.cause, c.cases, c.top1, c.top3) for c in result.by_cause()] == [
        ("clock_skew", 1, 0, 0),  # one top-1 miss each, then by name
        ("dns_failure", 1, 0, 1),
        ("none", 2, 1, 1),
        ("proxy_auth_required", 1, 1, 1),
    ]
    assert [r.case for r in result.misses()] == ["b-second", "c-miss", "d-healthy-loud"]


def test_the_truth_file_is_not_part_of_the_bundle(world, tmp_path):
    cases, _, ruleset = world
    case = tmp_path / "leaky"
    case.mkdir()
    # The truth names the marker word: were truth.yaml read, the alpha rule would fire.
    (case / "truth.yaml").write_text("root_cause: none\nnotes: zqxalpha\n")
    (case / "terminal.txt").write_text("all good\n")
    row = evaluate.score_case(case, ruleset)
    assert row.got == [] and row.top1


def test_the_command_prints_the_summary_the_table_per_cause_and_the_misses(world, tmp_path):
    cases, rules, _ = world
    out = tmp_path / "eval.json"
    result = CliRunner().invoke(cli, ["rules", "eval", str(cases), "--rules", str(rules), "--json", str(out)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "cases=5 top1=0.400 top1_ok=0.600 top3=0.600 mrr=0.500 errors=0"
    assert lines[2].split() == ["cause", "cases", "top-1", "top-3"]
    assert lines[3].split() == ["clock_skew", "1", "0", "0"]
    assert "misses (3):" in lines
    misses = lines[lines.index("misses (3):") + 1 :]
    assert misses[0].split() == ["~", "b-second", "want", "dns_failure", "got", "proxy_auth_required,", "dns_failure"]
    assert misses[1].split() == ["c-miss", "want", "clock_skew", "got", "dns_failure"]
    written = json.loads(out.read_text())
    assert list(written) == [str(cases)]
    assert written[str(cases)]["summary"]["mrr"] == 0.5 and len(written[str(cases)]["cases"]) == 5


def test_several_folders_are_scored_one_by_one_and_usage_errors_exit_2(world, tmp_path):
    cases, rules, _ = world
    runner = CliRunner()
    other = tmp_path / "other"
    shutil.copytree(cases / "a-pass", other / "a-pass")
    both = runner.invoke(cli, ["rules", "eval", str(cases), str(other), "--rules", str(rules)])
    assert both.exit_code == 0, both.output
    assert [line for line in both.stdout.splitlines() if line.startswith(("== ", "cases="))] == [
        f"== {cases}",
        "cases=5 top1=0.400 top1_ok=0.600 top3=0.600 mrr=0.500 errors=0",
        f"== {other}",
        "cases=1 top1=1.000 top1_ok=1.000 top3=1.000 mrr=1.000 errors=0",
    ]
    assert runner.invoke(cli, ["rules", "eval", str(tmp_path / "nowhere")]).exit_code == 2
    assert runner.invoke(cli, ["rules", "eval", str(cases), "--fold", "5/4"]).exit_code == 2
    listed = runner.invoke(cli, ["rules", "eval", str(cases), "--list"])
    assert listed.stdout.split() == sorted(SYNTHETIC)
    (tmp_path / "bad" / "x").mkdir(parents=True)
    (tmp_path / "bad" / "x" / "truth.yaml").write_text("also_plausible: []\n")
    bad = runner.invoke(cli, ["rules", "eval", str(tmp_path / "bad")])
    assert bad.exit_code == 3 and bad.stderr.strip().endswith("truth.yaml: no root_cause"), bad.stderr


def load_score_py():
    spec = importlib.util.spec_from_file_location("score_py", SCORE_PY)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("folder", [CASES, LAB], ids=["cases", "lab"])
def test_folds_hold_the_same_cases_as_score_py(folder):
    score_py = load_score_py()
    cases = evaluate.select(folder)
    assert cases == score_py.select(folder, None, None)
    for k in (2, 4, 5):
        assert [evaluate.fold_of(c, k) for c in cases] == [score_py.fold_of(c, k) for c in cases]
    assert evaluate.select(folder, "4/4") == score_py.select(folder, "4/4", None)
    assert evaluate.select(folder, None, "4/4") == score_py.select(folder, None, "4/4")


# Real reports and lab captures, hits, misses and healthy ones as the catalog stood when chosen;
# the two scorers must agree whatever the catalog now says about them.
HANDFUL = [
    CASES / "001-geo-403-request-not-allowed",
    CASES / "010-oauth-token-expired",
    CASES / "052-issuer-cert-node-extra-ca-regression",
    CASES / "055-bedrock-china-unsupported-region-400",
    CASES / "065-ccr-localhost-through-powershell-proxy",
    CASES / "066-healthy-curl-through-local-proxy",
    LAB / "claude-2.1.332-p-healthy",
    LAB / "claude-2.1.332-p-proxy-407",
    LAB / "py-anthropic-2.17.0-401",
]


def test_the_numbers_equal_score_py_on_a_handful_of_real_cases(tmp_path):
    picked = tmp_path / "cases"
    for case in HANDFUL:
        shutil.copytree(case, picked / case.name)
    out = tmp_path / "score.json"
    cmd = f"{shlex.quote(sys.executable)} -m analyzer"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # `-m analyzer` is this checkout's
    proc = subprocess.run(
        [sys.executable, str(SCORE_PY), str(picked), "--cmd", cmd, "--json", str(out), "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    theirs = json.loads(out.read_text())
    assert theirs["summary"]["errors"] == 0, theirs
    mine = evaluate.score(evaluate.select(picked), load_ruleset())
    assert mine.summary == theirs["summary"]
    keys = ("case", "want", "got", "top1", "top1_ok", "top3", "rr", "error")
    assert [{k: row[k] for k in keys} for row in mine.as_dict()["cases"]] == [
        {k: row[k] for k in keys} for row in theirs["cases"]
    ]
