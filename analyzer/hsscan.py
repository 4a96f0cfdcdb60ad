"""Hyperscan scans that are safe across threads.

A database's scratch space may serve one scan at a time: two threads scanning with the same
one fail with ScratchInUseError (a Dask worker runs several tasks in one process). Each thread
gets its own scratch per database, made on its first scan.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_LOCAL = threading.local()


def scan(db: Any, data: bytes, on_match: Callable[..., Any]) -> None:
    import hyperscan

    mine = getattr(_LOCAL, "scratch", None)
    if mine is None:
        mine = _LOCAL.scratch = {}
    entry = mine.get(id(db))
    if entry is None or entry[0] is not db:  # the database is kept too, so its id stays its own
        entry = mine[id(db)] = (db, hyperscan.Scratch(db))
    db.scan(data, match_event_handler=on_match, scratch=entry[1])
