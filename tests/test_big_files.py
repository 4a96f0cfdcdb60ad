"""Big files (textio.SPARSE_MIN_BYTES and more) are read the quick way: the rules' line scan
runs first, keeps a matcher's first line per block, and tells the format parsers where to
read. These tests check that the quick way keeps what matters: the same diagnosis as the
file read alone, the same hits from both scanners, and parsers that find a transcript pasted
into the middle of a debug log. No timing asserts: bench/run.py measures speed.
"""

from __future__ import annotations

import io
import pickle
import random
import threading
from collections import defaultdict
from pathlib import Path

import pytest

from analyzer import fastpath, sources
from analyzer.analysis import LINE_TRIGGERS, analyze_items, engine_choice, load_ruleset
from analyzer.bundle import Member
from analyzer.engine import RuleSet, Run
from analyzer.engine.condition import required
from analyzer.literals import required_literals
from analyzer.model import Evidence, Hit, Location
from analyzer.textio import SPARSE_MIN_BYTES, Doc
from tests.conftest import SAMPLES
from tests.test_big_inputs import filler

ROOT = Path(__file__).resolve().parent.parent
PAD_LINES = 30_000  # each side: about 2.4 MB, so a padded file is above SPARSE_MIN_BYTES

# One failure of each kind and format; every one must keep its diagnosis inside a big file.
PADDED = [
    "curl/curl-8.14.1/http-max-time.txt",
    "curl/libcurl-8.23.0-pycurl/proxy-407-squid.txt",
    "curl/curl-8.14.1/api-403-region-block-mock.txt",
    "node/api-403-forbidden.sdk.txt",
    "node/dns-nxdomain.fetch.txt",
    "claude-code/debug-logs/tls-selfsigned-in-chain.debug.txt",
    "openssl/s_client-selfsigned-in-chain.txt",
]
BUNDLES = sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


@pytest.fixture(scope="module")
def pad() -> bytes:
    return ("\n".join(filler(random.Random(11), PAD_LINES)) + "\n").encode()


def member(name: str, data: bytes) -> Member:
    return Member(name, len(data), lambda d=data: io.BytesIO(d))


def causes(diagnosis) -> list[tuple[str, float]]:
    return [(f.cause, round(f.confidence, 2)) for f in diagnosis.findings if f.confidence >= 0.5]


def focused_views(doc: Doc, formats: list[str], deciding: set[int]):
    """`fastpath.Focus` with a first pass of its own (analysis shares the line scan's)."""
    focus = fastpath.Focus(formats, LINE_TRIGGERS)
    for first, block in doc.blocks():
        focus.add(first, block)
    return focus.views(doc, deciding)


def padded(pad: bytes, data: bytes) -> bytes:
    big = pad + data.rstrip(b"\n") + b"\n" + pad
    assert len(big) >= SPARSE_MIN_BYTES
    return big


@pytest.mark.parametrize("path", [SAMPLES / p for p in PADDED], ids=PADDED)
def test_a_failure_in_the_middle_of_a_big_file_keeps_its_diagnosis(ruleset, pad, path):
    data = path.read_bytes()
    alone = causes(analyze_items(iter([member(path.name, data)]), ruleset))
    assert alone, "the sample must be diagnosed for the comparison to mean anything"
    big = causes(analyze_items(iter([member(path.name, padded(pad, data))]), ruleset))
    assert [c for c, _ in big] == [c for c, _ in alone]


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda p: p.name)
def test_a_bundle_of_big_files_keeps_its_diagnosis(ruleset, pad, bundle):
    files = {p.name: p.read_bytes() for p in sorted(bundle.glob("*.txt"))}
    alone = causes(analyze_items(iter(member(n, d) for n, d in files.items()), ruleset))
    assert bool(alone) is (bundle.name != "healthy-proxy")
    big = causes(analyze_items(iter(member(n, padded(pad, d)) for n, d in files.items()), ruleset))
    assert [c for c, _ in big] == [c for c, _ in alone]


def test_a_transcript_past_the_head_is_found_by_its_own_parser(ruleset, pad):
    """The head of this file is a debug log: the curl sniffer only sees the transcript through
    the text around the rules' deciding lines (`fastpath.Focus`)."""
    data = (SAMPLES / "curl/curl-8.14.1/http-max-time.txt").read_bytes()
    doc = Doc.from_bytes("big.log", pad + data + pad)
    formats = sources.detect(doc.head)
    assert "curl" not in formats
    hits = list(ruleset.scan_doc(doc, doc.path, formats[0], frozenset(formats)))
    views, found = focused_views(doc, formats, ruleset.interest_lines(hits))
    assert "curl" in found
    view = views["curl"]
    codes = [e.fields.get("code") for e in sources.curl.parse(view) if e.kind == "connect-error"]
    assert codes == ["CURL_28"]


