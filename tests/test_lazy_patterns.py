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

import analyzer.redact
import analyzer.sources
from analyzer.lazy import Lazy
from conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent
# Where the two engines are known to differ, and why it does not matter there.
KNOWN = {
    "analyzer.sources.curl._NON_WORD": "\\W on U+FE0F (an emoji's variation selector); it only reads TLS alert names",
}


def _patterns():
    mods = [importlib.import_module(f"analyzer.sources.{m.name}") for m in pkgutil.iter_modules(analyzer.sources.__path__)]
    mods.append(analyzer.redact)
    seen = set()
    for mod in mods:
        for name, obj in vars(mod).items():
            items = obj if isinstance(obj, (list, tuple)) else obj.values() if isinstance(obj, dict) else [obj]
            # redaction's token specs keep their pattern on an object
            items = [getattr(x, "pattern", x) if not isinstance(x, Lazy) else x for x in items]
            for lazy in items:
                if isinstance(lazy, Lazy) and lazy._compile is not regex.compile and id(lazy) not in seen:
                    seen.add(id(lazy))
                    yield f"{mod.__name__}.{name}", lazy._args


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
        assert [(m.span(), m.groups()) for m in std.finditer(text)] == \
               [(m.span(), m.groups()) for m in other.finditer(text)], text[:200]
