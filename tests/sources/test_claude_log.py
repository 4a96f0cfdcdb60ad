"""claude-log source: Claude Code terminal output, --debug logs, /status and doctor screens."""

from __future__ import annotations

import pytest

from analyzer.sources import claude_log
from tests.conftest import SAMPLES, one, yields, yields_from_file
from tests.conftest import of_kind as only

CC = SAMPLES / "claude-code"
DEBUG = CC / "debug-logs"


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        " Unable to connect to Anthropic services\n\n Failed to connect to api.anthropic.com: ERR_BAD_REQUEST\n",
        "API Error: Unable to connect to API (ConnectionRefused)\n",
        "  ⎿  Invalid API key · Fix external API key\n",
        "2026-11-21T19:54:11.806Z [ERROR] API error (attempt 1/11): undefined Connection error.\n",
        "[DEBUG] mTLS: Loaded client certificate from CLAUDE_CODE_CLIENT_CERT\n",
        "⚠ Auth conflict: Both a token (X) and an API key (Y) are set.\n",
        " Account\n  L Auth Token: CLAUDE_CODE_OAUTH_TOKEN\n",
        "Request timed out\n",
        "user-agent: claude-cli/2.1.197 (external, cli)\n",
        "file:///home/u/.npm/_npx/b/node_modules/@anthropic-ai/claude-code/cli.js:236\n",
    ],
)
def test_sniff_accepts_clear_claude_code_signatures(head):
    assert claude_log.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        "*   Trying 127.0.0.1:443...\n* Connected to api.anthropic.com\n< HTTP/2 200\n",
        'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad\n',
        "HTTPS_PROXY=http://proxy:8080\nNO_PROXY=localhost\n",
        "the api returned an error\n",
    ],
)
def test_sniff_rejects_other_formats_and_generic_words(head):
    assert not claude_log.sniff(head)


# --- start-up screen ---------------------------------------------------------------------------


def test_public_startup_screens_yield_one_startup_check_per_screen_at_the_failed_line():
    ev = yields_from_file(claude_log, CC / "public" / "startup-connectivity-screens.txt")
    checks = only(ev, "startup-check")
    assert [e.where.line for e in checks] == [7, 17, 22, 27, 36]
    first = checks[0]
    assert first.fields["host"] == "api.anthropic.com"
    assert first.fields["code"] == "ERR_BAD_REQUEST"
    assert first.fields["country_note"] is True
    assert first.fields["country_note_prefixed"] is True
    assert checks[1].fields["status"] == 403 and "code" not in checks[1].fields
    assert checks[2].fields["code"] == "ECONNREFUSED"  # markdown ** around the lines
    assert checks[3].fields["ssl_hint"] == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"


def test_err_bad_request_screen_gets_no_transport_error_because_it_is_an_http_4xx():
    ev = yields_from_file(claude_log, CC / "public" / "startup-connectivity-screens.txt")
    assert not [e for e in ev if e.kind in ("connect-error", "tls-error") and e.where.line == 7]


def test_startup_tls_code_and_refused_code_also_yield_tls_and_connect_errors():
    ev = yields_from_file(claude_log, CC / "public" / "startup-connectivity-screens.txt")
    tls = [e for e in only(ev, "tls-error") if e.where.line == 27]
    assert tls and tls[0].fields["code"] == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    assert tls[0].fields["via"] == "startup-check"
    conn = [e for e in only(ev, "connect-error") if e.where.line == 22]
    assert conn and conn[0].fields["code"] == "ECONNREFUSED" and conn[0].fields["host"] == "api.anthropic.com"


def test_startup_altname_message_wrapped_over_two_lines_is_joined_and_mapped():
    ev = yields_from_file(claude_log, CC / "public" / "startup-connectivity-screens.txt")
    check = [e for e in only(ev, "startup-check") if e.where.line == 36][0]
    assert "cert's altnames: DNS:internal.litellm.proxy.net" in check.fields["message"]
    assert check.fields["code"] == "ERR_TLS_CERT_ALTNAME_INVALID"
    assert check.fields["code_inferred"] is True


