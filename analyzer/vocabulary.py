"""What the messages and codes the sources read mean: analyzer/vocabulary.yaml, read on first use.

Sources cut text into fields; where a field's value needs a meaning (a Claude Code message's
`message_code`, the Node code of an errno or an OpenSSL reason, the status of an error type),
they look it up here. A new wording is one YAML entry, no Python. `wordings()` gives the
literals these entries cannot match without, so the parsers' gates let their lines through.
"""

from __future__ import annotations

import hashlib
from functools import cached_property
from pathlib import Path
from typing import Any

from .lazy import lazy_regex

PATH = Path(__file__).resolve().parent / "vocabulary.yaml"

# Tables of (pattern, meaning) entries, searched in order.
PATTERN_TABLES = (
    "claude_code_connection_messages",
    "claude_code_ssl_messages",
    "claude_code_messages",
    "claude_code_api_error_messages",
    "text_codes",
    "go_x509_reasons",
    "bun_text_codes",
    "har_text_codes",
    "curl_errno_text",
)


class Vocabulary:
    def __init__(self, path: Path = PATH):
        self.path = path

    @cached_property
    def data(self) -> dict[str, Any]:
        return self._loaded["data"]

    @cached_property
    def _loaded(self) -> dict[str, Any]:
        """{"data": the YAML, "literals": table -> its wordings}, from a disk cache when the file has
        not changed: parsing it and its patterns' literals costs some 20 ms of every run's start-up."""
        from . import __version__, cachedir

        st = self.path.stat()
        key = hashlib.sha256(f"{__version__}\0{self.path}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:32]
        cached = cachedir.cache_dir() / f"vocabulary-{key}.pickle"
        if cachedir.enabled():
            found = cachedir.read(cached)
            if isinstance(found, dict):
                return found
        import yaml  # here: a run the disk cache serves never imports PyYAML (a fair part of start-up)

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=loader)
        loaded = {"data": data, "literals": {table: _literals(data[table]) for table in PATTERN_TABLES}}
        if cachedir.enabled():
            cachedir.write(cached, loaded)
        return loaded

    @cached_property
    def tls_codes(self) -> frozenset[str]:
        """Error codes that are TLS failures (tls-error rather than connect-error)."""
        return frozenset(self.data["tls_codes"])

    @cached_property
    def _tls_reasons(self) -> tuple[tuple[str, str], ...]:
        return tuple((e["text"].lower(), e["code"]) for e in self.data["tls_reasons"])

    def tls_code_for_reason(self, reason: str) -> str | None:
        """The Node code of an OpenSSL/Node reason text, None when it names no known one."""
        low = reason.lower()
        return next((code for text, code in self._tls_reasons if text in low), None)

    @cached_property
    def status_for_error_type(self) -> dict[str, int]:
        return dict(self.data["status_for_error_type"])

    @cached_property
    def api_status_classes(self) -> frozenset[str]:
        return frozenset(self.data["api_status_classes"])

    @cached_property
    def errno_codes(self) -> dict[str, str]:
        return {str(k): v for k, v in self.data["errno_codes"].items()}

    @cached_property
    def curl_exit_codes(self) -> dict[int, str]:
        return {int(k): v for k, v in self.data["curl_exit_codes"].items()}

    @cached_property
    def schannel_codes(self) -> dict[str, str]:
        return dict(self.data["schannel_codes"])

    @cached_property
    def wget_reasons(self) -> dict[str, str]:
        return dict(self.data["wget_reasons"])

    @cached_property
    def unexplained_failure_codes(self) -> dict[str, str]:
        """Failure codes that name no layer (code -> the surface they show: connection, timeout)."""
        return {str(k): str(v) for k, v in self.data["unexplained_failure_codes"].items()}

    @cached_property
    def har_benign_net_errors(self) -> frozenset[str]:
        return frozenset(self.data["har_benign_net_errors"])

    def patterns(self, table: str) -> list[tuple[Any, dict[str, Any]]]:
        """(compiled `match`, the entry) for each entry of a PATTERN_TABLES table, in order."""
        cache = self.__dict__.setdefault("_patterns", {})
        if table not in cache:
            cache[table] = [(lazy_regex(e["match"]), e) for e in self.data[table]]
        return cache[table]

    def first(self, table: str, text: str) -> tuple[Any, dict[str, Any]] | None:
        """(match, entry) of the first entry of `table` found in `text`, or None."""
        for rx, entry in self.patterns(table):
            m = rx.search(text)
            if m:
                return m, entry
        return None

    def wordings(self, *tables: str) -> tuple[str, ...]:
        """Literals the entries of these tables (all PATTERN_TABLES by default) cannot match without:
        each pattern's required literals (literals.guard_literals), lower case."""
        literals = self._loaded["literals"]
        return tuple(dict.fromkeys(lit for table in tables or PATTERN_TABLES for lit in literals[table]))


def _literals(entries: list[dict[str, Any]]) -> tuple[str, ...]:
    from .literals import guard_literals

    out: dict[str, None] = {}
    for entry in entries:
        out.update(dict.fromkeys(guard_literals(entry["match"]) or ()))
    return tuple(out)


VOCAB = Vocabulary()
