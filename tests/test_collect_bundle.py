"""The support bundle and the `ccdiag collect` command: redaction, manifest, dry run, output, exit status."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from click.testing import CliRunner
from collect_servers import ConnectProxy, RealNetworkTouched, TlsServer, closed_port, local_world

from analyzer.cli.collect import collect_cmd
from analyzer.collect import bundlewriter, collector
from analyzer.collect.world import CommandResult

KEY = "sk-ant-api03-Zx9verysecretkeymaterial0123456789"
TOKEN = "oat-bearer-token-0123456789abcdef"
PROXY_PASSWORD = "hunter2hunter2"


def members(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name).decode("utf-8") for name in zf.namelist()}


def fake_tools(argv, timeout, env):
    outputs = {
        "node": "v20.20.2\n",
        "npm": f'; "user" config from /home/dev/.npmrc\nhttps-proxy = "http://dev:{PROXY_PASSWORD}@proxy:3128"\n',
        "git": f"file:/home/dev/.gitconfig\thttp.proxy=http://dev:{PROXY_PASSWORD}@proxy:3128\n",
        "claude": "2.1.330 (Claude Code)\n",
    }
    return CommandResult(tuple(argv), 0, outputs[argv[0].rsplit("/", 1)[-1]])


@pytest.fixture
def secret_world(tmp_path):
    """Secrets in the environment, in a settings file and in other tools' proxy settings; a closed API port."""
    env = {
        "ANTHROPIC_API_KEY": KEY,
        "HTTPS_PROXY": f"http://dev:{PROXY_PASSWORD}@127.0.0.1:{closed_port()}",
        "CLAUDE_CODE_OAUTH_TOKEN": TOKEN,
    }
    world = local_world(
        tmp_path, env, which=lambda name: None if name == "curl" else f"/usr/bin/{name}", run=fake_tools
    )
    (world.home / ".claude").mkdir()
    (world.home / ".claude" / "settings.json").write_text(
        f'{{\n  "env": {{\n    "ANTHROPIC_AUTH_TOKEN": "{TOKEN}"\n  }},\n  "apiKeyHelper": "/usr/local/bin/key"\n}}\n'
    )
    return world


def collect_to(tmp_path, world, **kw):
    opts = collector.Options(
        **{**dict(host="127.0.0.1", port=closed_port(), oauth_host=None, timeout=0.5, run_curl=False), **kw}
    )
    collected = collector.collect(world, opts)
    path = tmp_path / "bundle.zip"
    manifest = bundlewriter.write_bundle(path, collected, world)
    return path, manifest, collected


def test_no_secret_from_the_environment_settings_or_tools_reaches_any_file_of_the_bundle(tmp_path, secret_world):
    path, _, _ = collect_to(tmp_path, secret_world)
    files = members(path)
    assert {
        "env.txt",
        "settings/user-settings.json",
        "commands/npm-config-list.txt",
        "commands/git-config-http.txt",
        "probe-api-hello.txt",
    } <= set(files)
    for name, text in files.items():
        for secret in (KEY, TOKEN, PROXY_PASSWORD, KEY[len("sk-ant-api03-") :]):
            assert secret not in text, f"{secret[:6]}... leaked into {name}"
    assert "ANTHROPIC_API_KEY=sk-ant-api03-***" in files["env.txt"]
    assert "HTTPS_PROXY=http://dev:***@127.0.0.1:" in files["env.txt"]


def test_the_manifest_names_every_file_and_each_line_where_a_value_was_masked(tmp_path, secret_world):
    path, manifest, _ = collect_to(tmp_path, secret_world)
    files = members(path)
    assert json.loads(files["manifest.json"]) == manifest
    assert {f["name"] for f in manifest["files"]} == set(files) - {"manifest.json", "README.txt"}
    masked = {(f["name"], r["line"], r["what"]) for f in manifest["files"] for r in f["redactions"]}
    env_lines = files["env.txt"].splitlines()
    assert (
        "env.txt",
        env_lines.index("ANTHROPIC_API_KEY=sk-ant-api03-***") + 1,
        "value of ANTHROPIC_API_KEY",
    ) in masked
    assert ("settings/user-settings.json", 3, 'value of "ANTHROPIC_AUTH_TOKEN"') in masked
    assert ("probe-api-hello.txt", 1, "password in a URL") in masked  # * Uses proxy env variable ...
    assert ("commands/npm-config-list.txt", 2, "password in a URL") in masked
    assert manifest["redacted_lines"] == len(masked)


def test_every_probe_leaves_a_record_even_when_it_fails_or_is_skipped(tmp_path, secret_world):
    _, manifest, _ = collect_to(tmp_path, secret_world, authenticated=True)
    outcomes = {p["probe"]: p["outcome"] for p in manifest["probes"]}
    assert outcomes["environment"] == "ok"
    assert outcomes["ca-files"] == "skipped"
    assert outcomes["settings (project)"] == "skipped"
    assert outcomes["claude --version"] == "ok"
    assert outcomes["https /api/hello"] == "failed"  # the proxy port is closed
    assert outcomes["tls chain"] == "skipped"
    assert outcomes["https /v1/messages"] == "failed"
    assert set(outcomes.values()) <= {"ok", "failed", "skipped", "not available"}


