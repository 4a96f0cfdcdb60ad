"""The terminal report (rich): the ranked causes, their evidence, what is missing, the fix.

Width follows the terminal when printing to one (rich's detection, which honours COLUMNS)
and wrapped lines keep their indent. Colour only goes to a terminal and never with
NO_COLOR. `verbose` shows every candidate and why it ranked where it did: the neighbour it
was compared with, the base confidence and matchers that fired, and each step that raised,
lowered or capped the confidence.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.text import Text

from ..model import Diagnosis, Finding, Severity
from .context import printable
from .parts import fix_blocks, fix_sections, location, platform_label, rank_reason
from .why import step_dict, why_text, why_tone

SEVERITY_STYLE = {
    Severity.critical: "bold red",
    Severity.high: "red",
    Severity.medium: "yellow",
    Severity.low: "cyan",
    Severity.info: "dim",
}
WHY_STYLE = {"raise": "green", "lower": "red", "cap": "yellow", "base": "", "note": "dim"}
DEFAULT_WIDTH = 100
SHOWN = 5  # candidates listed without --verbose


def terminal_width(stream: Any = None) -> int:
    """The terminal's width when `stream` is one; else COLUMNS, else 100 (files, pipes)."""
    stream = stream or sys.stdout
    try:
        if stream.isatty():
            return max(40, Console(file=stream).width)
    except (AttributeError, ValueError):
        pass
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return DEFAULT_WIDTH


def wants_color(stream: Any = None) -> bool:
    stream = stream or sys.stdout
    try:
        return stream.isatty() and "NO_COLOR" not in os.environ
    except (AttributeError, ValueError):
        return False


def _bar(conf: float) -> str:
    filled = round(conf * 10)
    return "█" * filled + "░" * (10 - filled)


def _indented(console: Console, renderable: Any, indent: int) -> None:
    console.print(Padding(renderable, (0, 0, 0, indent), expand=False))


def _fix(fix: Mapping[str, str]) -> Text:
    """The fix re-flowed: paragraphs wrap to the panel, commands keep their lines, steps are numbered."""
    out = Text()
    sections = fix_sections(fix)
    for platform, text in sections:
        if len(sections) > 1 or platform != "all":
            out.append(platform_label(platform) + ":\n", style="bold")
        for kind, payload in fix_blocks(text):
            if kind == "para":
                out.append(payload + "\n")
            elif kind == "code":
                out.append("".join(f"  {line}\n" for line in payload.splitlines()), style="cyan")
            else:
                for n, (step, code) in enumerate(payload, 1):
                    out.append(f"{n}. {step}\n")
                    out.append("".join(f"     {line}\n" for line in code.splitlines()), style="cyan")
    out.rstrip()
    return out


_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def _as_dict(f: Finding) -> Mapping[str, Any]:
    return {
        "cause": f.cause,
        "confidence": f.confidence,
        "severity": f.severity.name,
        "why_steps": [step_dict(s) for s in f.why],
    }


def _finding(console: Console, ranked: list[Finding], index: int, verbose: bool) -> None:
    f = ranked[index]
    full = index == 0
    style = SEVERITY_STYLE.get(f.severity, "")
    console.print(
        Text.assemble(
            (f"{index + 1}. ", "bold"),
            (f.cause, f"bold {style}"),
            "  ",
            (f"{_bar(f.confidence)} {f.confidence:.2f}", style),
            f"  [{f.severity.name}]",
        )
    )
    _indented(console, Text(f.title), 3)
    if f.evidence:
        _indented(console, Text("evidence:", style="bold"), 3)
        limit = len(f.evidence) if verbose else (8 if full else 3)
        room = max(20, console.width - 8) * 2  # about two lines per excerpt
        for ev in f.evidence[:limit]:
            where = location({"path": ev.where.path, "line": ev.where.line, "entry": ev.where.entry})
            text = printable(ev.text)
            text = text if len(text) <= room else text[: room - 1] + "…"
            _indented(console, Text.assemble((where, "cyan"), "  ", text), 5)
        if len(f.evidence) > limit:
            _indented(
                console,
                Text(f"(+{len(f.evidence) - limit} more; --verbose or --format json shows all)", style="dim"),
                5,
            )
    if f.missing and (full or verbose):
        _indented(console, Text("to confirm or rule out:", style="bold"), 3)
        for m in f.missing:
            _indented(console, Text("- " + m), 5)
    if full:
        _indented(console, Panel(_fix(f.fix), title="fix", title_align="left", expand=True, border_style="green"), 3)
    if verbose:
        _indented(console, Text("why this rank:", style="bold"), 3)
        dicts = [_as_dict(x) for x in ranked]
        _indented(console, Text(rank_reason(dicts, index), style="bold"), 5)
        for step in f.why:
            _indented(console, Text(why_text(step), style=WHY_STYLE[why_tone(step.kind)]), 5)
    console.print()


def render(
    d: Diagnosis, *, verbose: bool = False, color: bool | None = None, width: int | None = None, **_: Any
) -> str:
    """The report as text; `color`/`width` None means: detect from standard output."""
    color = wants_color() if color is None else (color and "NO_COLOR" not in os.environ)
    buf = io.StringIO()
    console = Console(
        file=buf,
        force_terminal=color,
        no_color=not color,
        color_system="auto" if color else None,
        width=width or terminal_width(),
        highlight=False,
        emoji=False,
        markup=False,
    )
    names = ", ".join(f"{i.path} ({i.format})" for i in d.inputs) or "nothing readable"
    console.print(Text.assemble(("ccdiag", "bold"), f" read {len(d.inputs)} file(s): ", names))
    console.print()
    if not d.findings:
        console.print(Text("No known failure signature found in these inputs.", style="bold"))
        console.print()
    shown = d.findings if verbose else d.findings[:SHOWN]
    for index in range(len(shown)):
        _finding(console, d.findings, index, verbose)
    if len(d.findings) > len(shown):
        console.print(
            Text(f"   (+{len(d.findings) - len(shown)} lower-ranked candidates; --verbose shows all)", style="dim")
        )
        console.print()
    if d.next_steps:
        console.print(Text("To decide, collect:", style="bold"))
        for step in d.next_steps:
            _indented(console, Text("- " + step), 2)
        console.print()
    if d.skipped:
        console.print(Text("Skipped:", style="bold"))
        for s in d.skipped:
            _indented(console, Text(f"- {s.path}: {s.reason}"), 2)
    return _TRAILING.sub(r"\1", buf.getvalue())