def test_wsl_screen_inside_welcome_box_gives_self_signed_startup_check():
    text = (
        "╭──────────────────────────╮\n"
        "│ ✻ Welcome to Claude Code │\n"
        "╰──────────────────────────╯\n\n"
        " Unable to connect to Anthropic services\n\n"
        " Failed to connect to api.anthropic.com: SELF_SIGNED_CERT_IN_CHAIN\n\n"
        " Please check your internet connection and network settings.\n"
    )
    ev = yields(claude_log, text)
    check = one(ev, "startup-check")
    assert check.where.line == 7
    assert check.fields["code"] == "SELF_SIGNED_CERT_IN_CHAIN"
    assert check.fields["country_note"] is False
    assert one(ev, "tls-error").fields["code"] == "SELF_SIGNED_CERT_IN_CHAIN"


def test_fetch_era_screen_records_proxy_variable_and_unprefixed_country_note():
    text = (
        "Unable to connect to Anthropic services\n"
        "Failed to connect to api.anthropic.com: Status 403\n"
        "A proxy is configured via HTTPS_PROXY. Check that it allows connections to the host above.\n"
        "Check your internet connection and network settings.\n"
        "Claude Code might not be available in your country. Check supported countries at https://x\n"
    )
    check = one(yields(claude_log, text), "startup-check")
    assert check.where.line == 2
    assert check.fields["status"] == 403
    assert check.fields["proxy_note"] == "HTTPS_PROXY"
    assert check.fields["country_note"] is True
    assert check.fields["country_note_prefixed"] is False
    proxy = one(yields(claude_log, text), "proxy")
    assert (proxy.where.line, proxy.fields["variable"]) == (2, "HTTPS_PROXY")


def test_startup_timeout_and_connectivity_check_error_forms():
    text = (
        "Unable to connect to Anthropic services\n"
        "Connection to api.anthropic.com timed out after 10 seconds\n\n"
        "Unable to connect to Anthropic services\n"
        "Connectivity check error: ECONNRESET\n"
    )
    ev = yields(claude_log, text)
    timeout, reset = only(ev, "startup-check")
    assert (timeout.where.line, timeout.fields["code"], timeout.fields["timeout_s"]) == (2, "TIMEOUT", 10.0)
    assert (reset.where.line, reset.fields["code"]) == (5, "ECONNRESET")
    assert {e.fields["code"] for e in only(ev, "connect-error")} == {"TIMEOUT", "ECONNRESET"}


def test_termux_etimeout_screen_without_blank_lines():
    ev = yields(
        claude_log, "Unable to connect to Anthropic services\nFailed to connect to api.anthropic.com: ETIMEOUT\n"
    )
    assert one(ev, "startup-check").fields["code"] == "ETIMEOUT"
    assert one(ev, "connect-error").fields["code"] == "ETIMEOUT"


def test_header_quoted_in_prose_does_not_invent_a_screen():
    ev = yields_from_file(claude_log, CC / "SOURCE.txt")
    assert not only(ev, "startup-check")


# --- API Error lines ---------------------------------------------------------------------------


def test_quoted_403_edge_body_wrapped_over_two_lines_is_joined():
    ev = yields(claude_log, '"API Error: 403 {"error":{"type":"forbidden","message":"Request not \n     allowed"}}"\n')
    err = one(ev, "api-error")
    assert err.where.line == 1
    assert (err.fields["status"], err.fields["error_type"], err.fields["shape"]) == (403, "forbidden", "edge")
    assert err.fields["message"] == "Request not allowed"


def test_oauth_expired_401_wrapped_body_gives_authentication_error_and_login_expired():
    ev = yields(
        claude_log,
        'API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"OAuth token '
        'has expired. Please obtain a new\n    token or refresh your existing token."}}\n',
    )
    err = one(ev, "api-error")
    assert err.fields["error_type"] == "authentication_error"
    assert err.fields["message"].endswith("obtain a new token or refresh your existing token.")
    assert err.fields["message_code"] == "login_expired"