def test_the_parsers_of_a_big_file_read_its_head_and_what_the_rules_point_at(ruleset, pad):
    data = (SAMPLES / "curl/curl-8.14.1/api-403-region-block-mock.txt").read_bytes()
    doc = Doc.from_bytes("big.log", pad + data + pad)
    hits = list(ruleset.scan_doc(doc, doc.path, "claude-log", frozenset({"claude-log", "curl"})))
    views, _ = focused_views(doc, ["claude-log", "curl"], ruleset.interest_lines(hits))
    total = 2 * PAD_LINES + data.count(b"\n")
    for fmt, view in views.items():
        read = sum(last - first + 1 for first, last in view.view.windows)
        assert read < total * 0.05, f"{fmt} reads {read} of {total} lines"
    status = (
        PAD_LINES + [line.strip() for line in data.split(b"\n")].index(b"< HTTP/2 403") + 1
    )  # what the diagnosis rests on
    assert any(first + 20 <= status <= last - 5 for first, last in views["curl"].view.windows)


# ------------------------------------------------------------------------- where to read


def _hit(rule: str, matcher: str, line: int) -> Hit:
    return Hit(rule, matcher, Evidence.make("text", "line", "x", Location("f.log", line)))


def _rule_with_two_line_clauses(ruleset):
    for rule in ruleset.rules.values():
        pure = [c for c in required(rule.condition) if len(c) == 1 and all(rule.matchers[n].is_line for n in c)]
        if len(pure) >= 2:
            return rule.id, sorted(next(iter(c)) for c in pure[:2])
    pytest.skip("no rule needs two line matchers at once")


def test_a_conjunction_is_read_at_its_rarer_part(ruleset):
    rule, (a, b) = _rule_with_two_line_clauses(ruleset)
    hits = [_hit(rule, a, n) for n in (10, 20, 30)] + [_hit(rule, b, 500)]
    assert ruleset.interest_lines(hits) == {500}


def test_a_conjunction_missing_a_part_points_nowhere(ruleset):
    rule, (a, _b) = _rule_with_two_line_clauses(ruleset)
    assert ruleset.interest_lines([_hit(rule, a, n) for n in (10, 20)]) == set()


def test_a_line_hit_counts_where_a_typed_matcher_could_fire_instead(ruleset):
    # proxy-407-auth-required: `status_407 or reply_407`, the second one typed
    assert ruleset.interest_lines([_hit("proxy-407-auth-required", "status_407", 77)]) == {77}
    assert ruleset.interest_lines([_hit("proxy-407-auth-required", "challenge", 78)]) == set()  # a boost only


# ------------------------------------------------------------------------- both scanners


@pytest.fixture(scope="module")
def planted_doc(ruleset) -> Doc:
    """Filler with every rule example's lines planted three times, far apart."""
    r = random.Random(3)
    lines = [
        line
        for rule in ruleset.rules.values()
        for ex in rule.examples
        for text in ex.input.values()
        for line in text.replace("\0", "\n").split("\n")
        if line.strip()
    ]
    out: list[str] = []
    for _ in range(3):
        for line in lines:
            out += filler(r, 56)
            out.append(line)
    doc = Doc.from_bytes("planted.log", ("\n".join(out) + "\n").encode())
    assert doc.size >= SPARSE_MIN_BYTES
    return doc


def _scan(ruleset: RuleSet, doc: Doc, engine: str):
    return [
        (h.rule, h.matcher, h.evidence.where.line, h.evidence.text, tuple(sorted(h.groups.items())))
        for h in ruleset.scan_doc(doc, doc.path, "text", run=Run(engine))
    ]


def test_both_scanners_keep_the_same_lines_of_a_big_file(ruleset, planted_doc, tmp_path, monkeypatch):
    pytest.importorskip("hyperscan")
    monkeypatch.setenv("CCDIAG_CACHE_DIR", str(tmp_path))
    plain = _scan(RuleSet(ruleset.rules), planted_doc, "python")
    accel = RuleSet(ruleset.rules)
    assert accel.scanner_engine("hyperscan") == "hyperscan"
    assert plain and _scan(accel, planted_doc, "hyperscan") == plain


