"""Canaries: every kind of secret, planted in every input format, must appear in no output.

Each planted secret carries the marker `CNRY` (or is built from it: the base64 of a Basic
credential, a JWT), the files are real reference samples with their placeholder credentials
swapped for canaries plus a few lines of each shape, and a user rule set makes the engine
quote the lines that hold them, so the evidence, its context and every renderer are exercised.
The outputs checked: every renderer in `analyzer.report.RENDERERS` (the dict is iterated, so
a new format is covered the day it lands), plain and verbose; the CLI's stdout and stderr;
and `ccdiag redact` (its summary and every file it writes).
"""

from __future__ import annotations

import base64
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.analysis import analyze, load_ruleset
from analyzer.cli import cli
from analyzer.engine.loader import taxonomy
from analyzer.report import RENDERERS
from tests.conftest import SAMPLES

BASIC = base64.b64encode(b"proxyuser:CNRY13pass").decode()
JWT_PAYLOAD = base64.urlsafe_b64encode(b'{"sub":"CNRY18"}').decode().rstrip("=")
JWT = f"eyJhbGciOiJIUzI1NiJ9.{JWT_PAYLOAD}.CNRY18s1gn4ture0123"
KEY = "sk-ant-api03-CNRY01aaaaBBBB1111ccccDDDD2222eeeeFFFF3333ggggAA"
OAUTH = "sk-ant-oat01-CNRY02hhhhIIII4444jjjjKKKK5555"
REFRESH = "sk-ant-ort01-CNRY33llllMMMM6666nnnn"
ADMIN = "sk-ant-admin01-CNRY03ooooPPPP7777"
OPENAI = "sk-proj-CNRY04qqqqRRRR8888ssssTTTT9999"
OPENROUTER = "sk-or-v1-CNRY05abcdef0123456789abcdef0123456789"
AWS_ID = "AKIACNRY06ABCDEFGH12"
AWS_SECRET = "CNRY07wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLE"
AWS_SESSION = "IQoJb3JpZ2luX2VjCNRY08EJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ=="
GOOGLE = "AIzaCNRY11SyA1234567890abcdefghijklmnop"
BEARER = "CNRY12b7f3e9a1c5d20123456789"
PROXY_PASS = "CNRY14p%40ss"
GITHUB = "ghp_CNRY20abcdefghijklmnopqrstuvwxyz01"
MARKERS = ("CNRY", BASIC, JWT_PAYLOAD)

PEM = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQCNRY10IBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "CNRY10bWVudCBvZiBhIHByaXZhdGUga2V5IGJvZHkgbGluZSB0d28K\n-----END PRIVATE KEY-----\n"
)


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8-sig")


def plant(text: str) -> str:
    """Swap the reference samples' placeholder credentials for canaries."""
    return (
        text.replace("sk-ant-api03-PLACEHOLDER", KEY)
        .replace("ZGlhZ3VzZXI6ZGlhZ3Bhc3M=", BASIC)
        .replace("diagpass", PROXY_PASS)
        .replace("P%40ssw0rd", PROXY_PASS)
    )


CURL_EXTRA = f"""\
$ curl -v -u bob:CNRY28c1i -H "Authorization: Bearer {BEARER}" https://api.anthropic.com/v1/models
> GET /v1/models HTTP/1.1
> Host: api.anthropic.com
> Authorization: Bearer {OAUTH}
> Cookie: sessionKey=CNRY16c0ffee; cf_clearance=CNRY16c1earance
> x-goog-api-key: {GOOGLE}
< HTTP/1.1 407 Proxy Authentication Required
< Set-Cookie: proxysess=CNRY17s3tc00; Path=/; HttpOnly
* Uses proxy env variable HTTPS_PROXY == 'http://proxyuser:{PROXY_PASS}@proxy.corp.example:3128'
curl: (56) CONNECT tunnel failed, response 407
"""

ENV_LINES = {
    "ANTHROPIC_API_KEY": KEY,
    "ANTHROPIC_AUTH_TOKEN": "CNRY25t0k",
    "CLAUDE_CODE_OAUTH_TOKEN": OAUTH,
    "OPENAI_API_KEY": OPENAI,
    "OPENROUTER_API_KEY": OPENROUTER,
    "AWS_ACCESS_KEY_ID": AWS_ID,
    "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
    "AWS_SESSION_TOKEN": AWS_SESSION,
    "GITHUB_TOKEN": GITHUB,
    "DB_PASSWORD": "CNRY19 open sesame",
    "HTTPS_PROXY": f"http://proxyuser:{PROXY_PASS}@proxy.corp.example:3128",
    "http_proxy": "proxyuser:CNRY15pxpw@proxy.corp.example:3128",
    "MY_SERVICE_SECRET": "CNRY24d0t",
}


