"""`ccdiag scan PATH...`: many bundles, one report each (streamed), and a fleet summary."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from ..model import ExitStatus
from .main import limit_options, limits_from, rule_options


@click.command("scan")
@click.argument("paths", nargs=-1)
@click.option(
    "--depth",
    type=int,
    default=1,
    show_default=True,
    help="A folder's entries this many levels down are the bundles (0: each folder given is one bundle).",
)
@click.option("-j", "--jobs", type=int, default=None, help="Worker processes (default: the number of CPUs).")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["table", "jsonl", "csv", "html"]),
    default="table",
    show_default=True,
    help="One line per bundle as it finishes (a table, a JSON report per line, or CSV), "
    "or one HTML page of the whole fleet at the end.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the per-bundle lines to a file."
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False),
    help="SQLite file of results: unchanged bundles are skipped, an interrupted scan resumes.",
)
@click.option(
    "--summary",
    "summary_only",
    is_flag=True,
    help="With --db and no paths: print the fleet summary stored in the database.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "dask"]),
    default="local",
    show_default=True,
    help="Run on local processes or a Dask cluster.",
)
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Dask scheduler address (with --engine dask).")
@click.option(
    "--fail-on",
    type=click.Choice(["info", "low", "medium", "high", "critical", "none"]),
    default="low",
    show_default=True,
    help="Exit 1 when a bundle has a diagnosis of at least this severity with confidence >= 0.5.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar (it shows only on a terminal anyway).")
@rule_options
@limit_options
def scan_cmd(
    paths,
    depth,
    jobs,
    fmt,
    output,
    db_path,
    summary_only,
    engine,
    scheduler,
    fail_on,
    no_progress,
    rule_dirs,
    disable,
    **limit_opts,
):
    """Scan many bundles: each file, folder or archive given, or each entry of a folder given.

    \b
    ccdiag scan attachments/ --jobs 8 --format jsonl > reports.jsonl
    ccdiag scan exports/*.zip --db scan.sqlite        # re-run: only new or changed bundles
    ccdiag scan --db scan.sqlite --summary
    ccdiag scan attachments/ --format html -o fleet.html
    ccdiag scan /shared/tickets --engine dask --scheduler tcp://10.0.0.5:8786
    """
    from ..scan.output import Summary

    if summary_only and not paths:
        if not db_path:
            _fail("--summary needs --db FILE", ExitStatus.usage)
        records = list(_open_db(db_path).records())
        summary = Summary()
        for rec in records:
            summary.add(rec)
        click.echo(summary.render().lstrip("\n"), nl=False)
        sys.exit(int(_status(records, fail_on)))
    if not paths:
        _fail("nothing to scan: give files, folders or archives", ExitStatus.usage)
    if engine == "dask" and not scheduler:
        _fail("--engine dask needs --scheduler tcp://HOST:PORT", ExitStatus.usage)
    try:
        status = _scan(
            paths,
            depth,
            jobs or os.cpu_count() or 1,
            fmt,
            output,
            db_path,
            engine,
            scheduler,
            fail_on,
            no_progress,
            tuple(str(d) for d in rule_dirs),
            tuple(disable),
            limit_opts,
        )
    except KeyboardInterrupt:
        _fail("interrupted (results written so far are kept)", ExitStatus.interrupted)
    sys.exit(int(status))


def _scan(
    paths, depth, jobs, fmt, output, db_path, engine, scheduler, fail_on, no_progress, rule_dirs, disable, limit_opts
) -> ExitStatus:
    from dataclasses import asdict

    from ..errors import RuleErrors
    from ..scan.discover import bundles, content_hash
    from ..scan.engines import run_dask, run_local
    from ..scan.output import Summary, Writer
    from ..scan.work import _STATE, init_worker, ruleset_version

    limits = asdict(limits_from(limit_opts))
    try:
        init_worker(rule_dirs, disable, limits)  # checks the rules; forked workers inherit them
    except RuleErrors as exc:
        for e in exc.errors:
            click.echo(f"ccdiag: {e}", err=True)
        sys.exit(int(ExitStatus.bad_rules))
    version = ruleset_version(_STATE["ruleset"])
    todo = list(bundles(list(paths), depth))
    if not todo:
        _fail("no bundles found under the paths given", ExitStatus.bad_input)

    out = open(output, "w", encoding="utf-8") if output else sys.stdout
    writer = Writer(fmt, out)
    summary = Summary()
    records: list[dict] = []
    db = _open_db(db_path) if db_path else None
    hashes: dict[str, str] = {}

    def take(record: dict) -> None:
        writer.write(record)
        summary.add(record)
        records.append({"diagnoses": record.get("diagnoses"), "status": record.get("status")})

    try:
        if db is not None:
            known = db.known(version)
            fresh = []
            for b in todo:
                hashes[b.name] = content_hash(b.path)
                if known.get(b.name) == hashes[b.name]:
                    cached = db.get(b.name)
                    if cached is not None:
                        cached["cached"] = True
                        take(cached)
                        continue
                fresh.append(b)
            todo = fresh
        if engine == "dask":
            results = run_dask(todo, scheduler, rule_dirs, disable, limits)
        else:
            results = run_local(todo, jobs, rule_dirs, disable, limits)
        with _Progress(len(todo), enabled=not no_progress and sys.stderr.isatty()) as progress:
            for record in results:
                if db is not None:
                    db.put(record, hashes[record["bundle"]], version)
                take(record)
                progress.advance(record.get("bytes", 0))
        writer.finish()
    finally:
        if output:
            out.close()
        if db is not None:
            db.close()
    text = summary.render()
    if fmt == "table" and not output:
        click.echo(text, nl=False)
    else:
        click.echo(text, nl=False, err=True)
    return _status(records, fail_on)


def _status(records: list[dict], fail_on: str) -> ExitStatus:
    from ..scan.work import fails

    if records and all(r.get("status") in ("error", "unreadable") for r in records):
        return ExitStatus.bad_input
    return ExitStatus.findings if any(fails(r, fail_on) for r in records) else ExitStatus.ok


def _open_db(path: str):
    from ..scan.db import ScanDB

    try:
        return ScanDB(path)
    except ValueError as exc:
        _fail(str(exc), ExitStatus.bad_input)


def _fail(message: str, status: ExitStatus) -> None:
    click.echo(f"ccdiag: {message}", err=True)
    sys.exit(int(status))


class _Progress:
    """A rich progress bar on stderr: bundles done, MB/s, ETA. Does nothing when disabled."""

    def __init__(self, total: int, enabled: bool):
        self.total, self.enabled = total, enabled
        self.bytes, self.start = 0, time.monotonic()

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[rate]}"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task("scan", total=self.total, rate="")
        return self

    def advance(self, nbytes: int) -> None:
        if not self.enabled:
            return
        self.bytes += nbytes
        elapsed = max(time.monotonic() - self.start, 1e-6)
        self.bar.update(self.task, advance=1, rate=f"{self.bytes / elapsed / 1e6:.1f} MB/s")

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.bar.__exit__(*exc)
