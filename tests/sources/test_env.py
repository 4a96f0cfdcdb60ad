"""The env source: env dumps, shell exports, Windows/PowerShell, containers, .env files, terminal pastes."""

from __future__ import annotations

import pytest

from analyzer import textio
from analyzer.model import KINDS
from analyzer.sources import env, har, settings, tool_config
from tests.conftest import CASES, SAMPLES, doc_of, yields, yields_from_file

ENV = SAMPLES / "env"
MINE = {"har": har, "settings": settings, "env": env, "config": tool_config}
ALL_SAMPLES = sorted(p for d in ("env", "har") for p in (SAMPLES / d).rglob("*") if p.is_file())


def by_name(evidence):
    return {e.get("name"): e for e in evidence if e.kind == "env-var"}


@pytest.mark.parametrize("path", ALL_SAMPLES, ids=lambda p: str(p.relative_to(SAMPLES)))
def test_every_env_and_har_sample_parses_with_each_source_that_sniffs_it(path):
    doc = doc_of(path)
    for name, mod in MINE.items():
        if mod.sniff(doc.head):
            evidence = list(mod.parse(doc))
            assert {e.kind for e in evidence} <= set(KINDS), name


@pytest.mark.parametrize(
    "name",
    [
        "linux-env.txt",
        "linux-printenv.txt",
        "linux-bash-export-p.txt",
        "linux-bash-declare-x.txt",
        "linux-dash-export-p.txt",
        "linux-zsh-export-p.txt",
        "linux-env-0.bin",
        "linux-proc-environ.bin",
    ],
)
def test_linux_dumps_agree_on_the_tricky_values(name):
    doc = doc_of(ENV / name)
    assert env.sniff(doc.head)
    names = by_name(env.parse(doc))
    assert names["MULTILINE_NOTE"].get("value") == 'first line\nsecond line with "quotes" and $dollar'
    assert names["WITH_EQUALS"].get("value") == "a=b=c"
    assert names["WITH_SPACES"].get("value") == "value with  two spaces"
    assert names["WITH_SINGLE_QUOTE"].get("value") == "it's here"
    assert names["EMPTY_VAL"].get("value") == ""
    assert names["NODE_TLS_REJECT_UNAUTHORIZED"].get("value") == "0"
    assert names["ANTHROPIC_API_KEY"].get("value") == "sk-ant-api03-***"
    assert "https_proxy" in names and "HTTPS_PROXY" in names, "names keep their case"


@pytest.mark.parametrize("name", ["linux-bash-export-p.txt", "linux-zsh-export-p.txt", "linux-env-0.bin"])
def test_non_ascii_values_are_decoded_from_octal_meta_and_raw_bytes(name):
    assert by_name(yields_from_file(env, ENV / name))["UNICODE_VAL"].get("value") == "caf\u00e9 \u2713"


def test_env_dump_continuation_line_is_joined_and_the_next_variable_keeps_its_line():
    names = by_name(yields_from_file(env, ENV / "linux-env.txt"))
    assert names["MULTILINE_NOTE"].where.line == 24 and names["MULTILINE_NOTE"].get("multiline") is True
    assert names["SSL_CERT_FILE"].where.line == 26
    assert names["_"].get("value") == "/usr/bin/env" and names["_"].get("origin") == "env"


def test_nul_separated_environ_counts_lines_like_doc_lines():
    names = by_name(yields_from_file(env, ENV / "linux-proc-environ.bin"))
    assert names["SHELL"].where.line == 1
    assert names["SSL_CERT_FILE"].where.line == 26  # the NUL-separated record after the two-line value


def test_bash_declare_without_value_is_exported_with_no_value():
    oldpwd = by_name(yields_from_file(env, ENV / "linux-bash-declare-x.txt"))["OLDPWD"]
    assert oldpwd.get("no_value") is True and oldpwd.get("value") is None and oldpwd.where.line == 16


def test_zsh_tied_path_and_integer_flag_are_understood():
    names = by_name(yields_from_file(env, ENV / "linux-zsh-export-p.txt"))
    assert names["PATH"].get("value") == "/usr/local/bin:/usr/bin:/bin" and names["PATH"].where.line == 17
    assert names["SHLVL"].get("value") == "1" and names["SHLVL"].where.line == 21


