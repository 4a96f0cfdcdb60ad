"""Where rules live, and what of them a loaded rule set depends on: no YAML needed (start-up)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import regex


class LineDict(dict):
    """A YAML mapping that remembers its line and the line of each key (rules carry them into
    the cached RuleSet, which must load without the YAML loader)."""

    line: int = 1
    key_lines: dict[str, int]


# `{{group}}` in a title, fix or hint: a named group or captured field of the rule's matchers;
# `{{group|text}}` shows `text` when the bundle gave no value (correlate.fill).
PLACEHOLDER = regex.compile(r"\{\{\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\|(?P<fallback>[^{}]*))?\}\}")


def builtin_rules_dir() -> Path:
    """The rules/ folder of a source checkout, or the copy installed inside the package."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "rules", here / "rules"):
        if candidate.is_dir():
            return candidate
    return here.parent / "rules"


def rule_files(dirs: Iterable[Path]) -> list[Path]:
    files = []
    for d in dirs:
        if d.is_file() and d.suffix in (".yaml", ".yml"):
            files.append(d)
        elif d.is_dir():
            files.extend(
                sorted(p for p in d.rglob("*.y*ml") if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))
            )
    return files


def extra_rule_dirs(cli_dirs: Iterable[str] = ()) -> list[Path]:
    dirs = [Path(d) for d in cli_dirs]
    env = os.environ.get("CCDIAG_RULES", "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    return dirs
