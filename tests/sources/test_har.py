"""The HAR source: streamed entries from real Chrome/Firefox/Safari/Charles/Insomnia/mitmproxy exports."""

from __future__ import annotations

import base64
import json

import pytest

from analyzer import textio
from analyzer.model import KINDS
from analyzer.sources import har
from tests.conftest import SAMPLES, doc_of, yields, yields_from_file

HAR_DIR = SAMPLES / "har"
HAR_FILES = sorted(HAR_DIR.rglob("*.har"))
MITM = HAR_DIR / "generated" / "mitmproxy-12.2.3-hardump-loopback.har"
CHROME = HAR_DIR / "public" / "chrome-webinspector-537.36.har"


def of_kind(evidence, kind, entry=None):
    return [e for e in evidence if e.kind == kind and (entry is None or e.where.entry == entry)]


def har_text(entries, creator=None, bom=False) -> str:
    log = {"version": "1.2"}
    if creator:
        log["creator"] = creator
    log["entries"] = entries
    return ("\ufeff" if bom else "") + json.dumps({"log": log}, indent=2)


def entry(
    url="https://api.anthropic.com/v1/messages",
    status=200,
    headers=(),
    req_headers=(),
    content=None,
    error=None,
    timings=None,
):
    resp = {
        "status": status,
        "statusText": "",
        "headers": [{"name": n, "value": v} for n, v in headers],
        "content": content or {},
    }
    if error:
        resp["_error"] = error
    return {
        "startedDateTime": "2026-11-21T19:49:22.360Z",
        "time": 10,
        "request": {"method": "POST", "url": url, "headers": [{"name": n, "value": v} for n, v in req_headers]},
        "response": resp,
        "timings": timings or {"send": 1, "wait": 2, "receive": 3},
    }


@pytest.mark.parametrize("path", HAR_FILES, ids=lambda p: p.name)
def test_every_har_sample_is_sniffed_and_parses_into_known_kinds(path):
    doc = doc_of(path)
    assert har.sniff(doc.head)
    evidence = list(har.parse(doc))
    assert of_kind(evidence, "request"), "every sample has at least one entry"
    assert {e.kind for e in evidence} <= set(KINDS)
    assert all(e.source == "har" for e in evidence)


def test_creator_becomes_client_evidence_named_after_the_producer():
    clients = of_kind(yields_from_file(har, MITM), "client")
    assert clients[0].get("name") == "mitmproxy" and clients[0].get("version") == "12.2.3"
    charles = of_kind(yields_from_file(har, HAR_DIR / "public" / "charles-4.6.3.har"), "client")
    assert charles[0].get("name") == "Charles Proxy" and charles[0].get("version") == "4.6.3"


def test_mitmproxy_401_entry_yields_request_response_and_anthropic_api_error():
    ev = yields_from_file(har, MITM)
    req = of_kind(ev, "request", 0)[0]
    assert req.get("method") == "POST" and req.get("host") == "api.anthropic.com"
    assert req.get("path") == "/v1/messages" and req.get("user_agent") == "curl/7.88.1"
    assert req.request == "0" and req.where.entry == 0
    resp = of_kind(ev, "response", 0)[0]
    assert resp.get("status") == 401 and resp.get("server") == "nginx"
    assert resp.get("request_id") == "req_011CMOCK0000000000000001"
    assert resp.get("server_ip") == "127.0.0.1" and resp.get("content_type") == "application/json"
    err = of_kind(ev, "api-error", 0)[0]
    assert err.get("status") == 401 and err.get("shape") == "anthropic"
    assert err.get("error_type") == "authentication_error" and err.get("message") == "invalid x-api-key"
    assert err.request == "0"


def test_request_and_response_headers_carry_direction_and_lower_case_names():
    headers = of_kind(yields_from_file(har, MITM), "header", 0)
    out = {e.get("name"): e for e in headers if e.get("direction") == "out"}
    inbound = {e.get("name"): e for e in headers if e.get("direction") == "in"}
    assert out["anthropic-version"].get("value") == "2023-06-01"
    assert inbound["x-should-retry"].get("value") == "false" and inbound["x-should-retry"].get("status") == 401


