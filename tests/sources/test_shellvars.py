"""The assignment grammar of each shell and environment file (analyzer.sources.shellvars), one
syntax at a time, and the env evidence it becomes wherever the line is pasted."""

from __future__ import annotations

import pytest

from analyzer.analysis import analyze_texts
from analyzer.sources import env, shellvars
from tests.conftest import yields


def _read(line: str) -> list[tuple[str, str | None, str]]:
    return [(name, value, origin) for name, value, origin, _ in shellvars.statement(line)]


@pytest.mark.parametrize(
    "line, expected",
    [
        # POSIX sh / bash / zsh
        (
            "HTTPS_PROXY=http://proxy.corp.example:3128 claude",
            [("HTTPS_PROXY", "http://proxy.corp.example:3128", "inline")],
        ),
        (
            "export HTTPS_PROXY=http://proxy.corp.example:3128",
            [("HTTPS_PROXY", "http://proxy.corp.example:3128", "export")],
        ),
        ("export NO_PROXY='localhost,.corp.example'", [("NO_PROXY", "localhost,.corp.example", "export")]),
        (
            'export HTTPS_PROXY="http://a:1" NO_PROXY=localhost',
            [("HTTPS_PROXY", "http://a:1", "export"), ("NO_PROXY", "localhost", "export")],
        ),
        (
            "export HTTPS_PROXY=http://a:1; export NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem",
            [("HTTPS_PROXY", "http://a:1", "export"), ("NODE_EXTRA_CA_CERTS", "/etc/ssl/corp.pem", "export")],
        ),
        (
            "export ANTHROPIC_BASE_URL=http://localhost:4000 && claude",
            [("ANTHROPIC_BASE_URL", "http://localhost:4000", "export")],
        ),
        ("env HTTPS_PROXY=http://127.0.0.1:7890 python main.py", [("HTTPS_PROXY", "http://127.0.0.1:7890", "inline")]),
        ('declare -x HTTPS_PROXY="http://a:1"', [("HTTPS_PROXY", "http://a:1", "export")]),
        # csh, fish
        ("setenv https_proxy http://a:1", [("https_proxy", "http://a:1", "export")]),
        ("set -x HTTPS_PROXY http://a:1", [("HTTPS_PROXY", "http://a:1", "export")]),
        ("set -gx NODE_EXTRA_CA_CERTS /etc/ssl/corp.pem", [("NODE_EXTRA_CA_CERTS", "/etc/ssl/corp.pem", "export")]),
        # PowerShell
        (
            '$env:HTTPS_PROXY="socks5://127.0.0.1:1080"; claude',
            [("HTTPS_PROXY", "socks5://127.0.0.1:1080", "powershell")],
        ),
        ("$Env:HTTPS_PROXY = 'http://proxy:3128'", [("HTTPS_PROXY", "http://proxy:3128", "powershell")]),
        ("${env:NO_PROXY}='localhost'", [("NO_PROXY", "localhost", "powershell")]),
        ('$env:A_B = "say ""hi"" `"now`""', [("A_B", 'say "hi" "now"', "powershell")]),
        (
            '$env:HTTP_PROXY="http://a:1"; $env:HTTPS_PROXY="http://b:2"; claude',
            [("HTTP_PROXY", "http://a:1", "powershell"), ("HTTPS_PROXY", "http://b:2", "powershell")],
        ),
        (
            '[Environment]::SetEnvironmentVariable("HTTPS_PROXY", "http://p:80", "User")',
            [("HTTPS_PROXY", "http://p:80", "powershell")],
        ),
        (
            "[System.Environment]::SetEnvironmentVariable('NODE_EXTRA_CA_CERTS','C:\\certs\\corp.pem','Machine')",
            [("NODE_EXTRA_CA_CERTS", "C:\\certs\\corp.pem", "powershell")],
        ),
        # cmd
        ("set HTTPS_PROXY=http://proxy:3128", [("HTTPS_PROXY", "http://proxy:3128", "windows")]),
        ('set "HTTPS_PROXY=http://proxy:3128" && claude', [("HTTPS_PROXY", "http://proxy:3128", "windows")]),
        ("set HTTPS_PROXY=http://proxy:3128&& claude", [("HTTPS_PROXY", "http://proxy:3128", "windows")]),
        ('set HTTPS_PROXY="http://proxy:3128"', [("HTTPS_PROXY", '"http://proxy:3128"', "windows")]),
        ("setx HTTPS_PROXY http://proxy:3128", [("HTTPS_PROXY", "http://proxy:3128", "windows")]),
        (
            'setx NODE_EXTRA_CA_CERTS "C:\\certs\\corp.pem" /M',
            [("NODE_EXTRA_CA_CERTS", "C:\\certs\\corp.pem", "windows")],
        ),
        # docker, Dockerfile
        (
            "docker run --rm -e HTTPS_PROXY=http://proxy:3128 --env NO_PROXY=localhost img claude",
            [("HTTPS_PROXY", "http://proxy:3128", "docker"), ("NO_PROXY", "localhost", "docker")],
        ),
        (
            'podman run --env=ANTHROPIC_BASE_URL=http://gw:4000 -e "NODE_EXTRA_CA_CERTS=/certs/ca.pem" img',
            [("ANTHROPIC_BASE_URL", "http://gw:4000", "docker"), ("NODE_EXTRA_CA_CERTS", "/certs/ca.pem", "docker")],
        ),
        ("docker run -e ANTHROPIC_API_KEY img", [("ANTHROPIC_API_KEY", None, "docker")]),
        (
            'ENV HTTPS_PROXY=http://proxy:3128 NO_PROXY="localhost,.corp"',
            [("HTTPS_PROXY", "http://proxy:3128", "dockerfile"), ("NO_PROXY", "localhost,.corp", "dockerfile")],
        ),
        ("ENV HTTPS_PROXY http://proxy:3128", [("HTTPS_PROXY", "http://proxy:3128", "dockerfile")]),
    ],
)
def test_each_syntax(line: str, expected: list):
    assert _read(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "set HTTPS_PROXY",  # prose naming the command, no value
        "echo $HTTPS_PROXY",
        "echo %HTTPS_PROXY%",
        "I set HTTPS_PROXY to http://proxy:3128 and it still fails",
        "See https://code.claude.com/docs/en/network-config?x=1 for HTTPS_PROXY",
        "docker run img claude",
        "Environment: HTTPS_PROXY",
        "$env:HTTPS_PROXY",
    ],
)
def test_near_misses_set_nothing(line: str):
    assert _read(line) == []
    text = f"API Error (Connection error.)\n{line}\n"
    assert not [e for e in yields(env, text, "terminal.txt") if e.kind == "env-var"]


