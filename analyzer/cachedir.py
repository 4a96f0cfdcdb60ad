"""Where ccdiag keeps its disk caches (the rule set, the vocabulary): a leaf any layer may ask."""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

# What an unreadable or stale cache file raises: it is then rebuilt, never trusted.
_STALE = (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError, IndexError)


def cache_dir() -> Path:
    if os.environ.get("CCDIAG_CACHE_DIR"):
        return Path(os.environ["CCDIAG_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "ccdiag"


def enabled() -> bool:
    return not os.environ.get("CCDIAG_NO_CACHE")


def read(path: Path) -> Any:
    """The object pickled at `path` (our own file in the user's cache dir), or None."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except _STALE:
        return None


def write(path: Path, obj: Any) -> None:
    """Pickle `obj` to `path` atomically; a cache that cannot be written is only a slower next run."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass
