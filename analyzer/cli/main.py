"""The `ccdiag` command. Only this module and the renderers it calls print.

Subcommands load lazily from `COMMANDS` so `ccdiag analyze` starts fast.
"""

from __future__ import annotations

import importlib
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from .. import __version__
from ..errors import AnalyzerError, RuleErrors
from ..model import ExitStatus, Severity

# name -> "module:function" of a click command; read top to bottom.
COMMANDS = {
    "analyze": "analyzer.cli.main:analyze_cmd",
    "rules": "analyzer.cli.rules:rules_group",
    "scan": "analyzer.cli.scan:scan_cmd",
    "redact": "analyzer.cli.redact:redact_cmd",
    "explain": "analyzer.cli.explain:explain_cmd",
    "collect": "analyzer.cli.collect:collect_cmd",
}

FORMATS = ["text", "json", "markdown", "html"]


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if self._load(name) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._load(name)

    def _load(self, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        try:
            return getattr(importlib.import_module(module), attr)
        except (ImportError, AttributeError):
            return None

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `curl -v ... 2>&1 | ccdiag` and `ccdiag file.txt` both mean `analyze`.
        if not args and not sys.stdin.isatty():
            args = ["analyze", "-"]
        elif args and args[0] not in COMMANDS and args[0] not in ("--help", "-h", "--version"):
            args = ["analyze", *args]
        return super().parse_args(ctx, args)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccdiag")
def cli() -> None:
    """Diagnose Claude Code / Anthropic API connection failures from the logs you already have.

    \b
    curl -v https://api.anthropic.com/api/hello 2>&1 | ccdiag
    ccdiag analyze bundle.zip
    ccdiag analyze terminal.txt env.txt settings.json --format json
    """


def rule_options(fn):
    fn = click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        type=click.Path(exists=True, path_type=Path),
        help="Extra rule folder (repeatable; also CCDIAG_RULES). A rule with a built-in id replaces it.",
    )(fn)
    fn = click.option("--disable", multiple=True, metavar="RULE_ID", help="Switch a rule off (repeatable).")(fn)
    return fn


def report_options(fn):
    """--fail-on, --verbose, --no-color, --traceback: shared by the commands that print a diagnosis."""
    fn = click.option("--traceback", is_flag=True, help="Show the Python traceback of an internal error.")(fn)
    fn = click.option("--no-color", is_flag=True, help="No colour (also NO_COLOR).")(fn)
    fn = click.option("-v", "--verbose", is_flag=True, help="Show every candidate and why it ranked where it did.")(fn)
    fn = click.option(
        "--fail-on",
        type=click.Choice(["info", "low", "medium", "high", "critical", "none"]),
        default="low",
        show_default=True,
        help="Exit 1 when a diagnosis of at least this severity has confidence >= 0.5.",
    )(fn)
    return fn


def limit_options(fn):
    fn = click.option(
        "--max-files", type=int, default=10_000, show_default=True, help="Most files read from one bundle."
    )(fn)
    fn = click.option("--max-file-size", type=int, default=4096, show_default=True, help="Largest single file, MB.")(fn)
    fn = click.option(
        "--max-total-size", type=int, default=8192, show_default=True, help="Largest bundle, MB uncompressed."
    )(fn)
    fn = click.option(
        "--max-ratio",
        type=float,
        default=200.0,
        show_default=True,
        help="Highest compression ratio of an archive member.",
    )(fn)
    fn = click.option("--max-depth", type=int, default=3, show_default=True, help="Deepest archive nesting.")(fn)
    return fn


def limits_from(opts: dict):
    from ..bundle import Limits

    mb = 1024 * 1024
    return Limits(
        max_files=opts["max_files"],
        max_file_bytes=opts["max_file_size"] * mb,
        max_total_bytes=opts["max_total_size"] * mb,
        max_ratio=opts["max_ratio"],
        max_depth=opts["max_depth"],
    )


def load_rules(rule_dirs, disable):
    from ..analysis import load_ruleset
    from ..engine import extra_rule_dirs

    return load_ruleset(extra_rule_dirs([str(d) for d in rule_dirs]), disable)


