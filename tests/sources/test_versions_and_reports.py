"""Claude Code's version wherever a paste shows it (welcome banner, `claude --version`, `claude
doctor`, a /bug report), and the fields of the doctor and /bug reports, as `client` and `status`
evidence; the rules' `applies_to` reads the version from them."""

from __future__ import annotations

import pytest

from analyzer import sources
from analyzer.analysis import analyze_texts
from analyzer.model import WhyKind
from analyzer.sources import claude_log
from tests.conftest import yields
from tests.test_engine import VERSIONED, one_step, ruleset

# The Environment Info list of a /bug report, as stored in case 077 (env.txt).
BUG_REPORT = (
    "- Platform: darwin\n- Terminal: vscode\n- Version: 2.1.144\n- Feedback ID: b87291dc-a597-4d51-bbab-95e239fd99be\n"
)


@pytest.mark.parametrize(
    "text, version",
    [
        ("Welcome to Claude Code v2.1.332\n", "2.1.332"),  # lab interactive captures
        ("$ claude\nWelcome to Claude Code v2.1.233\n", "2.1.233"),  # case 062
        ("2.1.332 (Claude Code)\n", "2.1.332"),  # `claude --version`
        ("Claude Code doctor\n\nRunning: native (2.1.332)\n", "2.1.332"),  # 2.1.330 doctor (facts 4.3)
        ("Diagnostics\n└ Currently running: npm-global (1.0.128)\n", "1.0.128"),  # 1.0.x /doctor (facts 4.3)
        (BUG_REPORT, "2.1.144"),
    ],
)
def test_each_version_banner_is_sniffed_and_gives_the_client_version(text: str, version: str):
    assert "claude-log" in sources.detect(text)
    clients = [e for e in yields(claude_log, text) if e.kind == "client"]
    assert [(e.get("name"), e.get("version")) for e in clients] == [("claude-code", version)]


def test_a_bug_report_gives_its_platform_terminal_and_version_as_status():
    ev = yields(claude_log, BUG_REPORT, "env.txt")
    assert [(e.get("key"), e.get("value"), e.where.line) for e in ev if e.kind == "status"] == [
        ("platform", "darwin", 1),
        ("terminal", "vscode", 2),
        ("version", "2.1.144", 3),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "- Version: 2.1.144\n",  # no Platform/Terminal line of a /bug list before it
        "CLIProxyAPI Version: 6.7.41, Commit: 157f16d, BuiltAt: 2026-02-01T12:22:18Z\n",  # case 054
        "< Mime-Version: 1.0\n",  # a proxy's header (curl samples)
        "Aider v0.40.6\n",  # case 090
    ],
)
def test_other_tools_versions_are_not_claude_codes(text: str):
    assert not [e for e in yields(claude_log, text) if e.kind == "client"]


def test_doctor_fields_after_its_title_are_status():
    text = "Claude Code doctor\n\nRunning: native (2.1.332)\nPlatform: linux-x64\nPackage manager: npm\n"
    keys = [e.get("key") for e in yields(claude_log, text) if e.kind == "status"]
    assert keys == ["running", "platform", "package_manager"]


@pytest.mark.parametrize("version, fires", [("2.1.144", True), ("1.0.44", False)])
def test_a_bug_report_version_decides_applies_to(tmp_path, version: str, fires: bool):
    rs = ruleset(tmp_path, VERSIONED)
    report = BUG_REPORT.replace("2.1.144", version)
    d = analyze_texts({"env.txt": report, "log.txt": "Connection error details: code=FailedToOpenSocket\n"}, rs)
    assert bool(d.findings) is fires
    if fires:
        assert one_step(d.findings[0].why, WhyKind.applies_to).names == (version,)