def test_a_yaml_env_map_under_a_job_is_read_until_its_indent_ends():
    text = (
        "jobs:\n"
        "  review:\n"
        "    runs-on: ubuntu-latest\n"
        "    env:\n"
        "      HTTPS_PROXY: http://proxy.corp.example:3128\n"
        "      ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n"
        "      NODE_EXTRA_CA_CERTS: '/etc/ssl/corp.pem'  # the corporate CA\n"
        "    steps:\n"
        "      - run: claude -p hi\n"
    )
    assert env.sniff(text)
    found = [
        (e.get("name"), e.get("value"), e.get("origin"), e.where.line, e.get("value_unknown"))
        for e in yields(env, text)
        if e.kind == "env-var"
    ]
    assert found == [
        ("HTTPS_PROXY", "http://proxy.corp.example:3128", "yaml", 5, None),
        ("ANTHROPIC_API_KEY", "${{ secrets.ANTHROPIC_API_KEY }}", "yaml", 6, True),
        ("NODE_EXTRA_CA_CERTS", "/etc/ssl/corp.pem", "yaml", 7, None),
    ]


def test_other_yaml_under_an_env_key_is_no_variable():
    text = "deploy:\n  env:\n    production: true\n    region: eu\n"
    assert not [e for e in yields(env, text, "ci.yml") if e.kind == "env-var"]


def test_a_settings_env_block_fenced_in_an_issue_body_gives_settings_env_vars():
    text = (
        'My settings:\n\n```json\n{\n  "env": {\n'
        '    "ANTHROPIC_BASE_URL": "https://api.moonshot.ai/v1",\n'
        '    "HTTPS_PROXY": "http://myproxy.somedomain.com:8080/"\n'
        "  }\n}\n```\n"
        "API Error: 404\n"
    )
    assert env.sniff(text)
    ev = yields(env, text, "issue.md")
    assert [(e.get("name"), e.get("origin"), e.where.line) for e in ev if e.kind == "env-var"] == [
        ("ANTHROPIC_BASE_URL", "settings", 6),
        ("HTTPS_PROXY", "settings", 7),
    ]
    assert [e.get("host") for e in ev if e.kind == "proxy"] == ["myproxy.somedomain.com"]


def test_an_empty_env_object_in_a_json_dump_is_no_env_file():
    assert not env.sniff('toJSON: {\n "config": {\n  "env": {},\n  "timeout": 8000\n }\n}\n')


def test_powershell_socks_proxy_in_a_terminal_ranks_the_unsupported_scheme_first():
    """The brief's probe: a PowerShell session that sets a SOCKS proxy, then Claude Code's error."""
    terminal = 'PS C:\\Users\\me> $env:HTTPS_PROXY="socks5://127.0.0.1:1080"; claude\nAPI Error (Connection error.)\n'
    found = analyze_texts({"terminal.txt": terminal}).findings
    assert found[0].cause == "proxy_unsupported_scheme"
    assert found[0].evidence[0].where.line == 1


@pytest.mark.parametrize(
    "line",
    [
        "docker run --rm -e HTTPS_PROXY=socks5://127.0.0.1:1080 node:20 claude",
        "ENV HTTPS_PROXY=socks5://127.0.0.1:1080",
        'set "HTTPS_PROXY=socks5://127.0.0.1:1080" && claude',
        "set -x HTTPS_PROXY socks5://127.0.0.1:1080",
    ],
)
def test_every_syntax_reaches_the_rules(line: str):
    found = analyze_texts({"terminal.txt": f"{line}\nAPI Error (Connection error.)\n"}).findings
    assert found[0].cause == "proxy_unsupported_scheme"
