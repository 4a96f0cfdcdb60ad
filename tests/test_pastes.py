"""Real captures wrapped the way issue bodies wrap them read like the raw files (analyzer.pastes)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from analyzer import sources
from analyzer.analysis import analyze_texts
from analyzer.pastes import Unwrap
from analyzer.textio import Doc
from tests.conftest import ROOT, SAMPLES

LAB = ROOT / "tests" / "data" / "lab"  # copies of shared/lab captures (SOURCE.txt)

CAPTURES = [
    SAMPLES / "curl" / "curl-8.14.1" / "proxy-mitm-untrusted.txt",
    SAMPLES / "curl" / "curl-8.14.1" / "proxy-407-squid.txt",
    SAMPLES / "curl" / "curl-7.88.1" / "tls-expired.txt",
    SAMPLES / "curl" / "curl-8.14.1" / "proxy-plain-http-via-proxy-407.txt",
    SAMPLES / "claude-code" / "proxy-env-mitm-untrusted.txt",
    SAMPLES / "claude-code" / "debug-logs" / "tls-unknown-ca-debug.debug.txt",
    LAB / "claude-2.1.332-debug-proxy-squid-deny" / "claude-debug.log",
    LAB / "claude-2.1.332-interactive-proxy-unreachable" / "terminal.txt",
    LAB / "claude-1.0.44-interactive-proxy-unreachable" / "terminal.txt",
    LAB / "claude-2.1.332-p-tls-interception-proxy" / "terminal.txt",
    LAB / "py-anthropic-2.17.0-proxy-407" / "terminal.txt",
]


def _quote(text: str, depth: int = 1) -> str:
    return "\n".join(("> " * depth + line).rstrip() for line in text.split("\n"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


# name -> (wrap, lines the wrapping adds before the capture)
WRAPS: dict[str, tuple[Callable[[str], str], int]] = {
    "quote": (_quote, 0),
    "nested quote": (lambda t: _quote(t, 2), 0),
    "fence": (lambda t: f"What I get:\n\n```bash\n{t}\n```\n", 3),
    "tilde fence": (lambda t: f"~~~text\n{t}\n~~~\n", 1),
    "details": (lambda t: f"<details><summary>Logs</summary>\n\n```\n{t}\n```\n\n</details>\n", 3),
    "quoted fence": (lambda t: _quote(f"```console\n{t}\n```"), 1),
    "pre with entities": (lambda t: f"<pre>{_escape(t)}</pre>\n", 0),
}


def _evidence(name: str, text: str) -> list[tuple[str, int | None, str]]:
    doc = Doc.from_bytes(name, text.encode("utf-8"))
    out = []
    for fmt in sources.detect(doc.head):
        out += [(e.kind, e.where.line, repr(sorted(e.fields.items()))) for e in sources.SOURCES[fmt].parse(doc)]
    return sorted(out, key=repr)


def _causes(name: str, text: str) -> list[tuple[str, float]]:
    return [(f.cause, round(f.confidence, 2)) for f in analyze_texts({name: text}).findings]


@pytest.mark.parametrize("wrap", WRAPS, ids=list(WRAPS))
@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_wrapped_capture_gives_the_raw_evidence_at_the_raw_lines_shifted(capture: Path, wrap: str):
    raw = capture.read_text(encoding="utf-8")
    wrapper, shift = WRAPS[wrap]
    expected = [
        (kind, None if line is None else line + shift, fields) for kind, line, fields in _evidence("a.txt", raw)
    ]
    assert expected, "the raw capture yields evidence"
    assert _evidence("issue.md", wrapper(raw)) == sorted(expected, key=repr)


@pytest.mark.parametrize("wrap", ["quote", "details", "pre with entities"])
@pytest.mark.parametrize("capture", CAPTURES[:2] + CAPTURES[6:8], ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_wrapped_capture_is_diagnosed_like_the_raw_file(capture: Path, wrap: str):
    raw = capture.read_text(encoding="utf-8")
    expected = _causes("terminal.txt", raw)
    assert expected
    assert _causes("issue.md", WRAPS[wrap][0](raw)) == expected


def test_every_line_keeps_its_number():
    text = "> quoted\n```bash\n$ claude\n```\n<details><summary>x</summary>\n&gt; y\n</details>\n"
    unwrap = Unwrap.detect(text)
    assert unwrap is not None
    assert unwrap.lines(text).split("\n") == ["quoted", "", "$ claude", "", "x", "> y", "", ""]


@pytest.mark.parametrize(
    "capture",
    [
        SAMPLES / "curl" / "curl-8.14.1" / "proxy-407-squid.txt",
        SAMPLES / "claude-code" / "debug-logs" / "tls-unknown-ca-debug.debug.txt",
        SAMPLES / "har" / "public" / "chrome-with-utf8-bom.har",
    ],
    ids=lambda p: p.name,
)
def test_raw_captures_are_left_alone(capture: Path):
    """curl's own `> GET` lines are no quote; a HAR's HTML bodies are no issue body."""
    assert Unwrap.detect(capture.read_text(encoding="utf-8-sig")) is None


def test_a_quoted_curl_keeps_its_request_markers_and_loses_the_quote():
    unwrap = Unwrap.detect("> * Trying 1.2.3.4:443...\n> > GET / HTTP/1.1\n> > Host: a\n> < HTTP/2 403\n")
    assert unwrap is not None
    assert unwrap.line("> > Host: a") == "> Host: a"
    assert unwrap.line("> < HTTP/2 403") == "< HTTP/2 403"


def test_an_html_error_page_in_a_fold_keeps_its_own_tags():
    page = "<details>\n<html><head><title>403 Forbidden</title></head><p>Access denied</p></html>\n</details>\n"
    unwrap = Unwrap.detect(page)
    assert unwrap is not None
    assert (
        unwrap.lines(page).split("\n")[1]
        == "<html><head><title>403 Forbidden</title></head><p>Access denied</p></html>"
    )


def test_bold_and_inline_code_around_a_whole_line_go():
    unwrap = Unwrap.detect("> **API Error: 403 Forbidden**\n> `export HTTPS_PROXY=socks5://127.0.0.1:1080`\n")
    assert unwrap is not None
    assert unwrap.line("> **API Error: 403 Forbidden**") == "API Error: 403 Forbidden"
    assert unwrap.line("> `export HTTPS_PROXY=socks5://127.0.0.1:1080`") == "export HTTPS_PROXY=socks5://127.0.0.1:1080"


AXIOS_DUMP = ROOT / "tests" / "data" / "captures" / "node-axios-1.21.1-connect-refused" / "terminal.txt"


def test_a_dumped_status_name_table_is_blanked_and_nothing_else():
    raw = AXIOS_DUMP.read_text(encoding="utf-8")
    unwrap = Unwrap.detect(raw)
    assert unwrap is not None and unwrap.status_table
    out = unwrap.lines(raw).split("\n")
    assert len(out) == len(raw.split("\n"))
    assert "'407': 'Proxy Authentication Required'," not in "\n".join(out)
    assert any("ECONNREFUSED" in line for line in out)
    d = analyze_texts({"terminal.txt": raw})
    assert {f.cause for f in d.findings if f.confidence >= 0.5}.isdisjoint(
        {"proxy_auth_required", "request_too_large", "rate_limited", "server_error"}
    )


def test_a_few_status_rows_in_code_are_not_a_dumped_table():
    text = "const names = {\n  '404': 'Not Found',\n  '407': 'Proxy Authentication Required',\n};\n"
    assert Unwrap.detect(text) is None
