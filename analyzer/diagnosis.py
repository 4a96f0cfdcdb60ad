"""Rank findings into a diagnosis: supersedes, one entry per cause, and what to collect next."""

from __future__ import annotations

from .model import Finding, InputInfo, WhyKind, WhyStep

# What to ask for when a bundle lacks a capture that decides most causes.
NEXT_STEPS = {
    "curl": "curl -v https://api.anthropic.com/api/hello 2>&1 (the path: DNS, proxy, TLS issuer, HTTP status)",
    "claude-log": "claude --debug, then the newest file in ~/.claude/debug/ (Claude Code's own view of the failure)",
    "env": "env | grep -iE 'proxy|anthropic|claude|node|ssl|cert' (or `set` on Windows) from the shell that runs the "
    "client",
    "settings": "~/.claude/settings.json and /etc/claude-code/managed-settings.json (base URL, env block, "
    "apiKeyHelper)",
}


def rank(findings: list[Finding], supersedes: dict[str, tuple[str, ...]]) -> list[Finding]:
    fired = {f.rule for f in findings}
    dropped = {target for rule in fired for target in supersedes.get(rule, ()) if target in fired}
    kept = [f for f in findings if f.rule not in dropped]
    for f in kept:
        beaten = [t for t in supersedes.get(f.rule, ()) if t in dropped]
        if beaten:
            f.why.append(WhyStep(WhyKind.supersedes, rules=tuple(beaten)))
    kept.sort(key=lambda f: (-f.confidence, -int(f.severity), -f.specificity, f.rule))
    by_cause: dict[str, Finding] = {}
    out = []
    for f in kept:
        first = by_cause.get(f.cause)
        if first is None:
            by_cause[f.cause] = f
            out.append(f)
        else:
            first.why.append(WhyStep(WhyKind.also_matched, value=f.confidence, rules=(f.rule,)))
            for ev in f.evidence:
                if len(first.evidence) < 10 and all(ev.where != e.where for e in first.evidence):
                    first.evidence.append(ev)
    return out


def next_steps(findings: list[Finding], inputs: list[InputInfo]) -> list[str]:
    """Captures that would decide more, for bundles with no confident answer."""
    if findings and findings[0].confidence >= 0.6:
        return []
    have = {i.format for i in inputs}
    return [text for fmt, text in NEXT_STEPS.items() if fmt not in have]
