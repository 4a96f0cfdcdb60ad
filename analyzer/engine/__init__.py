"""The rule engine: load YAML rules, match them over evidence and lines, correlate into findings."""
from __future__ import annotations

from .correlate import correlate
from .loader import LoadResult, builtin_rules_dir, extra_rule_dirs, load, taxonomy
from .matching import RuleSet
from .rules import RegexBudgetExceeded, Rule

__all__ = ["correlate", "LoadResult", "builtin_rules_dir", "extra_rule_dirs", "load", "taxonomy",
           "RuleSet", "RegexBudgetExceeded", "Rule"]
