"""The settings source: Claude Code settings files as JSON, JSONC, or pasted fragments."""

from __future__ import annotations

import pytest

from analyzer.sources import settings
from tests.conftest import CASES, SAMPLES, doc_of, yields


def env_vars(evidence):
    return {e.get("name"): e for e in evidence if e.kind == "env-var"}


def setting(evidence, key):
    return next(e for e in evidence if e.kind == "setting" and e.get("key") == key)


def test_case_025_env_block_yields_env_vars_with_lines_and_proxies():
    doc = doc_of(CASES / "025-no-proxy-ignored-for-base-url" / "settings.json")
    assert settings.sniff(doc.head)
    ev = list(settings.parse(doc))
    names = env_vars(ev)
    assert names["NO_PROXY"].get("value") == "127.0.0.1,.example.com" and names["NO_PROXY"].where.line == 8
    assert names["ANTHROPIC_BASE_URL"].get("origin") == "settings"
    assert names["ANTHROPIC_AUTH_TOKEN"].get("value") == "***"
    proxies = [e for e in ev if e.kind == "proxy"]
    assert {(p.get("variable"), p.get("host"), p.get("port")) for p in proxies} == {
        ("HTTPS_PROXY", "myproxy.somedomain.com", 8080),
        ("HTTP_PROXY", "myproxy.somedomain.com", 8080),
    }
    assert setting(ev, "env").get("container") is True


def test_case_038_fragment_with_elision_marker_still_yields_the_env_var_on_line_3():
    doc = doc_of(CASES / "038-gateway-beta-header-vertex-regression" / "settings.json")
    assert settings.sniff(doc.head)
    var = env_vars(settings.parse(doc))["CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS"]
    assert var.get("value") == "1" and var.where.line == 3


def test_case_034_single_line_managed_fragment_is_an_api_key_helper_setting_in_managed_scope():
    doc = doc_of(CASES / "034-apikeyhelper-managed-settings-conflict" / "managed-settings.json")
    assert settings.sniff(doc.head)
    helper = setting(list(settings.parse(doc)), "apiKeyHelper")
    assert helper.get("value") == "/usr/local/bin/claude_code/api-key-helper"
    assert helper.get("scope") == "managed" and helper.where.line == 1


def test_fragment_of_an_env_block_with_an_elision_marker_keeps_line_numbers():
    text = '  "env": {\n    [...]\n    "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS": "1"\n  },\n'
    ev = yields(settings, text, "settings.json")
    assert env_vars(ev)["CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS"].where.line == 3
    assert [e.get("key") for e in ev if e.kind == "setting"] == ["env"]


def test_jsonc_with_comments_and_trailing_commas_parses():
    text = """{
  // corporate gateway
  "env": {
    "ANTHROPIC_BASE_URL": "https://gw.corp.example", /* inline */
    "HTTPS_PROXY": "proxy.corp.example:3128",
  },
  "model": "claude-sonnet-4-5",
  "forceLoginMethod": "console",
}"""
    ev = yields(settings, text, "settings.json")
    assert env_vars(ev)["ANTHROPIC_BASE_URL"].where.line == 4
    proxy = next(e for e in ev if e.kind == "proxy")
    assert proxy.get("host") == "proxy.corp.example" and proxy.get("port") == 3128
    assert proxy.get("missing_scheme") is True
    assert setting(ev, "model").get("value") == "claude-sonnet-4-5"
    assert setting(ev, "forceLoginMethod").get("value") == "console"


def test_only_top_level_keys_are_settings_and_containers_are_reported_by_key():
    text = """{"permissions": {"allow": ["Bash(npm run test:*)"], "defaultMode": "acceptEdits"},
 "hooks": {"PreToolUse": [{"matcher": "Bash", "hooks": [{"type": "command", "command": "x"}]}]},
 "awsAuthRefresh": "aws sso login", "cleanupPeriodDays": 20, "includeCoAuthoredBy": false}"""
    ev = yields(settings, text, "settings.json")
    keys = [e.get("key") for e in ev if e.kind == "setting"]
    assert keys == ["permissions", "hooks", "awsAuthRefresh", "cleanupPeriodDays", "includeCoAuthoredBy"]
    assert setting(ev, "permissions").get("value") is None
    assert setting(ev, "cleanupPeriodDays").get("value") == "20"
    assert setting(ev, "includeCoAuthoredBy").get("value") == "false"


