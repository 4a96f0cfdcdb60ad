"""The collect probes one at a time, with an injected world: environment, clock, files, resolver, commands."""

from __future__ import annotations

import socket
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from collect_servers import local_world
from conftest import SAMPLES, doc_from_text

from analyzer.collect import envprobe, proxyprobe, settingsprobe, toolprobe
from analyzer.collect.dnsprobe import lookup
from analyzer.collect.httpprobe import Outcome, clock_lines
from analyzer.collect.route import Route
from analyzer.collect.transcript import Transcript
from analyzer.collect.world import CommandResult
from analyzer.sources import curl

# ---------------------------------------------------------------- environment


def test_only_variables_that_change_how_the_client_connects_are_recorded():
    env = {
        "HTTPS_PROXY": "http://p:3128",
        "no_proxy": "localhost",
        "ANTHROPIC_API_KEY": "sk-ant-api03-x",
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "NODE_EXTRA_CA_CERTS": "/ca.pem",
        "PATH": "/usr/bin",
        "HOME": "/home/dev",
        "AWS_SECRET_ACCESS_KEY": "abc",
        "npm_config_https_proxy": "http://p:3128",
    }
    assert list(envprobe.relevant_env(env)) == sorted(
        [
            "ANTHROPIC_API_KEY",
            "CLAUDE_CODE_USE_BEDROCK",
            "HTTPS_PROXY",
            "NODE_EXTRA_CA_CERTS",
            "no_proxy",
            "npm_config_https_proxy",
        ]
    )


