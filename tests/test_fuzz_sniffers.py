"""Property tests: every source's sniff and parse, the bundle reader and redaction survive
arbitrary bytes and text, and nothing a source runs on a file head is quadratic.

Hypothesis runs a bounded number of examples per source (CI stays fast); the inputs are
random bytes, random text, and real lines from the reference samples shuffled and cut up,
which reach much deeper into the parsers than noise does.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import warnings
import zipfile
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from analyzer import bundle, sources
from analyzer.bundle import Limits
from analyzer.model import KINDS, Evidence, Skipped
from analyzer.redact import MASK, redact_lines, redact_text
from analyzer.textio import Doc
from tests.conftest import ROOT, SAMPLES

FUZZ = settings(
    max_examples=200,
    deadline=timedelta(seconds=5),
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _real_lines() -> list[str]:
    seen: dict[str, None] = {}
    for path in sorted(SAMPLES.rglob("*")):
        if path.is_file() and path.stat().st_size < 2_000_000:
            for line in path.read_bytes().decode("utf-8", "replace").splitlines():
                if line.strip():
                    seen.setdefault(line[:300])
    return list(seen)[:6000]


REAL_LINES = _real_lines()
shaped_text = st.lists(st.one_of(st.sampled_from(REAL_LINES), st.text(max_size=60)), max_size=40).map("\n".join)
cut_json = st.sampled_from(["{", "[", '{"log": {"entries": [', '{"env": {', '{"type": "error", "error": ']).flatmap(
    lambda head: st.text(alphabet='{}[]":,0123456789abc \n\\', max_size=400).map(lambda body: head + body)
)
SOURCE_NAMES = sorted(sources.SOURCES)


def run_source(name: str, data: bytes, path: str = "input.txt") -> list[Evidence]:
    doc = Doc.from_bytes(path, data)
    module = sources.SOURCES[name]
    module.sniff(doc.head)
    out = list(module.parse(doc))
    assert all(isinstance(ev, Evidence) and ev.kind in KINDS for ev in out)
    return out


@pytest.mark.parametrize("name", SOURCE_NAMES)
@FUZZ
@given(data=st.binary(max_size=3000))
@example(data=b"")
@example(data=b"\xff\xfe" + "HTTPS_PROXY=http://u:p@h:1\n".encode("utf-16-le"))
@example(data=b"\x00" * 100)
def test_every_source_survives_arbitrary_bytes(name, data):
    run_source(name, data)


@pytest.mark.parametrize("name", SOURCE_NAMES)
@FUZZ
@given(text=st.one_of(shaped_text, cut_json, st.text(max_size=2000)))
def test_every_source_survives_text_shaped_like_its_inputs(name, text):
    run_source(name, text.encode("utf-8", "surrogatepass"), path="settings.json" if name == "settings" else "x.har")


@FUZZ
@given(text=st.one_of(shaped_text, st.text(max_size=3000)))
def test_detection_always_names_at_least_one_format(text):
    found = sources.detect(text)
    assert found and set(found) <= set(sources.SOURCES)


# ----------------------------------------------------------------- redaction properties

secretish = st.sampled_from(
    [
        "sk-ant-api03-Abc123def456",
        "Bearer abc123def456",
        "x-api-key: ",
        "password=",
        "http://u:pw12@h:1",
        "- name: DB_PASSWORD\n  value: ",
        '"cookies": [',
        "-----BEGIN PRIVATE KEY-----\n",
        "Cookie: a=b; ",
        "AKIAABCDEFGHIJKLMNOP",
        "eyJhbGciOi.eyJzdWIiOi.sig",
        "\0",
        "\r\n",
    ]
)
redactable = st.lists(st.one_of(secretish, st.sampled_from(REAL_LINES), st.text(max_size=40)), max_size=30).map("".join)


@FUZZ
@given(text=st.one_of(redactable, st.text(max_size=3000)))
def test_redaction_never_raises_and_a_second_pass_changes_nothing(text):
    once = redact_text(text)
    assert redact_text(once) == once


@FUZZ
@given(
    lines=st.lists(
        st.one_of(
            secretish,
            st.sampled_from(REAL_LINES),
            st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=40),
        ).map(lambda s: s.replace("\n", " ")),
        max_size=60,
    )
)
def test_redacting_a_stream_of_lines_keeps_one_line_per_line(lines):
    assert len(list(redact_lines(iter(lines)))) == len(lines)


def test_the_secrets_in_the_fuzz_alphabet_are_all_masked():
    assert all(
        MASK in redact_text(s + "abc123XYZ789") for s in ["sk-ant-api03-", "Bearer ", "x-api-key: ", "password="]
    )


# ----------------------------------------------------------------- the bundle reader


def read_everything(items) -> list[str]:
    """Open and read every member the way the analysis does; returns one line per item."""
    out = []
    for item in items:
        if isinstance(item, Skipped):
            out.append(f"skipped {item.path}: {item.reason}")
            continue
        doc = Doc.open(item.path, item.size, item.opener)
        sum(len(line) for line in doc.lines())
        out.append(f"read {item.path}")
    return out


def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        warnings.simplefilter("ignore")  # duplicate member names are welcome here
        for name, data in members:
            zf.writestr(name or "x", data)
    return buf.getvalue()


def tar_of(members: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tf:
        for name, data in members:
            info = tarfile.TarInfo(name or "x")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return buf.getvalue()


members = st.lists(
    st.tuples(st.text(max_size=30).map(lambda s: s.replace("\0", "")), st.binary(max_size=300)), max_size=5
)
archives = st.one_of(
    st.binary(max_size=2000),
    members.map(zip_of),
    members.map(tar_of),
    st.tuples(members.map(zip_of), st.integers(0, 2000), st.binary(min_size=1, max_size=20)).map(
        lambda t: t[0][: t[1]] + t[2] + t[0][t[1] + len(t[2]) :]
    ),  # a zip with bytes overwritten
    st.tuples(members.map(tar_of), st.integers(0, 2000)).map(lambda t: t[0][: t[1]]),  # a truncated tar.gz
)


@FUZZ
@given(data=archives, suffix=st.sampled_from([".zip", ".tar.gz", ".gz", ".txt", ".tgz"]))
def test_the_bundle_reader_survives_broken_archives(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"upload{suffix}"
    path.write_bytes(data)
    lines = read_everything(bundle.open_inputs([str(path)], Limits(max_files=50, max_depth=2)))
    assert lines
    assert all("\n" not in line and "\x1b" not in line for line in lines)


# ----------------------------------------------------------------- nothing quadratic on a head

N = 64 * 1024
HOSTILE_HEADS = {
    "one 64 KB word": "A" * N,
    "letters and digits": "a1" * (N // 2),
    "one char per line": "a\n" * (N // 2),
    "open braces": "{" * N,
    "quotes": '"' * N,
    "json keys": '{"a":' * (N // 5),
    "colons": "a: " * (N // 3),
    "assignments": "A=" * (N // 2),
    "curl info": "* " * (N // 2),
    "curl headers": "< " * (N // 2),
    "error prefixes": "Error: " * (N // 7),
    "digits": "1" * N,
    "brackets": "[" * N,
    "at signs": "@" * N,
    "urls": "https://" * (N // 8),
    "dashes": "-" * N,
    "base64": "QUJD+/" * (N // 6),
    "tabs": "\t" * N,
}
# Sniffers gate their patterns on a literal: a long word followed by one of the words they
# look for makes the pattern behind the gate run over that word.
BAIT = [
    "TimeoutError",
    "Error:",
    "Traceback",
    "Trying",
    "HTTP/1.1",
    "export",
    "declare",
    '{"log"',
    "apiKeyHelper",
    "x509:",
    "getaddrinfo",
    "[Errno",
    "curl:",
    "== Info:",
    "SSL",
    "proxy",
    "certificate",
    "ECONNREFUSED",
]
HOSTILE_HEADS.update({f"a long word, then {word}": "A" * (N - 40) + " " + word for word in BAIT})
PROBE = """
import json, sys, time
from analyzer import sources
from tests.test_fuzz_sniffers import HOSTILE_HEADS
module = sources.SOURCES[sys.argv[1]]
worst = 0.0
for head in HOSTILE_HEADS.values():
    t = time.perf_counter()
    module.sniff(head)
    worst = max(worst, time.perf_counter() - t)
print(json.dumps(worst))
"""


@pytest.mark.parametrize("name", SOURCE_NAMES)
def test_no_sniffer_is_quadratic_on_a_64_kb_head(name):
    """Every file's head goes through every sniffer: a backtracking pattern costs seconds per file.
    A subprocess, so a runaway pattern is killed at the budget instead of stalling the suite."""
    try:
        result = subprocess.run(
            [sys.executable, "-c", PROBE, name], capture_output=True, text=True, cwd=ROOT, timeout=15
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}.sniff ran past 15 s on the hostile heads")
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) < 2.0, f"{name}.sniff took {result.stdout.strip()} s on one 64 KB head"
