"""Every message Claude Code's published packages print for an API, auth or account failure is
diagnosed right.

The table below is read from /work/shared/reference/claude-code-facts.md (a copy of the strings
each version's code holds, with their conditions): section 3.4 auth, 3.5 rate limits, 3.6
overloaded and 5xx, 3.7 credit and size, 3.8 model, 3.9 region, 3.10 credential conflicts, 3.11
overrides, 4.3 doctor, 5 error bodies, plus the real captures of tests/data/reference/claude-code
and anthropic-api. Each row is the exact documented string (a `${...}` slot filled with a value
such a message carries), the versions that print it and the cause it means. The cause must rank
first with confidence 0.5 or more; where the message fits several causes (by the conditions the
reference gives, or by its own words), within the first three, and the row says why. `none`: a
screen that reports no failure, so nothing may reach 0.5.

Each row runs as the bare paste and again beside `claude --version` of each version that prints
it, so a version-gated rule cannot hide behind a missing version.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from analyzer.analysis import analyze_texts, load_ruleset
from analyzer.engine.loader import taxonomy
from tests.conftest import SAMPLES


@dataclass(frozen=True)
class Row:
    section: str  # of claude-code-facts.md
    text: str  # the message as printed, or `sample:<path under tests/data/reference>`
    versions: tuple[str, ...]  # the builds the reference read it in
    cause: str  # a taxonomy id, or "none"
    within: int = 1  # 1: ranked first; 3: the message fits several causes (`why` says which)
    why: str = ""  # why a row accepts a rank below the first
    name: str = "terminal.txt"  # the file name the paste arrives under


OLD = ("1.0.128", "2.0.42")
NEW = ("2.1.330",)
ALL = ("1.0.128", "2.0.42", "2.1.330")
REQ = "req_011CSHoEeqs5C35K2UUqR7Fy"  # the request id of the reference's example body (section 5)


def body(error_type: str, message: str, request_id: str | None = REQ) -> str:
    """Anthropic's error body as the API sends it (section 5)."""
    rid = f',"request_id":"{request_id}"' if request_id else ""
    return f'{{"type":"error","error":{{"type":"{error_type}","message":"{message}"}}{rid}}}'


