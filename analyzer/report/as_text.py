"""The terminal report (rich): the ranked causes, their evidence, what is missing, the fix."""
from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.text import Text

from ..model import Diagnosis, Finding, Severity

SEVERITY_STYLE = {Severity.critical: "bold red", Severity.high: "red", Severity.medium: "yellow",
                  Severity.low: "cyan", Severity.info: "dim"}


def _bar(conf: float) -> str:
    filled = round(conf * 10)
    return "█" * filled + "░" * (10 - filled)


def _finding(console: Console, rank: int, f: Finding, verbose: bool, full: bool) -> None:
    style = SEVERITY_STYLE.get(f.severity, "")
    head = Text.assemble((f"{rank}. ", "bold"), (f"{f.cause}", f"bold {style}"), "  ",
                         (f"{_bar(f.confidence)} {f.confidence:.2f}", style), f"  [{f.severity.name}]")
    console.print(head)
    console.print(Text("   " + f.title))
    if f.evidence:
        console.print(Text("   evidence:", style="bold"))
        for ev in f.evidence[: 8 if full else 3]:
            console.print(Text.assemble("     ", (str(ev.where), "cyan"), "  ", ev.text[:160]))
    if f.missing and (full or verbose):
        console.print(Text("   to confirm or rule out:", style="bold"))
        for m in f.missing:
            console.print(Text("     - " + m))
    if full:
        console.print(Panel(escape(f.fix), title="fix", title_align="left", expand=True, border_style="green"))
    if verbose:
        console.print(Text("   why this rank:", style="bold"))
        for line in f.why:
            console.print(Text("     " + line, style="dim"))
    console.print()


def render(d: Diagnosis, *, verbose: bool = False, color: bool | None = None, width: int | None = None, **_: Any) -> str:
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=bool(color), no_color=not color, width=width or 100,
                      highlight=False, soft_wrap=False)
    names = ", ".join(f"{i.path} ({i.format})" for i in d.inputs) or "nothing readable"
    console.print(Text.assemble(("ccdiag", "bold"), f" read {len(d.inputs)} file(s): ", names))
    console.print()
    if not d.findings:
        console.print(Text("No known failure signature found in these inputs.", style="bold"))
    shown = d.findings if verbose else [f for i, f in enumerate(d.findings) if i < 5]
    for rank, f in enumerate(shown, 1):
        _finding(console, rank, f, verbose, full=(rank == 1))
    if len(d.findings) > len(shown):
        console.print(Text(f"   (+{len(d.findings) - len(shown)} lower-ranked candidates; --verbose shows all)", style="dim"))
    if d.next_steps:
        console.print(Text("To decide, collect:", style="bold"))
        for step in d.next_steps:
            console.print(Text("  - " + step))
        console.print()
    if d.skipped:
        console.print(Text("Skipped:", style="bold"))
        for s in d.skipped:
            console.print(Text(f"  - {s.path}: {s.reason}"))
    return buf.getvalue()
