"""`ccdiag explain CAUSE|RULE`: what a cause is, how it shows up, how to confirm it, and how
to fix it per platform, from the taxonomy and the rule catalog.

A cause id (from taxonomy.yaml) explains the cause and every rule that detects it; a rule id
explains that rule: its description, what its matchers look for, what raises or lowers its
confidence, what would confirm it, its fix per platform and its examples.
"""

from __future__ import annotations

import difflib
import sys
import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click

from ..model import ExitStatus

INDENT = "  "


class _Out:
    """Collects wrapped lines at the terminal's width."""

    def __init__(self, width: int):
        self.width = max(40, min(width, 120))
        self.lines: list[str] = []

    def heading(self, text: str) -> None:
        if self.lines and self.lines[-1]:
            self.lines.append("")
        self.lines.append(text)

    def para(self, text: str, indent: int = 1, bullet: str = "") -> None:
        text = " ".join(str(text).split())
        if not text:
            return
        first = INDENT * indent + bullet
        rest = INDENT * indent + " " * len(bullet)
        self.lines += textwrap.wrap(
            text,
            self.width,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [first.rstrip()]

    def raw(self, text: str, indent: int = 1) -> None:
        self.lines += [INDENT * indent + line for line in str(text).splitlines()]

    def text(self) -> str:
        return "\n".join(self.lines).rstrip() + "\n"


def _value(v: Any) -> str:
    if v is None:
        return "absent"
    if isinstance(v, dict):
        low, high = v.get("min"), v.get("max")
        if low is not None and high is not None:
            return f"between {low} and {high}"
        return f"at least {low}" if low is not None else f"at most {high}"
    return str(v)


def describe_matcher(m: Any) -> str:
    """A matcher in words: what evidence it tests and what it looks for."""
    if m.is_line:
        subject = "a line" + (f" of {'/'.join(sorted(m.sources))} input" if m.sources else "")
    else:
        subject = f"{'/'.join(sorted(m.kinds))} evidence" + (
            f" from {'/'.join(sorted(m.sources))}" if m.sources else ""
        )
    tests = []
    if m.where:
        tests.append(
            "where "
            + " and ".join(f"{key} is {' or '.join(_value(v) for v in values)}" for key, values in m.where.items())
        )
    whose = "" if m.field == "text" else f"whose {m.field} is "
    if m.contains:
        tests.append(f"{whose}containing " + " or ".join(f'"{c}"' for c in m.contains))
    tests += [f"{whose}matching /{p.pattern}/" for p in m.patterns]
    out = " ".join([subject, "; ".join(tests)]) if tests else subject
    return out + (f" (at least {m.min_count} times)" if m.min_count > 1 else "")


def _expectation(expect: dict) -> str:
    parts = []
    for key, value in expect.items():
        parts.append(
            {
                "top": f"ranks {value} first",
                "not_top": f"does not rank {value} first",
                "absent": f"does not diagnose {value}",
                "present": f"diagnoses {value}",
                "quiet": "reports nothing confident",
            }.get(key, f"{key}: {value}")
        )
    return ", ".join(parts)


def _first_line(text: str, limit: int = 110) -> str:
    line = next((x.strip() for x in str(text).splitlines() if x.strip()), "")
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _fix(out: _Out, fix: str | Mapping[str, str], indent: int = 1) -> None:
    from ..engine.correlate import fill
    from ..report.parts import fix_blocks, fix_sections, platform_label

    for platform, text in fix_sections({"all": fix} if isinstance(fix, str) else fix):
        out.para(platform_label(platform) + ":", indent)
        for kind, payload in fix_blocks(fill(text, {})):
            if kind == "para":
                out.para(payload, indent + 1)
            elif kind == "code":
                out.raw(payload, indent + 2)
            else:
                for n, (step, code) in enumerate(payload, 1):
                    out.para(step, indent + 1, f"{n}. ")
                    if code:
                        out.raw(code, indent + 3)


def _examples(out: _Out, rule: Any, indent: int = 1) -> None:
    for ex in rule.examples:
        out.para(f"{ex.name}: {_expectation(ex.expect)}", indent, "- ")
        for name, text in ex.input.items():
            out.para(f"{name}: {_first_line(text)}", indent + 2)


def explain_rule(rule: Any, taxonomy: dict, out: _Out) -> None:
    from ..engine.correlate import fill

    cause = taxonomy.get(rule.cause, {})
    out.lines.append(f"{rule.id}  (rule, {rule.path})")
    out.para(fill(rule.title, {}), 0)
    out.para(
        f"cause: {rule.cause} ({cause.get('title', '').strip()}); severity {rule.severity.name}; "
        f"base confidence {rule.confidence:.2f}",
        0,
    )
    out.heading("What it is")
    out.para(rule.description or cause.get("title", ""))
    out.heading("How it shows up")
    for name, m in rule.matchers.items():
        out.para(f"{name}: {describe_matcher(m)}", 1, "- ")
    out.para(f"The rule fires when: {rule.condition_text}")
    if rule.applies_to:
        out.para(f"Only for {rule.applies_to['client']} {rule.applies_to['versions']}.")
    if rule.examples:
        out.heading("Examples")
        _examples(out, rule)
    out.heading("How to confirm")
    for name, weight in rule.boost.items():
        out.para(f"more likely (+{weight:.2f}) when {name} is also seen", 1, "- ")
    for name, weight in rule.unless.items():
        out.para(f"less likely (-{weight:.2f}) when {name} is seen", 1, "- ")
    for m in rule.missing:
        cap = f" (until then confidence stays at most {m.cap:.2f})" if m.cap is not None else ""
        out.para(fill(m.text, {}) + cap, 1, "- ")
    if not (rule.boost or rule.unless or rule.missing):
        out.para("The evidence above decides it; no other capture is needed.")
    if rule.supersedes:
        out.para(f"When this rule fires it wins over: {', '.join(rule.supersedes)}.")
    out.heading("How to fix")
    _fix(out, rule.fix)
    if rule.references:
        out.heading("References")
        for ref in rule.references:
            out.para(ref, 1, "- ")


def explain_cause(cause_id: str, info: dict, rules: list[Any], out: _Out) -> None:
    from ..engine.correlate import fill

    out.lines.append(f"{cause_id}  (cause, family {info.get('family', '?')})")
    out.para(info.get("title", ""), 0)
    out.heading("What it is")
    out.para(next((r.description for r in rules if r.description), "") or info.get("title", ""))
    out.heading("How it shows up")
    out.para(info.get("signs", ""))
    if rules:
        out.para("Rules that detect it (`ccdiag explain RULE` shows what each one matches):")
        for rule in rules:
            out.para(
                f"{rule.id} ({rule.severity.name}, base confidence {rule.confidence:.2f}): {fill(rule.title, {})}",
                1,
                "- ",
            )
    else:
        out.para("No rule in this catalog detects it yet.")
    missing = list(dict.fromkeys(fill(m.text, {}) for rule in rules for m in rule.missing))
    out.heading("How to confirm")
    for text in missing:
        out.para(text, 1, "- ")
    out.para(
        "`ccdiag analyze` on captures from the same machine (curl -v, claude --debug, env) "
        "shows which of these rules fire and how sure each is.",
        1,
        "- ",
    )
    out.heading("How to fix")
    out.para(info.get("fix", ""))
    for rule in rules:
        out.para(f"From rule {rule.id}:")
        _fix(out, rule.fix, 2)
    examples = [r for r in rules if r.examples]
    if examples:
        out.heading("Examples")
        for rule in examples:
            out.para(f"{rule.id}:")
            _examples(out, rule, 2)


def _suggest(name: str, choices: Iterable[str]) -> str:
    choices = sorted(set(choices))
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if not close:
        close = [c for c in choices if name.lower() in c.lower()][:1]
    return f' (did you mean "{close[0]}"?)' if close else ""


@click.command("explain")
@click.argument("name")
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    type=click.Path(exists=True, path_type=Path),
    help="Extra rule folder (repeatable; also CCDIAG_RULES).",
)
def explain_cmd(name: str, rule_dirs: tuple[Path, ...]) -> None:
    """What a cause or rule means, how it shows up, how to confirm it, how to fix it.

    \b
    ccdiag explain tls_interception
    ccdiag explain edge-403-request-not-allowed
    """
    from ..engine import extra_rule_dirs, load
    from ..engine.loader import taxonomy
    from ..report.as_text import terminal_width

    result = load(extra=extra_rule_dirs([str(d) for d in rule_dirs]))
    tax = taxonomy()
    out = _Out(terminal_width())
    if name in result.rules:
        explain_rule(result.rules[name], tax, out)
    elif name in tax:
        rules = sorted((r for r in result.rules.values() if r.cause == name), key=lambda r: (-r.confidence, r.id))
        explain_cause(name, tax[name], rules, out)
    else:
        click.echo(
            f'ccdiag: no cause or rule "{name}"{_suggest(name, [*tax, *result.rules])}; see `ccdiag rules list`',
            err=True,
        )
        sys.exit(int(ExitStatus.usage))
    if result.errors:
        click.echo(f"ccdiag: {len(result.errors)} problem(s) in the rule files; run `ccdiag rules lint`", err=True)
    click.echo(out.text(), nl=False)
