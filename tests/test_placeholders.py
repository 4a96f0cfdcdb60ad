"""No report shows an unfilled placeholder: every rule's title, fix and hints, rendered with each
placeholder's field present and absent (rules/README.md, "Placeholders")."""

from __future__ import annotations

import pytest

from analyzer.analysis import analyze, load_ruleset
from analyzer.engine import load
from analyzer.engine.correlate import fill
from analyzer.engine.ruledirs import PLACEHOLDER
from tests.conftest import SAMPLES

# Mechanical leftovers of dropping a value: none may appear that the filled text does not have.
SCARS = ["()", "( ", " )", "  ", " ,", " ;", " :", " .", "<>"]


def rule_texts() -> list[tuple[str, str, str]]:
    """(rule id, where, text) of every title, fix and missing hint that holds a placeholder."""
    out = []
    for rule in sorted(load().rules.values(), key=lambda r: r.id):
        fix = {"all": rule.fix} if isinstance(rule.fix, str) else rule.fix
        texts = [("title", rule.title), *((f"fix[{p}]", t) for p, t in fix.items())]
        texts += [(f"missing[{i}]", m.text) for i, m in enumerate(rule.missing)]
        out += [(rule.id, where, text) for where, text in texts if PLACEHOLDER.search(text)]
    return out


CASES = [
    pytest.param(text, m["name"], id=f"{rid}.{where}.{m['name']}")
    for rid, where, text in rule_texts()
    for m in PLACEHOLDER.finditer(text)
]


def authored(text: str) -> str:
    """What the rule's author wrote around its placeholders (fallbacks included)."""
    return PLACEHOLDER.sub(lambda m: m["fallback"] or "", text)


def test_the_catalog_has_placeholders_to_check():
    assert any(c.id == "tls-verification-disabled.title.how" for c in CASES)


@pytest.mark.parametrize("text,name", CASES)
def test_a_placeholder_renders_its_value_or_nothing_of_its_syntax(text, name):
    names = {m["name"] for m in PLACEHOLDER.finditer(text)}
    values = {n: f"VALUE-OF-{n}" for n in names}
    present = fill(text, values)
    absent = fill(text, {n: v for n, v in values.items() if n != name})
    assert values[name] in present
    assert values[name] not in absent
    written = authored(text)
    for shown in (present, absent):
        assert "{{" not in shown and "}}" not in shown, shown
        for n in names:  # `<host>` or `{host}` only where the author wrote it, never for a missing value
            for mark in (f"<{n}>", f"{{{n}}}"):
                assert shown.count(mark) <= written.count(mark), shown
    for scar in SCARS:
        assert absent.count(scar) <= present.count(scar), f"{scar!r} in {absent!r}"


@pytest.mark.parametrize(
    "text,groups,shown",
    [
        ("turned off ({{how}}); a risk", {}, "turned off; a risk"),
        ("turned off ({{how}}); a risk", {"how": "-k"}, "turned off (-k); a risk"),
        ("a key of another provider ({{prefix}}...)", {}, "a key of another provider"),
        ("Connections to {{host|the server}} are refused", {}, "Connections to the server are refused"),
        (
            "Connections to {{host|the server}} are refused",
            {"host": "h.example"},
            "Connections to h.example are refused",
        ),
        ("The host name {{host}} cannot be resolved", {"host": ""}, "The host name cannot be resolved"),
        ("{{host}} refuses, {{port}} too", {}, "refuses, too"),
        ("Start it:\n  {{cmd}} --listen\n  then retry", {}, "Start it:\n  --listen\n  then retry"),
        ("proxy {{ url | the proxy }} down", {}, "proxy the proxy down"),
    ],
)
def test_fill_uses_the_value_the_fallback_or_drops_the_placeholder_cleanly(text, groups, shown):
    assert fill(text, groups) == shown


def test_the_report_of_a_real_capture_without_the_field_shows_no_placeholder():
    """curl -k on a re-signed chain: verification is off, and no matcher captured how."""
    ruleset = load_ruleset()
    d = analyze([str(SAMPLES / "curl" / "curl-8.14.1" / "tls-unknown-ca-insecure.txt")], ruleset)
    off = next(f for f in d.findings if f.rule == "tls-verification-disabled")
    assert off.title == "TLS certificate verification is turned off; this is a security risk, not a fix"
    d = analyze([str(SAMPLES / "env" / "linux-bash-export-p.txt")], ruleset)
    off = next(f for f in d.findings if f.rule == "tls-verification-disabled")
    assert off.title.startswith("TLS certificate verification is turned off (NODE_TLS_REJECT_UNAUTHORIZED);")
