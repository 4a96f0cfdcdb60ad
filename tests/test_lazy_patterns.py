"""Source and redaction patterns compile with the standard library when it accepts them
(analyzer.lazy): it compiles them about three times quicker than `regex`. This checks that
each such pattern finds the same matches with either engine on real text."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
import regex
from conftest import SAMPLES

import analyzer.redact
import analyzer.sources
from analyzer.lazy import AnyOf, Lazy, _top_level_branches

ROOT = Path(__file__).resolve().parent.parent
# Where the two engines are known to differ, and why it does not matter there.
KNOWN = {
    "analyzer.sources.curl._NON_WORD": "\\W on U+FE0F (an emoji's variation selector); it only reads TLS alert names",
}


def _patterns():
    mods = [
        importlib.import_module(f"analyzer.sources.{m.name}") for m in pkgutil.iter_modules(analyzer.sources.__path__)
    ]
    mods.append(analyzer.redact)
    seen = set()
    for mod in mods:
        for name, obj in vars(mod).items():
            items = obj if isinstance(obj, (list, tuple)) else obj.values() if isinstance(obj, dict) else [obj]
            # redaction's token specs keep their pattern on an object
            items = [getattr(x, "pattern", x) if not isinstance(x, Lazy) else x for x in items]
            for lazy in items:
                if isinstance(lazy, Lazy) and lazy._compile not in (regex.compile, AnyOf) and id(lazy) not in seen:
                    seen.add(id(lazy))
                    yield f"{mod.__name__}.{name}", (lazy.pattern, lazy.flags)


def _texts() -> list[str]:
    picked = [p for p in sorted(SAMPLES.rglob("*")) if p.is_file() and p.suffix != ".har" and p.stat().st_size < 60_000]
    texts = [p.read_bytes().decode("utf-8", "replace") for p in picked[::4]]
    texts += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").rglob("*.txt"))]
    texts.append("Ünïcode ✓ café — naïve ß İstanbul\u00a0nbsp\ttab  \r\n[ERROR] x=1; y='2' \"z\" 🖼 done\n")
    return texts


TEXTS = _texts()
PATTERNS = sorted(_patterns())


def test_most_patterns_take_the_quick_compile():
    assert len(PATTERNS) > 300


@pytest.mark.parametrize("name,args", PATTERNS, ids=[n for n, _ in PATTERNS])
def test_a_pattern_matches_alike_in_both_engines(name, args):
    if name in KNOWN:
        pytest.skip(KNOWN[name])
    pattern, flags = args
    try:
        std = re.compile(pattern, flags)
    except re.error:
        pytest.skip("regex-only syntax: analyzer.lazy compiles it with `regex`")
    other = regex.compile(pattern, flags)
    for text in TEXTS:
        assert [(m.span(), m.groups()) for m in std.finditer(text)] == [
            (m.span(), m.groups()) for m in other.finditer(text)
        ], text[:200]


def _sniff_patterns():
    mods = [
        importlib.import_module(f"analyzer.sources.{m.name}") for m in pkgutil.iter_modules(analyzer.sources.__path__)
    ]
    return sorted(
        (f"{mod.__name__}.{name}", (obj.pattern, obj.flags))
        for mod in mods
        for name, obj in vars(mod).items()
        if isinstance(obj, Lazy) and obj._compile is AnyOf
    )


SNIFF_PATTERNS = _sniff_patterns()
# Every sample (each format's sniffer must say yes to some), and what no sample shows.
SNIFF_TEXTS = (
    [
        p.read_bytes().decode("utf-8", "replace")
        for p in sorted(SAMPLES.rglob("*"))
        if p.is_file() and p.suffix != ".har" and p.stat().st_size < 60_000
    ]
    + TEXTS
    + [
        "HKEY_CURRENT_USER\\Software\\Internet Settings\n    ProxyEnable    REG_DWORD    0x1\n",
        "ProxyServer : proxy.corp:8080\nProxyEnable: 1\n",
        "PS> [System.Environment]::SetEnvironmentVariable('HTTPS_PROXY', 'http://p:3128', 'User')\n",
    ]
)


def _variants(text: str) -> list[str]:
    """The text, its lines one by one from the middle on, upper-cased and with every other line: a
    branch found alone must be found whatever else the text holds."""
    lines = text.split("\n")
    return [text, text.upper(), "\n".join(lines[::2]), "\n".join(lines[1::2]), *lines[len(lines) // 2 :][:200]]


@pytest.mark.parametrize("name,args", SNIFF_PATTERNS, ids=[n for n, _ in SNIFF_PATTERNS])
def test_a_sniff_pattern_searched_branch_by_branch_answers_as_the_whole_regex(name, args):
    pattern, flags = args
    whole = regex.compile(pattern, flags)
    split = AnyOf(pattern, flags)
    assert len(split._branches) > 1  # cut into branches, or this test checks nothing
    answers = set()
    for text in SNIFF_TEXTS:
        for variant in _variants(text):
            expected = bool(whole.search(variant))
            assert bool(split.search(variant)) == expected, (name, variant[:200])
            answers.add(expected)
    assert answers == {True, False}, name


def test_sniff_patterns_are_cut_at_top_level_bars_only():
    assert _top_level_branches(r"(?m)a|b(?:c|d)|[|x]|\||[^]|]") == [
        "(?m)a",
        "(?m)b(?:c|d)",
        "(?m)[|x]",
        "(?m)\\|",
        "(?m)[^]|]",
    ]
    assert _top_level_branches("(?x) a # one | two\n | b") == ["(?x) a # one | two\n | b"]  # a comment: not cut
    assert _top_level_branches("abc") == ["abc"]
    assert len(AnyOf(r"(?P<n>ab)c|x(?P=n)")._branches) == 1  # a branch that cannot stand alone: not cut
    kelvin = AnyOf("(?i)\u212aey: 1|other")  # the Kelvin sign matches "k" when case is ignored
    assert kelvin.search("key: 1") and regex.search("(?i)\u212aey: 1", "key: 1")
    assert len(SNIFF_PATTERNS) >= 6


def test_a_lazy_pattern_is_compiled_on_first_use_and_pickled_as_its_source():
    import pickle

    from analyzer.lazy import lazy_regex, lazy_scan_regex

    for make in (lazy_regex, lazy_scan_regex):
        lazy = make(r"a(?P<x>b+)", re.IGNORECASE)
        assert (lazy.pattern, lazy.flags) == (r"a(?P<x>b+)", re.IGNORECASE) and "search" not in vars(lazy)
        assert lazy.search("xABB").group("x") == "BB" and "search" in vars(lazy)
        again = pickle.loads(pickle.dumps(lazy))
        assert "search" not in vars(again) and again.pattern == lazy.pattern
        assert again.search("ab").group("x") == "b"
