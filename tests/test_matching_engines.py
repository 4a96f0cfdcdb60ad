"""The Python and Hyperscan scanners and both line readers give the same hits and diagnoses."""

from __future__ import annotations

import random
from pathlib import Path
from typing import NamedTuple

import pytest
from conftest import SAMPLES, doc_of

from analyzer.analysis import analyze, analyze_texts, load_ruleset
from analyzer.engine import RuleSet, Run
from analyzer.engine.matching import _line_getter, text_blocks
from analyzer.engine.prefilter import FIND_MAX_CHARS, anchor_of, meets, requirement
from analyzer.engine.rules import Matcher
from analyzer.examples import example_files
from analyzer.report.as_json import report_dict
from analyzer.textio import MAX_LINE_CHARS, Doc


@pytest.fixture(scope="module")
def rules():
    return load_ruleset(strict=False).rules


class Engine(NamedTuple):
    """A rule set and the engine its runs use."""

    ruleset: RuleSet
    engine: str


@pytest.fixture(scope="module")
def plain(rules):
    return Engine(RuleSet(rules), "python")


@pytest.fixture(scope="module")
def accel(rules, tmp_path_factory):
    """Hyperscan for every input size; skipped when the `fast` extra is not installed."""
    pytest.importorskip("hyperscan")
    mp = pytest.MonkeyPatch()
    mp.setenv("CCDIAG_CACHE_DIR", str(tmp_path_factory.mktemp("hs-cache")))
    ruleset = RuleSet(rules)
    assert ruleset.scanner_engine("hyperscan") == "hyperscan"
    yield Engine(ruleset, "hyperscan")
    mp.undo()


def _hits(eng: Engine, doc: Doc, via_doc: bool):
    run = Run(eng.engine)
    if via_doc:
        it = eng.ruleset.scan_doc(doc, doc.path, "text", run=run)
    else:
        it = eng.ruleset.scan_lines(doc.lines(), doc.path, "text", run=run)
    return [(h.rule, h.matcher, h.evidence.where.line, h.evidence.text, tuple(sorted(h.groups.items()))) for h in it]


def _sample_files() -> list[Path]:
    return sorted(p for p in SAMPLES.rglob("*") if p.is_file() and p.suffix not in (".meta",))


def test_blocks_hold_exactly_the_lines_doc_lines_yields():
    text = "a\r\nb\0c\n\n" + "x" * (MAX_LINE_CHARS * 2 + 5) + "\r\nlast\r"
    doc = Doc.from_bytes("t.txt", text.encode())
    lines = []
    for block, first in text_blocks(doc):
        assert first == len(lines)
        lines.extend(block.split("\n"))
    assert lines == list(doc.lines())


def test_an_anchor_is_a_substring_that_starts_at_a_rare_character():
    assert anchor_of("accessdeniedexception") in "accessdeniedexception"
    assert anchor_of("[errno 111]").startswith("[")
    assert anchor_of("abc") == "abc"


def test_a_requirement_rules_out_lines_without_the_needed_literals():
    import regex

    m = Matcher("r", "m", 1, patterns=(regex.compile(r"(?:API Error|status)\W{0,3}429\b|429 Too Many", regex.I),))
    req = requirement(m)
    assert meets(req, "api error: 429 rate limited".lower())
    assert meets(req, "got 429 too many requests")
    assert not meets(req, "status ok took 4291ms".replace("429", "42"))


def test_a_line_cut_out_around_a_scanner_offset_is_the_line_a_split_gives():
    rng = random.Random(3)
    for _ in range(2000):
        lines = ["".join(rng.choice("ab ") for _ in range(rng.randint(0, 5))) for _ in range(rng.randint(1, 8))]
        block = "\n".join(lines)
        starts = [0]
        for line in lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        # an offset anywhere in a line, the newline that ends it included; some lines get none
        at = {i: starts[i] + rng.randint(0, len(lines[i])) for i in range(len(lines)) if rng.random() < 0.5}
        line_at = _line_getter(block, at)
        assert [line_at(i) for i in range(len(lines))] == lines, (lines, at)


