"""sdk source: Python/Node/Bun/Go/Java client errors and bare Anthropic error JSON documents."""

from __future__ import annotations

import pytest

from analyzer.sources import sdk
from analyzer.textio import Doc
from tests.conftest import SAMPLES, one, yields, yields_from_file
from tests.conftest import of_kind as only

PY = SAMPLES / "python"
NODE = SAMPLES / "node"


# --- sniff -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "head",
    [
        'Traceback (most recent call last):\n  File "a.py", line 1, in <module>\n',
        "Error: connect ECONNREFUSED 127.0.0.1:443\n",
        "TypeError: fetch failed\n  [cause]: Error: getaddrinfo ENOTFOUND x\n",
        "AxiosError: Request failed with status code 407\n",
        "anthropic.APIConnectionError: Connection error.\n",
        "httpx.ConnectError: [Errno 111] Connection refused\n",
        "builtins.ConnectionResetError: [Errno 104] Connection reset by peer\n",
        "Anthropic AuthenticationError: Error code: 401- {type ':' error}\n",
        '{"type":"rate_limit_error","message":"This request would exceed your organization\'s rate limit"}',
        '{"error":{"type":"forbidden","message":"Request not allowed"}}',
        "2024-12-19 22:34:57.378 ERROR (MainThread) [x] Handshake failed with status: 400\n",
        'Post "https://api.anthropic.com": tls: failed to verify certificate: x509: certificate signed by unknown\n',
        "javax.net.ssl.SSLHandshakeException: PKIX path building failed\n",
        "URLError <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed>\n",
    ],
)
def test_sniff_accepts_runtime_error_signatures(head):
    assert sdk.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        "*   Trying 127.0.0.1:443...\n< HTTP/2 200\n",
        "HTTPS_PROXY=http://proxy:8080\n",
        '{"env": {"ANTHROPIC_BASE_URL": "https://x"}}',
        "an error happened somewhere\n",
    ],
)
def test_sniff_rejects_other_formats_and_generic_words(head):
    assert not sdk.sniff(head)


# --- Python ------------------------------------------------------------------------------------


def test_requests_refused_names_host_port_and_every_chained_exception():
    ev = yields_from_file(sdk, PY / "tcp-refused.requests.txt")
    assert [e.where.line for e in only(ev, "exception")] == [2, 3, 4, 5]
    assert only(ev, "exception")[0].fields["type"] == "requests.exceptions.ConnectionError"
    conn = one(ev, "connect-error")  # the cause chain restates one failure: emitted once
    assert (conn.where.line, conn.fields["code"], conn.fields["host"], conn.fields["port"]) == (
        2,
        "ECONNREFUSED",
        "api.anthropic.com",
        9996,
    )


@pytest.mark.parametrize(
    "name, code",
    [
        ("dns-nxdomain.requests.txt", "ENOTFOUND"),
        ("dns-nxdomain.httpx.txt", "ENOTFOUND"),
        ("dns-nxdomain.urllib.txt", "ENOTFOUND"),
        ("dns-servfail.requests.txt", "EAI_AGAIN"),
        ("dns-servfail.httpx.txt", "EAI_AGAIN"),
        ("tcp-refused.urllib.txt", "ECONNREFUSED"),
        ("tcp-connect-timeout.requests.txt", "ETIMEDOUT"),
        ("tcp-connect-timeout.httpx.txt", "ETIMEDOUT"),
        ("http-conn-reset.requests.txt", "ECONNRESET"),
        ("http-conn-reset.urllib.txt", "ECONNRESET"),
        ("http-no-response-timeout.httpx.txt", "TIMEOUT"),
        ("http-no-response-timeout.requests.txt", "TIMEOUT"),
    ],
)
def test_python_network_errors_map_to_node_style_codes(name, code):
    assert one(yields_from_file(sdk, PY / name), "connect-error").fields["code"] == code


def test_requests_name_resolution_error_names_the_host():
    conn = one(yields_from_file(sdk, PY / "dns-servfail.requests.txt"), "connect-error")
    assert (conn.fields["host"], conn.fields["code"]) == ("api.servfail.test", "EAI_AGAIN")


