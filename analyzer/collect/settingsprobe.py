"""Claude Code settings files (user, project, project-local, managed), copied as they are.

The files go into the bundle unchanged apart from redaction, so the settings source
parses them like any pasted settings file. Their `env` blocks matter to the network
probes too: Claude Code copies them into its environment, so a proxy set only there is
a proxy the client uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .world import World

MAX_SETTINGS_BYTES = 1024 * 1024


@dataclass(frozen=True)
class SettingsFile:
    """One settings location: its scope, where it is, and its text or why there is none."""

    scope: str  # user | project | project-local | managed
    path: Path
    bundle_name: str
    text: str | None = None
    problem: str = ""  # "not present", "unreadable: ...", "too large"


def locations(world: World) -> list[tuple[str, Path, str]]:
    """(scope, path, name in the bundle) in the order Claude Code layers them, lowest first."""
    config_dir = world.env.get("CLAUDE_CONFIG_DIR", "").strip()
    user_dir = Path(config_dir).expanduser() if config_dir else world.home / ".claude"
    found = [
        ("user", user_dir / "settings.json", "settings/user-settings.json"),
        ("project", world.cwd / ".claude" / "settings.json", "settings/project-settings.json"),
        ("project-local", world.cwd / ".claude" / "settings.local.json", "settings/project-settings.local.json"),
    ]
    for i, path in enumerate(world.managed_settings):
        suffix = f"-{i + 1}" if i else ""
        found.append(("managed", path, f"settings/managed-settings{suffix}.json"))
    return found


def read_settings(world: World) -> list[SettingsFile]:
    out: list[SettingsFile] = []
    for scope, path, name in locations(world):
        try:
            if not path.is_file():
                out.append(SettingsFile(scope, path, name, problem="not present"))
                continue
            if path.stat().st_size > MAX_SETTINGS_BYTES:
                out.append(SettingsFile(scope, path, name, problem="too large to be a settings file"))
                continue
            out.append(SettingsFile(scope, path, name, path.read_text(encoding="utf-8", errors="replace")))
        except OSError as exc:
            out.append(SettingsFile(scope, path, name, problem=f"unreadable: {exc.strerror or exc}"))
    return out


def settings_env(files: list[SettingsFile]) -> dict[str, tuple[str, str]]:
    """name -> (value, bundle name of the file that set it); later scopes win, as in Claude Code."""
    merged: dict[str, tuple[str, str]] = {}
    for f in files:
        if f.text is None:
            continue
        try:
            data = json.loads(f.text)
        except ValueError:
            continue  # JSONC or a broken file: the settings source reports it
        env = data.get("env") if isinstance(data, dict) else None
        if isinstance(env, dict):
            for name, value in env.items():
                if isinstance(name, str) and isinstance(value, (str, int, float, bool)):
                    merged[name] = (str(value), f.bundle_name)
    return merged