ROWS: list[Row] = [
    # --- 3.4 auth ---------------------------------------------------------------------------
    Row("3.4", "Invalid API key · Please run /login", OLD, "invalid_api_key"),
    Row("3.4", "Invalid API key · Fix external API key", ALL, "invalid_api_key"),
    Row("3.4", "sample:claude-code/api-401-invalid-key.txt", ("2.1.197",), "invalid_api_key"),
    Row("3.4", "sample:claude-code/debug-logs/api-401-invalid-key.debug.txt", ("2.1.197",), "invalid_api_key"),
    Row("3.4", "OAuth token revoked · Please run /login", ALL, "oauth_token_revoked"),
    Row("3.4", "Your account does not have access to Claude Code. Please run /login.", OLD, "oauth_token_revoked"),
    # What 1.0/2.0 print for a 403 whose body holds "OAuth token has been revoked", when they fall back to the body.
    Row(
        "3.4",
        "API Error: 403 " + body("permission_error", "OAuth token has been revoked.") + " · Please run /login",
        OLD,
        "oauth_token_revoked",
    ),
    Row(
        "3.4",
        "API Error: 401 " + body("authentication_error", "invalid x-api-key") + " · Please run /login",
        OLD,
        "invalid_api_key",
    ),
    Row(
        "3.4",
        "API Error: 401 "
        + body(
            "authentication_error",
            "OAuth token has expired. Please obtain a new token or refresh your existing token.",
        )
        + " · Please run /login",
        OLD,
        "oauth_token_expired",
    ),
    Row(
        "3.4",
        "Claude Opus is not available with the Claude Pro plan. If you have updated your subscription plan"
        " recently, run /logout and /login for the plan to take effect.",
        OLD,
        "permission_denied",
    ),
    Row(
        "3.4",
        "Authentication failed. Please check your API credentials.",
        ("2.0.42",),
        "invalid_api_key",
        within=3,
        why="/model's check says only that authentication failed: a wrong, expired or missing credential",
    ),
    Row("3.4", "Model 'claude-sonet-4-20250514' not found", ("2.0.42",), "model_not_found"),
    Row("3.4", "Not logged in · Please run /login", NEW, "missing_api_key"),
    Row(
        "3.4",
        "Authentication required · Sign in again to continue",
        NEW,
        "oauth_token_expired",
        within=3,
        why="the reference gives no condition: a login that lapsed, or one that was revoked",
    ),
    Row("3.4", "Invalid auth token · Fix external auth token", NEW, "invalid_api_key"),
    Row("3.4", "Login expired · Please run /login", NEW, "oauth_token_expired"),
    Row("3.4", "Login reached its time limit · Please run /login", NEW, "oauth_token_expired"),
    Row("3.4", "Failed to authenticate: OAuth session expired and could not be refreshed", NEW, "oauth_token_expired"),
    Row(
        "3.4",
        "Failed to authenticate: OAuth token revoked. Please log in again or contact your administrator.",
        NEW,
        "oauth_token_revoked",
    ),
    Row(
        "3.4",
        "Your ANTHROPIC_API_KEY belongs to a disabled organization · Update or unset the environment variable",
        NEW,
        "account_disabled",
    ),
    Row(
        "3.4",
        "Your organization has disabled API key authentication · Unset ANTHROPIC_API_KEY and run /login to sign"
        " in with your claude.ai account",
        NEW,
        "auth_method_conflict",
    ),
    Row(
        "3.4",
        "Your organization has disabled Claude subscription access for Claude Code · Use an Anthropic API key"
        " instead, or ask your admin to enable access",
        NEW,
        "permission_denied",
    ),
    Row(
        "3.4",
        "Your apiKeyHelper script is failing · This usually means you need to re-authenticate with your provider"
        " · Run /status to see the script's error output",
        NEW,
        "credential_store_lookup_failed",
    ),
    Row("3.4", "Please run /login · API Error: 401 invalid x-api-key", NEW, "invalid_api_key"),
    Row("3.4", "Failed to authenticate. API Error: 401 invalid x-api-key", NEW, "invalid_api_key"),
    Row(
        "3.4",
        "Failed to authenticate. API Error: 401 OAuth token has expired. Please obtain a new token or refresh"
        " your existing token.",
        NEW,
        "oauth_token_expired",
    ),
    Row("3.4", "sample:claude-code/api-403-request-not-allowed.txt", ("2.1.197",), "geo_restricted"),
    Row("3.4", "sample:claude-code/debug-logs/api-403-request-not-allowed.debug.txt", ("2.1.197",), "geo_restricted"),
    Row(
        "3.4",
        "Gateway refused the request · signing in again won't change this — check with your gateway"
        " administrator · API Error: 403 Forbidden",
        NEW,
        "permission_denied",
    ),
    Row("3.4", "AWS credentials expired or invalid", NEW, "cloud_credentials_invalid"),
    Row("3.4", "AWS authentication failed", NEW, "cloud_credentials_invalid"),
    Row("3.4", "Google Cloud credentials expired or invalid", NEW, "cloud_credentials_invalid"),
    Row("3.4", "Google Cloud authentication failed", NEW, "cloud_credentials_invalid"),
    Row("3.4", "Microsoft Foundry authentication failed", NEW, "cloud_credentials_invalid"),
    Row(
        "3.4",
        "Could not resolve authentication method. Expected either apiKey or authToken to be set. Or for one of"
        ' the "X-Api-Key" or "Authorization" headers to be explicitly omitted',
        OLD,
        "missing_api_key",
    ),
    Row(
        "3.4",
        "Could not resolve authentication method. Expected one of apiKey, authToken, credentials, config, or"
        " profile to be set.",
        NEW,
        "missing_api_key",
    ),
    # --- 3.5 rate limits --------------------------------------------------------------------
    Row("3.5", "Claude AI usage limit reached|1767225600", ("1.0.128",), "rate_limited"),
    Row("3.5", "API Error: Rate limit reached", ("2.0.42",), "rate_limited"),
    Row("3.5", "Session limit reached ∙ resets 5pm", OLD, "rate_limited"),
    Row("3.5", "Weekly limit reached ∙ resets Oct 6, 9am", OLD, "rate_limited"),
    Row("3.5", "Opus weekly limit reached ∙ resets Oct 6, 9am", OLD, "rate_limited"),
    Row("3.5", "Usage limit reached ∙ resets 5pm", OLD, "rate_limited"),
    Row("3.5", "Spending cap reached", OLD, "rate_limited"),
    Row(
        "3.5",
        "API Error: Request rejected (429) · This request would exceed the rate limit for your organization of"
        " 30,000 input tokens per minute.",
        NEW,
        "rate_limited",
    ),
    Row("3.5", "API Error: Request rejected (429) · this may be a temporary capacity issue.", NEW, "rate_limited"),
    Row("3.5", "sample:claude-code/api-429-rate-limit.txt", ("2.1.197",), "rate_limited"),
    Row("3.5", "sample:claude-code/debug-logs/api-429-rate-limit.debug.txt", ("2.1.197",), "rate_limited"),
    # A 429, but the text says it is the server's capacity and not the account's limit.
    Row("3.5", "Server is temporarily limiting requests (not your usage limit)", NEW, "overloaded"),
    Row(
        "3.5",
        "API Error: Usage credits required for 1M context",
        NEW,
        "permission_denied",
        within=3,
        why="the 1M context needs usage credits: a plan without the feature, or no credits left",
    ),
    Row("3.5", "spend limit reached · resets Dec 1", NEW, "rate_limited"),
    Row("3.5", "Approaching weekly limit", OLD, "none"),
    Row("3.5", "Approaching usage limit", OLD, "none"),
    # --- 3.6 overloaded and 5xx -------------------------------------------------------------
    Row("3.6", "Opus is experiencing high load, please use /model to switch to Sonnet", ALL, "overloaded"),
    Row("3.6", "Repeated server overload with Opus model", ("1.0.128",), "overloaded"),
    # The debug log's record of the same (2.0.42 line format, section 4.2).
    Row(
        "3.6",
        "2025-10-01T12:00:00.000Z [ERROR] Error in API request: Repeated 529 Overloaded errors",
        ("2.0.42",),
        "overloaded",
        name="debug.txt",
    ),
    Row("3.6", "API Error: 529 " + body("overloaded_error", "Overloaded"), OLD, "overloaded"),
    Row("3.6", "API Error: " + body("overloaded_error", "Overloaded", None), OLD, "overloaded"),
    Row(
        "3.6",
        "API Error: Repeated 529 Overloaded errors. The API is at capacity — this is usually temporary. Try again"
        " in a moment. If it persists, check https://status.claude.com.",
        NEW,
        "overloaded",
    ),
    Row("3.6", "sample:claude-code/api-529-overloaded.txt", ("2.1.197",), "overloaded"),
    Row("3.6", "sample:claude-code/debug-logs/api-529-overloaded.debug.txt", ("2.1.197",), "overloaded"),
    Row("3.6", "API Error: 500 " + body("api_error", "Internal server error"), OLD, "server_error"),
    Row(
        "3.6",
        "API Error: 500 Internal server error. This is a server-side issue, usually temporary — try again in a"
        " moment. If it persists, check https://status.claude.com.",
        NEW,
        "server_error",
    ),
    Row(
        "3.6",
        "API Error: 502 Bad Gateway. This is a server-side issue, usually temporary — try again in a moment. If"
        " it persists, check your inference gateway (llm-gateway.corp.example).",
        NEW,
        "server_error",
    ),
    Row(
        "3.6",
        "API Error: 503 Service Unavailable. This is a server-side issue, usually temporary — try again in a"
        " moment. If it persists, check your Amazon Bedrock service status.",
        NEW,
        "server_error",
    ),
    # --- 3.7 credit, request and prompt size ------------------------------------------------
    Row("3.7", "Credit balance is too low", ALL, "credit_balance_too_low"),
    Row(
        "3.7",
        "API Error: 400 "
        + body(
            "invalid_request_error",
            "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade"
            " or purchase credits.",
        ),
        OLD,
        "credit_balance_too_low",
    ),
    Row("3.7", "Prompt is too long", ALL, "request_too_large"),
    Row("3.7", "Request too large (max 32 MB).", NEW, "request_too_large"),
    Row("3.7", "Request too large.", NEW, "request_too_large"),
    Row("3.7", "PDF too large. Please double press esc to edit your message and try again.", OLD, "request_too_large"),
    Row(
        "3.7",
        "PDF is password protected. Please double press esc to edit your message and try again.",
        OLD,
        "invalid_request",
    ),
    # --- 3.8 model not found ----------------------------------------------------------------
    Row(
        "3.8",
        "There's an issue with the selected model (claude-sonet-4-20250514). It may not exist or you may not have"
        " access to it. Run /model to pick a different model.",
        NEW,
        "model_not_found",
    ),
    Row(
        "3.8",
        "The model claude-opus-4-1 is not available on your Microsoft Foundry deployment.",
        NEW,
        "model_not_found",
    ),
    Row(
        "3.8",
        "The model claude-opus-4-1 is not available on your Amazon Bedrock deployment.",
        NEW,
        "bedrock_model_access",
    ),
    Row(
        "3.8",
        "The model claude-opus-4-1 is not available on your Google Vertex AI deployment.",
        NEW,
        "vertex_model_id_mismatch",
    ),
    Row(
        "3.8",
        "API Error (us.anthropic.claude-opus-4-1-20250805-v1:0): The provided model identifier is invalid."
        " · enable this model for your account and region in the Amazon Bedrock console",
        NEW,
        "bedrock_model_access",
    ),
    Row(
        "3.8",
        "API Error: 404 " + body("not_found_error", "model: claude-3-5-sonnet-20241022x"),
        OLD,
        "model_not_found",
    ),
    # --- 3.9 region -------------------------------------------------------------------------
    Row(
        "3.9",
        "API Error: Request blocked before it reached Anthropic's API (HTTP 403) · the network this request came"
        " from isn't allowed: usually an unsupported region, or a VPN, proxy or hosting network · signing in again"
        " won't change this · check your VPN or network and retry · supported regions:"
        " https://anthropic.com/supported-countries",
        ("2.1.317", "2.1.330"),
        "geo_restricted",
    ),
    Row(
        "3.9",
        "a network edge refused the connection before it reached Anthropic's server (HTTP 403 — Anthropic's CDN"
        " enforcing a region or network policy, or a Cloudflare gateway on this network) rather than this"
        " session; this often follows a VPN or network change",
        NEW,
        "geo_restricted",
        within=3,
        why="the text itself names a region policy, a network policy or a Cloudflare gateway on the network",
    ),
    Row("3.9", 'API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}', OLD, "geo_restricted"),
    Row("3.9", "sample:anthropic-api/public/403-request-not-allowed-region-block.txt", (), "geo_restricted"),
    # --- 3.10 credential conflicts ----------------------------------------------------------
    Row(
        "3.10",
        "Auth conflict: Using ANTHROPIC_AUTH_TOKEN instead of Claude account subscription token. Either unset"
        " ANTHROPIC_AUTH_TOKEN, or run `claude /logout`.",
        OLD,
        "auth_method_conflict",
    ),
    Row(
        "3.10",
        "Auth conflict: Using apiKeyHelper instead of Claude account subscription token. Either unset"
        " apiKeyHelper, or run `claude /logout`.",
        OLD,
        "auth_method_conflict",
    ),
    Row(
        "3.10",
        "Auth conflict: Using ANTHROPIC_API_KEY instead of Anthropic Console key. Either unset ANTHROPIC_API_KEY,"
        " or run `claude /logout`.",
        OLD,
        "auth_method_conflict",
    ),
    Row(
        "3.10",
        "Auth conflict: Both a token (ANTHROPIC_AUTH_TOKEN) and an API key (ANTHROPIC_API_KEY) are set. This may"
        " lead to unexpected behavior.\n"
        "  • Trying to use ANTHROPIC_AUTH_TOKEN? Unset the ANTHROPIC_API_KEY environment variable, or claude"
        ' /logout then say "No" to the API key approval before login.\n'
        "  • Trying to use ANTHROPIC_API_KEY? Unset the ANTHROPIC_AUTH_TOKEN environment variable.",
        OLD,
        "auth_method_conflict",
    ),
    Row(
        "3.10",
        "ANTHROPIC_API_KEY overriding Claude subscription login\nunset it or /logout to sign it out",
        NEW,
        "auth_method_conflict",
    ),
    Row(
        "3.10",
        "apiKeyHelper overriding saved Console key\nunset it or /logout to clear the saved key",
        NEW,
        "auth_method_conflict",
    ),
    Row(
        "3.10",
        "Both ANTHROPIC_AUTH_TOKEN and ANTHROPIC_API_KEY set · auth may not work as expected",
        NEW,
        "auth_method_conflict",
    ),
    Row("3.10", "Using ANTHROPIC_API_KEY instead of your Anthropic profile", NEW, "auth_method_conflict"),
    # --- 3.11 base URL and env overrides (with the failure they come with) ------------------
    Row(
        "3.11",
        "Overrides (via env):\n  • API Base URL: http://127.0.0.1:4000\n\nAPI Error: Connection error.",
        ("1.0.128",),
        "local_gateway_not_running",
        within=3,
        why="1.0.128 names no code for a refused connection (Connection error.): the local gateway is the likeliest",
    ),
    Row(
        "3.11",
        "Anthropic base URL: http://127.0.0.1:4000\n\n"
        "API Error: Connection refused — a firewall or proxy may be blocking it (ConnectionRefused)",
        NEW,
        "local_gateway_not_running",
    ),
    Row(
        "3.11",
        "Anthropic base URL: https://llm-gateway.corp.example\n\n"
        "API Error: 502 Bad Gateway. This is a server-side issue, usually temporary — try again in a moment. If"
        " it persists, check your inference gateway (llm-gateway.corp.example).",
        NEW,
        "server_error",
        within=3,
        why="a 5xx behind a custom base URL: Claude Code calls it server-side and points at the gateway, whose"
        " upstream or itself may be failing",
    ),
    Row(
        "3.11",
        "API Configuration\n  L API Provider: AWS Bedrock\n  L AWS Region: us-east-1\n\n"
        "API Error (us.anthropic.claude-opus-4-1-20250805-v1:0): The provided model identifier is invalid.",
        ("1.0.128",),
        "bedrock_model_access",
    ),
    Row("3.11", "Overrides (via env):\n  • API Base URL: https://llm-gateway.corp.example", ("1.0.128",), "none"),
    # --- 4.3 doctor (no network check: a healthy screen names nothing) ----------------------
    Row(
        "4.3",
        "Diagnostics\n└ Currently running: npm-global (1.0.128)\n└ Path: /usr/local/bin/node\n"
        "└ Invoked: /usr/local/bin/claude\n└ Config install method: global\n└ Auto-updates enabled: true\n"
        "└ Update permissions: Yes\n└ Search: OK (vendor)",
        ("1.0.128",),
        "none",
    ),
    Row(
        "4.3",
        "Diagnostics\n└ Currently running: npm-global (2.0.42)\n└ Package manager: npm\n"
        "└ Path: /usr/local/bin/node\n└ Invoked: /usr/local/bin/claude\n└ Config install method: global\n"
        "└ Auto-updates: Managed by package manager\n└ Update permissions: Yes\n└ Search: OK (bundled)\n"
        "Warning: Multiple installations found\n└ npm-global at /usr/local/bin/claude\n"
        "└ native at /home/dev/.local/bin/claude",
        ("2.0.42",),
        "none",
    ),
    Row(
        "4.3",
        "Claude Code doctor\n\nRunning: native (2.1.330)\nCommit: 0123456789ab\nPlatform: linux-x64\n"
        "Package manager: native\nPath: /home/dev/.local/bin/claude\nConfig install method: native\n"
        "Search: OK (bundled)\nAuto-updates: enabled\nAuto-update channel: latest\n"
        "Last update attempt: none recorded\nAPI provider: Amazon Bedrock (chosen by your organization)\n"
        "Remote Control\nNo installation issues found.\n"
        "For a full setup checkup that can also fix issues, run /doctor in a Claude Code session.",
        NEW,
        "none",
    ),
    Row(
        "4.3",
        "Claude Code doctor\n\nRunning: native (2.1.330)\nPlatform: linux-x64\nSearch: OK (bundled)\n"
        "No installation issues found.\n\n$ claude -p hi\nInvalid API key · Fix external API key",
        NEW,
        "invalid_api_key",
    ),
    # --- 5 error bodies: each documented status and error type, in the shapes clients print --
    Row(
        "5",
        body("invalid_request_error", 'messages: roles must alternate between \\"user\\" and \\"assistant\\"'),
        ALL,
        "invalid_request",
        name="error.json",
    ),
    Row("5", body("authentication_error", "invalid x-api-key"), ALL, "invalid_api_key", name="error.json"),
    # The reference gives no message for a 402; the slot holds a neutral one.
    Row("5", body("billing_error", "Billing error"), NEW, "credit_balance_too_low", name="error.json"),
    Row(
        "5",
        body("permission_error", "Your API key does not have permission to use the specified resource."),
        ALL,
        "permission_denied",
        name="error.json",
    ),
    Row("5", body("not_found_error", "model: claude-3-opus-20240229"), ALL, "model_not_found", name="error.json"),
    Row(
        "5", body("request_too_large", "Request exceeds the maximum size"), ALL, "request_too_large", name="error.json"
    ),
    Row(
        "5",
        body(
            "rate_limit_error",
            "This request would exceed the rate limit for your organization of 30,000 input tokens per minute.",
        ),
        ALL,
        "rate_limited",
        name="error.json",
    ),
    Row("5", body("api_error", "Internal server error"), ALL, "server_error", name="error.json"),
    Row("5", body("overloaded_error", "Overloaded"), ALL, "overloaded", name="error.json"),
    Row(
        "5", '{"error":{"type":"forbidden","message":"Request not allowed"}}', NEW, "geo_restricted", name="error.json"
    ),
    Row(
        "5",
        "BadRequestError: 400 "
        + body("invalid_request_error", 'messages: roles must alternate between \\"user\\" and \\"assistant\\"'),
        (),
        "invalid_request",
        name="traceback.txt",
    ),
    Row(
        "5",
        "NotFoundError: 404 model: claude-3-opus-20240229 (request_id: req_011CMOCK0000000000000001, path:"
        " /v1/messages, type: not_found_error)",
        (),
        "model_not_found",
        name="traceback.txt",
    ),
    Row(
        "5",
        "anthropic.InternalServerError: Error code: 500 - {'type': 'error', 'error': {'type': 'api_error',"
        " 'message': 'Internal server error'}, 'request_id': '" + REQ + "'}",
        (),
        "server_error",
        name="traceback.txt",
    ),
    Row(
        "5",
        "anthropic.APIStatusError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error',"
        " 'message': 'Overloaded'}, 'request_id': '" + REQ + "'}",
        (),
        "overloaded",
        name="traceback.txt",
    ),
    Row(
        "5",
        "anthropic.RateLimitError: Error code: 429 - {'type': 'error', 'error': {'type': 'rate_limit_error',"
        " 'message': 'This request would exceed the rate limit for your organization of 30,000 input tokens per"
        " minute.'}, 'request_id': '" + REQ + "'}",
        (),
        "rate_limited",
        name="traceback.txt",
    ),
    Row(
        "5",
        'API Error: 400 messages: roles must alternate between "user" and "assistant"',
        NEW,
        "invalid_request",
    ),
    Row(
        "5", "API Error: 413 " + body("request_too_large", "Request exceeds the maximum size"), OLD, "request_too_large"
    ),
    Row(
        "5",
        "API Error: 403 "
        + body("permission_error", "Your API key does not have permission to use the specified resource.")
        + " · Please run /login",
        OLD,
        "permission_denied",
    ),
]