def test_dash_single_quoted_value_spanning_two_lines_is_one_variable():
    names = by_name(yields_from_file(env, ENV / "linux-dash-export-p.txt"))
    assert names["MULTILINE_NOTE"].where.line == 12
    assert names["NODE_EXTRA_CA_CERTS"].where.line == 14
    assert names["WITH_SINGLE_QUOTE"].get("value") == "it's here"


def test_proxy_variables_become_proxy_evidence_with_credentials_masked():
    ev = yields_from_file(env, ENV / "linux-bash-declare-x.txt")
    proxies = {e.get("variable"): e for e in ev if e.kind == "proxy"}
    assert set(proxies) == {"ALL_PROXY", "HTTPS_PROXY", "HTTP_PROXY", "https_proxy"}
    assert proxies["ALL_PROXY"].get("scheme") == "socks5h" and proxies["ALL_PROXY"].get("port") == 1080
    https = proxies["HTTPS_PROXY"]
    assert https.get("host") == "proxy.corp.example" and https.get("port") == 8080 and https.get("via") == "env"
    assert https.get("credentials") is True and "P%40ssw0rd" not in https.get("url")
    assert https.where.line == 8


def test_windows_cmd_set_dump_keeps_mixed_case_names_and_origin_windows():
    names = by_name(yields_from_file(env, ENV / "constructed" / "windows-cmd-set.txt"))
    assert names["Path"].get("origin") == "windows" and names["windir"].get("value") == "C:\\WINDOWS"
    assert names["PROMPT"].get("value") == "$P$G"
    assert names["HTTPS_PROXY"].where.line == 9


def test_a_windows_name_with_parentheses_outside_a_dump_does_not_stop_the_parser():
    # `ProgramFiles(x86)=` is no shell assignment: the inline-command check used to raise on it
    text = "$ echo hi\nhi\nProgramFiles(x86)=C:\\Program Files (x86)\nHTTPS_PROXY=http://proxy:3128\n"
    assert "HTTPS_PROXY" in [e.fields["name"] for e in yields(env, text, "env.txt") if e.kind == "env-var"]


def test_powershell_table_flags_truncated_values_and_format_list_is_read():
    ev = yields_from_file(env, ENV / "constructed" / "powershell-get-childitem-env.txt")
    table = [e for e in ev if e.kind == "env-var" and e.where.line <= 13]
    assert [e.get("name") for e in table][:3] == ["ALLUSERSPROFILE", "ANTHROPIC_API_KEY", "APPDATA"]
    path = next(e for e in table if e.get("name") == "Path")
    assert path.get("truncated") is True and path.get("origin") == "powershell"
    assert next(e for e in table if e.get("name") == "HTTPS_PROXY").get("truncated") is None
    listed = [e for e in ev if e.kind == "env-var" and e.where.line > 13]
    assert [(e.get("name"), e.get("value"), e.where.line) for e in listed] == [
        ("HTTPS_PROXY", "http://proxy.corp.example:8080", 17),
        ("NO_PROXY", "localhost,127.0.0.1,.corp.example", 20),
    ]


def test_truncated_proxy_value_gives_no_proxy_record():
    text = (
        "Name                           Value\n----                           -----\n"
        "HTTPS_PROXY                    http://very-long-proxy-host.corp.exa...\n"
    )
    ev = yields(env, text, "paste.txt")
    assert by_name(ev)["HTTPS_PROXY"].get("truncated") is True
    assert not [e for e in ev if e.kind == "proxy"]


def test_podman_inspect_config_env_with_json_escapes_and_lines():
    doc = doc_of(ENV / "podman-inspect.json")
    assert env.sniff(doc.head)
    names = by_name(env.parse(doc))
    assert names["MULTI"].get("value") == "line1\nline2" and names["MULTI"].where.line == 135
    assert names["QUOTED"].get("value") == 'say "hi"'
    assert names["HTTPS_PROXY"].get("origin") == "docker"


def test_k8s_pod_secret_ref_has_unknown_value_and_env_from_is_reported():
    doc = doc_of(ENV / "k8s-pod-set-env-local.yaml")
    assert env.sniff(doc.head)
    ev = list(env.parse(doc))
    names = by_name(ev)
    key = names["ANTHROPIC_API_KEY"]
    assert key.get("value") == "" and key.get("from_secret") is True and key.get("ref") == "anthropic"
    assert key.get("origin") == "k8s" and key.where.line == 9
    assert (
        names["HTTPS_PROXY"].get("value") == "http://proxy.corp.example:8080" and names["HTTPS_PROXY"].where.line == 14
    )
    assert names["*"].get("from_configmap") == "corp-proxy-settings" and names["*"].get("env_from") is True


