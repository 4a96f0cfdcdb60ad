"""Where ccdiag keeps its disk caches (the rule set, the vocabulary): a leaf any layer may ask."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    if os.environ.get("CCDIAG_CACHE_DIR"):
        return Path(os.environ["CCDIAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ccdiag"