def test_x_api_key_header_value_is_masked():
    headers = of_kind(yields_from_file(har, MITM), "header", 0)
    key = next(e for e in headers if e.get("name") == "x-api-key")
    assert "PLACEHOLDER" not in key.get("value") and "PLACEHOLDER" not in key.text


def test_mitmproxy_upstream_certificate_failure_is_a_connect_and_a_tls_error():
    ev = yields_from_file(har, MITM)
    assert not of_kind(ev, "response", 4), "status 0 is no response"
    conn = of_kind(ev, "connect-error", 4)[0]
    assert conn.get("host") == "api.anthropic.com" and conn.get("port") == 8444
    assert conn.get("message") == "Certificate verify failed: self-signed certificate"
    tls = of_kind(ev, "tls-error", 4)[0]
    assert tls.get("code") == "DEPTH_ZERO_SELF_SIGNED_CERT" and tls.get("reason") == "self-signed certificate"


def test_chrome_status_0_with_net_error_yields_connect_error_code_without_prefix():
    ev = yields_from_file(har, CHROME)
    conn = of_kind(ev, "connect-error", 1)
    assert len(conn) == 1
    assert conn[0].get("code") == "ERR_INTERNET_DISCONNECTED" and conn[0].get("host") == "www.google.com"
    assert not of_kind(ev, "tls-error")


def test_chrome_timings_drop_minus_one_phases():
    timing = of_kind(yields_from_file(har, CHROME), "timing", 0)[0]
    assert timing.get("blocked") == pytest.approx(5.397, abs=0.001)
    assert timing.get("dns") is None and timing.get("connect") is None and timing.get("ssl") is None
    assert timing.get("wait") == pytest.approx(7.33, abs=0.001)


def test_utf8_bom_har_is_sniffed_and_parsed():
    path = HAR_DIR / "public" / "chrome-with-utf8-bom.har"
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    ev = yields_from_file(har, path)
    assert of_kind(ev, "response", 0)[0].get("status") == 200
    assert of_kind(ev, "timing", 0)[0].get("dns") == pytest.approx(18.781, abs=0.001)


def test_mitmproxy_multiple_connect_failures_keep_the_first_address_and_port():
    conn = of_kind(yields_from_file(har, HAR_DIR / "public" / "mitmproxy-export-error_log.har"), "connect-error", 0)[0]
    assert conn.get("address") == "123.58.180.8" and conn.get("port") == 80 and conn.get("host") == "163.com"


def test_html_error_body_is_classified_as_html():
    err = of_kind(yields_from_file(har, HAR_DIR / "public" / "mitmproxy-export-error_log.har"), "api-error", 1)[0]
    assert err.get("status") == 405 and err.get("shape") == "html"
    assert err.get("message") == "405 Method Not Allowed"


def test_claude_cli_and_sdk_user_agents_become_client_versions_once():
    text = har_text(
        [
            entry(req_headers=[("User-Agent", "claude-cli/2.1.197 (external, cli)")]),
            entry(req_headers=[("User-Agent", "claude-cli/2.1.197 (external, cli)")]),
            entry(req_headers=[("user-agent", "Anthropic/JS 1.12.0")]),
        ]
    )
    clients = [e for e in yields(har, text, "x.har") if e.kind == "client"]
    assert [(c.get("name"), c.get("version")) for c in clients] == [
        ("claude-code", "2.1.197"),
        ("anthropic-sdk-js", "1.12.0"),
    ]


def test_base64_error_body_is_decoded_and_classified():
    body = json.dumps({"error": {"type": "forbidden", "message": "Request not allowed"}})
    text = har_text(
        [
            entry(
                status=403,
                headers=[("server", "cloudflare"), ("cf-ray", "89cdc7d74e3e2512-SJC")],
                content={
                    "mimeType": "application/json",
                    "encoding": "base64",
                    "text": base64.b64encode(body.encode()).decode(),
                },
            )
        ]
    )
    ev = yields(har, text, "x.har")
    resp = of_kind(ev, "response")[0]
    assert resp.get("cf_ray") == "89cdc7d74e3e2512-SJC" and resp.get("request_id") is None
    err = of_kind(ev, "api-error")[0]
    assert err.get("shape") == "edge" and err.get("error_type") == "forbidden"