def test_k8s_deployment_nests_containers_under_the_template():
    text = """apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: NODE_EXTRA_CA_CERTS
          value: /etc/ca.pem
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
"""
    assert env.sniff(text)
    names = by_name(yields(env, text, "deploy.yaml"))
    assert names["NODE_EXTRA_CA_CERTS"].get("value") == "/etc/ca.pem" and names["NODE_EXTRA_CA_CERTS"].where.line == 9
    assert names["POD_IP"].get("from_field") == "status.podIP"


def test_kubectl_set_env_list_reports_the_secret_reference():
    ev = yields_from_file(env, ENV / "k8s-set-env-list.txt")
    names = by_name(ev)
    assert names["ANTHROPIC_API_KEY"].get("from_secret") is True and names["ANTHROPIC_API_KEY"].where.line == 2
    assert names["HTTPS_PROXY"].get("origin") == "k8s"


def test_dotenv_file_is_read_like_python_dotenv_with_docker_divergence_flags():
    names = by_name(yields_from_file(env, ENV / "dotenv-sample.env"))
    assert all(e.get("origin") == "dotenv" for e in names.values())
    assert names["HTTP_PROXY"].get("export_prefix") is True
    assert names["NO_PROXY"].get("value") == "localhost,127.0.0.1,.corp.example" and names["NO_PROXY"].get("quoted")
    assert names["ANTHROPIC_API_KEY"].get("inline_comment") is True
    assert names["ANTHROPIC_BASE_URL"].get("value") == "https://llm-gateway.corp.example/anthropic"
    assert names["ANTHROPIC_BASE_URL"].get("spaced") is True
    assert names["QUOTED_HASH"].get("value") == "value#not-a-comment" and not names["QUOTED_HASH"].get("inline_comment")
    pem = names["MULTILINE_PEM"]
    assert pem.get("value").count("\n") == 2 and pem.get("multiline") is True and pem.where.line == 9
    assert names["ESCAPED_NL"].get("value") == "line1\nline2" and names["ESCAPED_NL"].get("escapes") is True
    assert names["EXPANDED"].get("value") == "http://proxy.corp.example:8080/extra"
    assert names["WINDOWS_PATH"].get("value") == "C:\\Users\\dev\\corp-ca.pem"
    assert names["WINDOWS_PATH"].where.line == 15


def test_dotenv_values_match_the_recorded_python_dotenv_parse():
    import json

    expected = json.loads((ENV / "dotenv-sample.parsed-python-dotenv.json").read_text())["values"]
    names = by_name(yields_from_file(env, ENV / "dotenv-sample.env"))
    for name, value in expected.items():
        if name == "ANTHROPIC_API_KEY":
            continue  # masked by Evidence.make
        assert names[name].get("value") == value, name


def test_case_008_exported_socks5h_proxy_with_double_quotes():
    ev = yields_from_file(env, CASES / "008-proxy-socks5h-scheme-crash" / "env.txt")
    proxies = [e for e in ev if e.kind == "proxy"]
    assert [(p.get("variable"), p.get("scheme"), p.where.line) for p in proxies] == [
        ("http_proxy", "socks5h", 1),
        ("https_proxy", "socks5h", 2),
    ]
    assert all(e.get("origin") == "export" for e in ev if e.kind == "env-var")


def test_case_011_exported_base_url_and_masked_token():
    names = by_name(yields_from_file(env, CASES / "011-ollama-base-url-v1-suffix-404" / "env.txt"))
    assert names["ANTHROPIC_BASE_URL"].get("value") == "http://localhost:11434/v1"
    assert names["ANTHROPIC_AUTH_TOKEN"].get("value") == "***"
    assert set(names) == {"ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL"}, "`claude --model x` is not a variable"


def test_case_047_env_prefix_in_a_markdown_paste_is_an_inline_proxy():
    ev = yields_from_file(env, CASES / "047-sdk-python-proxy-env-ignored" / "env.txt")
    vars_ = [e for e in ev if e.kind == "env-var"]
    assert [(e.get("name"), e.get("origin"), e.get("command"), e.where.line) for e in vars_] == [
        ("HTTPS_PROXY", "inline", "python", 4),
        ("HTTPS_PROXY", "inline", "python", 10),
    ]
    assert [e.get("port") for e in ev if e.kind == "proxy"] == [7890, 7890]