def env_dumps() -> dict[str, str]:
    pairs = list(ENV_LINES.items())
    docker = json.loads(sample("env/podman-inspect.json"))
    docker[0]["Config"]["Env"] += [f"{k}={v}" for k, v in pairs]
    k8s = "".join(f"    - name: {k}\n      value: '{v}'\n" for k, v in pairs)
    return {
        "env-bash-declare.txt": plant(sample("env/linux-bash-declare-x.txt"))
        + "".join(f'declare -x {k}="{v}"\n' for k, v in pairs),
        "env-dash-export.txt": plant(sample("env/linux-dash-export-p.txt"))
        + "".join(f"export {k}='{v}'\n" for k, v in pairs),
        "env-printenv.txt": plant(sample("env/linux-printenv.txt")) + "".join(f"{k}={v}\n" for k, v in pairs),
        "env-windows-set.txt": plant(sample("env/constructed/windows-cmd-set.txt"))
        + "".join(f"{k}={v}\r\n" for k, v in pairs),
        "env-powershell.txt": plant(sample("env/constructed/powershell-get-childitem-env.txt"))
        + "".join(f"{k:<30} {v}\n" for k, v in pairs)
        + "\n"
        + "".join(f"Name  : {k}\nValue : {v}\n\n" for k, v in pairs),
        "docker-inspect.json": json.dumps(docker, indent=4),
        "k8s-pod.yaml": plant(sample("env/k8s-pod-set-env-local.yaml")).replace(
            "    - name: HTTPS_PROXY", k8s + "    - name: HTTPS_PROXY", 1
        ),
        "service.env": plant(sample("env/dotenv-sample.env")) + "".join(f'{k}="{v}"  # set by ops\n' for k, v in pairs),
        "environ.bin": "".join(f"{k}={v}\0" for k, v in pairs) + "PATH=/usr/bin\0",
    }


def har() -> str:
    doc = json.loads(plant(sample("har/generated/mitmproxy-12.2.3-hardump-loopback.har")))
    entry = doc["log"]["entries"][0]
    entry["request"]["url"] += f"?key={GOOGLE}&code=CNRY32c0de0000"
    entry["request"]["headers"] += [
        {"name": "Authorization", "value": f"Bearer {BEARER}"},
        {"name": "Cookie", "value": "sid=CNRY16c0ffee"},
        {"name": "x-api-key", "value": "CNRY21p1ain0123456789"},
    ]
    entry["request"]["cookies"] = [{"name": "sid", "value": "CNRY26h4r", "path": "/"}]
    entry["request"]["queryString"] = [{"name": "key", "value": GOOGLE}]
    entry["request"]["postData"] = {
        "mimeType": "application/json",
        "text": json.dumps({"api_key": "CNRY22p0st", "password": "CNRY22pw"}),
    }
    entry["response"]["headers"].append({"name": "Set-Cookie", "value": "session=CNRY17s3tc00; Path=/"})
    entry["response"]["cookies"] = [{"name": "session", "value": "CNRY26h4r2"}]
    return json.dumps(doc, indent=2)


