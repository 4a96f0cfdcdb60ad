"""`ccdiag rules list|show|lint|test|eval`: tools for rule authors."""

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
    """List, show, lint, test and score diagnosis rules."""


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


@rules_group.command("eval")
@click.argument("dirs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write every row here.")
@click.option("--fold", metavar="I/K", help="Only the cases of fold I of K (from each case's source thread).")
@click.option("--not-fold", metavar="I/K", help="Every case but fold I of K.")
@click.option("--list", "list_only", is_flag=True, help="Print the selected cases' names and stop.")
@rule_options
def eval_cmd(dirs, json_out, fold, not_fold, list_only, rule_dirs, disable):
    """Score the rules on folders of labelled cases (each a folder with a truth.yaml).

    \b
    Per folder: the summary line, top-1/top-3 per cause, then the misses.
    ccdiag rules eval tests/data/cases tests/data/lab
    ccdiag rules eval tests/data/cases --fold 4/4 --list
    """
    from .. import evaluate
    from .main import load_rules, one_line_errors

    for d in dirs:
        if not d.is_dir():
            click.echo(f"ccdiag: no cases folder: {d}", err=True)
            sys.exit(int(ExitStatus.usage))
    for option, text in (("--fold", fold), ("--not-fold", not_fold)):
        try:
            if text:
                evaluate.parse_fold(text)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=option) from exc
    with one_line_errors():  # a truth.yaml that cannot be read is one line, exit 3
        selected = {d: evaluate.select(d, fold, not_fold) for d in dirs}
    if list_only:
        for cases in selected.values():
            for case in cases:
                click.echo(case.name)
        return
    results = {}
    with one_line_errors():
        ruleset = load_rules(rule_dirs, disable)
        for d, cases in selected.items():
            results[str(d)] = result = evaluate.score(cases, ruleset)
            if len(dirs) > 1:
                click.echo(f"== {d}")
            click.echo(result.summary_line())
            _echo_table(result)
    if json_out:
        json_out.write_bytes(
            orjson.dumps({d: r.as_dict() for d, r in results.items()}, option=orjson.OPT_INDENT_2) + b"\n"
        )


def _echo_table(result) -> None:
    causes = result.by_cause()
    width = max([len("cause"), *(len(c.cause) for c in causes)])
    click.echo(f"\n{'cause':<{width}}  cases  top-1  top-3")
    for c in causes:
        click.echo(f"{c.cause:<{width}}  {c.cases:>5}  {c.top1:>5}  {c.top3:>5}")
    misses = result.misses()
    click.echo(f"\nmisses ({len(misses)}):" if misses else "\nno misses")
    cw = max((len(r.case) for r in misses), default=0)
    ww = max((len(r.want) for r in misses), default=0)
    for r in misses:
        got = ", ".join(r.got) or "-"
        mark = "~ " if r.top3 else "  "  # ~: in the first three
        extra = f"  [{r.error}]" if r.error else ""
        click.echo(f"{mark}{r.case:<{cw}}  want {r.want:<{ww}}  got {got}{extra}")
    click.echo("")
