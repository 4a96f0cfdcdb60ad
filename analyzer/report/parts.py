"""Pieces every human-readable report needs: fix steps per platform, why a candidate ranked
where it did, and where a rule's matchers hit inside an evidence line.

Pure functions over report data; no output, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .why import fired_count, report_steps

PLATFORMS = {
    "all": "All platforms",
    "linux": "Linux",
    "macos": "macOS",
    "windows": "Windows",
    "wsl": "WSL",
    "docker": "Docker",
    "kubernetes": "Kubernetes",
}

_STEP = re.compile(r"^\s{0,1}(?:\d{1,2}[.)]|[-*•])\s+(.*)$")
_INDENTED = re.compile(r"^(?: {2,}|\t)\S")
_SPAN_BUDGET = 0.05  # seconds per highlighting regex; a slow pattern only costs the highlight


def fix_sections(fix: Mapping[str, str]) -> list[tuple[str, str]]:
    """(platform, text) pairs of a fix (platform -> text), in its order, without empty texts."""
    return [(str(k), str(v).strip()) for k, v in fix.items() if str(v).strip()]


def report_fix(d: Mapping[str, Any]) -> Mapping[str, str]:
    """The fix of one diagnosis of a report dict, per platform. A report made before
    `fix_by_platform` existed (a scan database row) has only its `fix` string: one text."""
    by_platform = d.get("fix_by_platform")
    return by_platform if isinstance(by_platform, Mapping) else {"all": str(d.get("fix") or "")}


def platform_label(platform: str) -> str:
    return PLATFORMS.get(platform, platform.capitalize())


def fix_blocks(text: str) -> list[tuple[str, Any]]:
    """Read a fix text as blocks: ("para", text), ("code", text), ("steps", [(text, code)]).

    Numbered or bulleted lines are steps and the unmarked lines right after one continue it;
    lines indented by two or more spaces are commands (code), kept with a step that ends in
    ":" (otherwise they continue its text); other lines are prose, joined into paragraphs as
    rule authors wrap them.
    """
    blocks: list[tuple[str, Any]] = []
    in_step = False
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            in_step = False
            if blocks and blocks[-1][0] in ("para", "code"):
                blocks.append(("gap", ""))
            continue
        step = _STEP.match(line)
        if step:
            if not blocks or blocks[-1][0] != "steps":
                blocks.append(("steps", []))
            blocks[-1][1].append([step.group(1).strip(), ""])
            in_step = True
        elif _INDENTED.match(line):
            if in_step:
                item = blocks[-1][1][-1]
                if item[1] or item[0].endswith(":"):  # a command the step introduced
                    item[1] = (item[1] + "\n" if item[1] else "") + line.strip()
                else:  # a wrapped step, indented like a list item
                    item[0] += " " + line.strip()
            elif blocks and blocks[-1][0] == "code":
                blocks[-1] = ("code", blocks[-1][1] + "\n" + line.strip())
            else:
                blocks.append(("code", line.strip()))
        elif in_step:
            item = blocks[-1][1][-1]
            if item[1]:  # prose after a step's command: a new paragraph
                in_step = False
                blocks.append(("para", line.strip()))
            else:
                item[0] += " " + line.strip()
        elif blocks and blocks[-1][0] == "para":
            blocks[-1] = ("para", blocks[-1][1] + " " + line.strip())
        else:
            blocks.append(("para", line.strip()))
    out: list[tuple[str, Any]] = []
    for kind, payload in blocks:
        if kind == "steps":
            out.append((kind, [(t, c) for t, c in payload]))
        elif kind != "gap":
            out.append((kind, payload))
    return out


def code_segments(text: str) -> list[tuple[bool, str]]:
    """(is_code, text) pieces of a rule text where `backticks` mark commands.

    Follows CommonMark: a run of N backticks opens a span closed by the next run of exactly N;
    an unmatched run is plain text.
    """
    out: list[tuple[bool, str]] = []
    pos = plain_from = 0
    while True:
        m = re.compile(r"`+").search(text, pos)
        if not m:
            break
        fence = m.group(0)
        close = re.compile(r"(?<!`)" + fence + r"(?!`)").search(text, m.end())
        if not close:
            pos = m.end()
            continue
        if m.start() > plain_from:
            out.append((False, text[plain_from : m.start()]))
        code = text[m.end() : close.start()]
        if code.startswith(" ") and code.endswith(" ") and code.strip():
            code = code[1:-1]
        out.append((True, code))
        pos = plain_from = close.end()
    if plain_from < len(text):
        out.append((False, text[plain_from:]))
    return out


def rank_reason(diagnoses: Sequence[Mapping[str, Any]], index: int) -> str:
    """Why diagnosis `index` sits where it does, against its neighbour in the ranking.

    Ranking is by confidence, then severity, then specificity (how many matchers fired), then
    rule id; this names the first of those that separates the two.
    """
    if len(diagnoses) == 1:
        return "the only candidate"
    if index == 0:
        return f"above #2 {diagnoses[1]['cause']}: {_separates(diagnoses[0], diagnoses[1], 'higher')}"
    above = diagnoses[index - 1]
    return f"below #{index} {above['cause']}: {_separates(above, diagnoses[index], 'lower')}"


_SEVERITY_ORDER = ["info", "low", "medium", "high", "critical"]


def _separates(upper: Mapping[str, Any], lower: Mapping[str, Any], word: str) -> str:
    """Name the first ranking key that separates two neighbours; `word` is higher or lower."""
    mine, theirs = (upper, lower) if word == "higher" else (lower, upper)
    if mine["confidence"] != theirs["confidence"]:
        return f"{word} confidence ({mine['confidence']:.2f} vs {theirs['confidence']:.2f})"
    if _severity_rank(mine) != _severity_rank(theirs):
        return f"same confidence, {word} severity ({mine.get('severity')} vs {theirs.get('severity')})"
    if _fired_count(mine) != _fired_count(theirs):
        more = "more" if word == "higher" else "fewer"
        return f"same confidence and severity, {more} matchers fired ({_fired_count(mine)} vs {_fired_count(theirs)})"
    return "same confidence, severity and matcher count; ordered by rule id"


def _severity_rank(d: Mapping[str, Any]) -> int:
    sev = str(d.get("severity", "info"))
    return _SEVERITY_ORDER.index(sev) if sev in _SEVERITY_ORDER else 0


def _fired_count(d: Mapping[str, Any]) -> int:
    return fired_count(report_steps(d))


def match_spans(text: str, matchers: Iterable[Any]) -> list[tuple[int, int]]:
    """Merged (start, end) spans of `text` where a rule's matchers hit (contains / pattern)."""
    spans: list[tuple[int, int]] = []
    for m in matchers:
        hay = text if getattr(m, "case_sensitive", False) else text.lower()
        for needle in getattr(m, "contains", ()):
            if not needle:
                continue
            start = hay.find(needle)
            while start >= 0:
                spans.append((start, start + len(needle)))
                start = hay.find(needle, start + len(needle))
        for pattern in getattr(m, "patterns", ()):
            spans += _pattern_spans(pattern, text)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _pattern_spans(pattern: Any, text: str, most: int = 50) -> list[tuple[int, int]]:
    """Spans of a compiled rule pattern; only `search` is used, which every pattern object offers."""
    out: list[tuple[int, int]] = []
    pos = 0
    try:
        while pos <= len(text) and len(out) < most:
            found = pattern.search(text, pos, timeout=_SPAN_BUDGET)
            if not found:
                break
            if found.end() > found.start():
                out.append(found.span())
            pos = max(found.end(), pos + 1)
    except TimeoutError:
        pass
    return out


def location(ev: Mapping[str, Any]) -> str:
    """`path:line`, `path#entryN` or `path` of a report's evidence item."""
    if ev.get("line") is not None:
        return f"{ev['path']}:{ev['line']}"
    if ev.get("entry") is not None:
        return f"{ev['path']}#entry{ev['entry']}"
    return str(ev.get("path", ""))
