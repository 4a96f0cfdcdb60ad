"""The command line as users meet it: inputs, formats, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import cli
from tests.conftest import ROOT, SAMPLES

REFERENCE_FILES = sorted(p for p in SAMPLES.rglob("*") if p.is_file())


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_analyzing_a_bundled_sample_names_its_cause_and_exits_1():
    result = run("analyze", str(ROOT / "samples" / "proxy-407"), "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["schema"] == "ccdiag.report/1"
    top = report["diagnoses"][0]
    assert top["cause"] == "proxy_auth_required"
    assert {"rank", "cause", "rule", "title", "confidence", "severity", "evidence", "missing", "fix"} <= set(top)
    assert all({"path", "line", "text"} <= set(e) for e in top["evidence"])
    assert {i["format"] for i in report["inputs"]} >= {"curl", "claude-log"}


def test_piped_curl_output_is_read_from_standard_input():
    transcript = (SAMPLES / "curl/curl-8.14.1/proxy-407-squid.txt").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "analyzer", "--format", "json"], input=transcript, capture_output=True, cwd=ROOT
    )
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["inputs"][0]["path"] == "<stdin>"
    assert report["diagnoses"][0]["cause"] == "proxy_auth_required"


def test_missing_empty_and_binary_files_are_one_line_each_and_the_rest_is_diagnosed(tmp_path):
    good = tmp_path / "terminal.txt"
    good.write_text("API Error: 407 Proxy Authentication Required\n")
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    binary = tmp_path / "core.bin"
    binary.write_bytes(bytes(range(256)) * 64)
    result = run("analyze", str(good), str(empty), str(binary), str(tmp_path / "nope.txt"), "--format", "json")
    report = json.loads(result.stdout)
    assert report["diagnoses"][0]["cause"] == "proxy_auth_required"
    reasons = {Path(s["path"]).name: s["reason"] for s in report["skipped"]}
    assert reasons == {"empty.log": "empty file", "core.bin": "binary file", "nope.txt": "no such file or directory"}
    err_lines = [line for line in result.stderr.splitlines() if line]
    assert len(err_lines) == 3 and all(line.startswith("ccdiag: skipped ") for line in err_lines)
    assert "Traceback" not in result.stderr


def test_nothing_readable_exits_3_and_unknown_format_is_a_usage_error(tmp_path):
    assert run("analyze", str(tmp_path / "missing.txt")).exit_code == 3
    assert run("analyze", str(ROOT / "samples" / "proxy-407"), "--format", "yaml").exit_code == 2


def test_fail_on_threshold_controls_the_exit_status():
    sample = str(ROOT / "samples" / "proxy-407")
    assert run("analyze", sample, "--fail-on", "none").exit_code == 0
    assert run("analyze", sample, "--fail-on", "critical").exit_code == 0
    assert run("analyze", sample, "--fail-on", "high").exit_code == 1


def test_a_healthy_capture_exits_0_with_nothing_confident():
    result = run("analyze", str(ROOT / "samples" / "healthy-proxy"), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    assert all(d["confidence"] < 0.5 for d in report["diagnoses"])


def test_broken_user_rules_exit_4_with_every_error_on_its_own_line(tmp_path):
    (tmp_path / "bad-one.yaml").write_text("id: bad-one\ncause: nope\n")
    (tmp_path / "bad-two.yaml").write_text("id: bad-two\n  - : [\n")
    result = run("analyze", str(ROOT / "samples" / "proxy-407"), "--rules", str(tmp_path))
    assert result.exit_code == 4
    lines = result.stderr.strip().splitlines()
    assert any("bad-one.yaml" in line and "missing required key" in line for line in lines)
    assert any("bad-two.yaml" in line and "invalid YAML" in line for line in lines)


def test_disable_switches_a_rule_off():
    sample = str(ROOT / "samples" / "proxy-407")
    report = json.loads(run("analyze", sample, "--format", "json", "--disable", "proxy-407-auth-required").stdout)
    assert "proxy-407-auth-required" not in {d["rule"] for d in report["diagnoses"]}


def test_planted_secrets_never_reach_any_output(tmp_path):
    secrets = [
        "sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2ln",
        "Pr0xyPassw0rd",
        "sessionid=s3cr3tc00kie",
    ]
    (tmp_path / "terminal.txt").write_text(
        f"export ANTHROPIC_API_KEY={secrets[0]}\n"
        f"> Authorization: Bearer {secrets[1]}\n"
        f"* Uses proxy env variable https_proxy == 'http://alice:{secrets[2]}@proxy.corp:3128'\n"
        f"> Cookie: {secrets[3]}\n"
        "curl: (56) CONNECT tunnel failed, response 407\n"
    )
    for fmt in ("text", "json"):
        result = run("analyze", str(tmp_path), "--format", fmt, "--verbose")
        out = result.stdout + result.stderr
        assert "proxy" in out.lower()
        for secret in secrets:
            assert secret not in out
            assert secret.split("=")[-1] not in out


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=[str(p.relative_to(SAMPLES)) for p in REFERENCE_FILES])
def test_every_reference_sample_gives_valid_json(path):
    result = CliRunner().invoke(cli, ["analyze", str(path), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    assert report["inputs"] or report["skipped"]
