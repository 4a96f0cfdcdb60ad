"""`ccdiag collect` against servers the tests start on 127.0.0.1: each bundle must diagnose to its cause.

The probes run for real (sockets, TLS, HTTP CONNECT) but only ever reach 127.0.0.1: the
World's connector raises RealNetworkTouched for anything else, and DNS is a fake that
either fails or maps the API host name to 127.0.0.1 (as `curl --resolve` did for the
reference samples). Each test writes the zip, runs the normal `analyze` pipeline on it, and checks
the ranked causes, so the transcript formats and the rule catalog are tested together.
"""

from __future__ import annotations

import errno
import shutil
import socket
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit

import pytest

trustme = pytest.importorskip("trustme")

from collect_servers import (  # noqa: E402
    ConnectProxy,
    RealNetworkTouched,
    SilentServer,
    TlsServer,
    closed_port,
    local_world,
)

from analyzer.analysis import analyze, load_ruleset  # noqa: E402
from analyzer.collect import bundlewriter, collector  # noqa: E402
from analyzer.collect.world import run_command  # noqa: E402

TIMEOUT = 0.5  # seconds per probe step: every server here is local


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(strict=False)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A private "inspection" CA, a leaf for 127.0.0.1 and an expired one, as PEM files."""
    root = tmp_path_factory.mktemp("pki")
    ca = trustme.CA(organization_name="Example Corp", organization_unit_name="TLS Inspection")
    now = datetime.now(timezone.utc)
    files = {"ca": root / "ca.pem", "chain": root / "chain.pem", "expired": root / "expired.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    leaf = ca.issue_cert("127.0.0.1", "api.anthropic.com", common_name="127.0.0.1")
    # an inspecting proxy sends its root along: leaf + root, "self-signed certificate in certificate chain"
    files["chain"].write_bytes(
        leaf.private_key_pem.bytes() + b"".join(p.bytes() for p in leaf.cert_chain_pems) + ca.cert_pem.bytes()
    )
    old = ca.issue_cert(
        "127.0.0.1", common_name="127.0.0.1", not_before=now - timedelta(days=90), not_after=now - timedelta(days=1)
    )
    old.private_key_and_cert_chain_pem.write_to_path(str(files["expired"]))
    return files


def options(port: int, **kw) -> collector.Options:
    base = dict(host="127.0.0.1", port=port, oauth_host=None, timeout=TIMEOUT, run_curl=False, run_tools=False)
    base.update(kw)
    return collector.Options(**base)


def diagnose(tmp_path: Path, world, opts: collector.Options, ruleset):
    collected = collector.collect(world, opts)
    path = tmp_path / "bundle.zip"
    bundlewriter.write_bundle(path, collected, world)
    with zipfile.ZipFile(path) as zf:
        files = {name: zf.read(name).decode("utf-8") for name in zf.namelist()}
    return analyze([str(path)], ruleset=ruleset), files


def confident(diagnosis) -> list[str]:
    return [f.cause for f in diagnosis.findings if f.confidence >= 0.5]


def evidence_of(diagnosis, kind: str) -> list:
    return [ev for f in diagnosis.findings for ev in f.evidence if ev.kind == kind]


def test_an_inspecting_proxy_with_an_untrusted_private_ca_is_diagnosed_as_tls_interception(tmp_path, pki, ruleset):
    with TlsServer(pki["chain"]) as server:
        diagnosis, files = diagnose(tmp_path, local_world(tmp_path), options(server.port), ruleset)
    assert confident(diagnosis)[:1] == ["tls_interception"]
    assert (
        "curl: (60) SSL certificate problem: self-signed certificate in certificate chain"
        in files["probe-api-hello.txt"]
    )
    # the issuer is named although verification failed, in both the curl-like and the s_client-like file
    assert "*  issuer: O=Example Corp; OU=TLS Inspection" in files["probe-api-hello.txt"]
    assert "verify error:num=19:self-signed certificate in certificate chain" in files["tls-api.txt"]
    assert " 1 s:O = Example Corp, OU = TLS Inspection" in files["tls-api.txt"]


def test_a_correct_tunnel_to_a_server_the_client_trusts_leaves_no_confident_diagnosis(tmp_path, pki, ruleset):
    env = {"HTTPS_PROXY": None, "NODE_EXTRA_CA_CERTS": str(pki["ca"])}
    with TlsServer(pki["chain"]) as server, ConnectProxy() as proxy:
        env["HTTPS_PROXY"] = f"http://127.0.0.1:{proxy.port}"
        diagnosis, files = diagnose(tmp_path, local_world(tmp_path, env), options(server.port), ruleset)
        assert proxy.targets == [f"127.0.0.1:{server.port}"] * len(proxy.targets) and proxy.targets
    assert confident(diagnosis) == [], [
        (f.rule, [str(e.where) + " " + e.text for e in f.evidence]) for f in diagnosis.findings
    ]
    assert "* CONNECT tunnel established, response 200" in files["probe-api-hello.txt"]
    assert "< HTTP/1.1 200 OK" in files["probe-api-hello.txt"]
    assert "Verify return code: 0 (ok)" in files["tls-api.txt"]
    assert "system store alone: not trusted (code 19)" in files["tls-api.txt"]


def test_a_proxy_answering_407_with_basic_and_ntlm_is_diagnosed_as_proxy_auth_required(tmp_path, ruleset):
    with ConnectProxy(challenge=('Basic realm="corp"', "NTLM")) as proxy:
        env = {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"}
        diagnosis, files = diagnose(tmp_path, local_world(tmp_path, env), options(443), ruleset)
    assert confident(diagnosis)[:1] == ["proxy_auth_required"]
    replies = [ev for ev in evidence_of(diagnosis, "proxy-reply") if ev.fields.get("status") == 407]
    assert replies and replies[0].fields["authenticate"] == "Basic,NTLM"
    assert "curl: (56) CONNECT tunnel failed, response 407" in files["probe-api-hello.txt"]


def test_a_proxy_set_only_in_the_settings_env_block_is_the_proxy_the_probes_use(tmp_path, ruleset):
    with ConnectProxy(challenge=("Negotiate",)) as proxy:
        world = local_world(tmp_path)
        settings = world.home / ".claude" / "settings.json"
        settings.parent.mkdir(parents=True)
        settings.write_text(f'{{"env": {{"HTTPS_PROXY": "http://127.0.0.1:{proxy.port}"}}}}')
        diagnosis, files = diagnose(tmp_path, world, options(443), ruleset)
        assert proxy.requests, "the probe did not go through the proxy from settings.json"
    assert confident(diagnosis)[:1] == ["proxy_auth_required"]
    assert "settings/user-settings.json" in files
    assert '"HTTPS_PROXY": "settings/user-settings.json"' in files["manifest.json"]


def api_host_on_loopback(host, port, family):
    """The API host name resolves to the loopback test server, as `curl --resolve` made the reference samples.

    A refusal from a target *named* 127.0.0.1 reads as a local gateway that is not running;
    the scenario here is the API host refusing, so the probes see the API host's name.
    """
    if host != "api.anthropic.com":
        raise RealNetworkTouched(f"unexpected lookup of {host}")
    if family == socket.AF_INET:
        return ["127.0.0.1"]
    raise socket.gaierror(socket.EAI_NODATA if hasattr(socket, "EAI_NODATA") else socket.EAI_NONAME, "No address")


def test_an_api_host_without_ipv6_addresses_that_answers_over_ipv4_leaves_no_confident_diagnosis(
    tmp_path, pki, ruleset
):
    def glibc_without_aaaa(host, port, family):
        if family == socket.AF_INET:
            return api_host_on_loopback(host, port, family)
        raise socket.gaierror(getattr(socket, "EAI_NODATA", socket.EAI_NONAME), "No address associated with hostname")

    env = {"NODE_EXTRA_CA_CERTS": str(pki["ca"])}
    with TlsServer(pki["chain"]) as server:
        world = local_world(tmp_path, env, resolve=glibc_without_aaaa)
        diagnosis, files = diagnose(tmp_path, world, options(server.port, host="api.anthropic.com"), ruleset)
    assert "< HTTP/1.1 200 OK" in files["probe-api-hello.txt"]
    assert "DNS AAAA api.anthropic.com: no address (EAI_" in files["network.txt"]
    assert confident(diagnosis) == [], [(f.rule, f.why) for f in diagnosis.findings]


def test_an_ipv4_only_machine_is_not_diagnosed_with_a_broken_ipv6_path(tmp_path, pki, ruleset):
    def with_aaaa(host, port, family):
        return api_host_on_loopback(host, port, family) if family == socket.AF_INET else ["2607:6bc0::10"]

    def no_ipv6_route(address, port, timeout, connect):
        if ":" in address:
            raise OSError(errno.ENETUNREACH, "Network is unreachable")
        return connect(address, port, timeout)

    env = {"NODE_EXTRA_CA_CERTS": str(pki["ca"])}
    with TlsServer(pki["chain"]) as server:
        world = local_world(tmp_path, env, resolve=with_aaaa, connect=no_ipv6_route)
        diagnosis, files = diagnose(tmp_path, world, options(server.port, host="api.anthropic.com"), ruleset)
    assert "TCP over IPv6: this machine has no IPv6 route, so clients connect over IPv4" in files["network.txt"]
    assert "< HTTP/1.1 200 OK" in files["probe-api-hello.txt"]
    assert confident(diagnosis) == [], [(f.rule, f.why) for f in diagnosis.findings]


def test_a_closed_port_is_diagnosed_as_a_refused_connection(tmp_path, ruleset):
    port = closed_port()
    world = local_world(tmp_path, resolve=api_host_on_loopback)
    diagnosis, files = diagnose(tmp_path, world, options(port, host="api.anthropic.com"), ruleset)
    assert confident(diagnosis)[:1] in (["firewall_block"], ["network_unreachable"])
    assert f"curl: (7) Failed to connect to api.anthropic.com port {port} after" in files["probe-api-hello.txt"]
    assert f"* connect to 127.0.0.1 port {port} failed: Connection refused" in files["network.txt"]
    assert "tls-api.txt" not in files
    manifest = files["manifest.json"]
    assert '"probe": "tls chain"' in manifest and '"outcome": "skipped"' in manifest


def test_a_server_that_never_answers_is_diagnosed_as_a_timeout(tmp_path, ruleset):
    with SilentServer() as server:
        world = local_world(tmp_path, resolve=api_host_on_loopback)
        diagnosis, files = diagnose(tmp_path, world, options(server.port, host="api.anthropic.com"), ruleset)
    assert confident(diagnosis)[:1] in (["firewall_block"], ["network_unreachable"])
    assert "curl: (28) Connection timed out after" in files["probe-api-hello.txt"]


def test_an_expired_certificate_and_a_server_date_days_earlier_is_diagnosed_as_clock_skew(tmp_path, pki, ruleset):
    env = {"NODE_EXTRA_CA_CERTS": str(pki["ca"])}
    three_days_ago = lambda: datetime.now(timezone.utc) - timedelta(days=3)  # noqa: E731
    with TlsServer(pki["expired"], date=three_days_ago) as server:
        diagnosis, files = diagnose(tmp_path, local_world(tmp_path, env), options(server.port), ruleset)
    assert confident(diagnosis)[:1] == ["clock_skew"]
    assert "* ccdiag: local clock is ahead of server Date by 2592" in files["probe-api-hello.txt"]
    assert "verify error:num=10:certificate has expired" in files["tls-api.txt"]


def test_an_expired_certificate_while_the_clock_agrees_with_the_server_is_not_clock_skew(tmp_path, pki, ruleset):
    env = {"NODE_EXTRA_CA_CERTS": str(pki["ca"])}
    with TlsServer(pki["expired"]) as server:
        diagnosis, files = diagnose(tmp_path, local_world(tmp_path, env), options(server.port), ruleset)
    assert "* ccdiag: local clock agrees with server Date (offset" in files["probe-api-hello.txt"]
    assert any(ev.fields.get("code") == "CERT_HAS_EXPIRED" for ev in evidence_of(diagnosis, "tls-error"))
    assert "clock_skew" not in confident(diagnosis)


def test_a_name_that_does_not_resolve_is_diagnosed_as_a_dns_failure(tmp_path, ruleset):
    def nxdomain(host, port, family):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    world = local_world(tmp_path, resolve=nxdomain)
    diagnosis, files = diagnose(tmp_path, world, options(443, host="api.anthropic.com"), ruleset)
    assert confident(diagnosis)[:1] == ["dns_failure"]
    assert "curl: (6) Could not resolve host: api.anthropic.com" in files["probe-api-hello.txt"]
    assert "DNS A api.anthropic.com: no address (EAI_NONAME" in files["network.txt"]


def test_behind_a_proxy_a_name_the_local_resolver_cannot_find_is_not_a_dns_failure(tmp_path, ruleset):
    def nxdomain(host, port, family):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with ConnectProxy(challenge=("Basic",)) as proxy:
        env = {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"}
        world = local_world(tmp_path, env, resolve=nxdomain)
        diagnosis, files = diagnose(tmp_path, world, options(443, host="api.anthropic.com"), ruleset)
    assert "DNS A api.anthropic.com: no address (EAI_NONAME)" in files["network.txt"]
    assert confident(diagnosis)[:1] == ["proxy_auth_required"]
    assert "dns_failure" not in confident(diagnosis)


def test_a_ca_variable_naming_a_missing_file_is_diagnosed_as_a_broken_ca_setup(tmp_path, ruleset):
    env = {"NODE_EXTRA_CA_CERTS": str(tmp_path / "nowhere" / "corp-root.pem")}
    with closed_server_port() as port:
        diagnosis, files = diagnose(tmp_path, local_world(tmp_path, env), options(port), ruleset)
    assert f"CA file from NODE_EXTRA_CA_CERTS: {env['NODE_EXTRA_CA_CERTS']}: missing" in files["ca-files.txt"]
    assert confident(diagnosis)[:1] == ["ca_store_misconfigured"]


class closed_server_port:
    """A context giving a closed port, so the CA test needs no server at all."""

    def __enter__(self) -> int:
        return closed_port()

    def __exit__(self, *exc) -> None:
        pass


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_real_curl_runs_against_the_same_local_proxy_and_its_transcript_agrees(tmp_path, ruleset):
    def loopback_only(argv, timeout, env):
        if urlsplit(argv[-1]).hostname != "127.0.0.1" or urlsplit(env["HTTPS_PROXY"]).hostname != "127.0.0.1":
            raise RealNetworkTouched(f"curl would leave the machine: {argv} {env}")
        return run_command(argv, timeout, env)

    with ConnectProxy(challenge=("NTLM",)) as proxy:
        env = {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"}
        world = local_world(
            tmp_path, env, which=lambda name: shutil.which(name) if name == "curl" else None, run=loopback_only
        )
        diagnosis, files = diagnose(tmp_path, world, options(443, run_curl=True), ruleset)
    assert "CONNECT tunnel failed, response 407" in files["curl-api-hello.txt"]
    assert confident(diagnosis)[:1] == ["proxy_auth_required"]
    curl_sources = {ev.where.path.rsplit("!", 1)[-1] for ev in evidence_of(diagnosis, "proxy-reply")}
    assert {"curl-api-hello.txt", "probe-api-hello.txt"} <= curl_sources