def test_the_dry_run_plan_announces_every_file_that_collect_writes(tmp_path, secret_world):
    opts = collector.Options(
        host="127.0.0.1", port=closed_port(), oauth_host=None, timeout=0.5, run_curl=False, authenticated=True
    )
    planned = {name for name, _ in collector.plan(secret_world, opts)}
    written = {f.name for f in collector.collect(secret_world, opts).files}
    assert written <= planned


def test_the_dry_run_lists_what_would_be_collected_and_contacts_nothing(tmp_path, secret_world):
    def no_network(*args):
        raise RealNetworkTouched("the dry run touched the network")

    world = replace(
        local_world(tmp_path, secret_world.env, which=lambda name: "/usr/bin/" + name, run=no_network),
        connect=no_network,
        resolve=no_network,
    )
    result = CliRunner().invoke(collect_cmd, ["--dry-run", "--authenticated"], obj={"world": world})
    assert result.exit_code == 0, result.output
    assert "probe-api-hello.txt" in result.output and "GET https://api.anthropic.com/api/hello" in result.output
    assert "POST /v1/messages" in result.output and "ANTHROPIC_API_KEY" in result.output
    assert "curl-api-hello.txt" in result.output
    assert PROXY_PASSWORD not in result.output and KEY not in result.output


def test_collect_writes_the_bundle_and_prints_the_diagnosis_in_the_chosen_format(tmp_path):
    with ConnectProxy(challenge=("NTLM",)) as proxy:
        world = local_world(tmp_path, {"HTTPS_PROXY": f"http://127.0.0.1:{proxy.port}"})
        out = tmp_path / "out" / "support.zip"
        result = CliRunner().invoke(
            collect_cmd,
            ["--host", "127.0.0.1", "--port", "443", "--timeout", "0.5", "-o", str(out), "--format", "json"],
            obj={"world": world},
        )
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["diagnoses"][0]["cause"] == "proxy_auth_required"
    assert all(i["path"].startswith(str(out) + "!") for i in report["inputs"])
    assert out.is_file() and "bundle written to" in result.stderr


def test_the_default_bundle_name_carries_the_timestamp_of_the_injected_clock(tmp_path):
    world = local_world(tmp_path, now=lambda: datetime(2026, 11, 21, 19, 48, 21, tzinfo=timezone.utc))
    result = CliRunner().invoke(
        collect_cmd,
        ["--host", "127.0.0.1", "--port", str(closed_port()), "--timeout", "0.5", "--fail-on", "none"],
        obj={"world": world},
    )
    assert result.exit_code == 0, result.output
    assert (world.cwd / "ccdiag-bundle-20261121-194821.zip").is_file()


@pytest.mark.parametrize(
    "given,expected", [("127.0.0.1:8443", "127.0.0.1:8443"), ("https://127.0.0.1:8443/", "127.0.0.1:8443")]
)
def test_host_accepts_a_host_port_or_a_url(tmp_path, given, expected):
    result = CliRunner().invoke(collect_cmd, ["--dry-run", "--host", given], obj={"world": local_world(tmp_path)})
    assert result.exit_code == 0, result.output
    assert f"GET https://{expected}/api/hello" in result.output
    assert "oauth" not in result.output  # --host points every probe at one host


def test_a_path_in_host_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(collect_cmd, ["--host", "https://gw.example/v1"], obj={"world": local_world(tmp_path)})
    assert result.exit_code == 2 and "not a host name" in result.output


def test_an_unwritable_output_path_is_one_line_naming_it(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    result = CliRunner().invoke(
        collect_cmd,
        ["--host", "127.0.0.1", "--port", str(closed_port()), "--timeout", "0.5", "-o", str(blocker / "b.zip")],
        obj={"world": local_world(tmp_path)},
    )
    assert result.exit_code == 3
    assert result.stderr.count("\n") and "cannot write the bundle" in result.stderr.splitlines()[-1]
    assert "Traceback" not in result.output


def test_the_authenticated_request_sends_the_key_once_and_the_bundle_masks_it(tmp_path):
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
    ca.issue_cert("127.0.0.1").private_key_and_cert_chain_pem.write_to_path(str(tmp_path / "chain.pem"))
    world = local_world(tmp_path, {"ANTHROPIC_API_KEY": KEY, "NODE_EXTRA_CA_CERTS": str(tmp_path / "ca.pem")})
    with TlsServer(tmp_path / "chain.pem") as server:
        path, manifest, _ = collect_to(tmp_path, world, port=server.port, authenticated=True, model="claude-test")
        posts = [r for r in server.requests if r.startswith(b"POST /v1/messages")]
        gets = [r for r in server.requests if r.startswith(b"GET ")]
    assert len(posts) == 1 and f"x-api-key: {KEY}".encode() in posts[0]
    assert all(KEY.encode() not in r for r in gets)
    transcript = members(path)["probe-messages.txt"]
    assert "> x-api-key: sk-ant-api03-***" in transcript and "< HTTP/1.1 200 OK" in transcript
    assert KEY not in transcript


def test_without_a_key_the_authenticated_request_is_skipped_and_says_why(tmp_path):
    _, manifest, _ = collect_to(tmp_path, local_world(tmp_path), authenticated=True)
    [record] = [p for p in manifest["probes"] if p["probe"] == "https /v1/messages"]
    assert record["outcome"] == "skipped" and "ANTHROPIC_API_KEY" in record["detail"]
