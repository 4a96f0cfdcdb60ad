"""One bundle -> one record: the per-bundle function every engine runs (local pool or dask).

Rules load once per process (the pool initializer, or the first task a dask worker runs)
and are reused for every bundle that process analyzes.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ..analysis import analyze, load_ruleset
from ..bundle import Limits
from ..engine import RuleSet, extra_rule_dirs
from ..model import Severity
from ..redact import redact_text
from ..report.as_json import report_dict

_STATE: dict[str, Any] = {}  # this process's rule set and its settings


def init_worker(rule_dirs: tuple[str, ...] = (), disable: tuple[str, ...] = (), limits: dict | None = None) -> None:
    """Load the rules once for this process."""
    key = (tuple(rule_dirs), tuple(disable))
    if _STATE.get("key") != key:
        ruleset = load_ruleset(extra_rule_dirs(list(rule_dirs)), disable)
        ruleset.accel_min_bytes = 0  # a worker reads many files: its Hyperscan database pays for itself
        _STATE["ruleset"] = ruleset
        _STATE["key"] = key
    _STATE["limits"] = Limits(**limits) if limits else Limits()


def ruleset_version(ruleset: RuleSet) -> str:
    """Changes whenever a rule file, ccdiag itself or the report's shape changes: cached reports are then stale."""
    from .. import __version__
    from ..report.as_json import REVISION

    h = hashlib.blake2b(f"{__version__} {REVISION}".encode(), digest_size=16)
    for rule in sorted(ruleset.rules.values(), key=lambda r: r.id):
        h.update(rule.id.encode() + b"\0")
        try:
            h.update(Path(rule.path).read_bytes())
        except OSError:
            h.update(rule.path.encode())
    return h.hexdigest()


def run_bundle(
    name: str, path: str, rule_dirs: tuple[str, ...] = (), disable: tuple[str, ...] = (), limits: dict | None = None
) -> dict[str, Any]:
    """The record of one bundle: {"bundle", "status", "bytes"} plus the JSON report's fields,
    or {"bundle", "status": "error", "error"} when it could not be analyzed."""
    if "ruleset" not in _STATE or _STATE.get("key") != (tuple(rule_dirs), tuple(disable)):
        init_worker(rule_dirs, disable, limits)
    ruleset: RuleSet = _STATE["ruleset"]
    try:
        diagnosis = analyze([path], ruleset=ruleset, limits=_STATE["limits"])
    except Exception as exc:  # noqa: BLE001 - one broken bundle must not stop a fleet scan
        return {"bundle": name, "status": "error", "error": redact_text(f"{type(exc).__name__}: {exc}")[:300]}
    record: dict[str, Any] = {"bundle": name}
    record.update(report_dict(diagnosis))
    record["status"] = "ok" if diagnosis.inputs else "unreadable"
    record["bytes"] = sum(i.bytes for i in diagnosis.inputs)
    return record


def top(record: dict[str, Any], min_confidence: float = 0.5) -> dict[str, Any] | None:
    """The first diagnosis of a record at or above `min_confidence`."""
    for d in record.get("diagnoses") or ():
        if d.get("confidence", 0) >= min_confidence:
            return d
    return None


def fails(record: dict[str, Any], fail_on: str) -> bool:
    """True when the record has a diagnosis that `--fail-on` counts (as `ccdiag analyze`)."""
    if fail_on == "none":
        return False
    threshold = Severity.parse(fail_on)
    return any(
        Severity.parse(d["severity"]) >= threshold and d["confidence"] >= 0.5 for d in record.get("diagnoses") or ()
    )