def _inputs(row: Row) -> str:
    if row.text.startswith("sample:"):
        return (SAMPLES / row.text.removeprefix("sample:")).read_text(encoding="utf-8")
    return row.text


def _cases() -> list:
    out = []
    for i, row in enumerate(ROWS):
        label = f"{row.section}-{i:03d}-{row.cause}"
        out.append(pytest.param(row, None, id=label))
        for version in row.versions:
            out.append(pytest.param(row, version, id=f"{label}-v{version}"))
    return out


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


@pytest.mark.parametrize(("row", "version"), _cases())
def test_a_documented_message_names_its_cause(row: Row, version: str | None, ruleset):
    files = {row.name: _inputs(row)}
    if version:
        files["version.txt"] = f"$ claude --version\n{version} (Claude Code)\n"
    d = analyze_texts(files, ruleset)
    ranked = [f.cause for f in d.findings]
    shown = [(f.cause, round(f.confidence, 2), f.rule) for f in d.findings[:4]]
    if row.cause == "none":
        assert [f for f in d.findings if f.confidence >= 0.5] == [], shown
        return
    assert row.cause in ranked[: row.within], shown
    if row.within == 1:
        assert d.findings[0].confidence >= 0.5, shown


def test_the_table_is_well_formed():
    causes = set(taxonomy())
    for row in ROWS:
        assert row.cause in causes | {"none"}, row
        assert (row.within > 1) == bool(row.why), row  # a lower rank says why
        if row.text.startswith("sample:"):
            assert (SAMPLES / row.text.removeprefix("sample:")).is_file(), row
