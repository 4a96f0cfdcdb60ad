"""A big file's first pass read in parts by forked processes gives exactly what one pass gives:
the same hits (first per block, first MAX_LINE_HITS_PER_FILE per matcher of the whole file,
real line numbers), the same parser windows and the same report. Sizes are scaled down
(smaller reads and parts) so the tests stay quick; nothing here is timed."""

from __future__ import annotations

import gzip
import random
import sys

import pytest

from analyzer import bundle, textio
from analyzer.analysis import LINE_TRIGGERS, analyze, load_ruleset
from analyzer.engine import RuleSet, Run, extra_rule_dirs
from analyzer.engine.matching import MAX_LINE_HITS_PER_FILE
from analyzer.fastpath import firstpass
from analyzer.report.as_json import report_dict
from analyzer.textio import Doc
from tests.conftest import SAMPLES
from tests.test_big_inputs import filler

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parts are forked on Linux only")

PLANTED = [
    "curl/libcurl-8.23.0-pycurl/proxy-407-squid.txt",
    "claude-code/debug-logs/tls-selfsigned-in-chain.debug.txt",
    "node/dns-nxdomain.fetch.txt",
]


@pytest.fixture()
def small_parts(monkeypatch):
    """Reads of 64 KiB and parts of 1 MiB: a 5 MB file is a big file read in several parts."""
    monkeypatch.setattr(textio, "CHUNK_BYTES", 64 * 1024)
    monkeypatch.setattr(firstpass, "CHUNK_BYTES", 64 * 1024)
    monkeypatch.setattr(firstpass, "PART_MIN_BYTES", 1024 * 1024)
    monkeypatch.setattr(firstpass, "PYTHON_PART_MIN_BYTES", 1024 * 1024)


@pytest.fixture(scope="module")
def big_log(tmp_path_factory):
    """About 5 MB of log noise with failures planted near the start, the middle and the end, and
    one failure line repeated far more often than a matcher keeps."""
    rng = random.Random(5)
    chunks = []
    for name in PLANTED * 2:
        chunks.append("\n".join(filler(rng, 9_000)))
        chunks.append((SAMPLES / name).read_text("utf-8", "replace").rstrip("\n"))
        chunks.append("\n".join(["curl: (7) Failed to connect to api.anthropic.com port 443: Connection refused"] * 15))
    path = tmp_path_factory.mktemp("big") / "big.log"
    path.write_text("\n".join(chunks) + "\n", "utf-8")
    assert path.stat().st_size > 4 * 1024 * 1024
    return path


def doc_at(path) -> Doc:
    return Doc.open(str(path), path.stat().st_size, lambda: open(path, "rb"))


def line_hits(hits):
    return [(h.rule, h.matcher, h.evidence.where.line, h.evidence.raw) for h in hits]


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_parts_give_the_hits_windows_and_marks_of_one_pass(small_parts, big_log, engine):
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    ruleset = RuleSet(load_ruleset().rules)
    formats = ["curl", "claude-log", "sdk"]
    one, parts = doc_at(big_log), doc_at(big_log)
    assert len(firstpass._spans(parts, jobs=4)) == 4
    hits1, focus1 = firstpass.first_pass(one, ruleset, Run(engine), str(big_log), formats, LINE_TRIGGERS, jobs=1)
    hits4, focus4 = firstpass.first_pass(parts, ruleset, Run(engine), str(big_log), formats, LINE_TRIGGERS, jobs=4)
    assert line_hits(hits4) == line_hits(hits1)
    per_matcher = {}
    for h in hits1:
        per_matcher[h.rule, h.matcher] = per_matcher.get((h.rule, h.matcher), 0) + 1
    assert max(per_matcher.values()) == MAX_LINE_HITS_PER_FILE  # the cap across parts was in play
    deciding = ruleset.interest_lines(hits1)
    views1, formats1 = focus1.views(one, deciding)
    views4, formats4 = focus4.views(parts, deciding)
    assert formats4 == formats1
    assert {f: v.view.windows for f, v in views4.items()} == {f: v.view.windows for f, v in views1.items()}
    data = big_log.read_bytes()
    line_starts = [0] + [i + 1 for i, byte in enumerate(data) if byte == 10]
    for marks in (one._marks, parts._marks):  # each (line number, byte offset) a line start
        assert len(marks) > 20 and all(line_starts[no - 1] == offset for no, offset in marks)


def test_a_big_file_read_in_parts_gets_the_report_of_one_pass(small_parts, big_log):
    ruleset = load_ruleset()
    one = report_dict(analyze([str(big_log)], ruleset=ruleset, jobs=1))
    two = report_dict(analyze([str(big_log)], ruleset=ruleset, jobs=3))
    assert two == one and len(one["diagnoses"]) >= 3


