"""Write the support bundle: every file redacted, a manifest of what was masked where, a README.

Redaction is analyzer.redact's, line by line, so the manifest can name the line and what
kind of value was masked. `NAME=value` lines are masked by variable name as well, because
an API key in `ANTHROPIC_API_KEY=...` need not look like a key.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__, redact
from .collector import Collected
from .world import World

SCHEMA = "ccdiag.collect/1"
_ENV_LINE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$", re.S)
_JSON_KEY = re.compile(r'"(?P<key>[^"]{1,80})"\s*:')
_HEADER = re.compile(r"^[<>]\s*(?P<name>[A-Za-z][A-Za-z0-9-]*):")


@dataclass(frozen=True)
class Redaction:
    line: int
    what: str
    masks: int


def redact_line(line: str) -> str:
    m = _ENV_LINE.match(line)
    if m:
        return f"{m['name']}={redact.redact_value(m['name'], m['value'])}"
    return redact.redact_text(line)


def _what(line: str) -> str:
    if m := _ENV_LINE.match(line):
        return f"value of {m['name']}"
    if m := _HEADER.match(line):
        return f"{m['name']} header"
    if m := _JSON_KEY.search(line):
        return f'value of "{m["key"]}"'
    if "://" in line and "@" in line:
        return "password in a URL"
    return "secret-looking text"


def redact_file(text: str) -> tuple[str, list[Redaction]]:
    """The redacted text and one note per line that changed."""
    out: list[str] = []
    notes: list[Redaction] = []
    lines = text.split("\n")
    # Lines are redacted with their neighbours (a private-key body, a value under its name),
    # then env-style lines once more by name.
    for number, (line, shown) in enumerate(zip(lines, redact.redact_lines(lines), strict=True), 1):
        clean = redact_line(shown)
        if clean != line:
            masks = max(1, clean.count(redact.MASK) - line.count(redact.MASK))
            notes.append(Redaction(number, _what(line), masks))
        out.append(clean)
    return "\n".join(out), notes


README = """\
ccdiag support bundle
=====================

Written by `ccdiag collect` (ccdiag {version}) on {created}.
Target: {target}

What is in it: plain-text results of probes run on this machine, step by step along the
path to the API: the relevant environment variables, Claude Code settings files, other
tools' proxy settings, DNS, TCP, the HTTPS request the start-up check makes (written like
`curl -v`), the TLS certificate chain (in the layout of OpenSSL's s_client command), and
`curl -v` itself when curl is installed. manifest.json lists every file, the probe that wrote it,
the outcome of every probe, and each line where a value was masked.

Secrets (keys, tokens, passwords) were replaced by *** before anything was written. Nothing
was sent anywhere: the probes only talk to the hosts named above, the same way the client does.

To diagnose it again: `ccdiag analyze {name}`.
"""


def write_bundle(path: Path, collected: Collected, world: World) -> dict:
    """Write the zip and return its manifest."""
    created = collected.started.strftime("%Y-%m-%dT%H:%M:%SZ")
    opts = collected.options
    target = f"{opts.host}:{opts.port}" + (f" and {opts.oauth_host}:443" if opts.oauth_host else "")
    entries: list[dict[str, Any]] = []
    members: list[tuple[str, str]] = []
    for f in sorted(collected.files, key=lambda f: f.name):
        clean, notes = redact_file(f.text)
        members.append((f.name, clean))
        entry = {
            "name": f.name,
            "probe": f.probe,
            "about": redact.redact_text(f.about),
            "bytes": len(clean.encode("utf-8")),
            "redactions": [{"line": n.line, "what": n.what, "masks": n.masks} for n in notes],
        }
        if f.command:
            entry["command"] = redact.redact_text(f.command)
        entries.append(entry)
    manifest = {
        "schema": SCHEMA,
        "ccdiag": __version__,
        "created": created,
        "platform": world.platform,
        "target": {
            "host": opts.host,
            "port": opts.port,
            "oauth_host": opts.oauth_host,
            "timeout_s": opts.timeout,
            "authenticated": opts.authenticated,
        },
        "settings_env": {name: src for name, (_, src) in sorted(collected.settings_env.items())},
        "files": entries,
        "probes": [
            {
                "probe": r.probe,
                "outcome": r.outcome,
                "file": r.file,
                "seconds": r.seconds,
                "detail": redact.redact_text(r.detail),
            }
            for r in collected.records
        ],
        "redacted_lines": sum(len(e["redactions"]) for e in entries),
    }
    readme = README.format(version=__version__, created=created, target=target, name=path.name)
    stamp = collected.started.timetuple()[:6]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in [("README.txt", readme), ("manifest.json", json.dumps(manifest, indent=2) + "\n"), *members]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    tmp.replace(path)
    return manifest