def test_small_blocks_searched_anchor_by_anchor_give_the_group_regexes_candidates(rules):
    by_find = RuleSet(rules).python_scanner
    by_regex = RuleSet(rules).python_scanner
    assert by_regex.groups  # compiled: from now on this one searches with them
    texts = [p.read_text("utf-8", "replace") for p in _sample_files()]
    texts += [text for rule in rules.values() for ex in rule.examples for text in ex.input.values()]
    texts.append("İstanbul proxy: 407 ECONNRESET\nself signed certificate in certificate chain")  # lowering grows it
    compared = 0
    for text in texts:
        block = text[:FIND_MAX_CHARS]
        expected = by_regex.candidates(block)
        by_find.__dict__["_found_chars"] = 0  # stay within the budget of anchor-by-anchor search
        assert by_find.candidates(block) == expected
        compared += bool(expected)
    assert "_groups" not in by_find.__dict__ and compared > 100
    by_find.candidates("x" * (FIND_MAX_CHARS + 1))  # past the budget: the group regexes take over
    assert "_groups" in by_find.__dict__


@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_python_scanner_reading_blocks_finds_the_same_hits_as_line_by_line(plain, path):
    doc = doc_of(path)
    assert _hits(plain, doc, via_doc=True) == _hits(plain, doc, via_doc=False)


@pytest.mark.parametrize("path", _sample_files(), ids=lambda p: str(p.relative_to(SAMPLES)))
def test_hyperscan_finds_the_same_line_hits_as_python_on_every_sample(accel, plain, path):
    doc = doc_of(path)
    assert _hits(accel, doc, via_doc=True) == _hits(plain, doc, via_doc=False)


def test_hyperscan_and_python_give_identical_diagnoses_on_all_samples(accel, plain):
    for path in _sample_files():
        # engine="hyperscan" uses the database whatever the input size.
        a = report_dict(analyze([str(path)], ruleset=accel.ruleset, engine=accel.engine))
        b = report_dict(analyze([str(path)], ruleset=plain.ruleset, engine=plain.engine))
        assert a == b, path


def test_hyperscan_and_python_give_identical_diagnoses_on_all_rule_examples(rules, accel, plain):
    checked = 0
    for rule in rules.values():
        for ex in rule.examples:
            files = example_files(ex)
            assert report_dict(analyze_texts(files, *accel)) == report_dict(analyze_texts(files, *plain)), (
                rule.id,
                ex.name,
            )
            checked += 1
    assert checked == sum(len(r.examples) for r in rules.values())


def test_non_ascii_lines_are_matched_the_same_by_both_scanners(rules, accel, plain):
    lines = [
        ex_line for r in rules.values() for ex in r.examples for t in ex.input.values() for ex_line in t.split("\n")
    ]
    text = "\n".join(f"⎿ {line} — é" for line in lines)
    doc = Doc.from_bytes("u.txt", text.encode())
    assert _hits(accel, doc, via_doc=True) == _hits(plain, doc, via_doc=False)


@pytest.mark.parametrize(
    "pattern,form",
    [
        (r"key\s*[·•|-]\s*run", r"key\s*[|-]\s*run"),  # a class loses what no ASCII line holds
        (r"a·b", r"a\xffb"),  # a literal such character: no ASCII line matches
        (r"[^·]x", r"[\x00-\x7f]x"),
        (r"(?P<n>a)(?=b)", r"(?:a)"),  # names and lookarounds go
        (r"[à-ü]", r"[à-ü]"),  # a range past ASCII stays: refused, or the self-test finds it
    ],
)
def test_the_hyperscan_form_keeps_what_ascii_lines_match(pattern, form):
    from analyzer.engine.accel import hyperscan_form

    assert hyperscan_form(pattern) == form


def test_every_line_matcher_of_the_catalog_is_in_the_hyperscan_database(accel):
    assert accel.ruleset.accel_scanner("hyperscan").fallback == set()
