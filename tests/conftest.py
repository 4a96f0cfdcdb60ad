"""Shared test helpers: where the real reference samples live, and how to parse one file."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from analyzer.model import Evidence
from analyzer.textio import Doc

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "reference"  # a copy of ../shared/reference/samples
CASES = ROOT / "tests" / "data" / "cases"  # real user reports, each with its truth.yaml (tests/data/README.md)
LAB = ROOT / "tests" / "data" / "lab"  # real clients under controlled faults (tests/data/lab/SOURCE.txt)


def doc_of(path: Path | str, display: str | None = None) -> Doc:
    path = Path(path)
    return Doc.open(display or str(path), path.stat().st_size, lambda: open(path, "rb"))


def doc_from_text(text: str, name: str = "input.txt") -> Doc:
    return Doc.from_bytes(name, text.encode("utf-8"))


def yields(source: ModuleType, text: str, name: str = "input.txt") -> list[Evidence]:
    """The evidence one source module (analyzer.sources.<fmt>) yields from this text."""
    return list(source.parse(doc_from_text(text, name)))


def yields_from_file(source: ModuleType, path: Path | str) -> list[Evidence]:
    """The evidence one source module yields from this file."""
    return list(source.parse(doc_of(path)))


def of_kind(evidence: list, kind: str) -> list:
    """The pieces of evidence of one kind, in order."""
    return [e for e in evidence if e.kind == kind]


def one(evidence: list, kind: str, **fields):
    """The one piece of `kind` whose fields have these values (the test fails on none or several)."""
    found = [e for e in of_kind(evidence, kind) if all(e.get(k) == v for k, v in fields.items())]
    assert len(found) == 1, (
        f"expected one {kind} {fields}, got {[(e.where.line, dict(e.fields)) for e in of_kind(evidence, kind)]}"
    )
    return found[0]


@pytest.fixture
def samples() -> Path:
    return SAMPLES