def test_the_environment_is_written_as_an_env_dump_the_env_source_reads(tmp_path):
    from analyzer.sources import env as env_source

    text = envprobe.render_env({"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "localhost"})
    assert env_source.sniff(text)
    found = {
        ev.fields.get("name"): ev.fields.get("value")
        for ev in env_source.parse(doc_from_text(text))
        if ev.kind == "env-var"
    }
    assert found == {"HTTPS_PROXY": "http://proxy.corp:3128", "NO_PROXY": "localhost"}


def test_a_ca_variable_naming_a_missing_file_is_reported_missing(tmp_path):
    checks = envprobe.check_ca_files({"NODE_EXTRA_CA_CERTS": "certs/corp.pem"}, local_world(tmp_path))
    assert [(c.variable, c.status) for c in checks] == [("NODE_EXTRA_CA_CERTS", "missing")]
    assert (
        envprobe.render_ca_checks(checks)
        == "CA file from NODE_EXTRA_CA_CERTS: certs/corp.pem: missing (no such file)\n"
    )


def test_a_der_file_in_a_pem_variable_is_reported_as_not_pem(tmp_path):
    world = local_world(tmp_path)
    (world.cwd / "corp.cer").write_bytes(b"\x30\x82\x03\x01" + b"\x00" * 40)
    [check] = envprobe.check_ca_files({"SSL_CERT_FILE": "corp.cer"}, world)
    assert (check.status, check.detail) == ("not PEM", "DER or other binary data")


def test_a_pem_bundle_is_counted_and_its_subjects_and_expired_certificates_named(tmp_path):
    trustme = pytest.importorskip("trustme")
    world = local_world(tmp_path, now=lambda: datetime(3001, 1, 1, tzinfo=timezone.utc))
    root = trustme.CA(organization_name="Example Corp")
    pem = root.cert_pem.bytes() + trustme.CA(organization_name="Other Corp").cert_pem.bytes()
    (world.cwd / "bundle.pem").write_bytes(pem)
    [check] = envprobe.check_ca_files({"NODE_EXTRA_CA_CERTS": str(world.cwd / "bundle.pem")}, world)
    text = envprobe.render_ca_checks([check])
    assert text.splitlines()[0].endswith(": ok, PEM, 2 certificates (2 expired)")  # trustme CAs end in year 3000
    assert "subject=O = Example Corp" in text and "subject=O = Other Corp" in text


def test_a_leaf_certificate_in_a_ca_file_is_flagged_as_not_a_ca(tmp_path):
    trustme = pytest.importorskip("trustme")
    world = local_world(tmp_path)
    leaf = trustme.CA().issue_cert("example.test")
    (world.cwd / "leaf.pem").write_bytes(leaf.cert_chain_pems[0].bytes())
    [check] = envprobe.check_ca_files({"NODE_EXTRA_CA_CERTS": "leaf.pem"}, world)
    assert check.ok and [c.is_ca for c in check.certificates] == [False]
    assert "(1 not a CA)" in envprobe.render_ca_checks([check])


# ---------------------------------------------------------------- settings


def test_settings_env_blocks_layer_user_then_project_then_managed(tmp_path):
    world = local_world(tmp_path)
    (world.home / ".claude").mkdir()
    (world.home / ".claude" / "settings.json").write_text('{"env": {"HTTPS_PROXY": "http://user:1", "A": "u"}}')
    (world.cwd / ".claude").mkdir()
    (world.cwd / ".claude" / "settings.local.json").write_text('{"env": {"HTTPS_PROXY": "http://local:2"}}')
    managed = world.managed_settings[0]
    managed.parent.mkdir()
    managed.write_text('{"env": {"A": "managed"}}')
    merged = settingsprobe.settings_env(settingsprobe.read_settings(world))
    assert merged == {
        "HTTPS_PROXY": ("http://local:2", "settings/project-settings.local.json"),
        "A": ("managed", "settings/managed-settings.json"),
    }


def test_claude_config_dir_moves_the_user_settings(tmp_path):
    world = local_world(tmp_path, {"CLAUDE_CONFIG_DIR": str(tmp_path / "cfg")})
    assert settingsprobe.locations(world)[0][1] == tmp_path / "cfg" / "settings.json"


# ---------------------------------------------------------------- proxies


@pytest.mark.parametrize(
    "env,expected",
    [
        ({"HTTPS_PROXY": "http://a:1", "https_proxy": "http://b:2"}, ("https_proxy", "b", 2)),
        ({"HTTP_PROXY": "http://c:3"}, ("HTTP_PROXY", "c", 3)),
        ({"HTTPS_PROXY": "proxy.corp:8080"}, ("HTTPS_PROXY", "proxy.corp", 8080)),
        ({"https_proxy": "", "HTTPS_PROXY": "http://d:4"}, ("HTTPS_PROXY", "d", 4)),
    ],
)
def test_the_proxy_is_the_first_non_empty_of_the_four_variables_in_claude_codes_order(env, expected):
    proxy = proxyprobe.choose(env, "api.anthropic.com", 443)
    assert (proxy.variable, proxy.host, proxy.port) == expected


@pytest.mark.parametrize(
    "no_proxy,bypassed",
    [
        ("*", True),
        ("api.anthropic.com", True),
        (".anthropic.com", True),
        ("anthropic.com", False),
        ("api.anthropic.com:443", True),
        ("api.anthropic.com:8443", False),
        ("localhost, 127.0.0.1", False),
        ("*.anthropic.com", True),
    ],
)
def test_no_proxy_exempts_exact_names_domain_suffixes_and_host_port_entries(no_proxy, bypassed):
    env = {"HTTPS_PROXY": "http://p:3128", "NO_PROXY": no_proxy}
    assert (proxyprobe.choose(env, "api.anthropic.com", 443) is None) is bypassed


def test_proxy_credentials_become_a_basic_authorization_and_percent_encoding_is_decoded():
    proxy = proxyprobe.parse("HTTPS_PROXY", "http://dom%5Cuser:P%40ss@proxy:3128")
    assert (proxy.username, proxy.password) == ("dom\\user", "P@ss")
    assert proxy.authorization() == "Basic ZG9tXHVzZXI6UEBzcw=="


def test_a_socks_proxy_is_named_but_not_probed():
    proxy = proxyprobe.choose({"HTTPS_PROXY": "socks5h://127.0.0.1:1080"}, "api.anthropic.com", 443)
    assert not proxy.usable and "socks5h" in proxy.problem


def test_a_407_reply_lists_every_proxy_authenticate_scheme():
    reply = proxyprobe.parse_reply(
        b"HTTP/1.1 407 Proxy Authentication Required\r\n"
        b"Proxy-Authenticate: Negotiate\r\nProxy-Authenticate: NTLM\r\n"
        b'Proxy-Authenticate: Basic realm="x"\r\n\r\n<html>'
    )
    assert (reply.status, reply.schemes) == (407, ["Negotiate", "NTLM", "Basic"])


# ---------------------------------------------------------------- DNS


def test_a_lookup_records_a_and_aaaa_separately_with_the_resolvers_error_codes(tmp_path):
    def resolver(host, port, family):
        if family == socket.AF_INET:
            return ["160.79.104.10"]
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    resolv = tmp_path / "resolv.conf"
    resolv.write_text("search corp\nnameserver 10.0.0.2\nnameserver 10.0.0.3\n")
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n10.9.9.9 api.anthropic.com  # old gateway\n")
    world = replace(local_world(tmp_path, resolve=resolver), resolv_conf=resolv, hosts_file=hosts)
    result = lookup(world, "api.anthropic.com", 443, 1.0)
    assert [(a.rtype, a.addresses, a.error_code) for a in result.answers] == [
        ("A", ("160.79.104.10",), ""),
        ("AAAA", (), "EAI_NONAME"),
    ]
    assert result.nameservers == ["10.0.0.2", "10.0.0.3"]
    assert result.hosts_entries == ["10.9.9.9 api.anthropic.com"]


def test_a_resolver_that_hangs_is_abandoned_after_the_timeout(tmp_path):
    import threading

    release = threading.Event()

    def hanging(host, port, family):
        release.wait(5)
        return []

    try:
        result = lookup(local_world(tmp_path, resolve=hanging), "api.anthropic.com", 443, 0.05)
    finally:
        release.set()
    assert [a.error_code for a in result.answers] == ["TIMEOUT", "TIMEOUT"]


# ---------------------------------------------------------------- clock


def _clock_line(tmp_path, local: datetime, server_date: str | None) -> tuple[str, int | None]:
    out = Transcript()
    outcome = Outcome(out, Route("h", 443), server_date=server_date)
    clock_lines(local_world(tmp_path, now=lambda: local), out, outcome)
    return out.lines[-1], outcome.skew_s


@pytest.mark.parametrize(
    "offset,expected",
    [
        (timedelta(days=2), "* ccdiag: local clock is ahead of server Date by 172800 s"),
        (timedelta(hours=-3), "* ccdiag: local clock is behind server Date by 10800 s"),
        (timedelta(seconds=40), "* ccdiag: local clock agrees with server Date (offset +40 s)"),
    ],
)
def test_the_local_clock_is_compared_with_the_server_date_on_one_matchable_line(tmp_path, offset, expected):
    server = datetime(2026, 11, 21, 19, 48, 21, tzinfo=timezone.utc)
    line, skew = _clock_line(tmp_path, server + offset, "Sat, 21 Nov 2026 19:48:21 GMT")
    assert line.startswith(expected)
    assert skew == int(offset.total_seconds())


def test_a_missing_date_header_is_said_so(tmp_path):
    line, skew = _clock_line(tmp_path, datetime.now(timezone.utc), None)
    assert line == "* ccdiag: no server Date header to compare the local clock with" and skew is None


# ---------------------------------------------------------------- local commands


def test_local_commands_run_through_the_injected_runner_and_missing_ones_are_recorded(tmp_path):
    ran = []

    def runner(argv, timeout, env):
        ran.append(argv)
        if argv[1] == "config" and argv[0].endswith("git"):
            return CommandResult(tuple(argv), 1)  # no http.* keys: git exits 1
        return CommandResult(tuple(argv), 0, "v20.20.2\n")

    world = local_world(tmp_path, which=lambda name: None if name == "claude" else f"/usr/bin/{name}", run=runner)
    outputs = {o.tool.argv[0]: o for o in toolprobe.run_tools(world, 1.0)}
    assert outputs["claude"].outcome == "not available"
    assert outputs["node"].outcome == "ok" and outputs["node"].text() == "v20.20.2\n"
    assert outputs["git"].outcome == "ok"
    assert "scutil" not in outputs and "netsh" not in outputs  # linux world
    assert [a[0] for a in ran] == ["/usr/bin/node", "/usr/bin/npm", "/usr/bin/git"]


def test_the_os_proxy_commands_are_planned_only_on_their_platform(tmp_path):
    world = local_world(tmp_path)
    mac, win = replace(world, platform="darwin"), replace(world, platform="win32")
    assert "scutil" in [t.argv[0] for t in toolprobe.applicable(mac)]
    assert {"netsh", "reg"} <= {t.argv[0] for t in toolprobe.applicable(win)}


# ---------------------------------------------------------------- transcripts parse as curl


def test_a_407_transcript_parses_into_the_same_evidence_as_real_curl():
    real = (SAMPLES / "curl" / "curl-8.14.1" / "proxy-407-negotiate-ntlm.txt").read_text()
    ours = "\n".join(
        [
            "* Uses proxy env variable HTTPS_PROXY == 'http://proxy.corp.example:9004'",
            "*   Trying 127.0.0.1:9004...",
            "* Connected to proxy.corp.example (127.0.0.1) port 9004 (#0)",
            "* CONNECT tunnel: HTTP/1.1 negotiated",
            "* Establish HTTP proxy tunnel to api.anthropic.com:443",
            "> CONNECT api.anthropic.com:443 HTTP/1.1",
            "> Host: api.anthropic.com:443",
            "> ",
            "< HTTP/1.1 407 Proxy Authentication Required",
            "< Proxy-Authenticate: Negotiate",
            "< Proxy-Authenticate: NTLM",
            "< ",
            "* ccdiag: the proxy asks for authentication: Negotiate, NTLM",
            "* CONNECT tunnel failed, response 407",
            "curl: (56) CONNECT tunnel failed, response 407",
            "",
        ]
    )

    def replies(text):
        return [
            (ev.fields.get("status"), ev.fields.get("authenticate"), ev.fields.get("host"))
            for ev in curl.parse(doc_from_text(text))
            if ev.kind == "proxy-reply"
        ]

    assert replies(ours) == replies(real) == [(407, "Negotiate,NTLM", "api.anthropic.com")]


def test_the_git_and_npm_commands_collect_runs_print_what_the_config_source_reads():
    from analyzer.sources import tool_config

    # real output of `git config --show-origin --get-regexp '^https?\.'` (git 2.39)
    git = (
        "file:/home/dev/.gitconfig\thttp.proxy "
        "http://proxy.corp.example:3128\nfile:/home/dev/.gitconfig\thttp.sslverify false\n"
    )
    npm = (SAMPLES / "env" / "npm-config-list.txt").read_text()
    assert {("git", "http.proxy"), ("git", "http.sslverify")} <= {
        (ev.fields.get("tool"), ev.fields.get("key"))
        for ev in tool_config.parse(doc_from_text(git))
        if ev.kind == "config"
    }
    assert tool_config.sniff(git) and tool_config.sniff(npm)
    assert [t.argv for t in toolprobe.TOOLS if t.argv[0] in ("git", "npm")] == [
        ("npm", "config", "list"),
        ("git", "config", "--show-origin", "--get-regexp", r"^https?\."),
    ]


def test_a_full_system_bundle_named_twice_is_listed_once_and_briefly(tmp_path):
    trustme = pytest.importorskip("trustme")
    world = local_world(tmp_path)
    (world.cwd / "all.pem").write_bytes(b"".join(trustme.CA().cert_pem.bytes() for _ in range(12)))
    checks = envprobe.check_ca_files({"SSL_CERT_FILE": "all.pem", "REQUESTS_CA_BUNDLE": "all.pem"}, world)
    lines = envprobe.render_ca_checks(checks).splitlines()
    assert lines[0] == "CA file from SSL_CERT_FILE: all.pem: ok, PEM, 12 certificates"
    assert sum(ln.startswith("  certificate ") for ln in lines) == envprobe.MAX_LISTED
    assert "  ... 2 more certificates not listed" in lines
    assert lines[-1] == (
        "CA file from REQUESTS_CA_BUNDLE: all.pem: ok, PEM, 12 certificates (same file as SSL_CERT_FILE)"
    )
