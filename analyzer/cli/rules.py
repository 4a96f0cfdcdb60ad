"""`ccdiag rules list|show|lint|test`: tools for rule authors."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import orjson

from ..model import ExitStatus
from .main import rule_options


def _load(paths: tuple[Path, ...] = (), rule_dirs=(), disable=()):
    from ..engine import extra_rule_dirs, load

    if paths:
        return load(dirs=list(paths), extra=extra_rule_dirs([str(d) for d in rule_dirs]), disable=disable)
    return load(extra=extra_rule_dirs([str(d) for d in rule_dirs]), disable=disable)


@click.group("rules")
def rules_group() -> None:
    """List, show, lint and test diagnosis rules."""


@rules_group.command("list")
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@rule_options
def list_cmd(fmt, rule_dirs, disable):
    """One line per rule: id, cause, severity, title."""
    result = _load(rule_dirs=rule_dirs, disable=disable)
    rows = [
        {"id": r.id, "cause": r.cause, "severity": r.severity.name, "title": r.title}
        for r in sorted(result.rules.values(), key=lambda r: (r.family, r.id))
    ]
    if fmt == "json":
        click.echo(orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode())
        return
    width = max((len(r["id"]) for r in rows), default=10)
    cwidth = max((len(r["cause"]) for r in rows), default=10)
    for r in rows:
        click.echo(f"{r['id']:<{width}}  {r['cause']:<{cwidth}}  {r['severity']:<8}  {r['title']}")
    click.echo(f"{len(rows)} rules", err=True)


@rules_group.command("show")
@click.argument("rule_id")
@rule_options
def show_cmd(rule_id, rule_dirs, disable):
    """Description, matchers, condition, fix and examples of one rule."""
    result = _load(rule_dirs=rule_dirs, disable=disable)
    rule = result.rules.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, list(result.rules), n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        click.echo(f'ccdiag: no rule "{rule_id}"{hint}', err=True)
        sys.exit(int(ExitStatus.usage))
    out = [
        f"{rule.id}  ({rule.path})",
        f"cause:      {rule.cause} [{rule.family}]",
        f"title:      {rule.title}",
        f"severity:   {rule.severity.name}",
        f"confidence: {rule.confidence:.2f} base",
        "",
    ]
    if rule.description:
        out += [rule.description, ""]
    out.append("matchers:")
    for m in rule.matchers.values():
        parts = []
        if m.kinds:
            parts.append(f"kind={','.join(sorted(m.kinds))}")
        else:
            parts.append("any line")
        if m.sources:
            parts.append(f"source={','.join(sorted(m.sources))}")
        if m.where:
            parts.append("where " + ", ".join(f"{k}={list(v)}" for k, v in m.where.items()))
        if m.contains:
            parts.append(f"{m.field} contains {list(m.contains)}")
        for p in m.patterns:
            parts.append(f"{m.field} ~ /{p.pattern}/")
        if m.min_count > 1:
            parts.append(f"at least {m.min_count} times")
        out.append(f"  {m.name}: " + "; ".join(parts))
    out.append(f"condition:  {rule.condition_text}")
    if rule.boost:
        out.append("boost:      " + ", ".join(f"{k} +{v}" for k, v in rule.boost.items()))
    if rule.unless:
        out.append("unless:     " + ", ".join(f"{k} -{v}" for k, v in rule.unless.items()))
    if rule.supersedes:
        out.append("supersedes: " + ", ".join(rule.supersedes))
    if rule.applies_to:
        out.append(f"applies to: {rule.applies_to['client']} {rule.applies_to['versions']}")
    if rule.missing:
        out.append("missing:")
        out += [
            f"  - {m.text}"
            + (f" (while {' / '.join(m.when_not)} has not fired; caps at {m.cap})" if m.when_not else "")
            for m in rule.missing
        ]
    out += ["", "fix:"]
    fix = rule.fix if isinstance(rule.fix, dict) else {"all": rule.fix}
    for platform, text in fix.items():
        prefix = "" if platform == "all" else f"[{platform}] "
        out += ["  " + prefix + line for line in text.splitlines()]
    if rule.references:
        out += ["", "references:"] + [f"  {r}" for r in rule.references]
    out += ["", "examples:"]
    for ex in rule.examples:
        out.append(f"  - {ex.name}: expect {dict(ex.expect)}")
        for name, text in ex.input.items():
            first = text.strip().splitlines()[0] if text.strip() else ""
            out.append(f"      {name}: {first[:100]}")
    click.echo("\n".join(out))


@rules_group.command("lint")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def lint_cmd(paths):
    """Check rule files: schema, unknown keys, regexes, placeholders, causes, ids, supersedes."""
    result = _load(paths=paths)
    for err in result.errors:
        click.echo(str(err))
    n = len(result.rules)
    if result.errors:
        click.echo(f"{len(result.errors)} problem(s) in {n} rule(s)", err=True)
        sys.exit(int(ExitStatus.bad_rules))
    click.echo(f"{n} rules ok", err=True)


@rules_group.command("test")
@click.argument("target", required=False)
@click.option("-v", "--verbose", is_flag=True, help="Show passing examples too.")
@rule_options
def test_cmd(target, verbose, rule_dirs, disable):
    """Run rule examples: all, one rule id or cause, or the rules of a folder/file."""
    from ..engine import RuleSet
    from ..examples import run

    only = None
    paths: tuple[Path, ...] = ()
    if target:
        if Path(target).exists():
            paths = (Path(target),)
        else:
            only = {target}
    full = _load(rule_dirs=rule_dirs, disable=disable)
    if full.errors:
        for err in full.errors:
            click.echo(str(err), err=True)
        sys.exit(int(ExitStatus.bad_rules))
    if paths:
        only = set(_load(paths=paths).rules)
    ruleset = RuleSet(full.rules)
    passed = failed = 0
    for res in run(ruleset, only):
        if res.ok:
            passed += 1
            if verbose:
                click.echo(f"ok   {res.rule}: {res.example}")
        else:
            failed += 1
            click.echo(f"FAIL {res.rule}: {res.example}: {res.detail}")
    if only and passed + failed == 0:
        click.echo(f'ccdiag: no rule or cause "{target}" with examples', err=True)
        sys.exit(int(ExitStatus.usage))
    click.echo(f"{passed} passed, {failed} failed")
    sys.exit(int(ExitStatus.findings) if failed else 0)
