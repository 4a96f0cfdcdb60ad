"""Per-bundle lines (jsonl, table, csv) and the fleet summary."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any, TextIO

import orjson

from .work import top

FORMATS = ("jsonl", "table", "csv")
CSV_FIELDS = ["bundle", "status", "top_cause", "confidence", "severity", "rule", "causes", "inputs", "bytes", "note"]
EXAMPLES_PER_CAUSE = 3


class Writer:
    """Writes one line per bundle as results arrive."""

    def __init__(self, fmt: str, out: TextIO):
        self.fmt, self.out = fmt, out
        self._csv = csv.DictWriter(out, CSV_FIELDS, lineterminator="\n") if fmt == "csv" else None
        self._pages: list[tuple[str, dict[str, Any]]] = []
        if self._csv:
            self._csv.writeheader()
        elif fmt == "table":
            out.write(f"{'BUNDLE':<40} {'TOP CAUSE':<32} {'CONF':>5} {'SEVERITY':<9} NOTE\n")

    def write(self, record: dict[str, Any]) -> None:
        if self.fmt == "html":  # one page for the whole fleet, written by finish()
            self._pages.append((str(record.get("bundle", "")), record))
            return
        if self.fmt == "jsonl":
            self.out.write(orjson.dumps(record).decode() + "\n")
        else:
            row = flat(record)
            if self._csv:
                self._csv.writerow(row)
            else:
                conf = f"{row['confidence']:.2f}" if row["confidence"] != "" else ""
                self.out.write(
                    f"{_cut(row['bundle'], 40):<40} {_cut(row['top_cause'] or '-', 32):<32} {conf:>5} "
                    f"{row['severity']:<9} {row['note']}\n"
                )
        self.out.flush()

    def finish(self) -> None:
        """The fleet page (`--format html`): a chart of bundles per cause, a filterable table and
        every bundle's report; the other formats were written as results came."""
        if self.fmt == "html":
            from ..report.as_html import render_fleet

            self.out.write(render_fleet(sorted(self._pages)))
            self.out.flush()


def flat(record: dict[str, Any]) -> dict[str, Any]:
    t = top(record)
    causes = sorted({d["cause"] for d in record.get("diagnoses") or () if d.get("confidence", 0) >= 0.5})
    return {
        "bundle": record["bundle"],
        "status": record.get("status", "ok"),
        "top_cause": t["cause"] if t else "",
        "confidence": t["confidence"] if t else "",
        "severity": t["severity"] if t else "",
        "rule": t["rule"] if t else "",
        "causes": " ".join(causes),
        "inputs": len(record.get("inputs") or ()),
        "bytes": record.get("bytes", 0),
        "note": _note(record),
    }


def _note(record: dict[str, Any]) -> str:
    if record.get("status") == "error":
        return f"error: {record.get('error', '')}"
    if record.get("status") == "unreadable":
        reasons = {s["reason"] for s in record.get("skipped") or ()}
        return "nothing readable" + (f" ({'; '.join(sorted(reasons))[:80]})" if reasons else "")
    if record.get("cached"):
        return "unchanged (from --db)"
    return ""


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


@dataclass
class Summary:
    """What a fleet looks like: bundles per cause, examples, undiagnosed and skipped bundles."""

    total: int = 0
    cached: int = 0
    top_causes: Counter = field(default_factory=Counter)
    any_causes: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    undiagnosed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def add(self, record: dict[str, Any]) -> None:
        self.total += 1
        if record.get("cached"):
            self.cached += 1
        name = record["bundle"]
        if record.get("status") in ("error", "unreadable"):
            self.skipped.append((name, _note(record)))
            return
        t = top(record)
        if t is None:
            self.undiagnosed.append(name)
            return
        self.top_causes[t["cause"]] += 1
        if len(self.examples[t["cause"]]) < EXAMPLES_PER_CAUSE:
            self.examples[t["cause"]].append(name)
        for cause in {d["cause"] for d in record.get("diagnoses") or () if d.get("confidence", 0) >= 0.5}:
            self.any_causes[cause] += 1

    def render(self, limit: int = 15) -> str:
        out = io.StringIO()
        w = out.write
        w(f"\nFleet summary: {self.total} bundles")
        if self.cached:
            w(f" ({self.cached} unchanged since the last scan, from the database)")
        w("\n")
        diagnosed = self.total - len(self.undiagnosed) - len(self.skipped)
        w(f"  diagnosed {diagnosed}, no diagnosis {len(self.undiagnosed)}, skipped {len(self.skipped)}\n")
        if self.top_causes:
            w("\nBundles per cause (as top cause / anywhere at confidence >= 0.5):\n")
            for cause, n in self.top_causes.most_common(limit):
                w(f"  {n:>6} / {self.any_causes[cause]:<6} {cause:<34} e.g. {', '.join(self.examples[cause])}\n")
            rest = len(self.top_causes) - limit
            if rest > 0:
                w(f"  ... and {rest} more causes\n")
        if self.undiagnosed:
            w(
                f"\nNo diagnosis ({len(self.undiagnosed)}): {', '.join(self.undiagnosed[:10])}"
                f"{' ...' if len(self.undiagnosed) > 10 else ''}\n"
            )
        if self.skipped:
            w(f"\nSkipped ({len(self.skipped)}):\n")
            for name, why in self.skipped[:20]:
                w(f"  {name}: {why}\n")
            if len(self.skipped) > 20:
                w(f"  ... and {len(self.skipped) - 20} more\n")
        return out.getvalue()
