"""Big inputs: a sparse read of a big log finds what reading its lines one by one finds, and a
big HAR is read by the C JSON decoders with the same result as the streaming tokenizer.

Real samples are planted between filler lines in a file above textio.SPARSE_MIN_BYTES, so the
line parsers read it through the sparse views `_read_member` hands them. No timing asserts:
bench/run.py measures speed.
"""

from __future__ import annotations

import base64
import io
import json
import random
from collections import Counter
from pathlib import Path

import pytest

from analyzer import sources, textio
from analyzer.analysis import LINE_TRIGGERS, analyze_items, load_ruleset
from analyzer.bundle import Member
from analyzer.fastpath import sparse_views
from analyzer.fastpath.gate import LineGate, merge_windows
from analyzer.sources import har
from analyzer.textio import SPARSE_MIN_BYTES, Doc
from tests.conftest import SAMPLES, doc_of

# One real sample per line source; curl goes last because it reads the text after a
# transcript as the response body (the filler would join the body in a file read whole too).
PLANTED = {
    "sdk": SAMPLES / "node" / "tls-wrong-host.https.txt",
    "claude-log": SAMPLES / "claude-code" / "debug-logs" / "tls-selfsigned-in-chain.debug.txt",
    "env": SAMPLES / "env" / "linux-bash-export-p.txt",
    "openssl": SAMPLES / "openssl" / "s_client-selfsigned-in-chain.txt",
    "config": SAMPLES / "env" / "git-config-list-show-origin.txt",
    "curl": SAMPLES / "curl" / "curl-8.14.1" / "api-403-region-block-mock.txt",
}
FILLER_LINES = 12_000  # before each sample: about 6 MB in all
WORDS = (
    "the a of and in is for on this be as are it by we from or can file function return value test line run "
    "build module import class data update check type string list result output input change fix add remove "
    "version package install debug log message content token tool command cache session context read write "
    "edit search pattern match parse json yaml stream chunk time should would could will need make use see "
    "look try let me now first then next done ok great thanks here there what which when where why how"
).split()


def filler(r: random.Random, n: int) -> list[str]:
    """Debug-log records about nothing any parser acts on."""
    return [
        f"2026-11-21T19:5{r.randint(0, 9)}:{r.randint(10, 59)}.{r.randint(100, 999)}Z [DEBUG] "
        + " ".join(r.choice(WORDS) for _ in range(r.randint(4, 14)))
        for _ in range(n)
    ]


def sample_lines(path: Path) -> list[str]:
    lines = path.read_bytes().decode("utf-8").split("\n")  # bytes: keep curl's `\r` progress meter
    return lines[:-1] if lines[-1] == "" else lines


@pytest.fixture(scope="module")
def big_log() -> tuple[Doc, dict[str, tuple[int, int]]]:
    """(document, format -> first and last line of its planted sample)."""
    r = random.Random(20261121)
    lines: list[str] = []
    where: dict[str, tuple[int, int]] = {}
    for fmt, path in PLANTED.items():
        lines += filler(r, FILLER_LINES)
        sample = sample_lines(path)
        where[fmt] = (len(lines) + 1, len(lines) + len(sample))
        lines += sample
    doc = Doc.from_bytes("big.log", ("\n".join(lines) + "\n").encode("utf-8"))
    assert doc.size >= SPARSE_MIN_BYTES
    return doc, where


def typed(evidence, shift: int = 0) -> list[tuple]:
    """What a piece of evidence says and where; `request` (a join key numbered per file) aside."""
    return [
        (
            e.kind,
            None if e.where.line is None else e.where.line - shift,
            e.where.entry,
            e.at,
            e.text,
            sorted(e.fields.items()),
        )
        for e in evidence
    ]


# ---------------------------------------------------------------------------------- sparse logs


@pytest.mark.parametrize("fmt", list(PLANTED))
def test_a_sample_planted_in_a_big_log_gives_the_evidence_it_gives_alone(big_log, fmt):
    doc, where = big_log
    first, last = where[fmt]
    views = sparse_views(doc, list(PLANTED), LINE_TRIGGERS)
    planted = [e for e in sources.SOURCES[fmt].parse(views[fmt]) if first <= e.where.line <= last]
    alone = list(sources.SOURCES[fmt].parse(doc_of(PLANTED[fmt])))
    assert alone, "the sample must say something for the comparison to mean anything"
    assert typed(planted, first - 1) == typed(alone)


def test_the_parsers_of_a_big_log_read_only_a_small_part_of_it(big_log):
    doc, where = big_log
    gate = LineGate({f: sources.SOURCES[f].TRIGGERS for f in PLANTED})
    total = sum(1 for _ in doc.lines())
    for fmt, windows in gate.plan(doc).items():
        read = sum(last - first + 1 for first, last in windows)
        assert read < total * 0.05, f"{fmt} reads {read} of {total} lines"


