"""The rule engine: load YAML rules, match them over evidence and lines, correlate into findings.

The YAML loader is imported on first use of its names: a run served by the rule cache
(engine.cache) never parses YAML, and importing PyYAML is a fair part of start-up.
"""

from __future__ import annotations

from .correlate import correlate
from .matching import RuleSet
from .ruledirs import builtin_rules_dir, extra_rule_dirs
from .rules import RegexBudgetExceeded, Rule
from .run import Run

__all__ = [
    "correlate",
    "LoadResult",
    "builtin_rules_dir",
    "extra_rule_dirs",
    "load",
    "taxonomy",
    "RuleSet",
    "Run",
    "RegexBudgetExceeded",
    "Rule",
]


def __getattr__(name: str):
    if name in ("LoadResult", "load", "taxonomy"):
        from . import loader

        return getattr(loader, name)
    raise AttributeError(name)
