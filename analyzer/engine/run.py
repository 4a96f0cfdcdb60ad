"""What one bundle's analysis learns as it goes, kept apart from the rule set it runs.

A `RuleSet` is built once and serves every bundle of a process (`ccdiag scan` reuses one per
worker); it never changes while it runs. A `Run` is made for each bundle and holds what that
bundle taught: the rules skipped there because a regex of theirs blew its time budget; and the
engine the bundle's scans use (python, hyperscan or auto), chosen once where the run starts.
"""

from __future__ import annotations


class Run:
    """The state of analysing one bundle."""

    def __init__(self, engine: str = "auto") -> None:
        self.engine = engine
        self.broken: set[str] = set()  # rules whose regex exceeded its time budget: skipped from then on

    def copy(self) -> Run:
        """A run for a part of this bundle's work done elsewhere (a forked process), knowing what this one knows."""
        part = Run(self.engine)
        part.broken = set(self.broken)
        return part

    def merge(self, other: Run) -> None:
        """Take in what a part of this bundle's work (another process's Run) learned."""
        self.broken |= other.broken