def test_unbalanced_body_never_swallows_the_following_lines():
    ev = yields(
        claude_log, 'API Error: 500 {"type":"error","error":{"type":"api_er\nInvalid API key · Please run /login\n'
    )
    assert [e.where.line for e in only(ev, "api-error")] == [1, 2]


def test_retry_form_with_529_body_gives_api_error_and_retry():
    ev = yields(
        claude_log,
        ' ⎿  API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},'
        '"request_id":null}) · Retrying in 4 seconds… (attempt 4/10)\n  ⎿  API Error: Operation aborted\n',
    )
    err = one(ev, "api-error")
    assert (err.fields["status"], err.fields["error_type"]) == (529, "overloaded_error")
    retry = one(ev, "retry")
    assert (retry.fields["attempt"], retry.fields["max"], retry.fields["delay"]) == (4, 10, 4)


def test_connection_error_retry_loop_with_nested_self_signed_causes():
    lines = []
    for attempt, delay in ((4, 4), (5, 10), (6, 16)):
        lines.append(f"  ⎿  API Error (Connection error.) · Retrying in {delay} seconds… (attempt {attempt}/10)")
        lines.append("    ⎿  Error (self signed certificate in certificate chain) (SELF_SIGNED_CERT_IN_CHAIN)")
    ev = yields(claude_log, "\n".join(lines) + "\n")
    assert [e.fields["attempt"] for e in only(ev, "retry")] == [4, 5, 6]
    tls = only(ev, "tls-error")
    assert [e.where.line for e in tls] == [2, 4, 6]
    assert {e.fields["code"] for e in tls} == {"SELF_SIGNED_CERT_IN_CHAIN"}
    assert {e.fields["code"] for e in only(ev, "connect-error")} == {"CONNECTION_ERROR"}


def test_ollama_plain_404_body_keeps_its_text():
    err = one(yields(claude_log, "❯ [my prompt]\n  ⎿  API Error: 404 404 page not found`\n"), "api-error")
    assert (err.where.line, err.fields["status"], err.fields["message"]) == (2, 404, "404 page not found")
    assert err.fields["shape"] == "plain"


def test_vertex_400_plain_message_wrapped_onto_an_indented_line():
    err = one(
        yields(
            claude_log,
            "API Error: 400 vertex-ai error: Unexpected value(s) `context-1m-2025-08-07` for the "
            "`anthropic-beta` \n     header. Please consult our documentation.   \n",
        ),
        "api-error",
    )
    assert err.fields["status"] == 400
    assert err.fields["message"].endswith("`anthropic-beta` header. Please consult our documentation.")


def test_bedrock_model_form_keeps_the_model():
    err = one(
        yields(claude_log, "API Error (us.anthropic.claude-3-7-sonnet-20250219-v1:0): Model is not available.\n"),
        "api-error",
    )
    assert err.fields["model"] == "us.anthropic.claude-3-7-sonnet-20250219-v1:0"
    assert err.fields["message"] == "Model is not available."


def test_streamed_error_without_status_gets_the_documented_status_marked_inferred():
    err = one(
        yields(claude_log, 'API Error: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n'),
        "api-error",
    )
    assert (err.fields["status"], err.fields["status_inferred"]) == (529, True)


def test_region_block_message_of_2_1_317_is_an_edge_403():
    err = one(
        yields(
            claude_log,
            "API Error: Request blocked before it reached Anthropic's API (HTTP 403) · the network "
            "this request came from isn't allowed\n",
        ),
        "api-error",
    )
    assert (err.fields["status"], err.fields["shape"], err.fields["message_code"]) == (
        403,
        "edge",
        "network_edge_blocked",
    )


@pytest.mark.parametrize(
    "text, status, message_code",
    [
        (
            'Please run /login · API Error: 401 {"type":"error","error":{"type":"authentication_error",'
            '"message":"invalid bearer token"}}',
            401,
            "auth_failed",
        ),
        ("Failed to authenticate. API Error: 403 Request not allowed", 403, "auth_failed"),
        ("API Error: 401 Invalid API key · Please run /login", 401, "invalid_api_key"),
    ],
)
def test_auth_prefixes_and_suffixes_merge_into_the_api_error(text, status, message_code):
    err = one(yields(claude_log, text + "\n"), "api-error")
    assert (err.fields["status"], err.fields["message_code"], err.fields["client"]) == (
        status,
        message_code,
        "claude-code",
    )