def test_a_sparse_view_yields_real_line_numbers_and_marks_each_gap_with_one_blank(big_log):
    doc, where = big_log
    real = list(doc.lines())
    view = sparse_views(doc, ["curl"], LINE_TRIGGERS)["curl"]
    numbered = list(view.numbered())
    gaps = [no for no, line in numbered if line == "" and real[no - 1] != ""]
    assert numbered and all(line == real[no - 1] for no, line in numbered if no not in gaps)
    assert [no for no, _ in numbered] == sorted({no for no, _ in numbered})
    assert len(gaps) == len(view.view.windows) - 1


def test_files_below_the_threshold_are_read_whole():
    doc = doc_of(PLANTED["curl"])
    assert doc.size < SPARSE_MIN_BYTES and sparse_views(doc, ["curl"], LINE_TRIGGERS) == {}


def test_both_trigger_searches_find_the_same_windows(big_log):
    pytest.importorskip("hyperscan")
    doc, _ = big_log
    triggers = {f: sources.SOURCES[f].TRIGGERS for f in PLANTED}
    assert LineGate(triggers, engine="python").plan(doc) == LineGate(triggers, engine="hyperscan").plan(doc)


def test_a_trigger_of_several_literals_needs_all_of_them_on_the_line():
    doc = Doc.from_bytes("x.log", b"[DEBUG] proxy set\nproxy alone\n[DEBUG] nothing\n[ERROR] x\n")
    gate = LineGate({"log": {("proxy", "[DEBUG]"): 0, "[ERROR]": 0}}, engine="python")
    assert gate.plan(doc) == {"log": [(1, 1), (4, 4)]}


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_a_line_start_trigger_ignores_the_literal_inside_a_line(engine, monkeypatch):
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    doc = Doc.from_bytes("x.log", b"> GET / HTTP/1.1\nsay > hi\nx\ny\n> Host: a\n")
    gate = LineGate({"curl": {"\n>": 0}}, engine=engine)
    assert gate.plan(doc) == {"curl": [(1, 1), (5, 5)]}
    # A block whose first line holds the trigger: every line of this file starts one.
    monkeypatch.setattr(textio, "CHUNK_BYTES", 8)
    # (curl's request lines: a file of bare `> x` lines would be a Markdown quote, analyzer.pastes)
    doc = Doc.from_bytes(
        "x.log", b"".join(b"> GET /%d HTTP/1.1\n" % i if i % 3 else b"say > %d\n" % i for i in range(40))
    )
    expected = [(i + 1, i + 1) for i in range(40) if i % 3]
    assert [w for ws in gate.plan(doc).values() for w in ws] == merge_windows(expected)


def test_lines_and_blocks_agree_on_carriage_returns_nuls_and_over_long_lines(monkeypatch):
    monkeypatch.setattr(textio, "CHUNK_BYTES", 5)
    text = "a\r\nb\0c\r\r\n\n" + "x" * (textio.MAX_LINE_CHARS * 2 + 3) + "\r\ncurl\r0* Trying\r\nlast\r"
    doc = Doc.from_bytes("t.txt", text.encode())
    from_blocks = []
    for first, block in doc.blocks():
        assert first == len(from_blocks) + 1
        from_blocks += block.split("\n")
    assert list(doc.lines()) == from_blocks == [line for _, line in doc.numbered()]
    assert from_blocks[:4] == ["a", "b", "c", ""] and from_blocks[-1] == "last"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
@pytest.mark.parametrize("seed", range(4))
def test_window_lines_read_from_marks_give_the_lines_of_a_whole_pass(encoding, seed, monkeypatch):
    monkeypatch.setattr(textio, "CHUNK_BYTES", 64 * (1 + seed))
    monkeypatch.setattr(textio, "MAX_LINE_CHARS", 50)
    monkeypatch.setattr(textio, "MARK_EVERY", 40)
    monkeypatch.setattr(textio, "WINDOW_STEP", 48)
    rng = random.Random(seed)
    pieces = ["plain line", "é accent", "ünïcode ✓", "a\r", "nul\0inside", "x" * 120, "", "curl\r0* Trying"]
    text = "\n".join(rng.choice(pieces) + str(i) for i in range(400))
    data = text.encode(encoding)
    doc = Doc.from_bytes("t.log", data)
    whole = list(doc.numbered())  # the first pass records the marks
    assert (doc._marks is not None) == (encoding != "utf-16")
    n = len(whole)
    cuts = sorted(rng.sample(range(1, n + 40), 24))
    windows = merge_windows([(1, 2)] + list(zip(cuts[::2], cuts[1::2], strict=True)))
    expected = [(no, line) for no, line in whole if any(a <= no <= b for a, b in windows)]
    opened = []
    real = doc.opener
    doc.opener = lambda: opened.append(1) or real()
    assert list(doc.window_lines(windows)) == expected
    if doc._marks and len(windows) > 1 and windows[0][1] + 100 < windows[1][0]:
        assert len(opened) > 1  # it jumped ahead instead of reading on