def test_huge_bodies_are_cut_and_entries_after_them_still_read(monkeypatch):
    monkeypatch.setattr(textio, "CHUNK_BYTES", 4096)  # many chunk boundaries
    big = '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' + "x" * 300_000
    text = har_text(
        [entry(status=529, content={"text": big}), entry(url="https://claude.ai/x", status=200)],
        creator={"name": "WebInspector", "version": "537.36"},
    )
    ev = yields(har, text, "big.har")
    err = of_kind(ev, "api-error", 0)[0]
    assert err.get("error_type") == "overloaded_error" and len(err.get("body")) <= har.BODY_CAP
    assert of_kind(ev, "response", 1)[0].get("host") == "claude.ai"


def test_string_escapes_split_across_chunk_boundaries_decode(monkeypatch):
    monkeypatch.setattr(textio, "CHUNK_BYTES", 7)
    text = har_text(
        [
            entry(
                url='https://api.anthropic.com/v1/m\u00e9ssages?q="x"',
                status=401,
                content={
                    "text": '{"type":"error","error":{"type":"authentication_error",'
                    '"message":"caf\\u00e9 \\"bad\\" key"}}'
                },
            )
        ],
        creator={"name": "Firefox", "version": "111.0.1"},
    )
    ev = yields(har, text, "x.har")
    assert of_kind(ev, "request")[0].get("url") == 'https://api.anthropic.com/v1/m\u00e9ssages?q="x"'
    assert of_kind(ev, "api-error")[0].get("message") == 'caf\u00e9 "bad" key'
    assert of_kind(ev, "client")[0].get("name") == "Firefox"


def test_creator_after_entries_is_still_reported():
    text = '{"log": {"entries": [], "version": "1.2", "creator": {"name": "Insomnia REST Client", "version": "1"}}}'
    ev = yields(har, text, "x.har")
    assert [e.get("name") for e in ev if e.kind == "client"] == ["Insomnia REST Client"]


def test_aborted_navigation_is_not_a_connect_error():
    text = har_text(
        [entry(status=0, error="net::ERR_ABORTED"), entry(status=0, error="net::ERR_CERT_AUTHORITY_INVALID")]
    )
    ev = yields(har, text, "x.har")
    assert not of_kind(ev, "connect-error", 0)
    assert of_kind(ev, "tls-error", 1)[0].get("code") == "ERR_CERT_AUTHORITY_INVALID"


def test_truncated_har_yields_the_complete_entries_and_stops_quietly():
    text = har_text([entry(status=429), entry(status=200), entry(status=500)])
    cut = text[: text.index('"status": 500')]
    ev = yields(har, cut, "cut.har")
    assert [e.get("status") for e in of_kind(ev, "response")] == [429, 200]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"log": ',
        '{"log": {"entries": [1, "x", null, {"request": 5}]}}',
        '{"log": []}',
        '{"log": {"entries": [{"response": {"status": "abc", "headers": "nope", "content": []}}]}}',
        "\x00\x01\x02 not json",
        '{"log": {"entries": [{"request": {"url": 12, "headers": [{"name": null}]}}]}}',
        '[{"log": {"entries": []}}]',
        '{"log": {"entries": [{"timings": {"wait": "x", "dns": true}}]}}',
    ],
)
def test_malformed_input_never_raises(text):
    yields(har, text, "bad.har")


@pytest.mark.parametrize(
    "head, expected",
    [
        ('{"log": {"version": "1.2", "creator": {"name": "x"}}}', True),
        ('\ufeff  {\n "log": {\n  "entries": []}}', True),
        ('{"log": "text", "level": "info"}', False),
        ('[{"Config": {"Env": []}}]', False),
        ('"log" "entries"', False),
    ],
)
def test_sniff_needs_an_object_with_log_and_entries_or_creator(head, expected):
    assert har.sniff(head) is expected
