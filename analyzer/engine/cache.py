"""A disk cache of the compiled rule set, so `ccdiag analyze` starts in milliseconds.

The key is a hash of ccdiag's version and every rule file's path, size and mtime (and the
taxonomy and the vocabulary); regexes are stored as source and compile on first use. Any problem with the cache
(unwritable, corrupt, another version) means a normal load: it can only make start-up faster.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .. import __version__, cachedir
from .ruledirs import builtin_rules_dir, rule_files

# The rule set carries what it derived from the vocabulary (the literals of its wordings).
VOCABULARY = Path(__file__).resolve().parent.parent / "vocabulary.yaml"


def _key(dirs: Iterable[Path], extra: Iterable[str]) -> str:
    h = hashlib.sha256(f"{__version__}\0ruleset-3".encode())
    here = Path(__file__).resolve().parent
    # The engine's own modules too: a pickled RuleSet is only good for the code that made it.
    # lazy.Lazy: how a rule's pattern pickles; literals: the prefilter literals and wordings it carries
    code = [*sorted(here.glob("*.py")), here.parent / "lazy.py", here.parent / "literals.py"]
    for path in [here.parent / "taxonomy.yaml", VOCABULARY, *code, *rule_files(dirs)]:
        try:
            st = path.stat()
        except OSError:
            continue
        h.update(f"{path}\0{st.st_size}\0{st.st_mtime_ns}\0".encode())
    for item in extra:
        h.update(f"{item}\0".encode())
    return h.hexdigest()[:32]


def cached_load(extra_dirs: list[Path], disable: list[str], build: Callable[[], tuple[Any, list]]) -> tuple[Any, list]:
    """`build()` -> (ruleset, errors), from the cache when the rule files have not changed."""
    if not cachedir.enabled():
        return build()
    dirs = [builtin_rules_dir(), *extra_dirs]
    path = cachedir.cache_dir() / f"rules-{_key(dirs, [*map(str, extra_dirs), '|', *disable])}.pickle"
    from .matching import RuleSet

    ruleset = cachedir.read(path)
    if isinstance(ruleset, RuleSet):
        return ruleset, []
    ruleset, errors = build()
    if not errors:
        cachedir.write(path, ruleset)
    return ruleset, errors
