"""ccdiag: diagnose Claude Code / Anthropic API connection failures from the logs people already have.

The library API is one call: `analyze(paths) -> Diagnosis`.
"""

from __future__ import annotations

__version__ = "0.1.0"


def analyze(paths, **kwargs):
    from .analysis import analyze as _analyze

    return _analyze(list(paths), **kwargs)


__all__ = ["analyze", "__version__"]