def test_a_matcher_keeps_one_line_per_block_of_a_big_file(ruleset, planted_doc):
    starts = [first for first, _ in planted_doc.blocks()]
    per_block: dict[tuple[str, str, int], int] = defaultdict(int)
    for rule, matcher, line, _, _ in _scan(RuleSet(ruleset.rules), planted_doc, "python"):
        block = sum(1 for s in starts if s <= line)
        per_block[(rule, matcher, block)] += 1
    assert per_block and max(per_block.values()) == 1
    assert len({b for _, _, b in per_block}) > 1, "the planted lines span several blocks"


def test_scans_in_two_threads_share_a_database_safely(ruleset, planted_doc, tmp_path, monkeypatch):
    pytest.importorskip("hyperscan")
    monkeypatch.setenv("CCDIAG_CACHE_DIR", str(tmp_path))
    accel = RuleSet(ruleset.rules)
    alone = _scan(accel, planted_doc, "hyperscan")
    results, errors = [], []

    def work():
        try:
            results.append(_scan(accel, planted_doc, "hyperscan"))
        except Exception as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and results == [alone, alone]


def test_the_engine_is_read_at_the_entry_and_chosen_per_run_not_kept_in_the_cached_rules(ruleset, monkeypatch):
    monkeypatch.setenv("CCDIAG_ENGINE", "Python")
    assert engine_choice() == "python"
    assert engine_choice("hyperscan") == "hyperscan"  # an option given wins over the variable
    monkeypatch.delenv("CCDIAG_ENGINE")
    assert engine_choice() == "auto"
    cached = pickle.loads(pickle.dumps(RuleSet(ruleset.rules)))
    assert cached.accel_scanner("python") is None and cached.scanner_engine("python") == "python"


# ------------------------------------------------------------------------- literals


class _P:
    def __init__(self, pattern: str):
        self.pattern = pattern


@pytest.mark.parametrize(
    "pattern,literals",
    [
        (r"\b40[04]\b|not_found_error", {"400", "404", "not_found_error"}),
        (r"HTTP/\d\d", {f"http/{i}" for i in range(10)}),  # 100 spellings are too many: the run ends
        (r"code [4-5]29\b", {"code 429", "code 529"}),
        (r"a[^b]cdef", {"cdef"}),  # a negated class is never spelled out
        (r"x\bfoo", {"xfoo"}),
    ],
)
def test_small_classes_are_spelled_out_into_literals(pattern, literals):
    assert required_literals((), [_P(pattern)]) == literals


def test_a_parser_reads_around_its_interest_lines_even_where_no_rule_points(pad):
    data = (SAMPLES / "curl/curl-8.14.1/http-max-time.txt").read_bytes()
    doc = Doc.from_bytes("big.log", pad + data + pad)
    curl_exit = PAD_LINES + [line.startswith(b"curl: (28)") for line in data.split(b"\n")].index(True) + 1
    windows = focused_views(doc, ["curl"], deciding=set())[0]["curl"].view.windows
    before, after = sources.curl.INTEREST["curl: ("]
    assert any(first <= curl_exit - before and curl_exit + after <= last for first, last in windows)
    assert all(last <= fastpath.focus.HEAD_LINES + 40 or first >= PAD_LINES - 50 for first, last in windows)


def test_cached_windows_read_like_windows_read_from_the_file(pad):
    from analyzer.fastpath.gate import FixedPlan, LineView

    data = (SAMPLES / "curl/curl-8.14.1/http-max-time.txt").read_bytes()
    doc = Doc.from_bytes("big.log", pad + data + pad)
    total = 2 * PAD_LINES + data.count(b"\n")
    windows = {"a": [(1, 3), (10, 12), (total - 1, total + 50)], "b": [(2, 2), (PAD_LINES, PAD_LINES + 20)]}
    for owner in windows:
        from_file = list(LineView(FixedPlan(windows), owner).numbered(doc))
        cached = list(LineView(FixedPlan(windows, doc), owner).numbered(doc))
        assert cached == from_file and len(from_file) > 3


def test_a_big_file_no_line_format_claims_is_still_read_and_diagnosed(ruleset):
    words = random.Random(5)
    lines = [
        " ".join(words.choice(("alpha", "beta", "gamma", "delta", "omega")) for _ in range(12)) for _ in range(90_000)
    ]
    lines[60_000] = (
        'Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded '
        'your rate limit"}}'
    )
    data = ("\n".join(lines) + "\n").encode()
    assert len(data) >= SPARSE_MIN_BYTES
    diagnosis = analyze_items(iter([member("words.txt", data)]), ruleset)
    assert [i.format for i in diagnosis.inputs] == ["text"]
    assert causes(diagnosis)[:1] and causes(diagnosis)[0][0] == "rate_limited"
