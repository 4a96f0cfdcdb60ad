"""Redaction: what is masked, what survives for diagnosis, and `ccdiag redact`."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.analysis import analyze, load_ruleset
from analyzer.cli import cli
from analyzer.redact import MASK, is_secret_name, redact_text, redact_value, unfinished_tail
from analyzer.sanitize import Sanitizer
from analyzer.textio import Doc
from tests.conftest import CASES, SAMPLES

# (text, secret parts that must disappear, parts that must survive)
MASKED = [
    ("> x-api-key: sk-ant-api03-Zx81kQm2pLw0aa", ["Zx81kQm2pLw0aa"], ["x-api-key: sk-ant-api03-"]),
    ("* [HTTP/2] [1] [x-api-key: sk-ant-api03-Zx81kQm2pLw0]", ["Zx81kQm2pLw0"], ["sk-ant-api03-", "]"]),
    ("Authorization: Bearer sk-ant-oat01-Qq12ab34cd", ["Qq12ab34cd"], ["Authorization: Bearer sk-ant-oat01-"]),
    ("admin sk-ant-admin01-Xy7abc12", ["Xy7abc12"], ["sk-ant-admin01-"]),
    (
        "> Proxy-Authorization: Basic ZGlhZ3VzZXI6ZGlhZ3Bhc3M=",
        ["ZGlhZ3VzZXI6ZGlhZ3Bhc3M="],
        ["Proxy-Authorization: Basic "],
    ),
    (
        "* Uses proxy env variable https_proxy == 'http://diaguser:diagpass@127.0.0.1:3128'",
        ["diagpass"],
        ["diaguser", "127.0.0.1:3128"],
    ),
    ("http_proxy=http://u%40corp:P%40ssw0rd@proxy.corp.example:8080", ["P%40ssw0rd"], ["proxy.corp.example:8080"]),
    ("HTTPS_PROXY=http://bob:p@ss@proxy:3128", ["p@ss"], ["bob", "proxy:3128"]),
    ("https_proxy=bob:hunter2@proxy:3128", ["hunter2"], ["proxy:3128"]),
    ("curl -u bob:s3cretpw https://api.example", ["s3cretpw"], ["bob"]),
    ("export OPENAI_KEY='abcdefghijklmnop'", ["abcdefghijklmnop"], ["OPENAI_KEY"]),
    ('declare -x ANTHROPIC_AUTH_TOKEN="tok-99887766"', ["tok-99887766"], ["ANTHROPIC_AUTH_TOKEN"]),
    ("set DB_PASSWORD=my secret phrase", ["my secret phrase", "secret phrase"], ["DB_PASSWORD="]),
    ("ANTHROPIC_API_KEY=sk-ant-api03-Qw12erty # inline comment", ["Qw12erty"], ["# inline comment"]),
    ("ANTHROPIC_API_KEY              sk-ant-api03-Qw12erty", ["Qw12erty"], ["ANTHROPIC_API_KEY"]),
    ('$env:GITHUB_TOKEN = "abc123def456"', ["abc123def456"], ["$env:GITHUB_TOKEN"]),
    (
        '"Env": ["PATH=/usr/bin", "DB_PASSWORD=a,b c", "X_SECRET=zz9 # kept"]',
        ["a,b c", "zz9"],
        ["PATH=/usr/bin", "# kept"],
    ),
    (
        "    - name: DB_PASSWORD\n      value: hunter22\n    - name: HTTPS_PROXY\n      value: http://proxy:8080",
        ["hunter22"],
        ["http://proxy:8080"],
    ),
    ("Name  : ANTHROPIC_AUTH_TOKEN\nValue : abcdef123456", ["abcdef123456"], ["ANTHROPIC_AUTH_TOKEN"]),
    ('{"name": "x-api-key", "value": "abcdef0123456789"}', ["abcdef0123456789"], ['"name": "x-api-key"']),
    ('{"value": "abcdef0123456789", "name": "Authorization"}', ["abcdef0123456789"], ["Authorization"]),
    (
        '"cookies": [{"name": "sessionid", "value": "c00kieval", "path": "/"}]',
        ["c00kieval"],
        ["sessionid", '"path": "/"'],
    ),
    ("Set-Cookie: __cf_bm=abcdefg123; path=/; HttpOnly", ["abcdefg123"], ["__cf_bm=", "path=/", "HttpOnly"]),
    ("Cookie: a=b1234; cf_clearance=zzz999", ["b1234", "zzz999"], ["cf_clearance="]),
    (
        "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dozjgNryP4J3jVmNHl0w5N",
        ["eyJzdWIiOiIxMjM0In0", "dozjgNryP4J3jVmNHl0w5N"],
        ["eyJ"],
    ),
    ("AKIAIOSFODNN7EXAMPLE", ["IOSFODNN7EXAMPLE"], ["AKIA"]),
    ("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ["wJalrXUtnFEMI"], ["aws_secret_access_key"]),
    ("AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ", ["EJr//////////wEaCXVzLWVhc3Qt"], []),
    (
        '"private_key_id": "1234abcd5678ef90", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\n'
        '-----END PRIVATE KEY-----\\n"',
        ["1234abcd5678ef90", "MIIEvQIBADANBgkq"],
        ["-----BEGIN PRIVATE KEY-----"],
    ),
    ("key=AIzaSyA1234567890abcdefghijklmnopqrstu", ["SyA1234567890abcdef"], ["AIza"]),
    (
        "sk-or-v1-0123456789abcdef0123456789abcdef sk-proj-abcdefghijklmnop1234",
        ["0123456789abcdef0123", "abcdefghijklmnop1234"],
        ["sk-or-v1-", "sk-proj-"],
    ),
    (
        "ghp_abcdefghijklmnopqrstuvwxyz0123 xoxb-123456789012-abcdef",
        ["abcdefghijklmnopqrstuvwxyz0123", "123456789012-abcdef"],
        ["ghp_"],
    ),
    (
        "--api-key abcd1234 --password=hunter2 --token 'tt tt'",
        ["abcd1234", "hunter2", "tt tt"],
        ["--api-key", "--token"],
    ),
    (
        '{"headers": {"x-api-key": "k3y-12345678", "authorization": "Bearer tok1234567890"}}',
        ["k3y-12345678", "tok1234567890"],
        ["Bearer "],
    ),
    (
        "headers: { 'x-api-key': 'sk-ant-api03-abcdef', authorization: 'Bearer abc.def.ghi123' }",
        ["abcdef'", "abc.def.ghi123"],
        ["'x-api-key'"],
    ),
    ('postData: "{\\"api_key\\":\\"abc123def\\",\\"x\\":1}"', ["abc123def"], ['\\"x\\":1']),
    ('"customApiKeyResponses": {"approved": ["abcdefghij0123456789"]}', ["abcdefghij0123456789"], ["approved"]),
    ("https://example/cb?code=abcdefgh12345678&state=xyz", ["abcdefgh12345678"], ["state=xyz"]),
    ("A_KEY=secret1\0B=1\0HTTPS_PROXY=http://u:pw12@h:1\0", ["secret1", "pw12"], ["\0B=1\0"]),
]


@pytest.mark.parametrize("text,gone,kept", MASKED, ids=[m[0][:40] for m in MASKED])
def test_each_kind_of_secret_is_masked_and_its_context_survives(text, gone, kept):
    out = redact_text(text)
    for secret in gone:
        assert secret not in out
    for part in kept:
        assert part in out
    assert MASK in out


NOT_SECRET = [
    "KeyError: 'foo'",
    "[ERROR] API invalid_api_key: [REDACTED] x-api-key",
    '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
    "anthropic-ratelimit-tokens-remaining: 1000",
    "apiKeySource: ANTHROPIC_API_KEY",
    "  L API Key: apiKeyHelper",
    '"apiKeyHelper": "/usr/local/bin/key.sh"',
    'WWW-Authenticate: Bearer realm="api", error="invalid_token"',
    "a task-0123456789abcdefghij1234 disk-xyz",
    "PWD=/home/dev OLDPWD=/tmp",
    "AxiosError code=ERR_BAD_REQUEST message=Request failed with status code 401",
    "ext_key_usage: [ '1.3.6.1.5.5.7.3.1' ]",
    "ANTHROPIC_API_KEY=${ANTHROPIC_API_KEY}",
    "CLAUDE_CODE_MAX_OUTPUT_TOKENS=32000",
    "NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem",
    "Proxy auth using Basic with user 'diaguser'",
    "token: expired",
]


@pytest.mark.parametrize("text", NOT_SECRET)
def test_text_that_only_talks_about_secrets_is_left_alone(text):
    assert redact_text(text) == text


@pytest.mark.parametrize("text", [m[0] for m in MASKED])
def test_redaction_is_idempotent(text):
    once = redact_text(text)
    assert redact_text(once) == once


@pytest.mark.parametrize(
    "name,secret",
    [
        ("ANTHROPIC_API_KEY", True),
        ("x-api-key", True),
        ("primaryApiKey", True),
        ("AWS_BEARER_TOKEN_BEDROCK", True),
        ("proxy-authorization", True),
        ("set-cookie", True),
        ("DB_PASSWD", True),
        ("client_secret", True),
        ("apiKeyHelper", False),
        ("max_tokens", False),
        ("CLAUDE_CODE_API_KEY_HELPER_TTL_MS", False),
        ("public_key", False),
        ("KeyError", False),
        ("www-authenticate", False),
        ("PWD", False),
    ],
)
def test_secret_names_are_told_from_names_that_describe_secrets(name, secret):
    assert is_secret_name(name) is secret


def test_a_named_value_keeps_its_credential_kind_prefix_and_authorization_scheme():
    assert redact_value("ANTHROPIC_API_KEY", "sk-ant-api03-abcdefgh") == "sk-ant-api03-***"
    assert redact_value("authorization", "Bearer abc") == "Bearer ***"
    assert redact_value("cookie", "a=1; b=2") == "a=***; b=***"
    assert redact_value("HTTPS_PROXY", "http://u:pw@proxy:3128") == "http://u:***@proxy:3128"
    assert redact_value("NO_PROXY", "localhost,.corp") == "localhost,.corp"


def test_a_stream_is_never_cut_inside_a_private_key_or_a_name_value_pair():
    key = "x\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n"
    assert key[unfinished_tail(key) :].startswith("-----BEGIN")
    pair = "a: 1\n    - name: DB_PASSWORD\n"
    assert pair[unfinished_tail(pair) :].lstrip().startswith("- name")
    assert unfinished_tail("a: 1\n-----BEGIN PRIVATE KEY-----\nMII\n-----END PRIVATE KEY-----\n") is None


# ----------------------------------------------------------------- consistent placeholders


def test_the_same_secret_gets_the_same_token_in_every_file_and_another_secret_another():
    s = Sanitizer()
    env = s.text("ANTHROPIC_API_KEY=sk-ant-api03-AAAA1111\nOTHER_KEY=sk-ant-api03-BBBB2222\n", "env.txt")
    curl = s.text("> x-api-key: sk-ant-api03-AAAA1111\n", "curl.txt")
    assert "sk-ant-api03-<ANTHROPIC_API_KEY_1>" in env and "sk-ant-api03-<ANTHROPIC_API_KEY_2>" in env
    assert "sk-ant-api03-<ANTHROPIC_API_KEY_1>" in curl
    assert s.summary() == {"env.txt": {"anthropic-api-key": 2}, "curl.txt": {"anthropic-api-key": 1}}


def test_a_secret_split_across_stream_blocks_is_still_masked(monkeypatch):
    monkeypatch.setattr("analyzer.sanitize.BLOCK_CHARS", 64)
    text = "filler line\n" * 4 + "    - name: DB_PASSWORD\n      value: hunter22\n" + "tail\n" * 10
    key = "-----BEGIN PRIVATE KEY-----\n" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\n" * 3 + "-----END PRIVATE KEY-----\n"
    out = "".join(Sanitizer().stream(iter([text, key]), "x.yaml"))
    assert "hunter22" not in out and "QUJDREVGR0hJSktM" not in out
    assert out.count("\n") == (text + key).count("\n")


# ----------------------------------------------------------------- ccdiag redact


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def causes(paths: list[Path], ruleset) -> list[str]:
    return [f.cause for f in analyze([str(p) for p in paths], ruleset=ruleset).findings]


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


REFERENCE = [
    "curl/curl-8.14.1/proxy-env-auth-ok-tinyproxy.txt",
    "curl/curl-7.88.1/proxy-407-squid.txt",
    "curl/curl-8.14.1/trace-ascii-proxy-407.txt",
    "claude-code/proxy-env-407-tinyproxy.txt",
    "claude-code/debug-logs/api-401-invalid-key.debug.txt",
    "python/api-401.anthropic.txt",
    "node/proxy-env-407-tinyproxy.axios.txt",
    "har/generated/mitmproxy-12.2.3-hardump-loopback.har",
    "env/linux-bash-declare-x.txt",
    "env/podman-inspect.json",
    "env/constructed/powershell-get-childitem-env.txt",
    "env/k8s-pod-set-env-local.yaml",
    "env/dotenv-sample.env",
    "env/linux-env-0.bin",
]


@pytest.mark.parametrize("name", REFERENCE)
def test_redacting_a_reference_sample_keeps_its_diagnosis(tmp_path, ruleset, name):
    src = SAMPLES / name
    result = run("redact", str(src), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    copy = tmp_path / "out" / src.name
    assert causes([copy], ruleset) == causes([src], ruleset)


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir()))
def test_redacting_a_real_user_report_keeps_its_diagnosis_and_order(tmp_path, ruleset, case):
    files = sorted(p for p in (CASES / case).iterdir() if p.name != "truth.yaml")
    result = run("redact", *map(str, files), "-o", str(tmp_path / "out.zip"))
    assert result.exit_code == 0, result.output
    assert causes([tmp_path / "out.zip"], ruleset) == causes(files, ruleset)


def test_redact_copies_a_folder_and_masks_the_same_key_with_the_same_token_in_every_file(tmp_path):
    src = tmp_path / "upload"
    src.mkdir()
    (src / "env.txt").write_text("export ANTHROPIC_API_KEY=sk-ant-api03-SAMEKEY123\nDB_PASSWORD=hunter22\n")
    (src / "logs").mkdir()
    (src / "logs" / "curl.txt").write_text("> x-api-key: sk-ant-api03-SAMEKEY123\n< HTTP/1.1 401 Unauthorized\n")
    (src / "core.bin").write_bytes(bytes(range(256)) * 32)
    result = run("redact", str(src), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    env = (tmp_path / "out" / "env.txt").read_text()
    curl = (tmp_path / "out" / "logs" / "curl.txt").read_text()
    assert "SAMEKEY123" not in env + curl + result.output and "hunter22" not in env + result.output
    token = "sk-ant-api03-<ANTHROPIC_API_KEY_1>"
    assert token in env and token in curl and "DB_PASSWORD=<PASSWORD_1>" in env
    assert not (tmp_path / "out" / "core.bin").exists()
    assert "core.bin: binary file (not copied)" in result.stderr
    assert "env.txt" in result.stdout and "anthropic-api-key 1, password 1" in result.stdout


def test_redact_writes_a_zip_when_the_output_ends_in_zip_and_keeps_the_archive_layout(tmp_path):
    bundle = tmp_path / "bundle.tar.gz"
    with tarfile.open(bundle, "w:gz") as tf:
        data = b"HTTPS_PROXY=http://u:pw99@proxy:3128\n"
        info = tarfile.TarInfo("bundle/env.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    result = run("redact", str(bundle), "-o", str(tmp_path / "clean.zip"), "--json")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(tmp_path / "clean.zip") as zf:
        assert zf.namelist() == ["bundle/env.txt"]
        assert zf.read("bundle/env.txt") == b"HTTPS_PROXY=http://u:<PASSWORD_1>@proxy:3128\n"
    summary = json.loads(result.stdout)
    assert summary["files"] == [{"path": "bundle/env.txt", "redacted": {"password": 1}}]


def test_redact_keeps_utf16_and_latin1_files_in_their_own_encoding(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    text = "Name  Value\nANTHROPIC_API_KEY  sk-ant-api03-UTF16KEY99\n"
    (src / "ps.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    (src / "latin1.txt").write_bytes("caf\xe9 DB_PASSWORD=s\xe9cret99\n".encode("latin-1"))
    assert run("redact", str(src), "-o", str(tmp_path / "out")).exit_code == 0
    ps = (tmp_path / "out" / "ps.txt").read_bytes()
    assert ps.startswith(b"\xff\xfe") and "sk-ant-api03-<ANTHROPIC_API_KEY_1>" in ps.decode("utf-16")
    assert (tmp_path / "out" / "latin1.txt").read_bytes() == b"caf\xe9 DB_PASSWORD=<PASSWORD_1>\n"


def test_redact_refuses_to_overwrite_or_to_write_inside_its_input(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("x\n")
    (tmp_path / "taken.zip").write_bytes(b"keep")
    inside = run("redact", str(src), "-o", str(src / "out"))
    taken = run("redact", str(src), "-o", str(tmp_path / "taken.zip"))
    assert inside.exit_code == 2 and "inside an input folder" in inside.stderr
    assert taken.exit_code == 2 and "--force" in taken.stderr
    assert (tmp_path / "taken.zip").read_bytes() == b"keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "taken.zip"], "no temporary file is left behind"


def test_redact_masks_secrets_in_file_names_too(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "token=sk-ant-api03-NAMEKEY1234.txt").write_text("hello\n")
    result = run("redact", str(src), "-o", str(tmp_path / "out"))
    names = [p.name for p in (tmp_path / "out").iterdir()]
    assert names and "NAMEKEY1234" not in "".join(names) + result.output


def test_doc_of_a_redacted_copy_reads_like_the_original(tmp_path):
    src = SAMPLES / "curl" / "curl-8.14.1" / "proxy-env-auth-ok-tinyproxy.txt"
    assert run("redact", str(src), "-o", str(tmp_path / "out")).exit_code == 0
    copy = tmp_path / "out" / src.name
    before = list(Doc.open(str(src), src.stat().st_size, lambda: open(src, "rb")).lines())
    after = list(Doc.open(str(copy), copy.stat().st_size, lambda: open(copy, "rb")).lines())
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed and all("diagpass" in a or "ZGlhZ3VzZXI6ZGlhZ3Bhc3M=" in a or "PLACEHOLDER" in a for a, _ in changed)


# ----------------------------------------------------------------- leak paths outside redact.py
# Evidence.make is the edge every record passes: it must redact before cutting, by field name,
# and inside containers.


def test_evidence_text_cut_at_its_limit_does_not_expose_half_a_secret():
    from analyzer.model import Evidence, Location

    ev = Evidence.make("text", "line", "x" * 1970 + " http://user:Hunter2Hunter2Hunter2@proxy:3128", Location("a"))
    assert "Hunter2" not in ev.text


def test_an_evidence_field_named_like_a_secret_is_masked_by_its_name():
    from analyzer.model import Evidence, Location

    ev = Evidence.make("env", "setting", "x", Location("a"), password="hunter22", api_key="abcdefgh")
    assert ev.fields["password"] == MASK and ev.fields["api_key"] == MASK


def test_secrets_inside_list_and_dict_fields_are_masked():
    from analyzer.model import Evidence, Location

    ev = Evidence.make(
        "har",
        "request",
        "x",
        Location("a"),
        headers=[("authorization", "Bearer abcdef123456")],
        env={"DB_PASSWORD": "hunter22"},
    )
    assert "abcdef123456" not in repr(ev.fields) and "hunter22" not in repr(ev.fields)
