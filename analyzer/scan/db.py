"""The scan database: one row per bundle, committed as each bundle finishes.

A row holds the bundle's content hash, the rule-set version that produced the report, and
the report. A re-run skips a bundle whose hash and rule-set version both match; a killed
run loses at most the bundles in flight, and never writes one twice (the bundle name is the
key). WAL mode lets `--summary` read while a scan writes.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import orjson

SCHEMA = """
CREATE TABLE IF NOT EXISTS bundles (
    bundle   TEXT PRIMARY KEY,
    hash     TEXT NOT NULL,
    ruleset  TEXT NOT NULL,
    status   TEXT NOT NULL,
    report   BLOB NOT NULL,
    scanned  REAL NOT NULL
)
"""


class ScanDB:
    def __init__(self, path: str):
        self.path = path
        try:
            self.conn = sqlite3.connect(path, timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.execute(SCHEMA)
            self.conn.commit()
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{path}: not a ccdiag scan database ({exc})") from None

    def known(self, ruleset: str) -> dict[str, str]:
        """bundle -> content hash of the rows made with this rule-set version."""
        rows = self.conn.execute("SELECT bundle, hash FROM bundles WHERE ruleset = ?", (ruleset,))
        return dict(rows.fetchall())

    def put(self, record: dict[str, Any], content_hash: str, ruleset: str) -> None:
        self.conn.execute(
            "INSERT OR REPLACE INTO bundles (bundle, hash, ruleset, status, report, scanned) VALUES (?, ?, ?, ?, ?, ?)",
            (record["bundle"], content_hash, ruleset, record.get("status", "ok"), orjson.dumps(record), time.time()),
        )
        self.conn.commit()

    def get(self, bundle: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT report FROM bundles WHERE bundle = ?", (bundle,)).fetchone()
        return orjson.loads(row[0]) if row else None

    def records(self) -> Iterator[dict[str, Any]]:
        for (report,) in self.conn.execute("SELECT report FROM bundles ORDER BY bundle"):
            yield orjson.loads(report)

    def close(self) -> None:
        self.conn.close()
