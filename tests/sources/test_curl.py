"""The curl source: `curl -v` / `--trace-ascii` transcripts of curl 7.88.1, 8.14.1, libcurl 8.23.0 (pycurl),
terminal copies, Windows schannel and old public excerpts."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from analyzer.model import KINDS
from analyzer.sources import curl
from tests.conftest import SAMPLES, doc_from_text, doc_of, one, yields, yields_from_file
from tests.conftest import of_kind as kinds

CURL = SAMPLES / "curl"
CURL_FILES = sorted(p for p in CURL.rglob("*.txt") if p.name != "SOURCE.txt")
V788, V814, PY = CURL / "curl-7.88.1", CURL / "curl-8.14.1", CURL / "libcurl-8.23.0-pycurl"


def index_rows():
    for version in (V788, V814):
        for row in (version / "INDEX.tsv").read_text().splitlines():
            name, rc, *_ = row.split("\t")
            yield pytest.param(version / f"{name}.txt", int(rc.removeprefix("rc=")), id=f"{version.name}/{name}")


# ---------------------------------------------------------------- every sample


@pytest.mark.parametrize("path", CURL_FILES, ids=lambda p: str(p.relative_to(CURL)))
def test_every_curl_sample_is_sniffed_and_parses_into_known_located_kinds(path):
    doc = doc_of(path)
    assert curl.sniff(doc.head)
    evidence = list(curl._parse(doc))  # the unguarded core: a crash would surface here
    assert evidence
    assert {e.kind for e in evidence} <= set(KINDS)
    assert all(e.source == "curl" and e.where.path == doc.path and e.where.line >= 1 for e in evidence)
    assert all(e.request and e.request.startswith("xfer-") for e in evidence)


@pytest.mark.parametrize("path, rc", list(index_rows()))
def test_curl_exit_evidence_matches_the_recorded_exit_code_of_every_scenario(path, rc):
    exits = kinds(yields_from_file(curl, path), "curl-exit")
    if rc == 0:
        assert exits == []
    else:
        assert [e.get("code") for e in exits] == [rc]


@pytest.mark.parametrize("path", sorted(CURL.rglob("*.txt")), ids=lambda p: p.name)
def test_no_raw_secret_survives_in_any_curl_evidence(path):
    for e in yields_from_file(curl, path):
        blob = e.text + " ".join(str(v) for v in e.fields.values())
        assert "PLACEHOLDER" not in blob
        assert "diagpass" not in blob and "ZGlhZ3VzZXI6ZGlhZ3Bhc3M=" not in blob


# ---------------------------------------------------------------- line model pitfalls


def test_progress_meter_glued_to_the_first_star_line_still_yields_that_line():
    trying = one(yields_from_file(curl, V788 / "ok-h2-401.txt"), "connect", step="trying")
    assert (trying.where.line, trying.get("address"), trying.get("port")) == (3, "127.0.0.1", 443)
    # 8.14 glues `Host ... was resolved.` instead: the host comes from line 3, the addresses from line 5
    dns = one(yields_from_file(curl, V814 / "ok-h2-401.txt"), "dns", host="api.anthropic.com")
    assert dns.where.line == 5
    assert dns.get("addresses") == "127.0.0.1" and dns.get("family") == 4 and dns.get("port") == 443


def test_status_line_glued_after_a_progress_meter_is_still_the_connect_reply():
    reply = one(yields_from_file(curl, V814 / "proxy-mitm-trusted.txt"), "proxy-reply")
    assert reply.get("status") == 200 and reply.where.line == 12


@pytest.mark.parametrize("version", ["curl-7.88.1", "curl-8.14.1"])
def test_tty_capture_with_cr_cr_lf_header_lines_parses_request_and_response(version):
    evidence = yields_from_file(curl, CURL / "tty" / version / "ok-h2.tty.txt")
    req = one(evidence, "request", method="GET")
    assert req.get("url") == "https://api.anthropic.com/v1/models"
    resp = one(evidence, "response", status=200)
    assert resp.get("server") == "nginx"
    assert one(evidence, "header", name="content-type", direction="in").get("value") == "application/json"


def test_ok_h2_401_yields_request_response_and_anthropic_api_error_joined_by_one_key():
    evidence = yields_from_file(curl, V814 / "ok-h2-401.txt")
    req = one(evidence, "request", method="POST")
    assert (req.get("host"), req.get("path"), req.where.line) == ("api.anthropic.com", "/v1/messages", 54)
    assert req.get("user_agent") == "curl/8.14.1"
    assert one(evidence, "client", name="curl").get("version") == "8.14.1"
    resp = one(evidence, "response", status=401)
    assert resp.where.line == 70 and resp.get("request_id") == "req_011CMOCK0000000000000001"
    assert resp.get("http_version") == "2" and resp.get("reason") is None
    err = one(evidence, "api-error", status=401)
    assert err.where.line == 82
    assert (err.get("error_type"), err.get("shape"), err.get("message")) == (
        "authentication_error",
        "anthropic",
        "invalid x-api-key",
    )
    assert req.request == resp.request == err.request == "xfer-1"


def test_request_credentials_are_masked_in_header_values_and_text():
    evidence = yields_from_file(curl, V814 / "ok-h2-401.txt")
    key = one(evidence, "header", name="x-api-key")
    assert key.get("direction") == "out" and key.get("value") == "sk-ant-api03-***"
    auth = one(yields_from_file(curl, V814 / "proxy-ok-squid.txt"), "header", name="proxy-authorization")
    assert auth.get("value") == "Basic ***" and "ZGlh" not in auth.text
    assert auth.get("phase") == "connect"


def test_response_headers_are_lower_cased_and_carry_the_status():
    evidence = yields_from_file(curl, V788 / "ok-http1.1-401.txt")
    ctype = one(evidence, "header", name="content-type", direction="in")
    assert ctype.get("status") == 401 and ctype.text == "< Content-Type: application/json"
    assert one(evidence, "response", status=401).get("reason") == "Unauthorized"


def test_ratelimit_429_keeps_retry_after_and_the_rate_limit_message():
    evidence = yields_from_file(curl, V814 / "ratelimit-429-h2.txt")
    assert one(evidence, "response", status=429).get("retry_after") == "17"
    assert one(evidence, "api-error", status=429).get("error_type") == "rate_limit_error"


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_region_block_403_is_an_edge_shaped_api_error_without_request_id(version):
    evidence = yields_from_file(curl, version / "api-403-region-block-mock.txt")
    resp = one(evidence, "response", status=403)
    assert resp.get("cf_ray") == "0000000000000000-XXX" and resp.get("request_id") is None
    err = one(evidence, "api-error", status=403)
    assert (err.get("shape"), err.get("error_type"), err.get("message")) == ("edge", "forbidden", "Request not allowed")


# ---------------------------------------------------------------- trace-ascii


def test_trace_ascii_body_split_in_64_char_rows_is_rejoined_before_classifying():
    err = one(yields_from_file(curl, V814 / "trace-ascii-ok-h2.txt"), "api-error", status=401)
    assert err.get("request_id") == "req_011CMOCK0000000000000001"
    assert err.get("error_type") == "authentication_error"


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_trace_ascii_407_with_exit_line_before_the_last_info_lines(version):
    evidence = yields_from_file(curl, version / "trace-ascii-proxy-407.txt")
    assert one(evidence, "proxy", via="env").get("variable") == "HTTPS_PROXY"
    one(evidence, "request", method="CONNECT", host="api.anthropic.com", port=443)
    reply = one(evidence, "proxy-reply")  # from the header records, not repeated by the info line
    assert (reply.get("status"), reply.get("server"), reply.get("authenticate")) == (407, "tinyproxy/1.11.1", "Basic")
    assert reply.where.line == 15
    exit_ = one(evidence, "curl-exit")
    assert (exit_.get("code"), exit_.where.line) == (56, 27)
    assert kinds(evidence, "response") == []


def test_trace_ascii_with_trace_time_and_trace_ids_sets_at_and_reads_records():
    evidence = yields(
        curl,
        "23:07:00.355000 [0-0] == Info: Uses proxy env variable https_proxy == 'http://proxy.corp:8080'\n"
        "23:07:00.356000 [0-0] == Info:   Trying 10.0.0.1:8080...\n"
        "23:07:00.357000 [0-0] => Send header, 80 bytes (0x50)\n"
        "0000: CONNECT api.anthropic.com:443 HTTP/1.1\n"
        "0028: Host: api.anthropic.com:443\n"
        "0045: \n"
        "23:07:00.400000 [0-0] <= Recv header, 40 bytes (0x28)\n"
        "0000: HTTP/1.1 403 Tunnel or SSL Forbidden\n"
        "23:07:00.400100 [0-0] <= Recv header, 15 bytes (0xf)\n"
        "0000: Via: 1.1 WCG1\n"
        "23:07:00.400200 [0-0] <= Recv header, 2 bytes (0x2)\n"
        "0000: \n"
        "23:07:00.500000 [0-0] == Info: CONNECT tunnel failed, response 403\n",
    )
    assert one(evidence, "connect", step="trying").get("proxy") is True
    reply = one(evidence, "proxy-reply")
    assert (reply.get("status"), reply.get("via"), reply.at) == (403, "1.1 WCG1", "23:07:00.400000")
    inferred = one(evidence, "connect-error")  # no `curl: (N)` line: inferred from the info line
    assert (inferred.get("code"), inferred.get("inferred"), inferred.get("status")) == ("CURL_56", True, 403)


# ---------------------------------------------------------------- proxies


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_cli_proxy_407_from_squid_yields_proxy_reply_with_basic_challenge(version):
    evidence = yields_from_file(curl, version / "proxy-407-squid.txt")
    proxy = one(evidence, "proxy")
    assert (proxy.get("via"), proxy.get("host"), proxy.get("port")) == ("cli", "proxy.corp.example", 3130)
    reply = one(evidence, "proxy-reply")
    assert reply.get("status") == 407 and reply.get("reason") == "Proxy Authentication Required"
    assert reply.get("authenticate") == "Basic" and reply.get("squid_error") == "ERR_CACHE_ACCESS_DENIED"
    assert reply.get("server") == "squid/5.7" and reply.get("via") == "1.1 proxy.corp.example (squid/5.7)"
    assert kinds(evidence, "response") == [], "the CONNECT reply is not the origin's response"
    err = one(evidence, "connect-error")
    assert (err.get("code"), err.get("status"), err.get("proxy"), err.get("host")) == (
        "CURL_56",
        407,
        True,
        "api.anthropic.com",
    )
    assert all(h.get("phase") == "connect" for h in kinds(evidence, "header"))


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_windows_auth_proxy_lists_every_offered_scheme(version):
    reply = one(yields_from_file(curl, version / "proxy-407-negotiate-ntlm.txt"), "proxy-reply")
    assert reply.get("authenticate") == "Negotiate,NTLM"


def test_squid_403_for_a_non_443_connect_names_the_squid_error():
    reply = one(yields_from_file(curl, V814 / "proxy-403-squid-connect-port.txt"), "proxy-reply")
    assert (reply.get("status"), reply.get("squid_error"), reply.get("port")) == (403, "ERR_ACCESS_DENIED", 8443)


def test_env_proxy_with_credentials_is_reported_masked_with_host_and_port():
    evidence = yields_from_file(curl, V814 / "proxy-env-auth-ok-tinyproxy.txt")
    proxy = one(evidence, "proxy")
    assert proxy.get("via") == "env" and proxy.get("variable") == "https_proxy"
    assert (proxy.get("host"), proxy.get("port"), proxy.get("scheme")) == ("127.0.0.1", 3128, "http")
    assert proxy.get("url") == "http://diaguser:***@127.0.0.1:3128"
    assert one(evidence, "proxy-reply").get("proxy_agent") == "tinyproxy/1.11.1"
    assert one(evidence, "request", method="CONNECT").get("proxy_auth") == "Basic"
    origin = one(evidence, "response", status=401)
    assert origin.get("proxied") is True


def test_no_proxy_line_becomes_an_env_var_and_no_proxy_evidence():
    evidence = yields_from_file(curl, V814 / "proxy-no-proxy-bypass.txt")
    var = one(evidence, "env-var")
    assert (var.get("name"), var.get("value"), var.get("origin")) == ("NO_PROXY", "localhost,api.anthropic.com", "curl")
    assert kinds(evidence, "proxy") == []


def test_plain_http_request_through_a_proxy_gets_both_response_and_proxy_reply():
    evidence = yields_from_file(curl, V788 / "proxy-plain-http-via-proxy-407.txt")
    one(evidence, "request", method="GET", url="http://api.anthropic.com:8080/", proxied=True)
    assert one(evidence, "proxy-reply").get("tunnel") is False
    assert one(evidence, "response", status=407).get("server") == "tinyproxy/1.11.1"
    assert one(evidence, "api-error", status=407).get("shape") == "html"


@pytest.mark.parametrize("version, code", [(V788, 5), (V814, 5)], ids=["7.88.1", "8.14.1"])
def test_unresolvable_proxy_gives_curl_5_connect_error_on_the_proxy_host(version, code):
    evidence = yields_from_file(curl, version / "proxy-dns-fail.txt")
    err = one(evidence, "connect-error")
    assert (err.get("code"), err.get("host"), err.get("proxy"), err.get("errno")) == (
        f"CURL_{code}",
        "proxy.nonexistent.invalid",
        True,
        "ENOTFOUND",
    )
    assert one(evidence, "proxy").get("host") == "proxy.nonexistent.invalid"


def test_libcurl_823_refused_connect_is_exit_7_with_unprefixed_request_headers():
    evidence = yields_from_file(curl, PY / "proxy-407-squid.txt")
    exit_ = one(evidence, "curl-exit")
    assert (exit_.get("code"), exit_.get("message"), exit_.where.line) == (7, "CONNECT tunnel failed, response 407", 31)
    ua = one(evidence, "header", name="user-agent")
    assert ua.where.line == 9 and ua.get("phase") == "connect"
    assert one(evidence, "client", name="libcurl").get("version") == "8.23.0"
    assert one(evidence, "proxy-reply").get("status") == 407
    assert one(evidence, "connect-error").get("code") == "CURL_7"


def test_old_curl_received_http_code_wording_and_websense_via():
    evidence = yields_from_file(curl, CURL / "public" / "old-curl-connect-failures.txt")
    first = [e for e in evidence if e.request == "xfer-1"]
    reply = one(first, "proxy-reply")
    assert (reply.get("status"), reply.get("reason"), reply.get("via")) == (403, "Tunnel or SSL Forbidden", "1.1 WCG1")
    assert one(first, "client", name="curl").get("version") == "7.19.7"
    assert one(first, "connect-error").get("status") == 403
    second = [e for e in evidence if e.request == "xfer-2"]
    assert one(second, "proxy-reply").get("server") == "nginx/1.19.6"


# ---------------------------------------------------------------- TLS


@pytest.mark.parametrize(
    "name, code",
    [
        ("tls-unknown-ca", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
        ("tls-missing-intermediate", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"),
        ("tls-selfsigned-leaf", "DEPTH_ZERO_SELF_SIGNED_CERT"),
        ("tls-selfsigned-in-chain", "SELF_SIGNED_CERT_IN_CHAIN"),
        ("tls-expired", "CERT_HAS_EXPIRED"),
        ("tls-wrong-host", "ERR_TLS_CERT_ALTNAME_INVALID"),
        ("tls-https-to-plain-http-port", "ERR_SSL_WRONG_VERSION_NUMBER"),
    ],
)
@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_tls_failures_map_to_the_node_style_code_once_per_transfer(version, name, code):
    errors = [
        e for e in kinds(yields_from_file(curl, version / f"{name}.txt"), "tls-error") if e.get("step") != "alert"
    ]
    assert [e.get("code") for e in errors] == [code]


def test_certificate_problem_line_is_located_and_preceded_by_the_unknown_ca_alert():
    evidence = yields_from_file(curl, V814 / "tls-unknown-ca.txt")
    alert = one(evidence, "tls-error", step="alert")
    assert (alert.get("code"), alert.get("direction"), alert.where.line) == ("TLS_ALERT_UNKNOWN_CA", "out", 20)
    problem = one(evidence, "tls-error", code="UNABLE_TO_GET_ISSUER_CERT_LOCALLY")
    assert problem.where.line == 22 and problem.get("reason") == "unable to get local issuer certificate"
    assert problem.get("host") == "api.anthropic.com"


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_verified_server_certificate_block_is_one_normalized_certificate(version):
    cert = one(yields_from_file(curl, version / "ok-h2-401.txt"), "certificate")
    assert cert.get("subject") == "CN=localhost"
    assert cert.get("issuer") == "C=US, O=Diag Test Lab, CN=Diag Test Issuing CA 1"
    assert (cert.get("verify"), cert.get("san"), cert.get("depth")) == ("ok", "api.anthropic.com", 0)
    assert cert.get("expire") == "Feb 19 19:46:38 2027 GMT"


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_insecure_run_through_mitmproxy_shows_the_interceptor_issuer_and_insecure_flag(version):
    evidence = yields_from_file(curl, version / "proxy-mitm-insecure.txt")
    cert = one(evidence, "certificate")
    assert cert.get("issuer") == "CN=mitmproxy, O=mitmproxy"
    assert cert.get("verify") == "unable to get local issuer certificate"
    err = one(evidence, "tls-error")
    assert (err.get("code"), err.get("x509"), err.get("insecure")) == ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 20, True)


@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_hostname_mismatch_certificate_has_no_san_match(version):
    evidence = yields_from_file(curl, version / "tls-wrong-host.txt")
    cert = one(evidence, "certificate")
    assert cert.get("subject") == "CN=wrong.example" and cert.get("san_match") is False
    assert one(evidence, "tls-error").get("host") == "api.anthropic.com"


def test_curl_817_verify_result_prints_the_certificate_before_the_failure():
    evidence = yields_from_file(curl, PY / "proxy-mitm-untrusted.txt")
    cert = one(evidence, "certificate")
    assert cert.get("issuer") == "CN=mitmproxy, O=mitmproxy" and cert.get("verify_code") == 14
    assert cert.get("verify") == "unable to get local issuer certificate"
    err = one(evidence, "tls-error")
    assert (err.get("code"), err.get("x509"), err.where.line) == ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", 20, 26)
    exit_ = one(evidence, "curl-exit")
    assert exit_.get("code") == 60 and exit_.text.startswith("[pycurl] pycurl.error: (60,")


def test_libcurl_823_ok_run_reads_tls_version_group_and_verify_result_zero():
    evidence = yields_from_file(curl, PY / "ok-h2.txt")
    tls = one(evidence, "tls", step="established")
    assert (tls.get("version"), tls.get("cipher"), tls.get("group")) == ("TLSv1.3", "TLS_AES_256_GCM_SHA384", "x25519")
    cert = one(evidence, "certificate")
    assert cert.get("verify") == "ok" and cert.get("verify_code") == 0
    one(evidence, "connect", ok=True, host="api.anthropic.com", port=443)
    one(evidence, "response", status=200)


def test_reset_during_client_hello_is_a_handshake_tls_error_and_a_curl_35_reset():
    evidence = yields_from_file(curl, V814 / "tls-reset-on-clienthello.txt")
    tls = one(evidence, "tls-error")
    assert (tls.get("code"), tls.get("step"), tls.get("port")) == ("ECONNRESET", "handshake", 9005)
    err = one(evidence, "connect-error")
    assert (err.get("code"), err.get("errno"), err.get("step")) == ("CURL_35", "ECONNRESET", "tls")


def test_missing_ca_file_is_a_tls_error_naming_the_file():
    err = one(yields_from_file(curl, V814 / "tls-cacert-missing-file.txt"), "tls-error")
    assert err.get("ca_file") == "does-not-exist.pem" and err.where.line == 11


def test_schannel_error_lines_yield_symbolic_codes_even_for_unknown_error_hex():
    evidence = yields_from_file(curl, CURL / "public" / "schannel-error-lines.txt")
    assert [e.get("code") for e in kinds(evidence, "tls-error")] == [
        "CRYPT_E_NO_REVOCATION_CHECK",
        "CRYPT_E_REVOCATION_OFFLINE",
        "CRYPT_E_NO_REVOCATION_CHECK",
        "CRYPT_E_REVOCATION_OFFLINE",
        "SEC_E_UNTRUSTED_ROOT",
        "SEC_E_INVALID_TOKEN",
        "SEC_E_INVALID_TOKEN",
        "SEC_E_UNTRUSTED_ROOT",
    ]
    assert [e.get("code") for e in kinds(evidence, "curl-exit")] == [35, 35, 35, 35, 77, 35, 35]
    assert len({e.request for e in kinds(evidence, "curl-exit")}) == 7, "each exit line is its own run"


def test_schannel_verbose_run_reports_the_revocation_check_and_the_request():
    evidence = yields_from_file(curl, CURL / "public" / "schannel-7.60-verbose.txt")
    one(evidence, "tls", step="revocation-check", backend="schannel")
    one(evidence, "tls", step="handshake-complete", backend="schannel")
    assert one(evidence, "request", method="HEAD").get("url") == "https://nghttp2.org/"
    trying = one(evidence, "connect", step="trying")
    assert trying.get("address") == "139.162.123.134" and trying.get("port") is None


def test_gnutls_issuer_without_spaces_is_normalized_like_openssl():
    cert = one(yields_from_file(curl, CURL / "public" / "old-curl-connect-failures.txt"), "certificate")
    assert cert.get("issuer") == "C=US, O=Let's Encrypt, CN=Let's Encrypt Authority X3"
    assert cert.get("subject") == "CN=pihole2.mydomain.tld" and cert.get("verify") == "ok"


# ---------------------------------------------------------------- connect failures


@pytest.mark.parametrize(
    "name, message, errno",
    [
        ("tcp-refused", "Connection refused", "ECONNREFUSED"),
        ("tcp-host-unreachable", "No route to host", "EHOSTUNREACH"),
        ("tcp-net-unreachable", "Network is unreachable", "ENETUNREACH"),
    ],
)
@pytest.mark.parametrize("version", [V788, V814], ids=lambda p: p.name)
def test_curl_7_connect_error_takes_the_errno_text_of_the_detail_line(version, name, message, errno):
    evidence = yields_from_file(curl, version / f"{name}.txt")
    err = one(evidence, "connect-error")
    assert (err.get("code"), err.get("message"), err.get("errno")) == ("CURL_7", message, errno)
    assert err.get("host") == "api.anthropic.com" and isinstance(err.get("port"), int)
    assert one(evidence, "connect", ok=False).get("message") == message


def test_curl_788_connect_timeout_line_and_exit_28_in_the_connect_step():
    evidence = yields_from_file(curl, V788 / "tcp-connect-timeout.txt")
    timeout = one(evidence, "connect", ok=False)
    assert (timeout.get("timeout_ms"), timeout.get("family"), timeout.get("errno")) == (2997, 4, "ETIMEDOUT")
    err = one(evidence, "connect-error")
    assert (err.get("code"), err.get("step"), err.get("port")) == ("CURL_28", "connect", 9999)


@pytest.mark.parametrize(
    "name, step", [("http-max-time", "transfer"), ("tcp-connect-timeout", "connect"), ("tls-handshake-timeout", "tls")]
)
def test_curl_814_timeouts_say_which_phase_hung(name, step):
    err = one(yields_from_file(curl, V814 / f"{name}.txt"), "connect-error")
    assert (err.get("code"), err.get("step"), err.get("errno")) == ("CURL_28", step, "ETIMEDOUT")


@pytest.mark.parametrize(
    "path",
    [V788 / "dns-nxdomain.txt", V814 / "dns-servfail.txt", PY / "dns-nxdomain.txt"],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_unresolvable_host_is_curl_6_with_host_and_a_dns_error(path):
    evidence = yields_from_file(curl, path)
    err = one(evidence, "connect-error")
    assert err.get("code") == "CURL_6" and err.get("errno") == "ENOTFOUND"
    assert one(evidence, "dns").get("host") == err.get("host")
    assert err.get("curl_error") == "CURLE_COULDNT_RESOLVE_HOST"


@pytest.mark.parametrize("name, code", [("http-empty-reply", "CURL_52"), ("http-conn-reset", "CURL_56")])
def test_empty_reply_and_reset_are_connect_errors_on_the_requested_host(name, code):
    err = one(yields_from_file(curl, V814 / f"{name}.txt"), "connect-error")
    assert err.get("code") == code and err.get("host") == "127.0.0.1"


# ---------------------------------------------------------------- synthetic transcripts


def test_trace_time_and_ids_in_verbose_mode_keep_timestamps_ipv6_and_a_zscaler_issuer():
    evidence = yields(
        curl,
        "12:00:00.000001 [0-0] * Host api.anthropic.com:443 was resolved.\n"
        "12:00:00.000002 [0-0] * IPv6: 2607:6bc0::10\n"
        "12:00:00.000003 [0-0] * IPv4: 160.79.104.10\n"
        "12:00:00.000004 [0-0] *   Trying [2607:6bc0::10]:443...\n"
        "12:00:00.000005 [0-0] * Immediate connect fail for 2607:6bc0::10: Network is unreachable\n"
        "12:00:01.000000 [0-0] * Server certificate:\n"
        "12:00:01.000000 [0-0] *  subject: CN=api.anthropic.com\n"
        "12:00:01.000000 [0-0] *  issuer: C=US; ST=California; O=Zscaler Inc.; OU=Zscaler Inc.; "
        "CN=Zscaler Intermediate Root CA (zscalerthree.net) (t) \n"
        "12:00:01.000000 [0-0] *  SSL certificate verify ok.\n"
        "12:00:01.100000 [0-0] > GET /v1/models HTTP/2\n"
        "12:00:01.100000 [0-0] > Host: api.anthropic.com\n"
        "12:00:01.100000 [0-0] > \n",
    )
    v6 = one(evidence, "dns", family=6)
    assert v6.get("addresses") == "2607:6bc0::10" and v6.at == "12:00:00.000002"
    one(evidence, "connect", step="trying", address="2607:6bc0::10", port=443, family=6)
    assert one(evidence, "connect", ok=False).get("errno") == "ENETUNREACH"
    cert = one(evidence, "certificate")
    assert cert.get("issuer").endswith("CN=Zscaler Intermediate Root CA (zscalerthree.net) (t)")
    assert cert.where.line == 6
    assert one(evidence, "request").get("url") == "https://api.anthropic.com/v1/models"


def test_two_pasted_runs_get_separate_request_keys():
    evidence = yields(
        curl,
        "$ curl -v https://api.anthropic.com/v1/models\n"
        "* Could not resolve host: api.anthropic.com\n"
        "curl: (6) Could not resolve host: api.anthropic.com\n"
        "$ curl -v https://api.anthropic.com/v1/models\n"
        "*   Trying 160.79.104.10:443...\n"
        "* connect to 160.79.104.10 port 443 failed: Connection refused\n"
        "curl: (7) Failed to connect to api.anthropic.com port 443 after 3 ms: Couldn't connect to server\n",
    )
    exits = kinds(evidence, "curl-exit")
    assert [(e.get("code"), e.request) for e in exits] == [(6, "xfer-1"), (7, "xfer-2")]
    refused = one(evidence, "connect-error", code="CURL_7")
    assert refused.request == "xfer-2" and refused.get("errno") == "ECONNREFUSED"


def test_bare_exit_7_without_detail_line_does_not_guess_refused():
    err = one(
        yields(
            curl, "curl: (7) Failed to connect to api.anthropic.com port 443 after 2 ms: Couldn't connect to server\n"
        ),
        "connect-error",
    )
    assert err.get("errno") is None and err.get("port") == 443


def test_body_printed_before_the_headers_is_still_attached_to_the_error_response():
    evidence = yields(
        curl,
        '{"type":"error","error":{"type":"permission_error","message":"nope"},"request_id":"req_0123456789ab"}\n'
        "*   Trying 160.79.104.10:443...\n"
        "> GET /v1/models HTTP/1.1\n"
        "> Host: api.anthropic.com\n"
        ">\n"
        "< HTTP/1.1 403 Forbidden\n"
        "< Content-Type: application/json\n"
        "<\n"
        "* Connection #0 to host api.anthropic.com left intact\n",
    )
    err = one(evidence, "api-error", status=403)
    assert err.where.line == 1 and err.get("error_type") == "permission_error"
    assert err.get("request_id") == "req_0123456789ab"


def test_library_error_forms_count_as_curl_exits():
    evidence = yields(
        curl,
        "pycurl.error: (28, 'Connection timed out after 10001 milliseconds')\n"
        "PHP Fatal error: cURL error 60: SSL certificate problem: self signed certificate in certificate chain "
        "(see https://curl.haxx.se/libcurl/c/libcurl-errors.html)\n"
        "curl: (35) LibreSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.anthropic.com:443 \n"
        "curl: (7) Failed connect to api.anthropic.com:443; Connection refused\n",
    )
    assert [e.get("code") for e in kinds(evidence, "curl-exit")] == [28, 60, 35, 7]
    codes = [e.get("code") for e in kinds(evidence, "tls-error")]
    assert codes == ["SELF_SIGNED_CERT_IN_CHAIN", "SSL_ERROR_SYSCALL"]
    assert (
        one(evidence, "tls-error", code="SELF_SIGNED_CERT_IN_CHAIN").get("reason")
        == "self signed certificate in certificate chain"
    )
    assert one(evidence, "connect-error", code="CURL_7").get("errno") == "ECONNREFUSED"


def test_a_tuple_in_ordinary_text_is_not_taken_for_a_pycurl_error():
    assert kinds(yields(curl, "(1, 'hello world')\nresult = (2, 'ok')\n"), "curl-exit") == []


def test_claude_cli_user_agent_sent_with_curl_is_a_claude_code_client():
    evidence = yields(
        curl,
        "> POST /v1/messages HTTP/1.1\n> Host: api.anthropic.com\n"
        "> User-Agent: claude-cli/2.1.197 (external, cli)\n>\n",
    )
    assert one(evidence, "client").get("name") == "claude-code"
    assert one(evidence, "client").get("version") == "2.1.197"


def test_curl_include_output_without_verbose_prefixes_is_a_response_with_its_body():
    text = (
        "HTTP/2 403 \r\nserver: cloudflare\r\ncf-ray: 89cdc7d74e3e2512-SJC\r\n\r\n"
        '{"error":{"type":"forbidden","message":"Request not allowed"}}'
    )
    assert curl.sniff(text)
    evidence = yields(curl, text)
    assert one(evidence, "response", status=403).get("cf_ray") == "89cdc7d74e3e2512-SJC"
    assert one(evidence, "api-error").get("shape") == "edge"


def test_verbose_with_include_does_not_count_the_stdout_headers_twice():
    evidence = yields(
        curl,
        "> GET / HTTP/1.1\n> Host: api.anthropic.com\n>\n< HTTP/1.1 404 Not Found\n<\n"
        "HTTP/1.1 404 Not Found\n\n"
        '{"type":"error","error":{"type":"not_found_error","message":"Not found"}}\n',
    )
    one(evidence, "response", status=404)
    assert one(evidence, "api-error").get("error_type") == "not_found_error"


def test_wget_server_response_status_is_a_response_but_its_log_lines_are_no_api_error():
    text = (
        "--2024-01-01 10:00:00--  https://api.anthropic.com/v1/models\n"
        "HTTP request sent, awaiting response... \n  HTTP/1.1 403 Forbidden\n  Server: cloudflare\n"
        "2024-01-01 10:00:01 ERROR 403: Forbidden.\n"
    )
    assert curl.sniff(text)
    evidence = yields(curl, text)
    resp = one(evidence, "response", status=403)
    assert resp.get("server") == "cloudflare" and resp.where.line == 3
    assert kinds(evidence, "api-error") == []


# ---------------------------------------------------------------- sniff and robustness


@pytest.mark.parametrize(
    "head",
    [
        "*   Trying 160.79.104.10:443...\n",
        "== Info: Connected to api.anthropic.com\n",
        "> GET /v1/models HTTP/2\r\n",
        "< HTTP/1.1 407 Proxy Authentication Required\r\n",
        "curl: (60) SSL certificate problem: unable to get local issuer certificate\n",
        "* Uses proxy env variable https_proxy == 'http://p:3128'\n",
        "* Connected to api.anthropic.com (160.79.104.10) port 443 (#0)\n",
        "[pycurl] pycurl.error: (7, 'CONNECT tunnel failed, response 407')\n",
        "12:00:00.000000 [0-0] == Info: Host api.anthropic.com:443 was resolved.\n",
    ],
)
def test_sniff_accepts_clear_curl_signatures(head):
    assert curl.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        "Trying to connect to the API...\nHTTP/1.1 is a protocol\n",
        'API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}\n',
        "Error: connect ECONNREFUSED 127.0.0.1:443\n    at TCPConnectWrap.afterConnect\n",
        "result = (1, 'x')\n",
        "",
    ],
)
def test_sniff_rejects_generic_text(head):
    assert not curl.sniff(head)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\r\r\n",
        "\x00\x01\x02binary\xff",
        "< HTTP/2 500 \n< x",
        "> CONNECT :\n<\n",
        "* Server certificate:\n*  subject:",
        "{" * 5000 + "\n< HTTP/1.1 500 x\n<\n" + "{" * 5000,
        "0000: x\n<= Recv data, 5 bytes\n0000: ",
        "*   Trying [::1...\n* Connected to x () port 99999999999999999999",
        "curl: (999) weird\ncurl: (6) Could not resolve host: \n",
        "x" * 300_000,
    ],
)
def test_malformed_and_truncated_input_never_raises(text):
    list(curl._parse(doc_from_text(text)))  # unguarded core
    assert isinstance(yields(curl, text), list)


@settings(max_examples=150, deadline=None)
@given(
    hs.lists(
        hs.sampled_from(
            [
                "* ",
                "> ",
                "< ",
                "== Info: ",
                "=> Send header, 3 bytes (0x3)",
                "<= Recv data, 3 bytes",
                "0000: ",
                "curl: (56) ",
                "HTTP/1.1 407 x",
                "CONNECT a:1 HTTP/1.1",
                "Host: a",
                "Proxy-Authenticate: NTLM",
                "Server certificate:",
                " subject: CN=x",
                "SSL certificate problem: ",
                "Trying 1.2.3.4:5...",
                "\r",
                "\n",
                '{"error":',
                "}",
                "(7, '",
                "')",
                "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0",
            ]
        ),
        max_size=40,
    ),
    hs.text(max_size=20),
)
def test_random_mixtures_of_curl_fragments_never_raise(parts, noise):
    list(curl._parse(doc_from_text("".join(parts) + noise)))


def test_random_bytes_never_raise():
    rng = random.Random(7)
    for _ in range(20):
        data = bytes(rng.randrange(256) for _ in range(2000))
        from analyzer.textio import Doc

        list(curl._parse(Doc.from_bytes("noise.bin", data)))
