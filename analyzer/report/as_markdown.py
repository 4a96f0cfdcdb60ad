"""The Markdown report: ready to paste into a GitHub/GitLab issue or a support ticket.

The top diagnosis is a heading with its confidence, the fix is numbered steps (per platform
where the rule has them), evidence is short excerpts with file:line in fenced code blocks,
and the other candidates sit in a collapsible <details> block. Log text only ever appears
inside code (fences longer than any backtick run in it); every other text is escaped, so
nothing from an input can add Markdown structure, links or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..model import Diagnosis
from .as_json import report_dict
from .parts import code_segments, fix_blocks, fix_sections, location, platform_label, rank_reason, report_fix
from .why import report_steps, why_text

TOP_EVIDENCE = 5
OTHER_EVIDENCE = 2
EXCERPT_CHARS = 300

# Characters that can start Markdown structure anywhere in a line. `_` only matters next to a
# non-alphanumeric (intraword `_` never emphasises), `&` only before an entity, `~` only in pairs.
_ALWAYS = re.compile(r"([\\`*\[\]<|])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|&(?=#?\w+;)")
_LINE_START = re.compile(r"^([-+=#>]|\d+(?=[.)]))")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _escape_plain(text: str) -> str:
    out = _ALWAYS.sub(lambda m: "\\" + m.group(0), text)
    return out.replace("~", "\\~") if out.count("~") > 1 else out


def md_text(text: str) -> str:
    """Escape text for inline Markdown; `backticked` commands of rule texts stay code."""
    out = []
    for is_code, piece in code_segments(" ".join(str(text).split())):
        out.append(code_span(piece) if is_code else _escape_plain(piece))
    joined = "".join(out)
    # At the start of a line "-", "+", "#", ">" or "1." would open a block of their own.
    return _LINE_START.sub(lambda m: m.group(1) + "\\" if m.group(1).isdigit() else "\\" + m.group(1), joined, count=1)


def code_span(text: str) -> str:
    """Inline code whose backtick fence is longer than any backtick run inside."""
    text = " ".join(_CONTROL.sub(" ", text).split("\n"))
    if not text.strip():
        return md_text(text) if text else ""
    fence = "`" * (_longest_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or (text.startswith(" ") and text.endswith(" ")) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def code_block(text: str, info: str = "text") -> list[str]:
    """A fenced block that no line of `text` can close."""
    body = _CONTROL.sub(" ", text.replace("\r", ""))
    fence = "`" * max(3, _longest_run(body) + 1)
    return [fence + info, *body.split("\n"), fence]


def _longest_run(text: str) -> int:
    return max((len(m) for m in re.findall(r"`+", text)), default=0)


def _excerpt(text: str) -> str:
    text = text.strip("\n")
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS] + " …"


def _heading(d: Mapping[str, Any]) -> str:
    return f"{code_span(d['cause'])}: confidence {d['confidence']:.2f} ({md_text(d['severity'])})"


def _evidence(d: Mapping[str, Any], limit: int) -> list[str]:
    out: list[str] = []
    items = d.get("evidence") or []
    for ev in items[:limit]:
        out += [f"**{code_span(location(ev))}**", "", *code_block(_excerpt(str(ev.get("text", "")))), ""]
    if len(items) > limit:
        out += [f"_{len(items) - limit} more evidence line(s) in the full report (`--format json`)_", ""]
    return out


def _fix(d: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    sections = fix_sections(report_fix(d))
    for platform, text in sections:
        if len(sections) > 1 or platform != "all":
            out += [f"**{md_text(platform_label(platform))}**", ""]
        for kind, payload in fix_blocks(text):
            if kind == "para":
                out += [md_text(payload), ""]
            elif kind == "code":
                out += [*code_block(payload, "sh"), ""]
            else:
                for n, (step, code) in enumerate(payload, 1):
                    out.append(f"{n}. {md_text(step)}")
                    if code:  # indented under the item so the list keeps counting
                        pad = " " * len(f"{n}. ")
                        out += [pad + line if line else line for line in code_block(code, "sh")]
                out.append("")
    return out


def _missing(d: Mapping[str, Any]) -> list[str]:
    if not d.get("missing"):
        return []
    return [*(f"- {md_text(m)}" for m in d["missing"]), ""]


def _why(diagnoses: list[Mapping[str, Any]], index: int) -> list[str]:
    d = diagnoses[index]
    steps = (f"- {md_text(why_text(s))}" for s in report_steps(d))
    return [f"- {md_text(rank_reason(diagnoses, index))}", *steps, ""]


def _top(diagnoses: list[Mapping[str, Any]], verbose: bool) -> list[str]:
    d = diagnoses[0]
    out = [f"## {_heading(d)}", "", f"**{md_text(d['title'])}** (rule {code_span(d['rule'])})", ""]
    out += ["### Fix", "", *_fix(d)]
    if d.get("evidence"):
        out += ["### Evidence", "", *_evidence(d, TOP_EVIDENCE)]
    if d.get("missing"):
        out += ["### To confirm or rule out", "", *_missing(d)]
    if verbose:
        out += ["### Why this ranking", "", *_why(diagnoses, 0)]
    return out


def _others(diagnoses: list[Mapping[str, Any]], verbose: bool) -> list[str]:
    if len(diagnoses) < 2:
        return []
    out = ["<details>", f"<summary>Other candidates ({len(diagnoses) - 1})</summary>", ""]
    for index, d in enumerate(diagnoses[1:], 1):
        out += [f"#### {index + 1}. {_heading(d)}", "", f"{md_text(d['title'])} (rule {code_span(d['rule'])})", ""]
        out += _evidence(d, OTHER_EVIDENCE)
        out += _missing(d)
        if verbose:
            out += _why(diagnoses, index)
    out += ["</details>", ""]
    return out


def render_report(report: Mapping[str, Any], *, verbose: bool = False) -> str:
    """Markdown of one JSON report dict (`as_json.report_dict`)."""
    diagnoses = list(report.get("diagnoses") or [])
    out: list[str] = []
    if diagnoses:
        out += _top(diagnoses, verbose)
        out += _others(diagnoses, verbose)
    else:
        out += [
            "## No known failure signature found",
            "",
            "ccdiag read the inputs below but none of its rules matched.",
            "",
        ]
    if report.get("next_steps"):
        out += ["### To decide, collect", "", *(f"- {md_text(s)}" for s in report["next_steps"]), ""]
    inputs = report.get("inputs") or []
    names = ", ".join(f"{code_span(i['path'])} ({md_text(i['format'])})" for i in inputs) or "nothing readable"
    out += [f"_ccdiag {__version__} read {len(inputs)} file(s): {names}_", ""]
    for s in report.get("skipped") or ():
        out.append(f"- skipped {code_span(s['path'])}: {md_text(s['reason'])}")
    return "\n".join(out).rstrip("\n") + "\n"


def render(d: Diagnosis, *, verbose: bool = False, **_: Any) -> str:
    return render_report(report_dict(d), verbose=verbose)