def test_case_017_inline_prefix_after_a_fancy_prompt():
    doc = doc_of(CASES / "017-bedrock-model-access-init-403" / "terminal.txt")
    assert env.sniff(doc.head)
    var = by_name(env.parse(doc))["CLAUDE_CODE_USE_BEDROCK"]
    assert var.get("value") == "1" and var.get("origin") == "inline" and var.get("command") == "npx"


@pytest.mark.parametrize(
    "line, name, value, origin",
    [
        ("export HTTPS_PROXY=http://proxy:3128", "HTTPS_PROXY", "http://proxy:3128", "export"),
        (
            "$ export NODE_OPTIONS='--use-openssl-ca --max-old-space-size=4096'",
            "NODE_OPTIONS",
            "--use-openssl-ca --max-old-space-size=4096",
            "export",
        ),
        ('dev@box:~/proj$ export A_B="x y" && claude', "A_B", "x y", "export"),
        ("set HTTPS_PROXY=http://proxy:3128", "HTTPS_PROXY", "http://proxy:3128", "windows"),
        ('C:\\Users\\dev>set "NO_PROXY=localhost,.corp"', "NO_PROXY", "localhost,.corp", "windows"),
        ('setx NODE_EXTRA_CA_CERTS "C:\\certs\\corp.pem" /M', "NODE_EXTRA_CA_CERTS", "C:\\certs\\corp.pem", "windows"),
        ('$env:HTTPS_PROXY = "http://proxy:3128"', "HTTPS_PROXY", "http://proxy:3128", "powershell"),
        (
            "PS C:\\Users\\dev> $Env:ANTHROPIC_BASE_URL='https://gw.example'",
            "ANTHROPIC_BASE_URL",
            "https://gw.example",
            "powershell",
        ),
        (
            '[System.Environment]::SetEnvironmentVariable("HTTP_PROXY", "http://p:80", "User")',
            "HTTP_PROXY",
            "http://p:80",
            "powershell",
        ),
        ("env HTTPS_PROXY=http://x:1 python main.py", "HTTPS_PROXY", "http://x:1", "inline"),
        ("env -u http_proxy HTTPS_PROXY=http://x:1 node app.js", "HTTPS_PROXY", "http://x:1", "inline"),
        ("HTTPS_PROXY=http://x:1 claude -p hi", "HTTPS_PROXY", "http://x:1", "inline"),
        ("setenv https_proxy http://x:1", "https_proxy", "http://x:1", "export"),
        ("set -gx HTTPS_PROXY http://x:1", "HTTPS_PROXY", "http://x:1", "export"),
        ("`export ANTHROPIC_LOG=debug`", "ANTHROPIC_LOG", "debug", "export"),
    ],
)
def test_shell_statements_in_terminal_pastes(line, name, value, origin):
    text = f"some output before\n{line}\nmore output after\n"
    assert env.sniff(text)
    var = by_name(yields(env, text, "paste.txt"))[name]
    assert (var.get("value"), var.get("origin"), var.where.line) == (value, origin, 2)


def test_assignment_typed_at_a_prompt_without_a_command_is_not_exported():
    var = by_name(yields(env, "$ ANTHROPIC_BASE_URL=http://localhost:4000\n", "paste.txt"))["ANTHROPIC_BASE_URL"]
    assert var.get("origin") == "export" and var.get("exported") is False


def test_cmd_set_with_quotes_after_the_equals_keeps_them_and_flags_it():
    var = by_name(yields(env, 'set HTTPS_PROXY="http://proxy:3128"\n', "paste.txt"))["HTTPS_PROXY"]
    assert var.get("value") == '"http://proxy:3128"' and var.get("quoted") is True


def test_proxy_without_scheme_is_flagged():
    proxy = next(
        e for e in yields(env, "export HTTPS_PROXY=proxy.corp.example:8080\n", "paste.txt") if e.kind == "proxy"
    )
    assert proxy.get("missing_scheme") is True and proxy.get("host") == "proxy.corp.example"
    assert proxy.get("port") == 8080