@pytest.mark.parametrize("client", ["requests", "httpx", "urllib", "anthropic"])
@pytest.mark.parametrize(
    "scenario, code",
    [
        ("tls-selfsigned-in-chain", "SELF_SIGNED_CERT_IN_CHAIN"),
        ("tls-selfsigned-leaf", "DEPTH_ZERO_SELF_SIGNED_CERT"),
        ("tls-unknown-ca", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
        ("tls-missing-intermediate", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
        ("tls-expired", "CERT_HAS_EXPIRED"),
        ("tls-wrong-host", "ERR_TLS_CERT_ALTNAME_INVALID"),
    ],
)
def test_python_certificate_verify_failures_map_reason_to_code(client, scenario, code):
    tls = one(yields_from_file(sdk, PY / f"{scenario}.{client}.txt"), "tls-error")
    assert tls.fields["code"] == code
    assert "_ssl.c" not in tls.fields["reason"]


def test_requests_tls_error_keeps_host_and_port():
    tls = one(yields_from_file(sdk, PY / "tls-expired.requests.txt"), "tls-error")
    assert (tls.fields["host"], tls.fields["port"]) == ("api.anthropic.com", 8445)


def test_python_313_strict_x509_rejections_get_their_own_code():
    ev = yields_from_file(sdk, PY / "python313-x509-strict.txt")
    tls = only(ev, "tls-error")
    assert [(e.where.line, e.fields["code"]) for e in tls] == [(6, "X509_STRICT"), (8, "X509_STRICT")]
    assert tls[1].fields["reason"] == "Basic Constraints of CA cert not marked critical"
    assert {e.fields["version"] for e in only(ev, "client")} == {"3.11.7", "3.12.1", "3.13.0"}


@pytest.mark.parametrize("client", ["requests", "httpx", "urllib", "anthropic"])
def test_proxy_407_tunnel_failures_are_proxy_replies(client):
    reply = one(yields_from_file(sdk, PY / f"proxy-env-407-tinyproxy.{client}.txt"), "proxy-reply")
    assert (reply.fields["status"], reply.fields["reason"]) == (407, "Proxy Authentication Required")


def test_anthropic_python_sdk_dict_repr_body_becomes_api_error():
    err = one(yields_from_file(sdk, PY / "api-401.anthropic.txt"), "api-error")
    assert err.where.line == 2
    assert (err.fields["status"], err.fields["error_type"], err.fields["shape"]) == (
        401,
        "authentication_error",
        "anthropic",
    )
    assert err.fields["message"] == "invalid x-api-key"
    assert err.fields["request_id"] == "req_011CMOCK0000000000000001"
    assert err.fields["client"] == "anthropic-sdk-python"


def test_machine_translated_authentication_error_falls_back_to_regexes():
    ev = yields(
        sdk,
        "Raise self_ Make status error from None (err. response)\n"
        "Anthropic AuthenticationError: Error code: 401- {type ':' error ',' error ': {type': "
        "'authentication_error', 'message': 'invalid x-api-key'}}\n",
    )
    assert one(ev, "exception").fields["type"] == "anthropic.AuthenticationError"
    err = one(ev, "api-error")
    assert (err.where.line, err.fields["status"], err.fields["error_type"], err.fields["message"]) == (
        2,
        401,
        "authentication_error",
        "invalid x-api-key",
    )


def test_traceback_credit_balance_400_is_an_invalid_request_error():
    text = (
        "Traceback (most recent call last):\n"
        '  File "/home/u/app.py", line 12, in <module>\n'
        "    raise self._make_status_error_from_response(err.response) from None\n"
        "anthropic.BadRequestError: Error code: 400 - {'type': 'error', 'error': {'type': 'invalid_request_error',"
        " 'message': 'Your credit balance is too low to access the Anthropic API.'}}\n"
    )
    ev = yields(sdk, text)
    assert one(ev, "exception").where.line == 4
    err = one(ev, "api-error")
    assert (err.fields["status"], err.fields["error_type"]) == (400, "invalid_request_error")
    assert "credit balance is too low" in err.fields["message"]


@pytest.mark.parametrize(
    "name, codes",
    [
        ("tcp-refused.anthropic.txt", ["CONNECTION_ERROR", "ECONNREFUSED"]),
        ("tcp-connect-timeout.anthropic.txt", ["TIMEOUT", "ETIMEDOUT"]),
        ("http-no-response-timeout.anthropic.txt", ["TIMEOUT"]),
    ],
)
def test_anthropic_connection_errors_give_sdk_code_then_the_cause_code(name, codes):
    conns = only(yields_from_file(sdk, PY / name), "connect-error")
    assert [e.fields["code"] for e in conns] == codes
    assert "host" not in conns[0].fields  # the docs URL in the timeout message is not the API host


def test_empty_reply_has_a_message_but_no_invented_code():
    conns = only(yields_from_file(sdk, PY / "http-conn-reset.anthropic.txt"), "connect-error")
    assert conns[-1].fields == {"message": "Server disconnected without sending a response."}


def test_windows_and_proxy_connect_failures():
    ev = yields(
        sdk,
        "requests.exceptions.ProxyError: HTTPSConnectionPool(host='api.anthropic.com', port=443): Max "
        "retries exceeded (Caused by ProxyError('Cannot connect to proxy.', NewConnectionError('<x>: "
        "Failed to establish a new connection: [WinError 10061] No connection could be made')))\n",
    )
    conn = one(ev, "connect-error")
    assert (conn.fields["code"], conn.fields["proxy"]) == ("ECONNREFUSED", True)


# --- Node --------------------------------------------------------------------------------------


def test_node_inspect_properties_are_folded_into_the_header_error():
    text = (
        "Error: connect ECONNREFUSED ::1:443\n"
        "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16) {\n"
        "  errno: -61,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '::1',\n  port: 443\n}\n"
        "Node.js v20.11.1\n"
    )
    ev = yields(sdk, text)
    conn = one(ev, "connect-error")
    assert conn.where.line == 1
    assert (conn.fields["code"], conn.fields["syscall"], conn.fields["address"], conn.fields["port"]) == (
        "ECONNREFUSED",
        "connect",
        "::1",
        443,
    )
    assert one(ev, "client").fields == {"name": "node", "version": "20.11.1"}


def test_undici_cause_block_gives_code_and_hostname():
    ev = yields_from_file(sdk, NODE / "dns-nxdomain.fetch.txt")
    assert [e.fields["type"] for e in only(ev, "exception")] == ["TypeError", "Error"]
    conn = one(ev, "connect-error")
    assert (conn.fields["code"], conn.fields["host"], conn.fields["syscall"]) == (
        "ENOTFOUND",
        "nonexistent.invalid",
        "getaddrinfo",
    )


NODE_CASES = [
    ("tcp-refused", "connect-error", "ECONNREFUSED"),
    ("tcp-connect-timeout", "connect-error", "ETIMEDOUT"),
    ("tcp-host-unreachable", "connect-error", "EHOSTUNREACH"),
    ("tcp-net-unreachable", "connect-error", "ENETUNREACH"),
    ("dns-servfail", "connect-error", "EAI_AGAIN"),
    ("http-conn-reset", "connect-error", "ECONNRESET"),
    ("tls-selfsigned-in-chain", "tls-error", "SELF_SIGNED_CERT_IN_CHAIN"),
    ("tls-selfsigned-leaf", "tls-error", "DEPTH_ZERO_SELF_SIGNED_CERT"),
    ("tls-missing-intermediate", "tls-error", "UNABLE_TO_VERIFY_LEAF_SIGNATURE"),
    ("tls-unknown-ca", "tls-error", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
    ("tls-expired", "tls-error", "CERT_HAS_EXPIRED"),
    ("tls-wrong-host", "tls-error", "ERR_TLS_CERT_ALTNAME_INVALID"),
]


@pytest.mark.parametrize(
    "client, scenario, kind, code",
    [
        (client, *case)
        for client in ("https", "fetch", "axios", "sdk")
        for case in NODE_CASES
        if not (client == "sdk" and case[0] == "tcp-connect-timeout")  # the SDK's own 8 s timeout fires first
    ],
)
def test_node_clients_report_the_same_code(client, scenario, kind, code):
    found = [
        e for e in only(yields_from_file(sdk, NODE / f"{scenario}.{client}.txt"), kind) if e.fields.get("code") == code
    ]
    assert found


def test_sdk_connect_timeout_is_a_timeout():
    assert one(yields_from_file(sdk, NODE / "tcp-connect-timeout.sdk.txt"), "connect-error").fields["code"] == "TIMEOUT"


def test_https_to_plain_port_is_a_tls_protocol_error():
    assert one(yields_from_file(sdk, NODE / "tls-https-to-plain-http-port.https.txt"), "tls-error").fields == {
        "code": "EPROTO",
        "reason": "wrong version number",
    }
    assert [
        e.fields["code"]
        for e in only(yields_from_file(sdk, NODE / "tls-https-to-plain-http-port.fetch.txt"), "tls-error")
    ] == ["ERR_SSL_WRONG_VERSION_NUMBER"]


def test_undici_empty_reply_is_und_err_socket():
    assert (
        one(yields_from_file(sdk, NODE / "http-empty-reply.fetch.txt"), "connect-error").fields["code"]
        == "UND_ERR_SOCKET"
    )


def test_axios_http_statuses_are_responses_not_transport_errors():
    for status in (401, 403, 429, 529):
        ev = yields_from_file(sdk, NODE / f"api-{status}{'-forbidden' if status == 403 else ''}.axios.txt")
        assert one(ev, "response").fields["status"] == status
        assert not only(ev, "connect-error")
        assert one(ev, "client").fields == {"name": "axios", "version": "1.21.1"}
    assert one(yields_from_file(sdk, NODE / "proxy-env-407-tinyproxy.axios.txt"), "response").fields["status"] == 407


def test_axios_timeout_keeps_the_axios_code():
    assert (
        one(yields_from_file(sdk, NODE / "http-no-response-timeout.axios.txt"), "connect-error").fields["code"]
        == "ECONNABORTED"
    )


@pytest.mark.parametrize(
    "name, status, error_type",
    [
        ("api-401.sdk.txt", 401, "authentication_error"),
        ("api-429.sdk.txt", 429, "rate_limit_error"),
        ("api-529.sdk.txt", 529, "overloaded_error"),
        ("api-403-forbidden.sdk.txt", 403, "forbidden"),
    ],
)
def test_typescript_sdk_status_errors_become_api_errors(name, status, error_type):
    err = one(yields_from_file(sdk, NODE / name), "api-error")
    assert (err.fields["status"], err.fields["error_type"], err.fields["client"]) == (
        status,
        error_type,
        "anthropic-sdk-js",
    )
    assert err.fields["request_id"].startswith("req_011CMOCK")


def test_python_sdk_2_prints_the_typescript_shape_and_stays_python():
    # lab/py-anthropic-2.17.0-baseurl-v1-suffix/terminal.txt, last line
    line = (
        "anthropic.NotFoundError: 404 Not Found (request_id: req_011CMOCK0000000000000001, "
        "path: /v1/v1/messages, type: not_found_error)\n"
    )
    err = one(yields(sdk, line), "api-error")
    assert (err.fields["status"], err.fields["client"]) == (404, "anthropic-sdk-python")


def test_typescript_sdk_error_line_with_colon():
    err = one(
        yields(sdk, 'RateLimitError: 429 {"type":"error","error":{"type":"rate_limit_error","message":"slow"}}\n'),
        "api-error",
    )
    assert (err.fields["status"], err.fields["message"]) == (429, "slow")


def test_sdk_debug_log_gives_requests_failed_responses_retries_and_versions():
    ev = yields_from_file(sdk, NODE / "sdk-ANTHROPIC_LOG-debug-429.txt")
    requests = only(ev, "request")
    assert [(e.where.line, e.request, e.fields["host"]) for e in requests] == [
        (1, "log_e3d41f", "api.anthropic.com"),
        (46, "log_f58f13", "api.anthropic.com"),
    ]
    responses = only(ev, "response")
    assert [(e.where.line, e.fields["status"], e.fields["request_id"]) for e in responses] == [
        (27, 429, "req_011CMOCK0000000000000002"),
        (73, 429, "req_011CMOCK0000000000000002"),
    ]
    retry = one(ev, "retry")
    assert (retry.where.line, retry.fields["remaining"], retry.request) == (27, 1, "log_e3d41f")
    clients = {(e.fields["name"], e.fields["version"]) for e in only(ev, "client")}
    assert clients == {("anthropic-sdk-js", "1.12.0"), ("node", "20.20.2")}
    assert one(ev, "api-error").where.line == 101


def test_node_certificate_dump_yields_subject_and_issuer_per_depth():
    certs = only(yields_from_file(sdk, NODE / "tls-wrong-host.https.txt"), "certificate")
    assert [(e.fields["depth"], e.fields["subject"], e.fields["issuer"]) for e in certs] == [
        (0, "CN=wrong.example", "C=US, O=Diag Test Lab, CN=Diag Test Issuing CA 1"),
        (1, "C=US, O=Diag Test Lab, CN=Diag Test Issuing CA 1", "C=US, O=Diag Test Lab, CN=Diag Test Root CA"),
        (2, "C=US, O=Diag Test Lab, CN=Diag Test Root CA", "C=US, O=Diag Test Lab, CN=Diag Test Root CA"),
    ]


def test_bun_error_block_gives_its_code_and_the_url_host():
    ev = yields(
        sdk,
        "error: Unable to connect. Is the computer able to access the url?\n"
        '  path: "https://api.anthropic.com/v1/messages",\n errno: 0,\n  code: "ConnectionRefused"\n\n'
        "Bun v1.2.19 (Linux x64)\n",
    )
    conn = one(ev, "connect-error")
    assert (conn.where.line, conn.fields["code"], conn.fields["host"]) == (1, "ConnectionRefused", "api.anthropic.com")
    assert one(ev, "client").fields == {"name": "bun", "version": "1.2.19"}


def test_bun_dns_failure_text_maps_to_failed_to_open_socket():
    conn = one(yields(sdk, "error: Was there a typo in the url or port?\n"), "connect-error")
    assert conn.fields["code"] == "FailedToOpenSocket"


# --- Go, Java, application logs ----------------------------------------------------------------


@pytest.mark.parametrize(
    "line, kind, fields",
    [
        (
            'Post "https://api.anthropic.com/v1/messages": tls: failed to verify certificate: x509: certificate '
            "signed by "
            "unknown authority",
            "tls-error",
            {"code": "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "host": "api.anthropic.com"},
        ),
        (
            "x509: certificate has expired or is not yet valid: current time 2026-11-21",
            "tls-error",
            {"code": "CERT_HAS_EXPIRED"},
        ),
        (
            'Post "https://api.anthropic.com/v1/messages": dial tcp: lookup api.anthropic.com on 127.0.0.53:53: no '
            "such host",
            "connect-error",
            {"code": "ENOTFOUND", "host": "api.anthropic.com"},
        ),
        (
            "dial tcp 160.79.104.10:443: connect: connection refused",
            "connect-error",
            {"code": "ECONNREFUSED", "address": "160.79.104.10", "port": 443},
        ),
        (
            "javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath."
            "SunCertPathBuilderException: unable to find valid certification path to requested target",
            "tls-error",
            {"code": "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"},
        ),
        (
            "Login failed: getaddrinfo ETIMEOUT platform.claude.com",
            "connect-error",
            {"code": "ETIMEOUT", "host": "platform.claude.com", "syscall": "getaddrinfo"},
        ),
    ],
)
def test_go_java_and_bare_node_messages(line, kind, fields):
    found = one(yields(sdk, line + "\n"), kind)
    for key, value in fields.items():
        assert found.fields[key] == value, key


def test_application_log_status_in_error_context_is_a_response():
    ev = yields(
        sdk,
        "2024-12-19 22:34:57.378 ERROR (MainThread) [custom_components.llmvision.config_flow] Handshake "
        "failed with status: 400\n"
        "2024-12-19 22:34:57.379 ERROR (MainThread) [x] Could not connect to Anthropic server.\n"
        "INFO request ok status: 200\n",
    )
    assert [(e.where.line, e.fields["status"]) for e in only(ev, "response")] == [(1, 400)]


def test_http_status_words_without_error_context_are_ignored():
    assert not only(yields(sdk, "GET /v1/models HTTP/1.1 404 took 3ms\nstatus: 401 remaining 5\n"), "response")


# --- bare API error JSON documents --------------------------------------------------------------


def test_bare_inner_rate_limit_object_infers_429():
    text = (
        '{"type":"rate_limit_error","message":"This request would exceed your organization\'s rate limit of '
        '10,000 input tokens per minute (org: x, model: claude-sonnet-4-20250514)."}'
    )
    err = one(yields(sdk, text, "api-error.json"), "api-error")
    assert (err.where.line, err.fields["status"], err.fields["status_inferred"]) == (1, 429, True)
    assert err.fields["error_type"] == "rate_limit_error"
    assert err.fields["message"].startswith("This request would exceed")


def test_full_anthropic_error_document_and_edge_block_document():
    full = one(
        yields(
            sdk,
            '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},'
            '"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"}',
            "e.json",
        ),
        "api-error",
    )
    assert (full.fields["status"], full.fields["shape"], full.fields["request_id"]) == (
        401,
        "anthropic",
        "req_011CSHoEeqs5C35K2UUqR7Fy",
    )
    edge = one(yields(sdk, '{"error":{"type":"forbidden","message":"Request not allowed"}}\n', "e.json"), "api-error")
    assert (edge.fields["status"], edge.fields["shape"], edge.fields["status_inferred"]) == (403, "edge", True)


def test_json_document_that_is_not_an_error_yields_nothing():
    assert yields(sdk, '{"type": "message", "content": []}', "m.json") == []


# --- shared behaviour --------------------------------------------------------------------------


def test_lines_owned_by_claude_log_are_left_to_it():
    ev = yields(
        sdk,
        "API Error: Unable to connect to API (ECONNRESET)\n"
        "    ⎿  Error (self signed certificate in certificate chain) (SELF_SIGNED_CERT_IN_CHAIN)\n",
    )
    assert ev == []


@pytest.mark.parametrize(
    "text, name, version",
    [
        ("$ pip install anthropic==0.47.0\n", "anthropic-sdk-python", "0.47.0"),
        ("'user-agent': 'Anthropic/JS 1.12.0',\n", "anthropic-sdk-js", "1.12.0"),
        ("User-Agent: axios/1.21.1\n", "axios", "1.21.1"),
    ],
)
def test_client_versions(text, name, version):
    assert one(yields(sdk, text), "client").fields == {"name": name, "version": version}


def test_gate_finds_the_same_lines_with_and_without_the_accelerator():
    lines = (NODE / "tls-wrong-host.axios.txt").read_text().splitlines() * 3
    fast = sdk.Gate(sdk.GATE_WORDS)
    plain = sdk.Gate(sdk.GATE_WORDS)
    plain.automaton = None
    hits = [hit for _, _, hit in plain.lines(iter(lines))]
    assert any(hits) and not all(hits)
    assert [hit for _, _, hit in fast.lines(iter(lines))] == hits


def test_a_long_read_finds_the_same_lines_with_a_hyperscan_database():
    """After sdk._HS_AFTER batches the gate may search with Hyperscan: the same lines, words as written
    and folded ones in any case (non-ASCII text included)."""
    pytest.importorskip("hyperscan")
    lines = (NODE / "tls-wrong-host.axios.txt").read_text().splitlines() * 400
    lines += ["İstanbul: the QUOKKA Overflowed", "ünïcödé quokka overflowed", "Error here"]
    words = (sdk.GATE_WORDS, ("quokka overflowed", "tls"))
    fast, plain = sdk.Gate(*words), sdk.Gate(*words)
    plain.db = plain.folded_db = False  # never compiled
    hits = [hit for _, _, hit in fast.lines(iter(lines))]
    assert fast.db and fast.folded_db and len(lines) > sdk._HS_AFTER * sdk._BATCH
    assert hits == [hit for _, _, hit in plain.lines(iter(lines))]
    assert hits[-3:] == [True, True, True] and not all(hits)


ALL_SAMPLES = sorted(p for d in (PY, NODE) for p in d.iterdir() if p.is_file())


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_python_and_node_sample_parses_without_raising(path):
    for e in yields_from_file(sdk, path):
        assert e.source == "sdk"
        assert e.where.line is not None and e.where.line >= 1


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x00\x01\x02Traceback (most recent call last):\n\xff\xfe\n",
        b'{"type":"rate_limit_error",',
        b"Error: connect ECONNREFUSED " + b"9" * 100_000,
        b"Error: x\n  code: 'ECONNRESET'\n" * 5000,
        b"anthropic.AuthenticationError: Error code: 401 - {" + b"{" * 3000,
        b"  cert: {\n    subject: [Object: null prototype] { CN: 'x' },\n",
    ],
)
def test_malformed_input_never_raises(data):
    list(sdk.parse(Doc.from_bytes("x.txt", data)))