def test_window_lines_of_a_stream_that_cannot_seek_read_it_once(monkeypatch):
    monkeypatch.setattr(textio, "CHUNK_BYTES", 64)
    data = "".join(f"line {i}\n" for i in range(2000)).encode()
    opened = []

    class Stream(io.RawIOBase):  # an archive member: reads in order, never seeks
        def __init__(self):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, b):
            got = self._inner.read(len(b))
            b[: len(got)] = got
            return len(got)

    doc = Doc("member.log", len(data), lambda: opened.append(1) or Stream())
    list(doc.blocks())  # the first pass: marks are recorded
    assert len(doc._marks) > 50
    opened.clear()
    windows = [(10, 12), (900, 901), (1990, 2000)]
    assert list(doc.window_lines(windows)) == [(n, f"line {n - 1}") for a, b in windows for n in range(a, b + 1)]
    assert len(opened) == 2  # one look to see it cannot seek, one read in order


@pytest.mark.parametrize("seed", range(5))
def test_the_long_line_check_finds_exactly_the_lines_over_the_limit(seed):
    limit = textio.MAX_LINE_CHARS
    rng = random.Random(seed)
    for _ in range(200):
        sizes = [
            rng.choice([0, 1, limit // 2 - 1, limit // 2, limit // 2 + 1, limit - 1, limit, limit + 1, 2 * limit])
            for _ in range(rng.randint(1, 6))
        ]
        text = "\n".join("x" * n for n in sizes)
        assert textio._has_long_line(text) == any(n > limit for n in sizes), sizes


def test_env_triggers_cover_every_variable_the_rules_ask_about():
    rules = load_ruleset().rules.values()
    names = {
        str(n)
        for r in rules
        for m in r.matchers.values()
        if m.kinds and "env-var" in m.kinds
        for n in m.where.get("name", ())
    }
    assert names, "the catalog has env-var rules"
    literals = [t for t in sources.env.TRIGGERS if isinstance(t, str)]
    missing = sorted(n for n in names if not any(lit in f"{n}=" for lit in literals))
    assert missing == []


# ---------------------------------------------------------------------------------- big HARs


def har_entry(r: random.Random, i: int) -> dict:
    status = r.choice([200, 200, 204, 401, 429, 500, 0])
    if status in (401, 429, 500):
        kind = {401: "authentication_error", 429: "rate_limit_error", 500: "api_error"}[status]
        text = json.dumps(
            {
                "type": "error",
                "error": {"type": kind, "message": 'quota "exceeded" ' * r.randint(1, 900)},
                "request_id": f"req_{i:020d}",
            }
        )
        content = {"mimeType": "application/json", "text": text}
    elif status == 200:
        body = "".join(r.choice(WORDS) + " " for _ in range(r.randint(10, 3000)))
        content = (
            {"mimeType": "application/json", "encoding": "base64", "text": base64.b64encode(body.encode()).decode()}
            if i % 3
            else {"mimeType": "text/plain", "text": body}
        )
    else:
        content = {"mimeType": "x-unknown", "size": 0}
    resp = {
        "status": status,
        "statusText": "" if status == 0 else "X",
        "httpVersion": "http/2.0",
        "headers": [
            {"name": "request-id", "value": f"req_{i:020d}"},
            {"name": "content-type", "value": "application/json"},
            {"name": "anthropic-ratelimit-requests-remaining", "value": str(r.choice([0, 5, 900]))},
        ],
        "content": content,
    }
    if status == 0:
        resp["_error"] = r.choice(["net::ERR_CONNECTION_REFUSED", "net::ERR_CERT_AUTHORITY_INVALID"])
    return {
        "startedDateTime": f"2026-11-21T19:00:{i % 60:02d}.000Z",
        "time": 12.5 + i,
        "request": {
            "method": "POST",
            "url": f"https://api.anthropic.com/v1/messages?n={i % 7}",
            "httpVersion": "http/2.0",
            "headers": [
                {"name": "user-agent", "value": "claude-cli/2.1.197 (external, cli)"},
                {"name": "x-api-key", "value": "sk-ant-api03-" + "x" * 40},
            ],
            "postData": {
                "mimeType": "application/json",
                "text": json.dumps({"messages": ['hi "there"'] * r.randint(1, 400)}),
            },
        },
        "response": resp,
        "serverIPAddress": "127.0.0.1",
        "timings": {"blocked": -1, "dns": 1.5, "connect": 2, "ssl": 3, "send": 0.1, "wait": 50, "receive": 1},
    }


def har_bytes(n: int, seed: int = 7) -> bytes:
    r = random.Random(seed)
    log = {
        "version": "1.2",
        "creator": {"name": "WebInspector", "version": "537.36"},
        "entries": [har_entry(r, i) for i in range(n)],
    }
    return json.dumps({"log": log}, indent=2).encode()


def tokenizer_only(monkeypatch) -> None:
    """HAR reading as before the C decoders: every entry through the streaming tokenizer."""
    monkeypatch.setattr(har, "_entry_value", har._value)


@pytest.fixture(scope="module")
def big_har() -> bytes:
    data = har_bytes(700)
    assert len(data) > 2 * SPARSE_MIN_BYTES
    return data


def test_a_big_har_read_by_the_decoders_gives_what_the_tokenizer_gives(big_har, monkeypatch):
    monkeypatch.setattr(har, "SPARSE_MIN_BYTES", 10**12)  # every entry in full, as for a small HAR
    fast = typed(har.parse(Doc.from_bytes("big.har", big_har)))
    tokenizer_only(monkeypatch)
    assert fast == typed(har.parse(Doc.from_bytes("big.har", big_har)))


@pytest.mark.parametrize("path", sorted((SAMPLES / "har").rglob("*.har")), ids=lambda p: p.name)
def test_a_small_har_gives_the_same_evidence_through_both_paths(path, monkeypatch):
    fast = list(har.parse(doc_of(path)))
    tokenizer_only(monkeypatch)
    assert [repr(e) for e in fast] == [repr(e) for e in har.parse(doc_of(path))]


def test_a_big_har_keeps_every_distinct_fact_and_drops_repeats(big_har, monkeypatch):
    summary = list(har.parse(Doc.from_bytes("big.har", big_har)))
    monkeypatch.setattr(har, "SPARSE_MIN_BYTES", 10**12)
    full = list(har.parse(Doc.from_bytes("big.har", big_har)))

    def facts(evidence):
        return {
            (
                e.kind,
                e.fields.get("status"),
                e.fields.get("error_type"),
                e.fields.get("code"),
                e.fields.get("name"),
                e.fields.get("value") if e.fields.get("name") != "request-id" else None,
            )
            for e in evidence
        }

    assert facts(summary) == facts(full)
    assert len(summary) < len(full) / 3
    assert not Counter(map(repr, typed(summary))) - Counter(map(repr, typed(full))), "a summary only leaves out"


def test_a_big_har_is_diagnosed_from_its_entries_without_the_line_scan(big_har):
    item = Member("big.har", len(big_har), lambda: io.BytesIO(big_har))
    diagnosis = analyze_items(iter([item]), load_ruleset())
    causes = {f.cause for f in diagnosis.findings}
    assert "rate_limited" in causes, causes
    assert not [ev for f in diagnosis.findings for ev in f.evidence if ev.kind == "line"]


def test_a_big_curl_log_keeps_every_distinct_fact_and_drops_repeats(monkeypatch):
    from analyzer.sources import curl

    data = (PLANTED["curl"].read_bytes().rstrip(b"\n") + b"\n") * 60  # 60 transfers
    full = list(curl.parse(Doc.from_bytes("big.log", data)))
    monkeypatch.setattr(curl, "SPARSE_MIN_BYTES", len(data))  # the same text, read as a big file
    summary = list(curl.parse(Doc.from_bytes("big.log", data)))

    def facts(evidence):
        return {(e.kind, e.text, tuple(sorted((k, str(v)) for k, v in e.fields.items()))) for e in evidence}

    assert facts(summary) == facts(full)
    assert len(summary) < len(full) / 2  # 20 of 60 alike transfers
    assert not Counter(map(repr, typed(summary))) - Counter(map(repr, typed(full))), "a summary only leaves out"


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_a_plan_keeps_the_first_windows_of_each_literal_and_searches_no_more(engine, monkeypatch):
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    monkeypatch.setattr(textio, "CHUNK_BYTES", 64)  # many blocks: the spent literal is dropped between them
    text = "".join(f"line {i}\ncurl: (7) failed {i}\n" + ("[ERROR] boom\n" if i % 50 == 0 else "") for i in range(100))
    gate = LineGate({"curl": {"curl: (": (1, 0), "[ERROR]": 0}}, engine=engine)
    planner = gate.planner(each=3)
    for first, block in Doc.from_bytes("x.log", text.encode()).blocks():
        planner.add(first, block)
    # curl: ( on lines 2, 5, 7 (one line before each), [ERROR] on lines 3 and 104; nothing after line 7
    assert planner.windows() == {"curl": [(1, 7), (104, 104)]}
    assert "curl: (" in planner._spent and "[ERROR]" not in planner._spent