def test_npm_user_agent_reveals_the_node_version():
    ev = yields(
        env, "npm_config_user_agent=npm/10.8.2 node/v20.18.0 linux x64 workspaces/false\nHOME=/root\n", "paste.txt"
    )
    clients = {e.get("name"): e.get("version") for e in ev if e.kind == "client"}
    assert clients == {"node": "20.18.0", "npm": "10.8.2"}


def test_logfmt_lines_and_prose_are_not_variables():
    text = "level=info msg=started\nlevel=error msg=failed\nexport the certificate first\nuse NODE_EXTRA_CA_CERTS\n"
    assert not env.sniff(text)
    assert not [e for e in yields(env, text, "paste.txt") if e.kind == "env-var"]


@pytest.mark.parametrize(
    "head",
    [
        "FOO=1\nBAR=2\n",
        "HTTPS_PROXY=http://x:1\n",
        'declare -x HOME="/root"\n',
        "Name                           Value\n----                           -----\nA  b\n",
        "Name  : X\nValue : y\n",
        '[{"Id": "x", "Config": {"Env": ["A=1"]}}]',
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - env:\n    - name: A\n      value: b\n",
        "# Pod claude-runner, container runner\nA=b\n",
    ],
)
def test_sniff_accepts_the_dump_formats(head):
    assert env.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        "hello world\n",
        "FOO=1\n",
        '{"log": {"entries": []}}',
        '{"env": {"A": "1"}}',
        "* Uses proxy env variable https_proxy == 'http://x:1'\n",
        "2026-11-21T19:57:48.183Z [DEBUG] CA certs: stores=bundled,system, extraCertsPath=undefined\n",
        "kind: ConfigMap\ndata:\n  A: b\n",
    ],
)
def test_sniff_rejects_other_text(head):
    assert not env.sniff(head)


def test_unclosed_quote_gives_up_after_a_bounded_number_of_lines():
    text = "export BROKEN='never closed\n" + "line\n" * (env.MAX_QUOTED_LINES + 5) + "export OK=1\n"
    names = by_name(yields(env, text, "paste.txt"))
    assert names["OK"].where.line == env.MAX_QUOTED_LINES + 7
    assert names["BROKEN"].get("value") == "never closed"


def test_a_long_env_dump_streams_across_chunks(monkeypatch):
    monkeypatch.setattr(textio, "CHUNK_BYTES", 64)
    text = "".join(f"VAR_{i}=value {i}\n" for i in range(500))
    ev = yields(env, text, "paste.txt")
    assert len(by_name(ev)) == 500 and by_name(ev)["VAR_499"].where.line == 500


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "=",
        "export",
        "export =",
        "declare -x",
        "declare -x A=$'\\",
        "A='",
        'export A="\\',
        "$env:",
        "set",
        "setx",
        "Name  : A\n",
        "Name   Value\n----   -----\n\x00\x01\n",
        '[{"Config": {"Env": ["A=1", 5, null, "nope"',
        '[{"Config": {"Env": [',
        "apiVersion: v1\nkind: Pod\nspec:\n  containers: [\n",
        "kind: Pod\ncontainers:\nenv:\n  - name: [x\n",
        "A=1\x00B",
        "\x00\x00\x00",
        "export -T PATH path=(",
        "env -u",
        "A=$'\\M-",
        "A=$'\\x",
        "A=$'\\u12",
        "x" * 200_000,
    ],
)
def test_malformed_input_never_raises(text):
    yields(env, text, "paste.txt")


@pytest.mark.parametrize("pattern", ["_S_INLINE", "_S_PLAIN"])
def test_the_assignment_sniff_patterns_never_leave_a_line(pattern):
    """env.sniff searches only the lines holding "=" with them: every match must lie in one line."""
    regex = getattr(env, pattern)
    texts = [
        p.read_bytes().decode("utf-8", "replace")
        for p in sorted(SAMPLES.rglob("*"))
        if p.is_file() and p.stat().st_size < 200_000
    ]
    texts.append(
        "$ HTTPS_PROXY=http://p:3128\n  NODE_OPTIONS=--use-openssl-ca claude\nA=1\nB=2\n❯ X=1 Y=2 node app.js\n"
    )
    found = 0
    for text in texts:
        whole = [m.group(1) for m in regex.finditer(text)]
        assigns = [m.group(1) for m in regex.finditer("\n".join(line for line in text.split("\n") if "=" in line))]
        assert assigns == whole
        found += len(whole)
    assert found > 20