def test_claude_json_account_secrets_are_reported_by_key_only():
    text = """{"numStartups": 3, "primaryApiKey": "sk-ant-api03-abcdefghijklmnop",
 "oauthAccount": {"emailAddress": "dev@example.com"}, "hasCompletedOnboarding": true,
 "customApiKeyResponses": {"approved": ["abcdefghijklmnopqrst"], "rejected": []}}"""
    ev = yields(settings, text, "/home/dev/.claude.json")
    assert setting(ev, "primaryApiKey").get("value") is None
    assert "abcdefghijklmnop" not in setting(ev, "primaryApiKey").text
    assert setting(ev, "oauthAccount").get("value") is None
    assert setting(ev, "hasCompletedOnboarding").get("value") == "true"
    assert all(e.get("scope") == "user" for e in ev)
    assert not env_vars(ev), "nested keys are not env vars"


def test_bare_env_lines_without_the_env_wrapper_count_as_env_vars():
    text = '"ANTHROPIC_BASE_URL": "http://localhost:4000",\n"HTTPS_PROXY": "http://127.0.0.1:7890"\n'
    assert settings.sniff(text)
    names = env_vars(yields(settings, text, "settings.json"))
    assert names["ANTHROPIC_BASE_URL"].where.line == 1 and names["HTTPS_PROXY"].where.line == 2


@pytest.mark.parametrize(
    "path, scope",
    [
        ("/etc/claude-code/managed-settings.json", "managed"),
        ("bundle/managed-settings.json", "managed"),
        ("/home/dev/.claude/settings.json", "user"),
        ("/Users/dev/.claude/settings.json", "user"),
        ("/home/dev/project/.claude/settings.json", "project"),
        ("/home/dev/project/.claude/settings.local.json", "local"),
        ("/home/dev/.claude.json", "user"),
        ("settings.json", "user"),
    ],
)
def test_scope_is_guessed_from_the_path(path, scope):
    assert settings.scope_of(path) == scope


@pytest.mark.parametrize(
    "head",
    [
        '{\n  "env": {\n    "X": "1"\n  }\n}',
        '"apiKeyHelper": "/usr/local/bin/x"',
        '  "env": {\n    [...]\n    "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS": "1"\n  },',
        '// user settings\n{"permissions": {"allow": []}}',
        '{"model": "opus"}',
        '\ufeff{"hasCompletedOnboarding": true}',
    ],
)
def test_sniff_accepts_settings_files_and_fragments(head):
    assert settings.sniff(head)


@pytest.mark.parametrize(
    "path",
    sorted((SAMPLES / "har").rglob("*.har"))
    + [SAMPLES / "env" / "podman-inspect.json", SAMPLES / "env" / "npm-config-list-json.txt"],
    ids=lambda p: p.name,
)
def test_sniff_rejects_har_docker_inspect_and_npm_json(path):
    assert not settings.sniff(doc_of(path).head)


@pytest.mark.parametrize(
    "head",
    [
        '{"model": "claude-sonnet-4-5", "max_tokens": 16, "messages": []}',
        '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
        'The "env" key in settings.json',
        '{"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"env": [{"name": "X"}]}]}}',
        "export HTTPS_PROXY=http://x:1",
    ],
)
def test_sniff_rejects_api_bodies_prose_and_other_json(head):
    assert not settings.sniff(head)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        "}",
        "]]]",
        '"env": {',
        '{"env": {"A": }}',
        '{"a": "unterminated',
        "\x00\x01",
        "[" * 500,
        '{"env": ["A=1"]}',
        '{"env": {"NESTED": {"x": 1}}}',
        "/* open comment",
    ],
)
def test_malformed_input_never_raises(text):
    yields(settings, text, "settings.json")