def test_parts_are_cut_where_one_pass_cuts_a_block(small_parts, big_log):
    block_starts = {first for first, _ in doc_at(big_log).blocks()}
    data = big_log.read_bytes()
    spans = firstpass._spans(doc_at(big_log), jobs=4)
    assert len(spans) == 4 and spans[0][0] == 0 and spans[-1][1] == len(data)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end == start and data[start - 1 : start] == b"\n"
        assert data.count(b"\n", 0, start) + 1 in block_starts


def test_small_files_archives_and_utf16_are_read_in_one_pass(small_parts, tmp_path, big_log):
    utf16 = tmp_path / "wide.log"
    utf16.write_bytes(big_log.read_text("utf-8").encode("utf-16"))
    assert firstpass._spans(doc_at(utf16), jobs=4) == []
    assert firstpass._spans(doc_at(big_log), jobs=1) == []
    tiny = tmp_path / "tiny.log"
    tiny.write_text("x\n" * 1000)
    assert firstpass._spans(doc_at(tiny), jobs=4) == []
    unseekable = doc_at(big_log)
    unseekable.opener = lambda: _Unseekable(open(big_log, "rb"))
    assert firstpass._spans(unseekable, jobs=4) == []
    in_memory = Doc.from_bytes("big.log", big_log.read_bytes())  # seeks, but is no file of its own
    assert firstpass._spans(in_memory, jobs=4) == []


class _Unseekable:
    """A member of a compressed archive: read it in order or not at all."""

    def __init__(self, fh):
        self._fh = fh

    def read(self, n=-1):
        return self._fh.read(n)

    def seekable(self):
        return False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._fh.close()


def test_a_big_log_from_a_gzip_file_reads_its_windows_by_seeking_in_the_spool(small_parts, big_log, tmp_path):
    gz = tmp_path / "big.log.gz"
    gz.write_bytes(gzip.compress(big_log.read_bytes()))
    ruleset = load_ruleset()

    def shown(report):
        return [
            (d["cause"], d["confidence"], [(e.get("line"), e["text"]) for e in d["evidence"]])
            for d in report["diagnoses"]
        ]

    plain = report_dict(analyze([str(big_log)], ruleset=ruleset, jobs=1))
    packed = report_dict(analyze([str(gz)], ruleset=ruleset, jobs=2))
    assert shown(packed) == shown(plain) and plain["diagnoses"]
    # the spool of the unpacked file seeks, so the windows are read from their marks
    items = bundle.open_inputs([str(gz)])  # the spool lives while this is not exhausted
    member = next(items)
    data = big_log.read_bytes()
    with member.opener() as fh:
        assert fh.seekable() and fh.seek(3_000_000) == 3_000_000 and fh.read(50) == data[3_000_000:3_000_050]
    items.close()


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_the_python_scanner_splits_smaller_files_than_hyperscan(engine, monkeypatch, big_log):
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    asked = []
    spans = firstpass._spans
    monkeypatch.setattr(
        firstpass, "_spans", lambda doc, jobs, part_min: asked.append(part_min) or spans(doc, jobs, part_min)
    )
    ruleset = RuleSet(load_ruleset().rules)
    firstpass.first_pass(doc_at(big_log), ruleset, Run(engine), str(big_log), ["curl"], LINE_TRIGGERS, jobs=2)
    assert asked == [firstpass.PYTHON_PART_MIN_BYTES if engine == "python" else firstpass.PART_MIN_BYTES]


def test_a_rule_skipped_in_a_part_is_skipped_in_the_bundle_run_and_the_rule_set_is_untouched(
    small_parts, tmp_path, monkeypatch
):
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "redos.yaml").write_text(
        "id: redos\ncause: network_unreachable\ntitle: a catastrophic pattern\nseverity: high\n"
        "confidence: 0.9\nmatch:\n  evil:\n    pattern: '^=(a|aa)+$'\nfix: none\n"
    )
    rng = random.Random(7)
    path = tmp_path / "big.log"
    path.write_text("\n".join(filler(rng, 40_000)) + "\n=" + "a" * 60 + "b\n" + "\n".join(filler(rng, 5_000)) + "\n")
    ruleset = RuleSet(load_ruleset(extra_rule_dirs([str(folder)])).rules)
    doc = doc_at(path)
    spans = firstpass._spans(doc, jobs=2)
    assert len(spans) == 2 and spans[0][1] < path.read_bytes().index(b"=" + b"a" * 60)
    run = Run("python")
    firstpass.first_pass(doc, ruleset, run, str(path), ["text"], LINE_TRIGGERS, jobs=2)
    assert run.broken == {"redos"}
    assert not hasattr(ruleset, "broken")