def inputs() -> dict[str, str]:
    files = {
        "curl-v.txt": plant(sample("curl/curl-8.14.1/proxy-env-auth-ok-tinyproxy.txt")) + CURL_EXTRA,
        "curl-403.txt": plant(sample("curl/curl-7.88.1/proxy-403-squid-connect-port.txt")),
        "trace-ascii.txt": plant(sample("curl/curl-8.14.1/trace-ascii-proxy-407.txt"))
        + f"0059: x-api-key: {KEY}\n0000: Proxy-Authorization: Basic {BASIC}\n",
        "export.har": har(),
        "settings.json": json.dumps(
            {
                "apiKeyHelper": "/usr/local/bin/get-key",
                "primaryApiKey": KEY,
                "env": {
                    "ANTHROPIC_API_KEY": KEY,
                    "ANTHROPIC_AUTH_TOKEN": "CNRY25t0k",
                    "HTTPS_PROXY": f"http://proxyuser:{PROXY_PASS}@proxy.corp.example:3128",
                },
                "customApiKeyResponses": {"approved": ["CNRY29last20chars"]},
            },
            indent=2,
        ),
        ".credentials.json": json.dumps(
            {"claudeAiOauth": {"accessToken": OAUTH, "refreshToken": REFRESH, "expiresAt": 1767225600000}}, indent=2
        ),
        "gcp-service-account.json": json.dumps(
            {
                "type": "service_account",
                "project_id": "corp",
                "private_key_id": "CNRY09a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6",
                "private_key": PEM,
                "client_email": "svc@corp.iam.gserviceaccount.com",
            },
            indent=2,
        ),
        "aws-credentials.ini": f"[default]\naws_access_key_id = {AWS_ID}\naws_secret_access_key = {AWS_SECRET}\n"
        f"aws_session_token = {AWS_SESSION}\n",
        "id_rsa.txt": PEM.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
        "sdk-python.txt": plant(sample("python/api-401.anthropic.txt"))
        + f"Request headers: {{'x-api-key': '{KEY}', 'authorization': 'Bearer {BEARER}'}}\n"
        f'client = Anthropic(api_key="CNRY31kwarg0001")\n',
        "sdk-node.txt": plant(sample("node/api-401.axios.txt"))
        + f"  headers: {{ 'x-api-key': '{KEY}', authorization: 'Bearer {JWT}', cookie: 'a=CNRY16c0ffee' }}\n",
        "claude-debug.txt": plant(sample("claude-code/debug-logs/api-401-invalid-key.debug.txt"))
        + f"2026-11-21T19:57:56.000Z [DEBUG] Using ANTHROPIC_AUTH_TOKEN=CNRY25t0k via proxy "
        f"http://proxyuser:{PROXY_PASS}@proxy.corp.example:3128\n"
        f"2026-11-21T19:57:56.100Z [DEBUG] OAuth callback https://claude.ai/oauth?code=CNRY32c0de0000&state=x\n"
        f"2026-11-21T19:57:56.200Z [DEBUG] id token {JWT}\n"
        f"2026-11-21T19:57:56.300Z [ERROR] API Error: 407 Proxy Authentication Required (token {ADMIN})\n",
        "terminal.txt": plant(sample("claude-code/proxy-env-407-tinyproxy.txt"))
        + f"$ export ANTHROPIC_API_KEY={KEY}\n$ git clone https://{GITHUB}@github.com/corp/repo\n",
    }
    files.update(env_dumps())
    return files


# Line anchors: one rule each, each its own cause, so every planted line is quoted somewhere.
ANCHORS = [
    "x-api-key",
    "authorization",
    "cookie",
    "proxy",
    "password",
    "secret",
    "token",
    "api_key",
    "private",
    "credential",
    "sk-",
    "eyj",
    "aiza",
    "akia",
    "bearer",
    "basic",
    "://",
    "ghp_",
    " -u ",
    "key",
    "aws_",
    "code=",
    "session",
    "name",
    "export",
    "declare",
    "env",
]
KINDS = ["env-var", "header", "setting", "request", "proxy", "config", "log", "api-error", "exception"]


def canary_rules(folder: Path) -> None:
    folder.mkdir()
    causes = sorted(taxonomy())
    for i, anchor in enumerate(ANCHORS + KINDS):
        match = {"contains": [anchor]} if i < len(ANCHORS) else {"kind": anchor, "capture": ["value", "url", "text"]}
        title = "canary {{value}} {{url}}" if i >= len(ANCHORS) else f"canary line {i}"
        rule = {
            "id": f"canary-{i:02}",
            "cause": causes[i % len(causes)],
            "title": title,
            "severity": "critical",
            "confidence": 0.99,
            "match": {"m": match},
            "fix": "rotate {{value}}" if i >= len(ANCHORS) else "x",
            "missing": [{"text": "compare with {{text}}"}] if i >= len(ANCHORS) else [],
        }
        (folder / f"canary-{i:02}.yaml").write_text(json.dumps(rule))


