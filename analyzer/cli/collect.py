"""`ccdiag collect`: probe the path to the API from this machine, write a redacted bundle, diagnose it."""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from ..model import ExitStatus
from ..redact import redact_text
from .main import FORMATS, exit_status, fail, load_rules, one_line_errors, report_options, rule_options, use_color


def _target(host: str | None, port: int | None) -> tuple[str | None, int | None]:
    """Accept `gw.example.com`, `gw.example.com:8443` or `https://gw.example.com:8443/` for --host."""
    if host is None:
        return None, port
    text = host.strip()
    parts = urlsplit(text if "://" in text else f"//{text}")
    try:
        found_port = parts.port
    except ValueError:
        raise click.BadParameter(f"{host!r} is not a host name", param_hint="--host") from None
    if not parts.hostname or parts.path not in ("", "/"):
        raise click.BadParameter(f"{host!r} is not a host name (give the host, not a path)", param_hint="--host")
    return parts.hostname, port or found_port


@click.command("collect")
@click.option("--host", metavar="HOST", help="Probe this host instead of api.anthropic.com (a gateway, a test server).")
@click.option("--port", type=click.IntRange(1, 65535), help="Port of --host (default 443).")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 120.0),
    default=5.0,
    show_default=True,
    help="Seconds each step may take (lookup, connect, TLS, response).",
)
@click.option(
    "--authenticated",
    is_flag=True,
    help="Also send one minimal POST /v1/messages (max_tokens 1) with ANTHROPIC_API_KEY or "
    "ANTHROPIC_AUTH_TOKEN from the environment.",
)
@click.option("--model", metavar="MODEL", help="Model of the --authenticated request.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bundle path (default ccdiag-bundle-<timestamp>.zip here).",
)
@click.option("--dry-run", is_flag=True, help="List what would be collected and contacted, then stop.")
@click.option("--no-curl", is_flag=True, help="Do not run curl -v even when curl is installed.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Format of the diagnosis printed at the end.",
)
@report_options
@rule_options
@click.pass_context
def collect_cmd(
    ctx,
    host,
    port,
    timeout,
    authenticated,
    model,
    output,
    dry_run,
    no_curl,
    fmt,
    fail_on,
    verbose,
    no_color,
    traceback,
    rule_dirs,
    disable,
):
    """Probe the path to the API from this machine, write a redacted support bundle, and diagnose it.

    \b
    ccdiag collect                      # api.anthropic.com, bundle in the current folder
    ccdiag collect --dry-run            # what would be collected and contacted
    ccdiag collect --host gw.corp.example --port 8443 -o gw.zip
    """
    from ..collect import bundlewriter, collector
    from ..collect.world import World

    world = (ctx.obj or {}).get("world") if isinstance(ctx.obj, dict) else None
    world = world or World.real()
    host, port = _target(host, port)
    options = collector.Options(
        host=host or collector.API_HOST,
        port=port or 443,
        oauth_host=None if host else collector.OAUTH_HOST,
        timeout=timeout,
        authenticated=authenticated,
        model=model,
        run_curl=not no_curl,
    )
    output = output or world.cwd / f"ccdiag-bundle-{world.now():%Y%m%d-%H%M%S}.zip"
    if dry_run:
        click.echo(f"ccdiag collect would write {output} with:")
        for name, about in collector.plan(world, options):
            click.echo(redact_text(f"  {name:<38} {about}"))
        click.echo("Nothing is sent anywhere else; the bundle stays on this machine.")
        sys.exit(int(ExitStatus.ok))
    base_url = world.env.get("ANTHROPIC_BASE_URL", "").strip()
    if base_url and not host:
        click.echo(
            redact_text(f"ccdiag: note: ANTHROPIC_BASE_URL is {base_url}; add --host to probe it as well"), err=True
        )
    with one_line_errors(traceback):
        try:
            ruleset = load_rules(rule_dirs, disable)
            collected = collector.collect(
                world, options, progress=lambda msg: click.echo(f"ccdiag: {msg} ...", err=True)
            )
            manifest = bundlewriter.write_bundle(output, collected, world)
            from ..analysis import analyze
            from ..report import RENDERERS

            diagnosis = analyze([str(output)], ruleset=ruleset)
            renderer = RENDERERS.get(fmt)
            if renderer is None:
                fail(f"format {fmt} is not available in this installation", ExitStatus.usage)
            text = renderer(diagnosis, verbose=verbose, color=use_color(no_color), width=None)
        except OSError as exc:
            fail(
                f"{getattr(exc, 'filename', None) or output}: cannot write the bundle: {exc.strerror or exc}",
                ExitStatus.bad_input,
            )
    click.echo(text, nl=False)
    click.echo(
        f"ccdiag: bundle written to {output} ({len(manifest['files']) + 2} files, "
        f"{manifest['redacted_lines']} lines redacted); attach it to your support ticket",
        err=True,
    )
    sys.exit(int(exit_status(diagnosis, fail_on)))
