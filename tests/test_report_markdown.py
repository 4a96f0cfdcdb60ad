"""The Markdown report renders with a real CommonMark parser (markdown-it-py) into the structure
it promises, for every sample bundle and for hostile log text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from analyzer.analysis import analyze, analyze_texts, load_ruleset
from analyzer.report import RENDERERS, as_markdown
from analyzer.report.as_json import report_dict
from analyzer.report.why import why_text

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "reference"


def _bundles() -> list[Path]:
    """Every sample bundle folder, and every folder of real reference captures as one bundle."""
    samples = sorted(p for p in (ROOT / "samples").glob("*") if p.is_dir())
    captures = sorted({p.parent for p in REFERENCE.rglob("*") if p.is_file()})
    return samples + captures


def _files(bundle: Path) -> list[str]:
    """A sample folder whole; of a reference folder only its own files (subfolders are bundles too)."""
    if bundle.is_relative_to(REFERENCE):
        return [str(p) for p in sorted(bundle.iterdir()) if p.is_file()]
    return [str(bundle)]


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(strict=False)


def github_like() -> MarkdownIt:
    """CommonMark plus the GitHub extensions that could misread log text: tables, strikethrough."""
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@pytest.fixture(scope="module")
def parser() -> MarkdownIt:
    return github_like()


def _inline_text(tokens, index: int) -> str:
    return tokens[index + 1].content


def _headings(tokens, tag: str) -> list[str]:
    return [_inline_text(tokens, i) for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == tag]


def check_structure(md: MarkdownIt, text: str, report: dict) -> None:
    """The promises of the Markdown report, checked on the parsed tokens of one report."""
    tokens = md.parse(text)
    diagnoses = report["diagnoses"]
    # Only the <details>/<summary> wrapper is raw HTML; nothing from an input becomes HTML or a link.
    html_blocks = [t.content.strip() for t in tokens if t.type == "html_block"]
    for block in html_blocks:
        assert re.fullmatch(r"(<details>\n<summary>Other candidates \(\d+\)</summary>|</details>)", block), block
    assert not [
        t
        for t in tokens
        if t.type == "inline" and any(c.type in ("html_inline", "link_open", "image") for c in t.children or ())
    ]
    rendered = md.render(text)
    assert "<script" not in rendered.lower()
    assert not re.search(r"<[^>]*\son\w+\s*=", rendered, re.I)

    h2 = _headings(tokens, "h2")
    assert len(h2) == 1
    if not diagnoses:
        assert "No known failure signature" in h2[0]
        return
    top = diagnoses[0]
    assert top["cause"] in h2[0] and f"{top['confidence']:.2f}" in h2[0]
    assert "Fix" in _headings(tokens, "h3")
    others = diagnoses[1:]
    assert html_blocks == (
        [f"<details>\n<summary>Other candidates ({len(others)})</summary>", "</details>"] if others else []
    )
    h4 = _headings(tokens, "h4")
    assert [h.split(".", 1)[0] for h in h4] == [str(n) for n in range(2, len(diagnoses) + 1)]
    for heading, d in zip(h4, others, strict=True):
        assert d["cause"] in heading and f"{d['confidence']:.2f}" in heading
    # Each shown evidence line is one fenced excerpt, holding the log text unchanged.
    excerpts = [t.content for t in tokens if t.type == "fence" and t.info == "text"]
    expected = [ev for ev in top["evidence"][: as_markdown.TOP_EVIDENCE]]
    for d in others:
        expected += d["evidence"][: as_markdown.OTHER_EVIDENCE]
    assert len(excerpts) == len(expected)
    for content, ev in zip(excerpts, expected, strict=True):
        assert content.rstrip("\n").rstrip(" …") in as_markdown._CONTROL.sub(" ", ev["text"].replace("\r", ""))


@pytest.mark.parametrize("bundle", _bundles(), ids=lambda p: str(p.relative_to(ROOT)))
def test_markdown_of_every_sample_bundle_renders_with_intact_structure(bundle, ruleset, parser):
    diagnosis = analyze(_files(bundle), ruleset=ruleset)
    text = RENDERERS["markdown"](diagnosis, verbose=False, color=False, width=None)
    check_structure(parser, text, report_dict(diagnosis))


HOSTILE = [
    "Request not allowed ```` </details> <script>document.title='pwned'</script>",
    "# Request not allowed <img src=x onerror=alert(1)> | a | b |",
    "- Request not allowed [click](javascript:alert(1)) <details open> ~~~",
]


def test_hostile_log_lines_stay_inside_their_code_blocks(ruleset, parser):
    real = (REFERENCE / "claude-code" / "api-403-request-not-allowed.txt").read_text(encoding="utf-8")
    diagnosis = analyze_texts({"terminal.txt": real + "\n".join(HOSTILE) + "\n"}, ruleset)
    assert diagnosis.findings, "precondition: a rule must fire on the 403 line"
    text = as_markdown.render(diagnosis, verbose=True)
    check_structure(parser, text, report_dict(diagnosis))
    fenced = "".join(t.content for t in parser.parse(text) if t.type == "fence")
    shown = [line for line in HOSTILE if any(line in ev.text for f in diagnosis.findings for ev in f.evidence)]
    assert shown, "precondition: the hostile lines are evidence"
    for line in shown:
        assert line in fenced


def test_verbose_markdown_says_why_each_candidate_ranked_where_it_did(ruleset, parser):
    diagnosis = analyze([str(ROOT / "samples" / "proxy-407"), str(REFERENCE / "claude-code")], ruleset=ruleset)
    assert len(diagnosis.findings) >= 2
    tokens = parser.parse(as_markdown.render(diagnosis, verbose=True))
    items = " ".join(c.content for t in tokens if t.type == "inline" for c in t.children)
    for index, f in enumerate(diagnosis.findings):
        assert (
            f"above #2 {diagnosis.findings[1].cause}"
            if index == 0
            else f"below #{index} {diagnosis.findings[index - 1].cause}"
        ) in items
        for step in f.why:
            assert " ".join(why_text(step).split()) in items


def test_per_platform_fix_becomes_labelled_steps(parser):
    report = {
        "inputs": [],
        "skipped": [],
        "next_steps": [],
        "diagnoses": [
            {
                "rank": 1,
                "cause": "dns_failure",
                "rule": "r",
                "title": "t",
                "confidence": 0.8,
                "severity": "high",
                "evidence": [],
                "missing": [],
                "why": [],
                "fix": "(the one-string form: the report reads fix_by_platform)",
                "fix_by_platform": {
                    "all": "1. Test the lookup: `nslookup api.anthropic.com`.\n2. Fix the resolver.",
                    "windows": "ipconfig /flushdns",
                },
            }
        ],
    }
    tokens = parser.parse(as_markdown.render_report(report))
    steps = [tokens[i + 2].content for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert steps == ["Test the lookup: `nslookup api.anthropic.com`.", "Fix the resolver."]
    code = [c.content for t in tokens if t.type == "inline" for c in t.children if c.type == "code_inline"]
    assert "nslookup api.anthropic.com" in code
    labels = [t.content for t in tokens if t.type == "inline" and any(c.type == "strong_open" for c in t.children)]
    assert labels[-2:] == ["**All platforms**", "**Windows**"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="`"), max_size=80))
def test_escaped_inline_text_renders_as_exactly_that_text(text):
    tokens = github_like().parse(f"- {as_markdown.md_text(text)}\n")
    children = [c for t in tokens if t.type == "inline" for c in t.children]
    assert all(c.type in ("text", "softbreak") for c in children), children
    assert [t.type for t in tokens] == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ] or not text.split()
    assert "".join(c.content for c in children) == " ".join(text.split())


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(
            blacklist_categories=("Cs",), blacklist_characters="\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
        ),
        max_size=120,
    )
)
def test_a_code_block_holds_any_text_including_backtick_runs(text):
    tokens = github_like().parse("\n".join(as_markdown.code_block(text)) + "\n")
    fences = [t for t in tokens if t.type == "fence"]
    assert len(fences) == 1 and len(tokens) == 1
    assert fences[0].content == as_markdown._CONTROL.sub(" ", text) + "\n"


def test_every_rule_fix_reads_as_platform_blocks_without_losing_a_word(ruleset):
    from analyzer.report.parts import fix_blocks, fix_sections

    for rule in ruleset.rules.values():
        fix = rule.fix if isinstance(rule.fix, dict) else {"all": rule.fix}
        sections = fix_sections(fix)
        assert [p for p, _ in sections] == [p for p, t in fix.items() if t.strip()], rule.id
        words = []
        for _, text in sections:
            for kind, payload in fix_blocks(text):
                parts = [payload] if kind != "steps" else [f"{step} {code}" for step, code in payload]
                words += " ".join(parts).split()
        original = []
        for line in "\n".join(fix.values()).splitlines():
            line = re.sub(r"^\s?(?:\d{1,2}[.)]|[-*•])\s+", "", line)
            original += line.split()
        assert words == original, rule.id