def leaks(text: str) -> list[str]:
    return [m for m in MARKERS if m in text]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("canary")
    bundle = root / "bundle"
    bundle.mkdir()
    for name, text in inputs().items():
        (bundle / name).write_bytes(text.encode("utf-8"))
    with zipfile.ZipFile(root / "bundle.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(bundle.iterdir()):
            zf.write(p, f"upload/{p.name}")
    with tarfile.open(root / "bundle.tar.gz", "w:gz") as tf:
        tf.add(bundle, arcname="upload")
    canary_rules(root / "rules")
    from analyzer.engine import extra_rule_dirs

    ruleset = load_ruleset(extra_rule_dirs([str(root / "rules")]))
    return root, ruleset


def test_the_canary_rules_load_and_every_planted_marker_is_in_the_inputs(world):
    root, ruleset = world
    assert sum(r.startswith("canary-") for r in ruleset.rules) == len(ANCHORS) + len(KINDS)
    text = "".join(p.read_text() for p in (root / "bundle").iterdir())
    assert all(m in text for m in MARKERS)


@pytest.mark.parametrize("name", sorted(inputs()))
def test_no_planted_secret_reaches_any_report_format(world, name):
    root, ruleset = world
    d = analyze([str(root / "bundle" / name)], ruleset=ruleset)
    assert any(f.rule.startswith("canary-") for f in d.findings), "the canary rules quote this file"
    shown = {
        (fmt, verbose): render(d, verbose=verbose, color=False, width=None, rules=ruleset.rules)
        for fmt, render in RENDERERS.items()
        for verbose in (False, True)
    }
    assert any("***" in out for out in shown.values()), "a line that held a secret was shown, masked"
    for (fmt, verbose), out in shown.items():
        assert not leaks(out), f"{fmt} (verbose={verbose}) shows {leaks(out)}"


@pytest.mark.parametrize("name", ["env-powershell.txt", "export.har", "k8s-pod.yaml", "settings.json"])
def test_context_lines_keep_a_secret_masked_when_its_name_is_on_the_line_before(world, name):
    root, ruleset = world
    d = analyze([str(root / "bundle" / name)], ruleset=ruleset)
    assert not leaks(RENDERERS["html"](d, verbose=True, color=False, width=None, rules=ruleset.rules))


@pytest.mark.parametrize("bundle", ["bundle", "bundle.zip", "bundle.tar.gz"])
@pytest.mark.parametrize("fmt", sorted(RENDERERS))
def test_no_planted_secret_reaches_stdout_or_stderr_of_the_command(world, bundle, fmt):
    root, _ = world
    result = CliRunner().invoke(
        cli, ["analyze", str(root / bundle), "--rules", str(root / "rules"), "--format", fmt, "--verbose"]
    )
    assert result.exit_code == 1, result.output
    assert "***" in result.stdout
    for where, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert not leaks(text), f"{where} shows {leaks(text)}"


@pytest.mark.parametrize("bundle,output", [("bundle", "copy"), ("bundle.zip", "copy.zip"), ("bundle.tar.gz", "copy")])
def test_no_planted_secret_survives_ccdiag_redact(world, tmp_path, bundle, output):
    root, ruleset = world
    result = CliRunner().invoke(cli, ["redact", str(root / bundle), "-o", str(tmp_path / output)])
    assert result.exit_code == 0, result.output
    assert not leaks(result.stdout + result.stderr)
    copy = tmp_path / output
    if copy.suffix == ".zip":
        with zipfile.ZipFile(copy) as zf:
            texts = {n: zf.read(n).decode("utf-8", "replace") for n in zf.namelist()}
    else:
        texts = {
            str(p.relative_to(copy)): p.read_text(encoding="utf-8", errors="replace")
            for p in copy.rglob("*")
            if p.is_file()
        }
    assert len(texts) == len(inputs())
    for name, text in texts.items():
        assert not leaks(text), f"{name} keeps {leaks(text)}"
    for fmt, render in RENDERERS.items():
        d = analyze([str(copy)], ruleset=ruleset)
        assert not leaks(render(d, verbose=True, color=False, width=None, rules=ruleset.rules)), fmt


def test_a_rule_capture_group_cannot_lift_a_secret_out_of_a_line(tmp_path):
    """A user rule may capture any part of a raw line into its title; the group must be masked
    like the line it came from, not judged on its own (a bare password does not look secret)."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "grab.yaml").write_text(
        json.dumps(
            {
                "id": "grab",
                "cause": sorted(taxonomy())[0],
                "title": "password {{pw}}",
                "severity": "high",
                "confidence": 0.9,
                "fix": "x",
                "match": {"m": {"pattern": r"://[^:/\s]+:(?P<pw>[^@\s]+)@"}},
            }
        )
    )
    (tmp_path / "env.txt").write_text(f"HTTPS_PROXY=http://proxyuser:{PROXY_PASS}@proxy.corp.example:3128\n")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "env.txt"), "--rules", str(rules), "--format", "json"])
    assert "password " in result.stdout, "the rule fired"
    assert not leaks(result.stdout)


def test_a_quoted_line_is_redacted_with_the_line_before_it(tmp_path):
    """`value: x` alone says nothing; with `- name: DB_PASSWORD` above it, x is a password."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "values.yaml").write_text(
        json.dumps(
            {
                "id": "values",
                "cause": sorted(taxonomy())[0],
                "title": "a value line",
                "severity": "high",
                "confidence": 0.9,
                "fix": "x",
                "match": {"m": {"contains": ["value:"]}},
            }
        )
    )
    (tmp_path / "pod.yaml").write_text("env:\n    - name: DB_PASSWORD\n      value: 'CNRY40 open sesame'\n")
    result = CliRunner().invoke(cli, ["analyze", str(tmp_path / "pod.yaml"), "--rules", str(rules), "--format", "json"])
    assert "a value line" in result.stdout, "the rule fired"
    assert not leaks(result.stdout)