# --- Claude Code 2.1.197 one-line outputs (real runs) ------------------------------------------


@pytest.mark.parametrize(
    "name, kind, fields",
    [
        ("api-401-invalid-key", "api-error", {"status": 401, "message_code": "invalid_api_key_external"}),
        (
            "api-403-request-not-allowed",
            "api-error",
            {"status": 403, "message": "Request not allowed", "message_code": "auth_failed"},
        ),
        ("api-429-rate-limit", "api-error", {"status": 429}),
        ("api-529-overloaded", "api-error", {"status": 529, "error_type": "overloaded_error", "repeated": True}),
        ("dns-nxdomain", "connect-error", {"code": "FailedToOpenSocket"}),
        ("tcp-refused", "connect-error", {"code": "ConnectionRefused"}),
        ("tls-reset-on-clienthello", "connect-error", {"code": "ECONNRESET"}),
        ("http-no-response-timeout", "connect-error", {"code": "TIMEOUT"}),
        ("proxy-env-407-tinyproxy", "api-error", {"status": 407, "message": "Proxy Authentication Required"}),
        ("proxy-env-mitm-untrusted", "tls-error", {"code": "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "code_inferred": True}),
        ("tls-unknown-ca-debug", "tls-error", {"code": "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"}),
        ("tls-selfsigned-in-chain", "tls-error", {"code": "SELF_SIGNED_CERT_IN_CHAIN"}),
        ("tls-expired", "tls-error", {"code": "CERT_HAS_EXPIRED"}),
        ("tls-wrong-host", "tls-error", {"code": "ERR_TLS_CERT_ALTNAME_INVALID"}),
    ],
)
def test_claude_code_2_1_197_output_line_yields_typed_evidence(name, kind, fields):
    ev = yields_from_file(claude_log, CC / f"{name}.txt")
    found = one(ev, kind)
    assert found.where.line == 1
    for key, value in fields.items():
        assert found.fields[key] == value, key


def test_rate_limit_message_after_the_dot_is_kept():
    err = one(yields_from_file(claude_log, CC / "api-429-rate-limit.txt"), "api-error")
    assert err.fields["message"].startswith("This request would exceed the rate limit")


def test_proxy_407_is_also_a_proxy_reply():
    reply = one(yields_from_file(claude_log, CC / "proxy-env-407-tinyproxy.txt"), "proxy-reply")
    assert (reply.fields["status"], reply.fields["reason"]) == (407, "Proxy Authentication Required")


# --- Claude Code's own messages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message_code, status",
    [
        ("  ⎿  Invalid API key · Fix external API key", "invalid_api_key_external", 401),
        ("Invalid API key · Please run /login", "invalid_api_key", 401),
        ("OAuth token revoked · Please run /login", "oauth_token_revoked", 403),
        ("Login expired · Please run /login", "login_expired", 401),
        ("Not logged in · Please run /login", "not_logged_in", None),
        (
            "Your ANTHROPIC_API_KEY belongs to a disabled organization · Update or unset the environment variable",
            "disabled_organization",
            None,
        ),
        ("Credit balance is too low", "credit_balance_too_low", None),
        (
            "There's an issue with the selected model (kimi-k2.6). It may not exist or you may not have access to it.",
            "model_not_found",
            404,
        ),
        ("Claude AI usage limit reached|1736700000", "usage_limit", 429),
    ],
)
def test_claude_code_auth_billing_and_model_messages_are_api_errors_with_a_message_code(text, message_code, status):
    err = one(yields(claude_log, text + "\n"), "api-error")
    assert err.fields["message_code"] == message_code
    assert err.fields.get("status") == status
    assert err.fields["shape"] == "claude-code"


def test_model_message_keeps_the_model_name():
    err = one(yields(claude_log, "There's an issue with the selected model (kimi-k2.6). Run --model\n"), "api-error")
    assert err.fields["model"] == "kimi-k2.6"


@pytest.mark.parametrize(
    "text, fields",
    [
        (
            "⚠ Auth conflict: Both a token (CLAUDE_CODE_OAUTH_TOKEN) and an API key (apiKeyHelper) are set. This may",
            {"token_source": "CLAUDE_CODE_OAUTH_TOKEN", "key_source": "apiKeyHelper"},
        ),
        (
            " ⚠Auth conflict: Both a token (ANTHROPIC_AUTH_TOKEN) and an API key (/login managed key) are set.",
            {"token_source": "ANTHROPIC_AUTH_TOKEN", "key_source": "/login managed key"},
        ),
        (
            "Both CLAUDE_CODE_OAUTH_TOKEN and ANTHROPIC_API_KEY set · auth may not work as expected",
            {"token_source": "CLAUDE_CODE_OAUTH_TOKEN", "key_source": "ANTHROPIC_API_KEY"},
        ),
        (
            "ANTHROPIC_API_KEY overriding Claude subscription login · unset it or /logout to sign it out",
            {"overriding": "ANTHROPIC_API_KEY", "overrides": "subscription"},
        ),
        (
            "apiKeyHelper overriding saved Console key · unset it or /logout to clear the saved key",
            {"overriding": "apiKeyHelper", "overrides": "console_key"},
        ),
        (
            "Auth conflict: Using ANTHROPIC_AUTH_TOKEN instead of Claude account subscription token. Either unset it",
            {"overriding": "ANTHROPIC_AUTH_TOKEN", "overrides": "subscription"},
        ),
    ],
)
def test_auth_conflict_notices_become_status_auth_conflict(text, fields):
    status = one(yields(claude_log, text + "\n"), "status")
    assert status.fields["key"] == "auth_conflict"
    for key, value in fields.items():
        assert status.fields[key] == value


@pytest.mark.parametrize(
    "text, kind, code",
    [
        (
            "API Error: Connection dropped (ECONNRESET). A VPN, firewall, or security software can cause this.",
            "connect-error",
            "ECONNRESET",
        ),
        (
            "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)",
            "connect-error",
            "ECONNREFUSED",
        ),
        (
            "API Error: Can't reach the API server — check your internet or DNS (ENOTFOUND)",
            "connect-error",
            "ENOTFOUND",
        ),
        ("No internet route — check your connection or VPN (ENETUNREACH)", "connect-error", "ENETUNREACH"),
        (
            "API Error: Couldn't connect through your proxy (ERR_PROXY_TUNNEL) — the proxy refused the tunnel",
            "connect-error",
            "ERR_PROXY_TUNNEL",
        ),
        ("Request timed out. Check your internet connection and proxy settings", "connect-error", "ETIMEDOUT"),
        ('"Unable to connect to API due to poor internet connection"', "connect-error", "CONNECTION_ERROR"),
        ('All API requests fail with "Unable to connect to API (ECONNRESET)"', "connect-error", "ECONNRESET"),
        ("API Error: Request timed out.", "connect-error", "TIMEOUT"),
        (
            "API Error: Unable to connect to API: SSL certificate verification failed (UNABLE_TO_GET_ISSUER_CERT). "
            "The ...",
            "tls-error",
            "UNABLE_TO_GET_ISSUER_CERT",
        ),
        (
            "API Error: Unable to connect to API: SSL error (ERR_SSL_WRONG_VERSION_NUMBER)",
            "tls-error",
            "ERR_SSL_WRONG_VERSION_NUMBER",
        ),
        ("API Error: Unable to connect to API: SSL certificate is not yet valid", "tls-error", "CERT_NOT_YET_VALID"),
        ("API Error: Unable to connect to API: SSL certificate has been revoked", "tls-error", "CERT_REVOKED"),
    ],
)
def test_connection_and_tls_messages_map_to_codes(text, kind, code):
    ev = yields(claude_log, text + "\n")
    assert one(ev, kind).fields["code"] == code
    assert not only(ev, "api-error")


def test_retry_line_with_api_timeout_hint():
    ev = yields(
        claude_log,
        "  ⎿  Unable to connect to API due to poor internet connection · Retrying in 2 seconds… "
        "(attempt 2/10) · API_TIMEOUT_MS=60000ms, try increasing it\n",
    )
    retry = one(ev, "retry")
    assert (retry.fields["attempt"], retry.fields["delay"], retry.fields["api_timeout_ms"]) == (2, 2, 60000)


# --- /status, doctor, versions -----------------------------------------------------------------


def test_status_account_lines_give_auth_token_and_api_key_sources():
    ev = yields(claude_log, " Account\n  L Auth Token: CLAUDE_CODE_OAUTH_TOKEN\n  L API Key: apiKeyHelper\n")
    assert [(e.where.line, e.fields["key"], e.fields["value"]) for e in only(ev, "status")] == [
        (2, "auth_token", "CLAUDE_CODE_OAUTH_TOKEN"),
        (3, "api_key", "apiKeyHelper"),
    ]


def test_status_api_configuration_and_doctor_fields():
    text = (
        " API Configuration\n"
        "  L Anthropic Base URL: https://gateway.example.com\n"
        "  L Proxy: http://user:secret@proxy.corp:8080\n"
        "  L Additional CA cert(s): /etc/ssl/corp.pem\n"
        "  L API Provider: AWS Bedrock\n"
        "  L AWS auth skipped\n"
        "│   • API Base URL: https://litellm.local   │\n"
        "Diagnostics\n"
        "└ Currently running: npm-global (1.0.128)\n"
    )
    ev = yields(claude_log, text)
    urls = [e.fields["value"] for e in only(ev, "status") if e.fields["key"] == "anthropic_base_url"]
    assert urls == ["https://gateway.example.com", "https://litellm.local"]  # /status and the welcome box
    status = {e.fields["key"]: e.fields["value"] for e in only(ev, "status")}
    assert status["additional_ca_certs"] == "/etc/ssl/corp.pem"
    assert status["api_provider"] == "AWS Bedrock"
    assert status["aws_auth_skipped"] == "true"
    assert status["running"] == "npm-global (1.0.128)"
    assert "secret" not in status["proxy"] and status["proxy"].startswith("http://user:")
    proxy = one(ev, "proxy")
    assert (proxy.fields["host"], proxy.fields["port"], proxy.fields["via"]) == ("proxy.corp", 8080, "status")
    assert "secret" not in proxy.fields["url"]
    client = one(ev, "client")
    assert (client.fields["version"], client.fields["install"]) == ("1.0.128", "npm-global")


def test_generic_key_value_lines_are_not_status_fields():
    assert not only(yields(claude_log, "Path: /usr/bin\nModel: whatever\nproxy: on\n"), "status")


@pytest.mark.parametrize(
    "text, version, runtime",
    [
        ("$ claude --version\n2.1.197 (Claude Code)\n", "2.1.197", None),
        ("user-agent: claude-cli/1.0.51 (external, cli)\n", "1.0.51", None),
        ("Running: native (2.1.330)\n", "2.1.330", "bun"),
        ("file:///home/u/.npm/_npx/x/node_modules/@anthropic-ai/claude-code/cli.js:236\n", None, "node"),
    ],
)
def test_claude_code_version_and_runtime(text, version, runtime):
    client = one(yields(claude_log, text), "client")
    assert client.fields["name"] == "claude-code"
    assert client.fields.get("version") == version
    assert client.fields.get("runtime") == runtime


# --- debug logs --------------------------------------------------------------------------------


def test_debug_407_html_body_continues_the_record_and_keeps_its_first_line_number():
    ev = yields_from_file(claude_log, DEBUG / "proxy-env-407-tinyproxy.debug.txt")
    errors = only(ev, "api-error")
    assert [e.where.line for e in errors] == [160, 171]
    first = errors[0]
    assert (first.fields["status"], first.fields["shape"]) == (407, "html")
    assert first.fields["message"] == "407 Proxy Authentication Required"
    assert first.at == "2026-11-21T19:57:55.833Z"
    assert first.request == "cb7ab78a-8b44-48b3-9a54-95c573892175"
    attempts = [e for e in only(ev, "retry") if e.fields.get("reason") == "status 407"]
    assert [(e.where.line, e.fields["attempt"], e.fields["max"]) for e in attempts] == [(160, 1, 3)]
    log = [e for e in only(ev, "log") if e.where.line == 160][0]
    assert "Generated by tinyproxy" in log.fields["message"]
    assert [e.where.line for e in only(ev, "proxy-reply")] == [160, 171]


def test_debug_attempt_lines_give_retries_and_sdk_level_connection_errors():
    ev = yields_from_file(claude_log, DEBUG / "tls-unknown-ca-debug.debug.txt")
    attempts = [e for e in only(ev, "retry") if e.fields.get("reason") == "Connection error."]
    assert [e.fields["attempt"] for e in attempts] == list(range(1, 12))
    assert {e.fields["max"] for e in attempts} == {11}
    details = [e for e in only(ev, "tls-error") if e.where.line == 215]
    assert details and details[0].fields["code"] == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"


def test_policy_limits_fetch_failures_map_reason_to_tls_code_or_message():
    tls = [
        e
        for e in only(yields_from_file(claude_log, DEBUG / "tls-unknown-ca-debug.debug.txt"), "tls-error")
        if e.fields.get("via") == "policy-limits"
    ]
    assert tls and tls[0].fields["code"] == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"
    closed = [
        e
        for e in only(yields_from_file(claude_log, DEBUG / "proxy-env-407-tinyproxy.debug.txt"), "connect-error")
        if e.fields.get("via") == "policy-limits"
    ]
    assert closed and closed[0].fields["message"] == "Socket is closed"


@pytest.mark.parametrize(
    "name, kind, code, line",
    [
        ("dns-nxdomain", "connect-error", "FailedToOpenSocket", 158),
        ("tcp-refused", "connect-error", "ConnectionRefused", None),
        ("tls-reset-on-clienthello", "connect-error", "ECONNRESET", 164),
        ("tls-expired", "tls-error", "CERT_HAS_EXPIRED", None),
        ("tls-selfsigned-in-chain", "tls-error", "SELF_SIGNED_CERT_IN_CHAIN", None),
        ("proxy-env-mitm-untrusted", "tls-error", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", 167),
    ],
)
def test_connection_error_details_record_gives_the_real_code(name, kind, code, line):
    found = [
        e for e in only(yields_from_file(claude_log, DEBUG / f"{name}.debug.txt"), kind) if e.fields.get("code") == code
    ]
    assert found
    if line:
        assert found[-1].where.line == line


def test_wrong_host_details_carry_host_and_port_of_the_request():
    tls = [
        e
        for e in only(yields_from_file(claude_log, DEBUG / "tls-wrong-host.debug.txt"), "tls-error")
        if e.fields["code"] == "ERR_TLS_CERT_ALTNAME_INVALID"
    ][0]
    assert (tls.fields["host"], tls.fields["port"]) == ("api.anthropic.com", 8446)


def test_debug_api_errors_parse_the_json_after_the_repeated_status():
    ev = yields_from_file(claude_log, DEBUG / "api-403-request-not-allowed.debug.txt")
    err = [e for e in only(ev, "api-error") if e.where.line == 231][0]
    assert (err.fields["status"], err.fields["error_type"], err.fields["shape"]) == (403, "forbidden", "edge")
    ev = yields_from_file(claude_log, DEBUG / "api-429-rate-limit.debug.txt")
    statuses = {(e.fields["status"], e.fields["error_type"]) for e in only(ev, "api-error")}
    assert statuses == {(429, "rate_limit_error")}


def test_timeout_debug_log_gives_timeout_connect_errors_and_no_api_error():
    ev = yields_from_file(claude_log, DEBUG / "http-no-response-timeout.debug.txt")
    assert {e.fields["code"] for e in only(ev, "connect-error")} == {"TIMEOUT"}
    assert not only(ev, "api-error")


def test_ca_certs_records_carry_extra_certs_path_and_loaded_counts():
    logs = [
        e
        for e in only(yields_from_file(claude_log, DEBUG / "api-401-invalid-key.debug.txt"), "log")
        if e.fields.get("tag") == "ca-certs"
    ]
    assert logs[0].fields["extra_certs_path"] == "/home/dev/certs/root.crt"
    assert logs[0].fields["stores"] == "bundled,system"
    loaded = {(e.fields["store"], e.fields["loaded"]) for e in logs if "loaded" in e.fields}
    assert loaded == {("bundled", 120), ("system", 289)}


def test_repeated_debug_messages_are_logged_at_most_three_times():
    logs = [
        e
        for e in only(yields_from_file(claude_log, DEBUG / "api-401-invalid-key.debug.txt"), "log")
        if e.fields["message"] == "CA certs: Loaded 120 bundled root certificates"
    ]
    assert len(logs) == 3


def test_uninteresting_debug_records_are_not_logged():
    messages = [
        e.fields["message"] for e in only(yields_from_file(claude_log, DEBUG / "api-401-invalid-key.debug.txt"), "log")
    ]
    assert not [m for m in messages if "Writing to temp file" in m or "LSP" in m]
    assert not [m for m in messages if "configureGlobalMTLS" in m]


def test_debug_log_names_version_and_native_bun_runtime():
    clients = only(yields_from_file(claude_log, DEBUG / "api-529-overloaded.debug.txt"), "client")
    assert {e.fields.get("version") for e in clients} == {None, "2.1.197"}
    assert {e.fields.get("runtime") for e in clients} == {"bun", None}


def test_api_request_records_join_the_following_errors_by_client_request_id():
    ev = yields_from_file(claude_log, DEBUG / "api-529-overloaded.debug.txt")
    requests = only(ev, "request")
    assert [e.fields["path"] for e in requests] == ["/r529/v1/messages"] * 3
    errors = [e for e in only(ev, "api-error") if e.where.line in (231, 235, 239)]
    assert [e.request for e in errors] == [r.fields["client_request_id"] for r in requests]


def test_legacy_1_0_records_without_timestamps_and_runtime_errors_in_records():
    text = (
        "[DEBUG] mTLS: Loaded client certificate from CLAUDE_CODE_CLIENT_CERT\n"
        "[DEBUG] Loading settings from /home/dev/.claude/settings.json\n"
        "[ERROR] Error: getaddrinfo ENOTFOUND api.anthropic.com\n"
        "2026-11-21T19:54:11.806Z [ERROR] CA certs: Failed to read NODE_EXTRA_CA_CERTS file (/x.pem): ENOENT\n"
    )
    ev = yields(claude_log, text)
    logs = only(ev, "log")
    assert [e.where.line for e in logs] == [1, 3, 4]
    assert logs[0].fields["tag"] == "mtls" and logs[0].at is None
    assert logs[2].fields["failed"] is True and logs[2].fields["extra_certs_path"] == "/x.pem"
    conn = one(ev, "connect-error")
    assert (conn.where.line, conn.fields["code"], conn.fields["host"]) == (3, "ENOTFOUND", "api.anthropic.com")


# --- robustness --------------------------------------------------------------------------------

ALL_SAMPLES = sorted(p for p in CC.rglob("*") if p.is_file())


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: str(p.relative_to(CC)))
def test_every_claude_code_sample_parses_without_raising(path):
    for e in yields_from_file(claude_log, path):
        assert e.source == "claude-log"
        assert e.where.line is not None and e.where.line >= 1


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b'\x00\x01\x02\xff\xfe API Error: 500 {"type":\n\x00',
        b"API Error: " + b"{" * 5000 + b"x" * 200_000,
        b"Unable to connect to Anthropic services\n",
        b"2026-11-21T19:54:11.806Z [ERROR]\n\n\n",
        b"API Error (unclosed paren \xe2\x8e\xbf",
        b"Failed to connect to api.anthropic.com: " * 2000,
    ],
)
def test_malformed_input_never_raises(data):
    from analyzer.textio import Doc

    list(claude_log.parse(Doc.from_bytes("x.txt", data)))