def use_color(no_color: bool) -> bool:
    return not no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()


def fail(message: str, status: ExitStatus) -> NoReturn:
    click.echo(f"ccdiag: {message}", err=True)
    sys.exit(int(status))


@contextmanager
def one_line_errors(traceback: bool = False):
    """Errors inside become one redacted line on stderr and the matching exit status."""
    try:
        yield
    except RuleErrors as exc:
        for e in exc.errors:
            click.echo(f"ccdiag: {e}", err=True)
        sys.exit(int(ExitStatus.bad_rules))
    except AnalyzerError as exc:
        fail(str(exc), ExitStatus.bad_input)
    except KeyboardInterrupt:
        fail("interrupted", ExitStatus.interrupted)
    except Exception as exc:  # users get one line, developers ask for --traceback (re-raised)
        if traceback:
            raise
        from ..redact import redact_text

        fail(
            f"internal error: {type(exc).__name__}: {redact_text(str(exc))[:200]} (rerun with --traceback)",
            ExitStatus.bad_input,
        )


@cli.command("analyze")
@click.argument("paths", nargs=-1)
@click.option(
    "-f", "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True, help="Report format."
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes that read a big file (64 MB or more; 8 MB without Hyperscan) together. Default: the CPU count.",
)
@report_options
@rule_options
@limit_options
def analyze_cmd(paths, fmt, output, jobs, fail_on, verbose, no_color, traceback, rule_dirs, disable, **limits):
    """Diagnose one bundle: files, folders, .zip/.tar/.tar.gz, or - for standard input."""
    from ..analysis import analyze
    from ..report import RENDERERS

    if not paths:
        if sys.stdin.isatty():
            fail("nothing to analyze: give files, folders or archives, or pipe text into ccdiag", ExitStatus.usage)
        paths = ("-",)
    with one_line_errors(traceback):
        ruleset = load_rules(rule_dirs, disable)
        if jobs is None:
            from ..fastpath import default_jobs

            jobs = default_jobs()
        diagnosis = analyze(list(paths), ruleset=ruleset, limits=limits_from(limits), jobs=jobs)
        renderer = RENDERERS.get(fmt)
        if renderer is None:
            fail(f"format {fmt} is not available in this installation", ExitStatus.usage)
        if fmt == "html" and output is None and sys.stdout.isatty():
            fail("--format html writes a page: add -o report.html (or redirect the output)", ExitStatus.usage)
        color = use_color(no_color) and output is None
        text = renderer(diagnosis, verbose=verbose, color=color, width=None, rules=ruleset.rules)
    echo_skipped(diagnosis, traceback)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    if not diagnosis.inputs:
        sys.exit(int(ExitStatus.bad_input))
    sys.exit(int(exit_status(diagnosis, fail_on)))


def echo_skipped(diagnosis, traceback: bool = False) -> None:
    """One stderr line per thing skipped; with --traceback, a stopped parser's traceback after its line."""
    for s in diagnosis.skipped:
        click.echo(f"ccdiag: skipped {s.path}: {s.reason}", err=True)
        if traceback and s.traceback:
            click.echo(s.traceback.rstrip("\n"), err=True)


def exit_status(diagnosis, fail_on: str) -> ExitStatus:
    if fail_on == "none":
        return ExitStatus.ok
    threshold = Severity.parse(fail_on)
    hit = any(f.severity >= threshold and f.confidence >= 0.5 for f in diagnosis.findings)
    return ExitStatus.findings if hit else ExitStatus.ok


def main() -> None:
    try:
        cli(prog_name="ccdiag")
    except KeyboardInterrupt:
        click.echo("ccdiag: interrupted", err=True)
        sys.exit(int(ExitStatus.interrupted))
    except Exception as exc:  # one line for users; CCDIAG_TRACEBACK=1 for developers (re-raised)
        if os.environ.get("CCDIAG_TRACEBACK"):
            raise
        from ..redact import redact_text

        fail(
            f"internal error: {type(exc).__name__}: {redact_text(str(exc))[:200]} (set CCDIAG_TRACEBACK=1 for details)",
            ExitStatus.bad_input,
        )
